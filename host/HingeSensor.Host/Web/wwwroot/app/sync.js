// Brings the device's finished sessions into this browser (the host's SessionSync): download
// (resumable, every chunk checked), store in IndexedDB by content digest, and only then tell the
// device what was stored — the first 12 bytes of its SHA-256 — so that it lets go of exactly that
// content (mark downloaded, and erase if asked). Closing the page anywhere leaves the session on
// the device, and the checked bytes of a download cut short in the store for the next one.
import { Opcode, ResultCode, SessionEntry, digestTag, sha256 } from './protocol.js';
import { LinkLostError } from './transport.js';
import { DeviceRequestError } from './client.js';
import { SessionDownloadError, downloadSession } from './download.js';
import { partialKey } from './store.js';
import { sessionModel } from './session-model.js';
import { refusal } from './words.js';

/** How long a sync waits for a device still computing a session's digest before it leaves the mark for the next sync. */
export const DIGEST_PATIENCE_MS = 15000;

// An exchange that may be asked again: after a lost link, once the client has it back.
async function withReconnect(client, exchange) {
  for (let attempt = 0; ; attempt++) {
    try {
      if (!client.connected) await client.whenConnected();
      return await exchange();
    } catch (e) {
      if (!(e instanceof LinkLostError) || attempt >= 3 || !client.keeping) throw e;
    }
  }
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/**
 * Syncs every finished session (or those whose ids are in only): per session {session, outcome
 * ('stored', 'already stored', 'quarantined', 'failed'), id (the store's), marked, erased, message}.
 */
export async function syncSessions(client, store, { erase = false, only = null, onProgress = null } = {}) {
  const results = [];
  for (const entry of await withReconnect(client, () => client.listSessions())) {
    if (entry.flags & SessionEntry.FlagRecording) continue; // still being written
    if (only && !only.includes(entry.id)) continue;
    results.push(await syncOne(client, store, entry, erase, onProgress));
  }
  return results;
}

async function syncOne(client, store, entry, erase, onProgress) {
  const key = partialKey(entry);
  let downloaded;
  try {
    downloaded = await downloadSession(client, entry, { resume: await store.getPartial(key), onProgress });
  } catch (e) {
    if (e.partial && e.partial.length > 0) await store.savePartial(key, e.partial);
    if (e instanceof SessionDownloadError) return { session: entry.id, outcome: 'failed', message: e.message };
    throw e;
  }
  await store.discardPartial(key);
  const bytes = downloaded.bytes;
  let model;
  try {
    model = sessionModel(bytes);
  } catch (e) {
    await store.quarantine(bytes, entry.id, e.message);
    return { session: entry.id, outcome: 'quarantined', message: `session ${entry.id} does not decode (${e.message}): kept aside and left on the device` };
  }
  const { id, inserted } = await store.addSession(bytes, model.summary);
  const result = { session: entry.id, id, outcome: inserted ? 'stored' : 'already stored', marked: false, erased: false, message: null, resumes: downloaded.resumes, received: downloaded.received };

  // Stored: now tell the device what we hold. It compares with its own digest of the file.
  const tag = digestTag(await sha256(bytes));
  const mark = await markDownloaded(client, entry.id, tag);
  if (mark.result === ResultCode.InvalidState) return { ...result, message: 'not marked downloaded yet: the device is still computing its digest (sync again later to mark or erase it)' };
  if (mark.result === ResultCode.DigestMismatch) return { ...result, message: 'not marked downloaded: the device\'s digest of its file differs from what arrived, so it stays on the device' };
  if (mark.result !== ResultCode.Success) throw new DeviceRequestError(Opcode.MarkDownloaded, mark.result, refusal(Opcode.MarkDownloaded, mark.result, { session: entry.id }));
  if (!erase) return { ...result, marked: true };
  // Asked again after a reconnect, an erase that already happened answers NotFound: that is done too.
  const r = await withReconnect(client, () => client.request(Opcode.EraseSession, { session: entry.id, force: false, tag }));
  if (r.result !== ResultCode.Success && r.result !== ResultCode.NotFound) throw new DeviceRequestError(Opcode.EraseSession, r.result, refusal(Opcode.EraseSession, r.result, { session: entry.id }));
  return { ...result, marked: true, erased: true };
}

// The device answers InvalidState while it computes the digest, and on a first disagreement hashes
// its file again (flash damage since it saved the digest): ask until it has an answer.
async function markDownloaded(client, session, tag) {
  const started = Date.now();
  let disagreedOnce = false;
  for (;;) {
    const r = await withReconnect(client, () => client.request(Opcode.MarkDownloaded, { session, tag }));
    const again = r.result === ResultCode.InvalidState || (r.result === ResultCode.DigestMismatch && !disagreedOnce);
    if (r.result === ResultCode.DigestMismatch) disagreedOnce = true;
    if (!again || Date.now() - started > DIGEST_PATIENCE_MS) return r;
    await sleep(250);
  }
}

/** One line for people: "session 3 → #12", "session 3 → #12 (already stored), erased from the device", or what went wrong. */
export function describeSync(r) {
  if (r.outcome === 'quarantined' || r.outcome === 'failed') return r.message;
  return `session ${r.session} → #${r.id}${r.outcome === 'already stored' ? ' (already stored)' : ''}${r.erased ? ', erased from the device' : ''}${r.message ? `; ${r.message}` : ''}`;
}

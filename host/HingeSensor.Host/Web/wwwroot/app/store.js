// The sessions this browser brought home, in IndexedDB: each kept byte for byte as the device sent
// it, identified by the SHA-256 of those bytes (the host's content digest), so a session downloaded
// twice — or the same recording from two downloads — is stored once. Beside them: the checked first
// bytes of downloads that stopped short (a reload resumes from there), and sessions that arrived but
// do not decode (kept aside, never analysed, left on the device).
import { sha256, toHex } from './protocol.js';

const VERSION = 1;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('the browser aborted the storage transaction'));
  });
}

/** Opens (creating on first use) the app's database. */
export async function openStore(name = 'hingesensor', indexedDB = globalThis.indexedDB) {
  if (!indexedDB) throw new Error('this browser keeps no IndexedDB here (a private window?): sessions cannot be stored');
  const open = indexedDB.open(name, VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    const sessions = db.createObjectStore('sessions', { keyPath: 'id', autoIncrement: true });
    sessions.createIndex('digest', 'digest', { unique: true });
    db.createObjectStore('partials', { keyPath: 'key' });
    db.createObjectStore('quarantine', { keyPath: 'digest' });
  };
  return new SessionStore(await promised(open));
}

/** Where a download's checked first bytes are kept: the session's identity, id and length name that recording. */
export const partialKey = (entry) => `${entry.uid ?? 'compact'}/${entry.id}/${entry.length}`;

export class SessionStore {
  constructor(db) {
    this.db = db;
  }

  /**
   * Stores a session's bytes with what was read from them (summary: serial, deviceSessionId,
   * startUnixMs, durationS, reps, alerts …): {id, inserted}. inserted is false when these exact
   * bytes were stored before; nothing changes then.
   */
  async addSession(bytes, summary) {
    const digest = toHex(await sha256(bytes));
    const tx = this.db.transaction('sessions', 'readwrite');
    const sessions = tx.objectStore('sessions');
    const existing = await promised(sessions.index('digest').getKey(digest));
    if (existing !== undefined) {
      await done(tx);
      return { id: existing, inserted: false };
    }
    const id = await promised(sessions.add({ ...summary, digest, length: bytes.length, importedAt: new Date().toISOString(), bytes: bytes.slice() }));
    await done(tx);
    return { id, inserted: true };
  }

  /** Every stored session without its bytes, oldest first. */
  async listSessions() {
    const tx = this.db.transaction('sessions', 'readonly');
    const all = await promised(tx.objectStore('sessions').getAll());
    return all.map(({ bytes, ...summary }) => summary);
  }

  /** One session with its bytes, or null. */
  async getSession(id) {
    const tx = this.db.transaction('sessions', 'readonly');
    return (await promised(tx.objectStore('sessions').get(id))) ?? null;
  }

  async savePartial(key, bytes) {
    const tx = this.db.transaction('partials', 'readwrite');
    tx.objectStore('partials').put({ key, bytes: bytes.slice(), savedAt: new Date().toISOString() });
    await done(tx);
  }

  async getPartial(key) {
    const tx = this.db.transaction('partials', 'readonly');
    const p = await promised(tx.objectStore('partials').get(key));
    return p ? p.bytes : null;
  }

  async discardPartial(key) {
    const tx = this.db.transaction('partials', 'readwrite');
    tx.objectStore('partials').delete(key);
    await done(tx);
  }

  /** Keeps a session that does not decode, byte for byte, with the reason. Idempotent by digest. */
  async quarantine(bytes, deviceSessionId, reason) {
    const digest = toHex(await sha256(bytes));
    const tx = this.db.transaction('quarantine', 'readwrite');
    tx.objectStore('quarantine').put({ digest, deviceSessionId, reason, length: bytes.length, receivedAt: new Date().toISOString(), bytes: bytes.slice() });
    await done(tx);
    return digest;
  }

  close() {
    this.db.close();
  }
}

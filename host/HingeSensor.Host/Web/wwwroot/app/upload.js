// Sessions from this browser to a team server (docs/team-server.md), as `hinge sync` sends them
// (the host's UploadClient and SyncCommand): each session named by the SHA-256 of its file, the
// server asked where its upload stands (GET /api/uploads/{digest}), the rest sent in parts
// (PUT with Content-Range), each answer saying what the server now holds — so an upload cut short
// goes on from there in the next run, and content the server has costs one request. The person's
// upload token goes in the Authorization header (the server answers CORS for these routes only,
// and only with a token). No DOM.
import { sha256, toHex } from './protocol.js';

export const PART_BYTES = 256 * 1024;
/** The server's largest part (UploadStore.MaxPartBytes). */
export const MAX_PART_BYTES = 1024 * 1024;

/** The server refused the request as a whole (token, state): nothing else will get through either. */
export class UploadRefusedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UploadRefusedError';
  }
}

/** The team server's address as the person typed it: an http(s) URL ending in '/', or an error in words. */
export function serverAddress(text) {
  let url;
  try {
    url = new URL(String(text ?? '').trim());
  } catch {
    return { error: `the team server's address '${String(text ?? '').trim()}' is not an http(s) address (e.g. https://hinge.club.example)` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `the team server's address '${text}' is not an http(s) address (e.g. https://hinge.club.example)` };
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.search = '';
  url.hash = '';
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return {
    url: url.href,
    warning: url.protocol === 'http:' && !loopback
      ? `${url.href} is plain http: the token and the sessions cross the network readable (use the https address of the server's TLS proxy)`
      : null,
  };
}

/**
 * Uploads one session file: {result: 'stored' | 'already stored' | 'refused' | 'conflict',
 * sessionId, resumedFrom, sent, error, holes}. Throws UploadRefusedError when the server refuses
 * the token or cannot take uploads, and the fetch's own error when the connection fails (the next
 * upload resumes from what the server kept).
 */
export async function uploadSession(bytes, { server, token, partBytes = PART_BYTES, fetchFn = globalThis.fetch.bind(globalThis) }) {
  if (!(partBytes >= 1 && partBytes <= MAX_PART_BYTES)) throw new RangeError(`a part has 1 to ${MAX_PART_BYTES} bytes`);
  const digest = toHex(await sha256(bytes));
  const at = new URL(`api/uploads/${digest}`, server).href;
  const auth = { Authorization: `Bearer ${token}` };
  let a = await answer(await fetchFn(at, { headers: auth, cache: 'no-store' }));
  const known = final(a, 0, 0);
  if (known) return a.state === 'stored' ? { ...known, result: 'already stored' } : known;
  let from = a.length === bytes.length ? a.received ?? 0 : 0;
  const resumedFrom = from;
  let sent = 0;
  for (;;) {
    const n = Math.min(partBytes, bytes.length - from);
    const r = await fetchFn(at, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${from}-${from + n - 1}/${bytes.length}` },
      body: bytes.slice(from, from + n),
    });
    a = await answer(r);
    sent += n;
    const done = final(a, resumedFrom, sent);
    if (done) return done;
    const next = a.received;
    if (typeof next !== 'number') throw new Error(`the server's answer says neither stored nor how much it has: ${a.error}`);
    // The server says where to go on; it must be further than before, or this would never end.
    if (next <= from && !(next < from && r.status === 409)) throw new Error(`the server keeps asking for byte ${next} of ${digest}: ${a.error}`);
    from = next;
  }
}

function final(a, resumedFrom, sent) {
  switch (a.state) {
    case 'stored': return { result: 'stored', sessionId: a.session_id, resumedFrom, sent, holes: a.holes ?? null };
    case 'refused':
    case 'invalid': return { result: 'refused', resumedFrom, sent, error: a.error };
    case 'conflict': return { result: 'conflict', resumedFrom, sent, error: a.error };
    default: return null;
  }
}

async function answer(r) {
  if (r.status === 401) throw new UploadRefusedError(`the server refused the upload token (${await errorOf(r)}): ask for a new one`);
  if (r.status === 503) throw new UploadRefusedError(`the server cannot take uploads now: ${await errorOf(r)}`);
  if (!(r.headers.get('Content-Type') ?? '').startsWith('application/json')) throw new UploadRefusedError(`${r.url} answered ${r.status} ${r.statusText}, not as a HingeSensor team server does`);
  return r.json();
}

async function errorOf(r) {
  try {
    const body = await r.json();
    return body.error ?? `${r.status} ${r.statusText}`;
  } catch {
    return `${r.status} ${r.statusText}`;
  }
}

/** What hinge sync says of one session's upload ("uploaded, 5432 bytes (server session 7)"). */
export function describeUpload(o, length) {
  switch (o.result) {
    case 'already stored': return `already on the server (server session ${o.sessionId})`;
    case 'stored': {
      const holes = o.holes && o.holes.length > 0 ? `; kept with ${o.holes.length} damaged chunk${o.holes.length > 1 ? 's' : ''} as on this phone: ${o.holes.join('; ')}` : '';
      return `${o.resumedFrom > 0 ? `resumed at byte ${o.resumedFrom} of ${length}, uploaded` : `uploaded, ${length} bytes`} (server session ${o.sessionId})${holes}`;
    }
    default: return `${o.result} by the server: ${o.error}`;
  }
}

/** The run's total, as hinge sync's last line. */
export function describeTotal({ uploaded, resumed, already, failed }) {
  return `${uploaded} uploaded${resumed > 0 ? ` (${resumed} resumed)` : ''}, ${already} already on the server, ${failed} not uploaded`;
}

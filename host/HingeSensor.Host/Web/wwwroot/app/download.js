// One session's download, resumable and checked chunk by chunk: the host's DeviceClient.Download
// (docs/protocol.md §10.3–10.4) in JavaScript. The device remembers nothing between requests, so
// resuming is asking again from the last byte held: after a dropped link (once the client has it
// back), after 5 s of silence, and after a chunk that fails its check. A chunk fetched twice alike
// is the device's own damaged copy and is kept as it is; four different copies are a link that
// corrupts data and fail the download. At the end the bytes' SHA-256 must start with the digest
// tag the device sent.
import {
  DeviceEvent, Opcode, ResultCode, SessionFormat as F,
  checkChunk, findNextChunk, isZeroTag, sha256, toHex,
} from './protocol.js';
import { LinkLostError } from './transport.js';
import { DeviceRequestError } from './client.js';
import { refusal } from './words.js';

export const MAX_FETCHES_PER_DAMAGED_CHUNK = 4;
export const MAX_DIGEST_RESTARTS = 2;
const SILENCE_MS = 5000;

/** A download that cannot finish; received holds the checked bytes before offset, for the next one to resume from. */
export class SessionDownloadError extends Error {
  constructor(session, offset, message, received) {
    super(message);
    this.name = 'SessionDownloadError';
    this.session = session;
    this.offset = offset;
    this.received = received;
  }
}

/**
 * Downloads a listed session ({id, length}) whole: {bytes, deviceTag (null when the device had no
 * digest yet, or damage it holds was kept), resumes, received (data bytes that arrived, the ones
 * sent again after a drop included)}. resume: the checked first bytes an earlier
 * attempt kept. onProgress({bytes, total, resumes}). Whatever ends it early leaves the checked
 * bytes in error.partial (and in SessionDownloadError.received).
 */
export async function downloadSession(client, entry, { resume = null, onProgress = null } = {}) {
  if (entry.length < F.Overhead || entry.length > F.MaxSessionBytes) {
    throw new SessionDownloadError(entry.id, 0, `session ${entry.id}: the device lists a length of ${entry.length} bytes, outside the protocol's ${F.Overhead}..${F.MaxSessionBytes}`, new Uint8Array(0));
  }
  const d = new Download(client, entry);
  if (resume && resume.length <= entry.length) {
    d.buf.set(resume);
    d.contiguous = resume.length; // checked again, chunk by chunk
  }
  d.verify();
  const offs = [
    client.on('sessionData', (p) => d.onData(p)),
    client.on('event', (e) => d.onEvent(e)),
    client.on('linkLost', () => d.wake()),
  ];
  try {
    const result = await d.run(onProgress);
    d.finished = true;
    return result;
  } catch (e) {
    e.partial = d.buf.slice(0, d.verified);
    throw e;
  } finally {
    for (const off of offs) off();
  }
}

class Download {
  constructor(client, entry) {
    this.client = client;
    this.entry = entry;
    this.buf = new Uint8Array(entry.length);
    this.contiguous = 0;
    this.received = 0;
    this.resetChecks();
    this.done = null;
    this.failed = null;
    this.rewound = false;
    this.signal = null;
    this.newSignal();
  }

  resetChecks() {
    this.verified = 0;
    this.lastSequence = -1;
    this.fatal = null;
    this.damagedAt = -1;
    this.damagedBytes = null;
    this.damagedFetches = 0;
    this.damagedKept = 0;
  }

  newSignal() {
    let fire;
    const promise = new Promise((resolve) => { fire = resolve; });
    this.signal = { promise, fire };
  }

  wake() {
    this.signal.fire('woke');
  }

  async run(onProgress) {
    const { client, entry } = this;
    let resumes = 0;
    let digestRestarts = 0;
    for (;;) {
      const from = this.contiguous;
      this.done = null;
      this.failed = null;
      this.rewound = false;
      this.newSignal();
      try {
        if (!client.connected) {
          await client.whenConnected();
          resumes++;
        }
        const r = await client.request(Opcode.Download, { session: entry.id, offset: from });
        if (r.result !== ResultCode.Accepted) {
          throw new DeviceRequestError(Opcode.Download, r.result, `session ${entry.id} from byte ${from}: ${refusal(Opcode.Download, r.result, { session: entry.id })}`);
        }
        for (;;) {
          const signal = this.signal.promise;
          let timer;
          const woke = await Promise.race([signal, new Promise((resolve) => { timer = setTimeout(resolve, SILENCE_MS, 'silence'); })]);
          clearTimeout(timer);
          const rewound = this.rewound;
          this.rewound = false;
          this.newSignal();
          if (onProgress) onProgress({ session: entry.id, bytes: this.contiguous, total: entry.length, resumes });
          if (this.fatal) throw new SessionDownloadError(entry.id, this.verified, this.fatal, this.buf.slice(0, this.verified));
          // The device cannot read the session (evicted, flash error): asking again would not help.
          if (this.failed) {
            const f = this.failed;
            throw new DeviceRequestError(Opcode.Download, f.result, `the device stopped sending session ${entry.id} at byte ${f.offset}: ${refusal(Opcode.Download, f.result, { session: entry.id })}`);
          }
          if (rewound || !client.connected) break; // ask again from the last good byte
          const done = this.done;
          if (done && this.verified >= done.length) {
            if (done.length !== entry.length) {
              throw new SessionDownloadError(entry.id, this.verified, `session ${entry.id}: the device listed ${entry.length} bytes but sent ${done.length}`, this.buf.slice(0, this.verified));
            }
            const bytes = this.buf.slice(0, done.length);
            if (isZeroTag(done.tag)) return { bytes, deviceTag: null, resumes, received: this.received };
            const digest = await sha256(bytes);
            if (toHex(digest.subarray(0, F.DigestTagBytes)) === toHex(done.tag)) return { bytes, deviceTag: done.tag, resumes, received: this.received };
            // Damage kept as the device holds it: its digest predates that damage (it hashes the
            // file again when MarkDownloaded disagrees). Keep the bytes.
            if (this.damagedKept > 0) return { bytes, deviceTag: null, resumes, received: this.received };
            client.malformed('badCrc', `session ${entry.id}: the bytes' SHA-256 starts ${toHex(digest.subarray(0, F.DigestTagBytes))}, the device's ${toHex(done.tag)}`);
            if (++digestRestarts > MAX_DIGEST_RESTARTS) {
              throw new SessionDownloadError(entry.id, 0, `session ${entry.id}: ${digestRestarts} downloads gave bytes whose SHA-256 is not the device's digest (has its copy changed since it computed it?)`, new Uint8Array(0));
            }
            this.contiguous = 0;
            this.resetChecks();
            break;
          }
          if (woke === 'silence') break; // nothing for 5 s: ask again from where we are
        }
      } catch (e) {
        // The client brings the link back by itself; the next round waits for it and resumes.
        if (!(e instanceof LinkLostError) || !client.keeping) throw e;
      }
    }
  }

  onData(p) {
    if (p.session !== this.entry.id) return; // a straggler of an earlier download
    const n = p.data.length;
    this.received += n;
    if (p.offset < 0 || p.offset > this.buf.length - n) {
      this.client.malformed('inconsistent', `session data at ${p.offset}+${n} beyond ${this.buf.length}`);
      return;
    }
    if (p.offset > this.contiguous) return; // a hole before it: the re-request will fill it
    const skip = this.contiguous - p.offset; // already have these (an overlap after a resume)
    if (skip < n) {
      this.buf.set(p.data.subarray(skip), this.contiguous);
      this.contiguous += n - skip;
    }
    this.verify();
    this.wake();
  }

  onEvent(e) {
    if (e.session !== this.entry.id) return;
    if (e.event === DeviceEvent.DownloadDone) {
      if (e.length < 0 || e.length > this.buf.length) {
        // Past what the device listed (§10.7): every byte beyond it was dropped, so asking again
        // would bring the same; the download fails, naming both lengths.
        this.client.malformed('inconsistent', `download done at ${e.length} of ${this.buf.length}`);
        this.fatal = `session ${e.session}: the device listed ${this.buf.length} bytes, but its download ran to ${e.length}`;
      } else {
        this.done = { length: e.length, tag: e.tag };
        this.verify(); // the end of the file bounds a damaged last chunk
      }
      this.wake();
    } else if (e.event === DeviceEvent.DownloadFailed) {
      this.failed = { offset: e.offset, result: e.result };
      this.wake();
    }
  }

  // Checks every complete chunk past the verified mark. A chunk that fails is bounded by the next
  // chunk that checks (or the end of the file), then judged by damaged().
  verify() {
    const all = this.contiguous === this.buf.length;
    const held = this.buf.subarray(0, this.contiguous);
    while (this.verified < this.contiguous && !this.fatal) {
      const at = this.verified;
      const available = this.contiguous - at;
      const c = checkChunk(held, at, this.lastSequence);
      if (c) {
        this.verified += c.total;
        this.lastSequence = c.sequence;
        continue;
      }
      const b = this.buf;
      if (!all && (available < F.Overhead || (b[at] === F.Magic0 && b[at + 1] === F.Magic1
        && (b[at + 3] | (b[at + 4] << 8)) <= F.MaxPayload && available < F.Overhead + (b[at + 3] | (b[at + 4] << 8))))) {
        return; // not all here yet
      }
      let next = this.nextIntactChunk(held, at + 1, all);
      if (next < 0) {
        if (!all) return; // wait: the next intact chunk, or the end, bounds the damage
        next = this.contiguous;
      }
      if (!this.damaged(at, next)) return;
      this.verified = next;
    }
  }

  nextIntactChunk(held, from, all) {
    while (from < this.contiguous) {
      const { at, incomplete } = findNextChunk(held, from, this.lastSequence);
      if (at >= 0 || incomplete < 0 || !all) return at;
      from = incomplete + 1; // the whole file is here: a candidate running past its end is not a chunk
    }
    return -1;
  }

  // Bytes [start, end) fail their check. Fetched twice alike they are what the device holds: kept.
  // Otherwise fetched again, up to MAX_FETCHES_PER_DAMAGED_CHUNK times, then the download fails.
  damaged(start, end) {
    const region = this.buf.slice(start, end);
    if (this.damagedAt === start && this.damagedBytes && toHex(this.damagedBytes) === toHex(region)) {
      this.damagedKept++;
      this.damagedAt = -1;
      this.damagedBytes = null;
      this.damagedFetches = 0;
      return true;
    }
    if (this.damagedAt !== start) this.damagedFetches = 0;
    this.damagedAt = start;
    this.damagedBytes = region;
    this.damagedFetches++;
    this.client.malformed('badCrc', `session ${this.entry.id}: the chunk at byte ${start} fails its check (fetch ${this.damagedFetches})`);
    if (this.damagedFetches >= MAX_FETCHES_PER_DAMAGED_CHUNK) {
      this.fatal = `session ${this.entry.id}: the chunk at byte ${start} arrived damaged ${this.damagedFetches} times, differently each time (a link that corrupts data?); `
        + `the ${start} bytes before it are kept and the next download resumes there`;
      return false;
    }
    this.contiguous = start;
    this.rewound = true;
    return false;
  }
}

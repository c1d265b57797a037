// "Upload to team server" on the sessions page: every session stored in this browser, sent as
// `hinge sync` sends it (upload.js), each said as hinge sync says it — uploaded, resumed, already on
// the server, or refused with the server's reason — then the total. The server's address and the
// person's upload token are kept in this browser (localStorage), as `hinge sync` keeps them in the
// shell's environment. ?upload-part=N sends parts of N bytes (default 256 KiB), as `hinge sync
// --part-bytes` does.
import { MAX_PART_BYTES, PART_BYTES, UploadRefusedError, describeTotal, describeUpload, serverAddress, uploadSession } from './upload.js';

const KEPT = 'hingesensor.teamServer';
const $ = (id) => document.getElementById(id);

export function setupUpload(app) {
  const form = $('upload-form');
  const progress = $('upload-progress');
  const results = $('upload-results');
  try {
    const kept = JSON.parse(localStorage.getItem(KEPT) ?? 'null');
    if (kept) {
      $('server-url').value = kept.url ?? '';
      $('server-token').value = kept.token ?? '';
    }
  } catch { /* nothing kept, or not readable: the fields stay empty */ }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const button = $('upload');
    results.replaceChildren();
    progress.className = 'error';
    const address = serverAddress($('server-url').value);
    const token = $('server-token').value.trim();
    if (address.error) {
      progress.textContent = address.error;
      return;
    }
    if (!token) {
      progress.textContent = 'no upload token: ask the team server for one (hinge server token new, or your coach)';
      return;
    }
    localStorage.setItem(KEPT, JSON.stringify({ url: address.url, token }));
    const asked = Number(new URLSearchParams(location.search).get('upload-part'));
    const partBytes = asked >= 1 && asked <= MAX_PART_BYTES ? asked : PART_BYTES;
    const say = (text, level) => {
      const li = document.createElement('li');
      li.className = level;
      li.textContent = text;
      results.appendChild(li);
    };
    if (address.warning) say(address.warning, 'error');
    button.disabled = true;
    progress.className = '';
    const counts = { uploaded: 0, resumed: 0, already: 0, failed: 0 };
    const outcomes = [];
    try {
      const store = await app.storeReady;
      for (const s of await store.listSessions()) {
        const what = `session #${s.id} (${s.device} #${s.deviceSessionId})`;
        progress.textContent = `uploading ${what} …`;
        const record = await store.getSession(s.id);
        let o;
        try {
          o = await uploadSession(record.bytes, { server: address.url, token, partBytes });
        } catch (e) {
          if (e instanceof UploadRefusedError) throw e;
          counts.failed++;
          outcomes.push({ id: s.id, result: 'interrupted', error: e.message });
          say(`${what}: interrupted: ${e.message} (Upload to team server again resumes it)`, 'error');
          break; // the server is out of reach: the others would fail alike
        }
        if (o.result === 'already stored') counts.already++;
        else if (o.result === 'stored') {
          counts.uploaded++;
          if (o.resumedFrom > 0) counts.resumed++;
        } else counts.failed++;
        outcomes.push({ id: s.id, ...o });
        say(`${what}: ${describeUpload(o, record.bytes.length)}`, o.result === 'stored' || o.result === 'already stored' ? 'ok' : 'error');
      }
      progress.className = counts.failed > 0 ? 'error' : 'ok';
      progress.textContent = describeTotal(counts);
    } catch (e) {
      progress.className = 'error';
      progress.textContent = e.message;
    } finally {
      button.disabled = false;
      app.lastUpload = outcomes;
    }
  });
}

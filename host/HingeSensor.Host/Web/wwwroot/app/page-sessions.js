// The sessions on this phone (IndexedDB) and one session's report: the list, the sync from the
// device (resumable, checked, stored once per content, then marked downloaded on the device), the
// report drawn in the page, and the exports — the CSV and JSON of `hinge history export`, and the
// session's own file for `hinge history import` on a laptop.
import { syncSessions, describeSync } from './sync.js';
import { sessionModel } from './session-model.js';
import { exportCsv, exportJson, sessionFileName } from './export.js';
import { drawPlots, fillTables, summaryLine, calibrationLine } from './report.js';

const $ = (id) => document.getElementById(id);

function started(ms) {
  if (!ms) return '(clock not set)';
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// Hands a file to the browser, as a download.
function save(name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function setupSessions(app) {
  async function list() {
    let store;
    try {
      store = await app.storeReady;
    } catch (e) {
      $('no-sessions').hidden = false;
      $('no-sessions').textContent = e.message;
      return;
    }
    const sessions = await store.listSessions();
    const body = $('session-list').tBodies[0];
    body.replaceChildren(...sessions.slice().reverse().map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.session = String(s.id);
      const link = document.createElement('a');
      link.href = `#session/${s.id}`;
      link.textContent = `#${s.id}`;
      const first = document.createElement('td');
      first.appendChild(link);
      tr.appendChild(first);
      for (const t of [`${s.device} #${s.deviceSessionId}`, started(s.startUnixMs), `${(s.durationS / 60).toFixed(1)} min`, String(s.countedReps), String(s.alerts)]) {
        const td = document.createElement('td');
        td.textContent = t;
        tr.appendChild(td);
      }
      tr.addEventListener('click', () => { location.hash = `#session/${s.id}`; });
      return tr;
    }));
    $('no-sessions').hidden = sessions.length > 0;
  }

  const progress = $('sync-progress');
  const results = $('sync-results');
  $('sync').addEventListener('click', async () => {
    const button = $('sync');
    button.disabled = true;
    results.replaceChildren();
    progress.className = '';
    progress.textContent = 'asking the device for its sessions …';
    try {
      const store = await app.storeReady;
      const synced = await syncSessions(app.client, store, {
        erase: $('sync-erase').checked,
        onProgress: (p) => {
          progress.textContent = `session ${p.session}: ${p.bytes} of ${p.total} bytes${p.resumes ? ` (resumed ${p.resumes}×)` : ''}`;
        },
      });
      for (const r of synced) {
        const li = document.createElement('li');
        li.className = r.outcome === 'failed' || r.outcome === 'quarantined' ? 'error' : 'ok';
        li.textContent = describeSync(r);
        results.appendChild(li);
      }
      progress.className = 'ok';
      progress.textContent = synced.length === 0 ? 'no finished sessions on the device' : `${synced.length} session(s) done`;
      app.lastSync = synced;
    } catch (e) {
      progress.className = 'error';
      progress.textContent = `download stopped: ${e.message} (what arrived is kept: the next download goes on from there)`;
    } finally {
      button.disabled = !(app.client && app.client.connected);
      await list();
    }
  });

  let shown = null; // {record, model} of the session on the report page
  async function report(id) {
    const store = await app.storeReady;
    const record = await store.getSession(Number(id));
    if (!record) {
      $('session-title').textContent = `No session #${id} on this phone`;
      shown = null;
      return;
    }
    const model = sessionModel(record.bytes);
    shown = { record, model };
    $('session-title').textContent = `Session #${record.id}`;
    $('session-summary').textContent = `${model.summary.device} session ${model.summary.deviceSessionId} · ${started(model.summary.startUnixMs)} · ${summaryLine(model)}`;
    drawPlots($('plots'), model);
    fillTables($('reps').tBodies[0], $('alerts').tBodies[0], model);
    $('session-calibration').textContent = calibrationLine(model);
  }

  for (const b of document.querySelectorAll('[data-export]')) {
    b.addEventListener('click', () => {
      if (!shown) return;
      const stem = `session-${shown.record.id}`;
      if (b.dataset.export === 'csv') {
        const t = exportCsv(shown.model);
        save(`${stem}.csv`, t.frames, 'text/csv');
        save(`${stem}.reps.csv`, t.reps, 'text/csv');
        save(`${stem}.alerts.csv`, t.alerts, 'text/csv');
      } else if (b.dataset.export === 'json') {
        save(`${stem}.json`, exportJson(shown.model, shown.record), 'application/json');
      } else {
        save(sessionFileName(shown.model), shown.record.bytes, 'application/octet-stream');
      }
    });
  }
  app.sessions = { list, report, shown: () => shown };

  document.addEventListener('hinge:page', ({ detail }) => {
    if (detail.page === 'sessions') list();
    if (detail.page === 'session') report(detail.arg);
  });
}

// The live page: Server-Sent Events from /api/live in, one canvas and a fixed set of elements out.
// Messages only store the newest pose; drawing happens once per animation frame, so the page's
// work does not grow with the device's rate, and no element is ever added after start-up (the log
// recycles a fixed pool of lines), so the page's memory does not grow either.
import { LiveView } from './app/liveview.js';

const LOG_LINES = 30;
const STALE_MS = 2000;

const $ = (id) => document.getElementById(id);
const el = {
  figure: $('figure'), banner: $('fault-banner'), reps: $('rep-count'), link: $('link-status'),
  torso: $('torso'), hinge: $('hinge'), trunk: $('trunk'), head: $('head'), gap: $('gap'), phase: $('phase'), time: $('device-time'),
  device: $('device-line'), calibration: $('calibration-line'), wearer: $('wearer-line'),
  reason: $('action-reason'), result: $('action-result'), log: $('log'),
};
const buttons = Array.from(document.querySelectorAll('button[data-action]'));
// The figure, banner, reps and readouts: the same module the web app draws with.
const view = new LiveView({
  figure: el.figure, banner: el.banner, reps: el.reps,
  torso: el.torso, hinge: el.hinge, trunk: el.trunk, head: el.head, gap: el.gap, phase: el.phase, time: el.time,
});

// Counters the link line shows and the browser tests read (window.hingeDashboard.stats).
const stats = {
  messages: 0,      // pose updates received
  frames: 0,        // device frames those updates stand for (each carries n and the running total)
  skippedUpdates: 0, // updates the server replaced before this page read them (the page was slow)
  lostFrames: 0,    // frames missing from the device's sequence numbers (lost before the host)
  draws: 0,
  fps: 0,           // frames per second over the last second, as this page counted them
  lastSeq: null, lastTotal: null, lastMessageAt: 0,
};
window.hingeDashboard = { stats };

let latest = null;
let dirty = false;
let device = null;
let link = null;
let inFlight = null;

// Touch the DOM only when a value changes (the view keeps what it wrote).
const text = (node, value) => view.text(node, value);
const attr = (node, name, value) => view.attr(node, name, value);

// The log: a fixed pool of lines, the newest on top.
const logPool = [];
for (let i = 0; i < LOG_LINES; i++) {
  const li = document.createElement('li');
  li.hidden = true;
  el.log.appendChild(li);
  logPool.push(li);
}

function addLog(entry) {
  const li = el.log.lastElementChild;
  li.textContent = entry.text;
  li.className = entry.level;
  li.hidden = false;
  el.log.insertBefore(li, el.log.firstElementChild);
}

function clearLog() {
  for (const li of logPool) li.hidden = true;
}

function onFrame(f) {
  stats.messages++;
  const now = performance.now();
  if (stats.lastTotal !== null) {
    const covered = f.total - stats.lastTotal;
    stats.frames += covered;
    if (covered > f.n) stats.skippedUpdates++;
    const advance = (f.seq - stats.lastSeq + 65536) % 65536;
    if (advance > covered) stats.lostFrames += advance - covered;
  }
  stats.lastTotal = f.total;
  stats.lastSeq = f.seq;
  stats.lastMessageAt = now;
  latest = f;
  dirty = true;
}

// Frames per second as this page saw them, over the last second.
let fpsFrames = 0;
let fpsAt = performance.now();
setInterval(() => {
  const now = performance.now();
  stats.fps = Math.round((stats.frames - fpsFrames) * 1000 / (now - fpsAt));
  fpsFrames = stats.frames;
  fpsAt = now;
  showLink();
}, 1000);

function render() {
  if (dirty && latest) {
    dirty = false;
    draw(latest);
    stats.draws++;
  }
  requestAnimationFrame(render);
}

function draw(f) {
  view.show(f, device && device.heightCm ? device.heightCm : 175);
}

function showBanner(fault, message) {
  view.banner(fault, message);
}

function showLink() {
  let state, message;
  if (!device) {
    state = 'connecting';
    message = 'connecting to the dashboard …';
  } else if (device.state !== 'connected') {
    state = device.state;
    message = device.reason;
  } else if (performance.now() - stats.lastMessageAt > STALE_MS) {
    state = 'stale';
    message = stats.lastMessageAt ? `no frames for ${Math.round((performance.now() - stats.lastMessageAt) / 1000)} s` : 'connected, waiting for frames';
  } else {
    state = 'connected';
    const l = link || { fps: 0, gaps: 0, lost: 0, malformed: 0 };
    message = `${Math.round(l.fps)} frames/s from the device · ${l.gaps} gaps (${l.lost} frames lost) · ${l.malformed} malformed · page ${stats.fps} frames/s`;
  }
  attr(el.link, 'data-state', state);
  text(el.link, message);
}

function onDevice(d) {
  device = d;
  if (d.state !== 'connected') {
    // A device that comes back (it reconnects by itself) may have restarted its sequence numbers:
    // the first frame after it starts the accounting afresh instead of counting a huge gap.
    stats.lastTotal = null;
    text(el.device, d.reason);
    text(el.calibration, '–');
    // No frames will come to replace the last pose's verdict: say why instead.
    if (d.state === 'absent') showBanner('none', 'no device connected');
    if (d.state === 'lost') showBanner('none', 'link lost: reconnecting …');
    if (d.state === 'lent') showBanner('none', 'the web app has the device');
  } else {
    text(el.device, `${d.description}${d.serial ? ` · ${d.serial}` : ''}${d.firmware ? ` · firmware ${d.firmware}` : ''}`
      + (d.recording ? ` · ● recording session ${d.session}` : ''));
    const mark = (b) => (b ? '✓' : '–');
    text(el.calibration, `calibration: neutral ${mark(d.neutral)} · hinge ${mark(d.hinge)} · range ${mark(d.range)}`);
  }
  showLink();
  updateButtons();
}

function onLink(l) {
  link = l;
  el.wearer.hidden = !l.wearer;
  if (l.wearer) text(el.wearer, `virtual wearer: ${l.wearer}`);
  showLink();
}

function updateButtons() {
  let reason = '';
  if (!device) reason = 'waiting for the dashboard';
  else if (device.state !== 'connected') reason = device.reason;
  else if (inFlight) reason = `waiting for the device: ${inFlight}`;
  else if (device.busy) reason = `busy: ${device.busy}`;
  for (const b of buttons) {
    let why = reason;
    if (!why && b.dataset.action === 'recording/start' && device.recording) why = `already recording session ${device.session}`;
    if (!why && b.dataset.action === 'recording/stop' && !device.recording) why = 'not recording';
    b.disabled = why !== '';
    b.title = why;
  }
  text(el.reason, reason);
}

async function act(button) {
  inFlight = button.textContent.toLowerCase();
  updateButtons();
  text(el.result, `${button.textContent} …`);
  el.result.className = '';
  try {
    const r = await fetch(`/api/device/${button.dataset.action}`, { method: 'POST', headers: { 'X-Hinge-Action': '1' } });
    const body = await r.json();
    el.result.className = body.ok ? 'ok' : 'error';
    text(el.result, body.message);
  } catch (e) {
    el.result.className = 'error';
    text(el.result, `the dashboard did not answer: ${e.message}`);
  } finally {
    inFlight = null;
    updateButtons();
  }
}

for (const b of buttons) b.addEventListener('click', () => act(b));

const events = new EventSource('/api/live');
let broken = false;
events.addEventListener('frame', (e) => onFrame(JSON.parse(e.data)));
events.addEventListener('device', (e) => onDevice(JSON.parse(e.data)));
events.addEventListener('link', (e) => onLink(JSON.parse(e.data)));
events.addEventListener('log', (e) => addLog(JSON.parse(e.data)));
events.addEventListener('open', () => {
  // After a reconnection the server replays its recent log: start the pool afresh.
  if (broken) clearLog();
  broken = false;
});
events.addEventListener('error', () => {
  broken = true;
  device = null;
  stats.lastTotal = null;
  attr(el.link, 'data-state', 'lost');
  text(el.link, 'the dashboard stopped answering: reconnecting …');
  updateButtons();
});

updateButtons();
requestAnimationFrame(render);

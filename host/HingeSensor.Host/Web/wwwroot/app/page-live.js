// The live page: the device's frames through the playout into the shared live view (liveview.js,
// the dashboard's own figure, banner and reps), and alerts and cues in a log. Counted for the link
// line and the tests (hingeApp.live): frames received and drawn, in the device's own time.
import { LiveView } from './liveview.js';
import { Playout } from './playout.js';
import { describeEvent } from './words.js';

const LOG_LINES = 30;
const $ = (id) => document.getElementById(id);

export function setupLive(app) {
  const view = new LiveView({
    figure: $('figure'), banner: $('fault-banner'), reps: $('rep-count'),
    torso: $('torso'), hinge: $('hinge'), trunk: $('trunk'), head: $('head'), gap: $('gap'), phase: $('phase'), time: $('device-time'),
  });
  const playout = new Playout();
  const stats = {
    received: 0, // frames from the device
    drawn: 0, // frames the figure showed, each in an animation frame of its own
    firstT: null, lastT: null, // device ms of the first and last frame received
    lastDrawnT: null,
  };
  app.live = { stats, view, playout };

  // The log: a fixed pool of lines, the newest on top, so that the page never grows.
  const log = $('log');
  for (let i = 0; i < LOG_LINES; i++) {
    const li = document.createElement('li');
    li.hidden = true;
    log.appendChild(li);
  }
  const addLog = (text, level) => {
    const li = log.lastElementChild;
    li.textContent = text;
    li.className = level;
    li.hidden = false;
    log.insertBefore(li, log.firstElementChild);
  };
  app.log = addLog;

  app.onConnected.push((client) => {
    playout.clear();
    client.on('frame', (f) => {
      stats.received++;
      if (stats.firstT === null || f.t < stats.lastT) stats.firstT = f.t; // a restarted device counts afresh
      stats.lastT = f.t;
      playout.push(f, performance.now());
    });
    client.on('event', (e) => {
      const said = describeEvent(e);
      if (said) addLog(said.text, said.level);
    });
    client.on('state', ({ state, reason }) => {
      if (state === 'lost') {
        playout.clear();
        view.banner('none', 'link lost: reconnecting …');
        addLog(reason, 'error');
      }
      if (state === 'connected' && stats.received > 0) addLog('reconnected', 'ok');
    });
  });

  function render() {
    const f = playout.take(performance.now());
    if (f && app.page === 'live') {
      const c = app.client;
      view.show(f, c && c.config ? c.config.heightCm : 175);
      stats.drawn++;
      stats.lastDrawnT = f.t;
    }
    requestAnimationFrame(render);
  }
  requestAnimationFrame(render);

  // Once a second: the link's line, with the rate counted in device time (a virtual device may run
  // faster than the wall clock).
  let last = { received: 0, t: null };
  setInterval(() => {
    const c = app.client;
    if (!c || app.page !== 'live') return;
    const seconds = last.t !== null && stats.lastT > last.t ? (stats.lastT - last.t) / 1000 : 0;
    const rate = seconds > 0 ? (stats.received - last.received) / seconds : 0;
    last = { received: stats.received, t: stats.lastT };
    const h = c.health;
    view.text($('stream-line'), `${rate.toFixed(0)} frames per device second · ${h.gaps} gaps (${h.lostFrames} frames lost) · ${h.malformedTotal} malformed · ${h.disconnects} disconnects`);
  }, 1000);
}

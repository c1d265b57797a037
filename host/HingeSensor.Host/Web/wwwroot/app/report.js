// A session's report drawn in the page, from the session model (session-model.js): the plots the
// host's report has — trunk flexion, head flexion and torso lean over time, with the thresholds the
// device judged by, the alert spans shaded and the reps marked — then the rep table, the alerts and
// the calibration. Canvas, drawn here: no library, nothing fetched.
const COLOURS = { line: '#26323f', threshold: '#c62828', alert: 'rgba(198, 40, 40, 0.14)', rep: 'rgba(21, 101, 192, 0.10)', axis: '#90a4ae', text: '#455a64', gate: '#ef6c00' };

const PLOTS = [
  { key: 'trunk', title: 'Trunk flexion (upper back over sacrum), °', value: (f) => f.trunkFlexion, lines: (t) => [[t.back_rounding, 'back rounding']], faults: ['back_rounding'] },
  { key: 'head', title: 'Head flexion (chin to chest +), °', value: (f) => f.headFlexion, lines: (t) => [[t.chin_drop, 'chin drop'], [-t.head_up, 'head up']], faults: ['chin_drop', 'head_up'] },
  { key: 'torso', title: 'Torso lean (upper back from vertical), °', value: (f) => f.upperSag, lines: (t) => [[t.gate_open_torso, 'hinge gate']], faults: [] },
];

/** Draws the three plots into container (replacing what was there). */
export function drawPlots(container, model) {
  container.replaceChildren();
  for (const p of PLOTS) {
    const canvas = document.createElement('canvas');
    canvas.className = 'plot';
    canvas.dataset.plot = p.key;
    const width = Math.max(320, Math.min(1060, container.clientWidth || 640));
    const ratio = globalThis.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(220 * ratio);
    canvas.style.aspectRatio = `${width} / 220`;
    container.appendChild(canvas);
    const points = plot(canvas.getContext('2d'), width, 220, ratio, p, model);
    canvas.dataset.points = String(points);
  }
}

// One plot; returns how many samples it drew (the tests check the plots are not empty).
function plot(ctx, w, h, ratio, p, model) {
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const left = 44, right = 10, top = 24, bottom = 26;
  const frames = model.frames;
  const end = Math.max(model.summary.durationS, frames.length ? frames[frames.length - 1].timeS : 0, 1);
  const lines = p.lines(model.thresholdsDeg);
  let lo = Infinity, hi = -Infinity;
  for (const f of frames) {
    const v = p.value(f);
    if (Number.isNaN(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  for (const [v] of lines) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) { lo = -10; hi = 10; }
  const pad = Math.max(2, (hi - lo) * 0.08);
  lo -= pad;
  hi += pad;
  const x = (t) => left + (t / end) * (w - left - right);
  const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom);

  // Reps and alert spans behind the data.
  ctx.fillStyle = COLOURS.rep;
  for (const r of model.reps) ctx.fillRect(x(r.startS), top, Math.max(1, x(r.endS) - x(r.startS)), h - top - bottom);
  ctx.fillStyle = COLOURS.alert;
  for (const a of model.alerts) if (p.faults.includes(a.fault)) ctx.fillRect(x(a.startS), top, Math.max(2, x(a.endS) - x(a.startS)), h - top - bottom);

  // Axes and a few ticks.
  ctx.strokeStyle = COLOURS.axis;
  ctx.lineWidth = 1;
  ctx.strokeRect(left, top, w - left - right, h - top - bottom);
  ctx.fillStyle = COLOURS.text;
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of ticks(lo, hi, 4)) ctx.fillText(String(v), left - 4, y(v));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(0, end, 6)) if (x(t) < w - right - 12) ctx.fillText(`${t} s`, x(t), h - bottom + 6);
  ctx.textAlign = 'left';
  ctx.font = '13px system-ui, sans-serif';
  ctx.fillText(p.title, left, 5);

  for (const [v, name] of lines) {
    ctx.strokeStyle = name === 'hinge gate' ? COLOURS.gate : COLOURS.threshold;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(left, y(v));
    ctx.lineTo(w - right, y(v));
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = ctx.strokeStyle;
    ctx.textBaseline = 'bottom';
    ctx.fillText(`${name} ${Math.abs(v)}°`, left + 4, y(v) - 2);
  }

  // The data: a gap where the segments were not valid.
  ctx.strokeStyle = COLOURS.line;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  let drawing = false;
  let points = 0;
  for (const f of frames) {
    const v = p.value(f);
    if (Number.isNaN(v)) {
      drawing = false;
      continue;
    }
    if (drawing) ctx.lineTo(x(f.timeS), y(v));
    else ctx.moveTo(x(f.timeS), y(v));
    drawing = true;
    points++;
  }
  ctx.stroke();
  return points;
}

function ticks(lo, hi, count) {
  const span = hi - lo;
  if (span <= 0) return [lo];
  const raw = span / count;
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1000) / 1000);
  return out;
}

const cell = (text, tr) => {
  const td = document.createElement('td');
  td.textContent = text;
  tr.appendChild(td);
};
const deg = (v) => (Number.isNaN(v) ? '–' : `${v.toFixed(1)}°`);
const secs = (v) => `${v.toFixed(1)} s`;

/** The rep table and the alerts table. */
export function fillTables(repsBody, alertsBody, model) {
  repsBody.replaceChildren();
  for (const r of model.reps) {
    const tr = document.createElement('tr');
    tr.dataset.rep = String(r.number);
    if (r.faults.length > 0) tr.className = 'faulty';
    cell(`${r.number}${r.counted ? '' : ' (not counted)'}`, tr);
    cell(secs(r.startS), tr);
    cell(deg(r.depthDeg), tr);
    cell(deg(r.maxTrunkFlexionDeg), tr);
    cell(`${deg(r.minHeadFlexionDeg)} … ${deg(r.maxHeadFlexionDeg)}`, tr);
    cell(r.pattern, tr);
    cell(r.faults.length ? r.faults.join(', ').replace(/_/g, ' ') : '—', tr);
    repsBody.appendChild(tr);
  }
  alertsBody.replaceChildren();
  for (const a of model.alerts) {
    const tr = document.createElement('tr');
    tr.dataset.fault = a.fault;
    cell(a.fault.replace(/_/g, ' '), tr);
    cell(secs(a.startS), tr);
    cell(secs(a.endS), tr);
    cell(`${a.peakDeg.toFixed(0)}°`, tr);
    cell(a.corrected ? 'yes' : 'no (ended)', tr);
    alertsBody.appendChild(tr);
  }
}

/** One line on the session: how long, how many reps and how many had a fault. */
export function summaryLine(model) {
  const counted = model.reps.filter((r) => r.counted);
  const faulty = counted.filter((r) => r.faults.length > 0).length;
  const min = model.summary.durationS / 60;
  return `${min.toFixed(1)} min · ${counted.length} reps (${faulty} with a fault) · ${model.alerts.length} ${model.alerts.length === 1 ? 'alert' : 'alerts'}`
    + `${model.holes.length ? ` · ${model.holes.length} damaged chunk(s) skipped` : ''}${model.closed ? '' : ' · cut short (no end chunk)'}`;
}

/** The calibration the session was recorded with, in words. */
export function calibrationLine(model) {
  const names = ['head', 'upper back', 'sacrum'];
  const parts = model.calibration.map((c) => `${names[c.segment]}: ${c.has_neutral ? 'neutral' : 'no neutral'}, ${c.has_hinge ? `hinge (planarity ${c.hinge_planarity.toFixed(2)})` : 'no hinge'}`);
  const range = model.calibration[0].range_trunk_flexion_deg;
  return `${parts.join(' · ')}${range !== null ? ` · range ${range.toFixed(0)}° of trunk flexion` : ''}`;
}

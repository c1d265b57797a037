// The live view both pages show — the dashboard (fed by the server's event stream) and the web app
// (fed by the device itself): the side-view figure with its dowel line, the fault banner, the rep
// count and the angle readouts. One implementation, so that what a wearer sees does not depend on
// which page they opened. It writes to the DOM only when a value changes and never adds an
// element, so a page can call it for every frame it draws without growing.
import { drawFigure } from './figure.js';

export const PHASES = ['standing', 'descending', 'bottom', 'ascending'];

// As the host names them (LiveState.FaultText), bit = 1 << Fault.
const FAULT_TEXT = [[2, 'back rounding'], [4, 'chin drop'], [8, 'head cranked up']];

/** The fault the banner names when several are active, the back first (LiveHub.CurrentFault); null: none. */
export function faultText(mask) {
  for (const [bit, text] of FAULT_TEXT) if ((mask & bit) !== 0) return text;
  return null;
}

/** Whether all three segments are valid: the angles mean something only then. */
export const isCalibrated = (valid) => (valid & 7) === 7;

const deg = (v) => `${Math.round(v)}°`;

/**
 * elements: {figure (canvas), banner, reps, and optionally torso, hinge, trunk, head, gap, phase,
 * time}. A frame: {seq, t (device ms), hinge, torso, trunk, head (°), gap (cm), phase, faults,
 * valid, reps}.
 */
export class LiveView {
  constructor(elements) {
    this.el = elements;
    this.written = new WeakMap();
  }

  text(node, value) {
    if (!node || this.written.get(node) === value) return;
    this.written.set(node, value);
    node.textContent = value;
  }

  attr(node, name, value) {
    if (node && node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  /** Draws one frame; heightCm is the wearer's (the figure's proportions follow it, as the device's do). */
  show(f, heightCm) {
    const el = this.el;
    drawFigure(el.figure, f, heightCm || 175);
    const calibrated = isCalibrated(f.valid);
    this.attr(el.figure, 'data-seq', String(f.seq));
    this.attr(el.figure, 'data-torso-deg', String(f.torso));
    this.attr(el.figure, 'data-hinge-deg', String(f.hinge));
    this.attr(el.figure, 'data-head-deg', String(f.torso + f.head));
    this.attr(el.figure, 'data-gap-cm', String(f.gap));
    this.attr(el.figure, 'data-calibrated', String(calibrated));

    const fault = faultText(f.faults);
    if (!calibrated) this.banner('not calibrated', 'calibrate: neutral, then hinge');
    else if (fault) this.banner(fault, fault);
    else this.banner('ok', 'in line');
    this.text(el.reps, String(f.reps));
    this.text(el.torso, calibrated ? deg(f.torso) : '–');
    this.text(el.hinge, calibrated ? deg(f.hinge) : '–');
    this.text(el.trunk, calibrated ? deg(f.trunk) : '–');
    this.text(el.head, calibrated ? deg(f.head) : '–');
    this.text(el.gap, calibrated ? `${f.gap.toFixed(1)} cm` : '–');
    this.text(el.phase, PHASES[f.phase] || String(f.phase));
    this.text(el.time, `${(f.t / 1000).toFixed(1)} s`);
  }

  /** The banner: a fault ('ok', 'not calibrated', 'none' or a fault's name) and what it says. */
  banner(fault, message) {
    const b = this.el.banner;
    this.attr(b, 'data-fault', fault);
    const alert = fault !== 'ok' && fault !== 'none' && fault !== 'not calibrated';
    if (b.classList.contains('alert') !== alert) b.classList.toggle('alert', alert);
    this.text(b, message);
  }
}

/**
 * The rep count the device sends is modulo 256: a long session must not roll back to 0. A device
 * whose clock went back has restarted and counts from 0 again: a new count, not a wrap (LiveHub.Reps).
 */
export class RepCounter {
  constructor() {
    this.wraps = 0;
    this.last = -1;
    this.lastTimeMs = 0;
  }

  count(repCount, timeMs) {
    if (timeMs < this.lastTimeMs) {
      this.wraps = 0;
      this.last = -1;
    }
    this.lastTimeMs = timeMs;
    if (this.last >= 0 && repCount < this.last && this.last - repCount > 128) this.wraps++;
    this.last = repCount;
    return this.wraps * 256 + repCount;
  }
}

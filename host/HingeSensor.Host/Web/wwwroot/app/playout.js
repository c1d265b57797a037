// The device sends its 25 frames a second in packets (at a large MTU, two frames every 80 ms,
// docs/protocol.md §8.4): drawn as they arrive, the figure would move 12.5 times a second, two
// poses at once. The playout keeps the frames that arrived and hands out one per animation frame,
// at the pace they have been arriving, so that every frame is seen; when it falls behind (a virtual
// device running faster than real time sends hundreds a second) it jumps to the newest.
const MOST_WAITING = 8;

export class Playout {
  constructor() {
    this.queue = [];
    this.intervalMs = 40; // the default live rate's, until measured
    this.lastArrival = null;
    this.lastShown = -Infinity;
  }

  /** A frame has arrived (nowMs: performance.now()). */
  push(frame, nowMs) {
    if (this.lastArrival !== null) {
      // Frames of one packet arrive together: their average spacing is the device's frame interval.
      this.intervalMs = 0.95 * this.intervalMs + 0.05 * Math.min(1000, nowMs - this.lastArrival);
    }
    this.lastArrival = nowMs;
    this.queue.push(frame);
    if (this.queue.length > MOST_WAITING) this.queue.splice(0, this.queue.length - 1);
  }

  /** The frame to draw now, or null when none is due. */
  take(nowMs) {
    if (this.queue.length === 0) return null;
    // Within half an animation frame of due counts as due; a backlog is worked off at once.
    if (this.queue.length < 3 && nowMs - this.lastShown < this.intervalMs - 8) return null;
    this.lastShown = nowMs;
    return this.queue.shift();
  }

  /** Forget what is waiting (the link dropped: those poses are old news). */
  clear() {
    this.queue.length = 0;
    this.lastArrival = null;
  }
}

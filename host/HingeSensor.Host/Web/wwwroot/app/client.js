// The app's side of the HingeSensor protocol (docs/protocol.md) over any transport (transport.js),
// with no DOM: the host's DeviceClient (host/HingeSensor.Host/Client) in JavaScript. Requests carry
// an 8-bit id and wait 5 s for the response with that id and opcode; events and live frames are
// handed to listeners; every malformed notification is counted and dropped, so nothing a device
// sends can throw out of here; a link that drops is brought back by itself (0.5 s, doubling to 5 s)
// and its subscriptions and clock set again.
import {
  CalibrationStep, DeviceEvent, GattIds, Opcode, ProtocolError, ResultCode,
  decodeBattery, decodeConfig, decodeControl, decodeLivePacket, decodeSessionData,
  decodeStatus, encodeConfig, encodeRequest,
} from './protocol.js';
import { LinkLostError, NotPairedError, NOT_PAIRED, uuidString } from './transport.js';
import { RepCounter } from './liveview.js';
import { action, refusal } from './words.js';

export const REQUEST_TIMEOUT_MS = 5000;
/** A movement capture may wait 15 s for the wearer to start; this leaves room for the capture itself (DeviceActions). */
export const CALIBRATION_TIMEOUT_MS = 40000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_CAP_MS = 5000;

/** The device answered a request with something other than success; the message says what that means. */
export class DeviceRequestError extends Error {
  constructor(opcode, result, message) {
    super(message);
    this.name = 'DeviceRequestError';
    this.opcode = opcode;
    this.result = result;
  }
}

/** No answer in time. */
export class RequestTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RequestTimeoutError';
  }
}

/** What the link has carried and what was wrong with it (LinkHealth): counted, never thrown. */
export class LinkHealth {
  constructor() {
    this.notifications = 0;
    this.frames = 0;
    this.gaps = 0;
    this.lostFrames = 0;
    this.disconnects = 0;
    this.malformed = { short: 0, inconsistent: 0, unknown: 0, oversized: 0, outOfOrder: 0, badCrc: 0 };
  }

  get malformedTotal() {
    return Object.values(this.malformed).reduce((a, b) => a + b, 0);
  }
}

export class DeviceClient {
  constructor(transport) {
    this.transport = transport;
    this.health = new LinkHealth();
    this.identity = null; // {model, firmware, serial (null where the browser may not read it)}
    this.config = null;
    this.status = null;
    this.batteryPercent = null;
    this.live = true;
    this.state = 'idle'; // idle, connecting, connected, lost, closed
    this.lastSequence = -1;
    this.reps = new RepCounter();
    this.nextId = 0;
    this.pending = new Map(); // id → {opcode, resolve, reject, timer}
    this.listeners = new Map();
    this.keeping = false;
    this.reconnectTimer = null;
    transport.onDisconnect = (reason) => this.onDisconnect(reason);
  }

  /** Listens to 'frame', 'event', 'status', 'config', 'battery', 'sessionData', 'malformed', 'state'; returns a function that stops it. */
  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }

  emit(name, value) {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of set) {
      try {
        fn(value);
      } catch (e) {
        // A listener's bug must not take the link down (nor hide the next listener).
        console.error(`a '${name}' listener failed`, e);
      }
    }
  }

  setState(state, reason = '') {
    this.state = state;
    this.emit('state', { state, reason });
  }

  get connected() {
    return this.state === 'connected';
  }

  /**
   * The first connection: the link, the subscriptions, who the device is, its settings, status
   * and battery, and the time (the device has no battery-backed clock, §1). Keeps the link up
   * from then on, until close().
   */
  async connect({ live = true } = {}) {
    this.live = live;
    this.setState('connecting');
    try {
      await this.open();
      this.identity = {
        model: await this.readText(GattIds.ModelNumber),
        firmware: await this.readText(GattIds.FirmwareRevision),
        // Chrome refuses the Serial Number to every page (its blocklist): the sessions carry it.
        serial: await this.readText(GattIds.SerialNumber).catch(() => null),
      };
      await this.readState();
    } catch (e) {
      // A link the app can pair itself (transport.pair) stays up for the passkey, as a BLE link
      // stays up while the system asks for it.
      if (!(e instanceof NotPairedError && this.transport.pair)) await this.transport.disconnect().catch(() => {});
      this.setState('idle', e.message);
      throw e;
    }
    this.keeping = true;
    this.setState('connected');
  }

  // The link and what every connection must redo: subscriptions, the clock.
  async open() {
    await this.transport.connect();
    this.lastSequence = -1;
    // Control first: its answers are lost without the subscription (§3.3). Four subscriptions, as
    // the host: NimBLE keeps those of two bonded hosts in 8 slots (§4.6).
    await this.transport.subscribe(GattIds.Control, (v) => this.onNotification(GattIds.Control, v));
    await this.transport.subscribe(GattIds.Status, (v) => this.onNotification(GattIds.Status, v));
    await this.transport.subscribe(GattIds.SessionData, (v) => this.onNotification(GattIds.SessionData, v));
    if (this.live) await this.transport.subscribe(GattIds.Live, (v) => this.onNotification(GattIds.Live, v));
    await this.request(Opcode.SetTime, { unixMs: BigInt(Date.now()) }).then((r) => this.require(Opcode.SetTime, r));
  }

  // What the pages show besides the stream, read on connecting and on every reconnection (a device
  // that rebooted may have other settings, calibration or recording state).
  async readState() {
    this.config = await this.readConfig();
    this.status = await this.readStatus();
    this.batteryPercent = await this.readBattery();
  }

  /** Lets go of the device for good. */
  async close() {
    this.keeping = false;
    clearTimeout(this.reconnectTimer);
    this.failPending(new LinkLostError('disconnected'));
    await this.transport.disconnect();
    this.setState('closed');
  }

  onDisconnect(reason) {
    this.health.disconnects++;
    this.failPending(new LinkLostError(reason));
    this.emit('linkLost', reason);
    if (!this.keeping) {
      this.setState('idle', reason);
      return;
    }
    this.setState('lost', `link lost: ${reason} — reconnecting …`);
    this.scheduleReconnect(BACKOFF_FIRST_MS, 1);
  }

  scheduleReconnect(waitMs, attempt) {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(async () => {
      if (!this.keeping || this.connected) return;
      try {
        await this.open();
        await this.readState();
      } catch (e) {
        if (!this.keeping) return;
        const next = Math.min(BACKOFF_CAP_MS, waitMs * 2);
        this.setState('lost', `link lost — reconnecting (attempt ${attempt}: ${e.message}; next in ${(next / 1000).toFixed(1)} s) …`);
        this.scheduleReconnect(next, attempt + 1);
        return;
      }
      this.setState('connected');
      this.emit('reconnected');
    }, waitMs);
  }

  /** Resolves when the link is (back) up; rejects once the client is closed. */
  whenConnected() {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.on('state', ({ state }) => {
        if (state === 'connected') { off(); resolve(); }
        if (state === 'closed' || state === 'idle') { off(); reject(new LinkLostError('the device is not connected')); }
      });
    });
  }

  failPending(error) {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
  }

  malformed(kind, where) {
    this.health.malformed[kind]++;
    this.emit('malformed', { kind, where });
  }

  onNotification(uuid, v) {
    this.health.notifications++;
    try {
      if (v.length > this.transport.mtu - GattIds.AttNotifyOverhead) {
        this.malformed('oversized', uuid);
        return;
      }
      if (uuid === GattIds.Live) this.onLive(v);
      else if (uuid === GattIds.Control) this.onControl(v);
      else if (uuid === GattIds.SessionData) this.emit('sessionData', decodeSessionData(v));
      else if (uuid === GattIds.Status) {
        this.status = decodeStatus(v);
        // The same number as the Battery Level characteristic (§9.3), which is read, not subscribed to.
        this.batteryPercent = this.status.batteryPercent;
        this.emit('status', this.status);
      }
    } catch (e) {
      // The codec's own refusal names how the host counts it; anything else is a bug of ours on odd input.
      if (e instanceof ProtocolError) this.malformed(e.kind === 'unknown' ? 'unknown' : e.kind === 'short' ? 'short' : 'inconsistent', `${uuid}: ${e.message}`);
      else this.malformed('inconsistent', `${uuid}: ${e.message}`);
    }
  }

  onLive(v) {
    const packet = decodeLivePacket(v);
    for (const f of packet.frames) {
      if (this.lastSequence >= 0) {
        const step = (f.sequence - this.lastSequence) & 0xffff;
        if (step === 0 || step > 0x8000) {
          this.malformed('outOfOrder', `live seq ${f.sequence} after ${this.lastSequence}`);
          continue;
        }
        if (step > 1) {
          this.health.gaps++;
          this.health.lostFrames += step - 1;
        }
      }
      this.lastSequence = f.sequence;
      this.health.frames++;
      this.emit('frame', {
        seq: f.sequence, t: f.timeMs, hinge: f.hingeCdeg / 100, torso: f.torsoCdeg / 100, trunk: f.trunkFlexionCdeg / 100,
        head: f.headFlexionCdeg / 100, gap: f.dowelGapMm / 10, phase: f.phase, faults: f.faultMask, valid: f.validMask,
        reps: this.reps.count(f.repCount, f.timeMs),
      });
    }
  }

  // An unknown event kind is refused by the codec as 'unknown': counted and ignored (§1).
  onControl(v) {
    const m = decodeControl(v);
    if (m.message === 'event') {
      this.emit('event', m);
      return;
    }
    // The id alone could match a stale answer (ids wrap at 256): the opcode must be the one asked.
    const p = this.pending.get(m.id);
    if (!p || p.opcode !== m.opcode) {
      this.malformed('unknown', `response to opcode 0x${m.opcode.toString(16)} id ${m.id}, which no request is waiting for`);
      return;
    }
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    p.resolve(m);
  }

  /**
   * Sends a request ({opcode-specific fields} as protocol.js's encodeRequest takes them, or the
   * parameter bytes as they are) and waits for its answer, whatever the result — except
   * InsufficientSecurity, a NotPairedError.
   */
  async request(opcode, fields = {}, parameters = null) {
    if (!this.transport.connected) throw new LinkLostError('not connected');
    const id = this.nextId = (this.nextId + 1) & 0xff;
    const request = parameters ? Uint8Array.of(opcode, id, ...parameters) : encodeRequest({ opcode, id, ...fields });
    const answer = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RequestTimeoutError(`no answer from the device within ${REQUEST_TIMEOUT_MS / 1000} s to the request to ${action(opcode)}`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { opcode, resolve, reject, timer });
    });
    try {
      await this.transport.write(GattIds.Control, request, true);
    } catch (e) {
      const p = this.pending.get(id);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(id);
      }
      throw e;
    }
    const r = await answer;
    if (r.result === ResultCode.InsufficientSecurity) throw new NotPairedError(NOT_PAIRED);
    return r;
  }

  /** Throws the refusal in words unless the answer is Success or Accepted. */
  require(opcode, r, details = {}) {
    if (r.result !== ResultCode.Success && r.result !== ResultCode.Accepted) throw new DeviceRequestError(opcode, r.result, refusal(opcode, r.result, { ...details, field: r.field }));
    return r;
  }

  async readText(uuid) {
    return String.fromCharCode(...await this.transport.read(uuid));
  }

  async readStatus() {
    const s = decodeStatus(await this.transport.read(GattIds.Status));
    this.status = s;
    this.emit('status', s);
    return s;
  }

  async readConfig() {
    const c = decodeConfig(await this.transport.read(GattIds.Config));
    this.config = c;
    this.emit('config', c);
    return c;
  }

  async readBattery() {
    const b = decodeBattery(await this.transport.read(uuidString(GattIds.BatteryLevel)));
    this.batteryPercent = b;
    this.emit('battery', b);
    return b;
  }

  /** Sends settings (check them first: settings.js); the device's refusal comes back in words, naming the setting. */
  writeConfig(config) {
    return this.writeConfigRecord(encodeConfig(config), config);
  }

  /**
   * Sends a config record as it is: the device decodes and validates it whole, and a refusal names
   * the first wrong field (§9.2). config: what the record says, for the words of a refusal.
   */
  async writeConfigRecord(record, config) {
    const r = await this.request(Opcode.WriteConfig, {}, record);
    this.require(Opcode.WriteConfig, r, { config });
    return this.readConfig();
  }

  /** Starts waiting for the next event of a kind that matches (call before the request that causes it). */
  nextEvent(kind, match, timeoutMs, what) {
    let off = null;
    let timer = null;
    const p = new Promise((resolve, reject) => {
      off = this.on('event', (e) => {
        if (e.event === kind && (!match || match(e))) resolve(e);
      });
      timer = setTimeout(() => reject(new RequestTimeoutError(`no ${what} from the device within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    return p.finally(() => {
      off();
      clearTimeout(timer);
    });
  }

  /**
   * A calibration capture (step: 'neutral', 'hinge', 'range') and the device's verdict, the
   * CalibrationDone event; accepted() runs once the device has begun the capture.
   */
  async calibrate(step, accepted) {
    const wire = { neutral: CalibrationStep.Neutral, hinge: CalibrationStep.Hinge, range: CalibrationStep.Range }[step];
    const op = { neutral: Opcode.CalibrateNeutral, hinge: Opcode.CalibrateHinge, range: Opcode.CalibrateRange }[step];
    const done = this.nextEvent(DeviceEvent.CalibrationDone, (e) => e.step === wire, CALIBRATION_TIMEOUT_MS, 'calibration result');
    done.catch(() => {}); // awaited below unless the request fails first
    this.require(op, await this.request(op));
    if (accepted) accepted();
    return done;
  }

  async startRecording() {
    const r = this.require(Opcode.StartRecording, await this.request(Opcode.StartRecording));
    return r.sessionId;
  }

  async stopRecording() {
    this.require(Opcode.StopRecording, await this.request(Opcode.StopRecording));
  }

  /** Every session on the device, page by page; a page that breaks the protocol is refused, not half-read. */
  async listSessions() {
    const all = [];
    for (;;) {
      const r = this.require(Opcode.ListSessions, await this.request(Opcode.ListSessions, { first: all.length }));
      if (r.page.first !== all.length) throw new ProtocolError(`a session list page from ${r.page.first}, asked from ${all.length}`, 'inconsistent');
      all.push(...r.page.entries);
      if (all.length >= r.page.total || r.page.entries.length === 0) return all;
    }
  }
}

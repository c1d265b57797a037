// The transport to `hinge serve --virtual`'s virtual device: the loopback ATT frames of
// docs/protocol.md Appendix A, one per binary WebSocket message ([type u8][payload]; the message
// carries the length), to /api/att on the server that served the page. The server hands the frames
// to the virtual device's ATT link model, so the app meets the same MTU, pacing, pairing and
// disconnects as a host of `hinge virtual-device`. While the socket is open the dashboard lends its
// device to the app (a device serves one host at a time).
import { LinkLostError, LinkUnavailableError, NotPairedError, uuidString } from './transport.js';

const Frame = Object.freeze({
  Connect: 1, Connected: 2, Read: 3, ReadResult: 4, Write: 5, WriteResult: 6, Subscribe: 7,
  SubscribeResult: 8, Notification: 9, Disconnect: 10, Pair: 11, PairResult: 12,
});
const Status = Object.freeze({ Ok: 0, NotConnected: 1, Refused: 2, NotPaired: 3, AuthenticationFailed: 4 });

// Appendix A: the client waits 5 s for Connected and 10 s for any result.
const CONNECT_TIMEOUT_MS = 5000;
const RESULT_TIMEOUT_MS = 10000;

/** Where the dashboard serves the device link, from the page's own address. */
export function attSocketUrl(location = globalThis.location) {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/att`;
}

/**
 * url: the WebSocket (attSocketUrl()); host: who this browser is to the device, standing in for
 * its Bluetooth identity address (the dashboard's own computer, bonded, unless told otherwise);
 * mtu: what to ask for (the device grants at most 247).
 */
export function websocketTransport({ url = attSocketUrl(), host = 'this-computer', mtu = 247, WebSocketClass = globalThis.WebSocket } = {}) {
  let socket = null;
  let nextId = 1;
  const pending = new Map(); // request id → {resolve, reject, timer}; Connect waits under id 0
  const handlers = new Map(); // uuid → onValue

  const t = {
    description: host === 'this-computer' ? 'the virtual device of hinge serve' : `the virtual device of hinge serve (as ${host})`,
    mtu: 23,
    connected: false,
    onDisconnect: null,

    async connect() {
      if (!socket || socket.readyState !== WebSocketClass.OPEN) socket = await open();
      else if (t.connected) {
        // A new connection, as a BLE host makes one: the device sees the old one end first.
        t.connected = false;
        send(Frame.Disconnect, [0]);
      }
      handlers.clear();
      const connected = wait(0, CONNECT_TIMEOUT_MS, 'the virtual device did not answer the connection');
      send(Frame.Connect, [...u16(mtu), ...str(host)]);
      const payload = await connected;
      t.mtu = payload[0] | (payload[1] << 8);
      t.connected = true;
    },

    async disconnect() {
      t.connected = false;
      const s = socket;
      socket = null;
      fail(new LinkLostError('disconnected'));
      if (s && s.readyState === WebSocketClass.OPEN) {
        s.send(Uint8Array.of(Frame.Disconnect, 0));
        s.close(1000, 'the app let go');
      }
    },

    async read(uuid) {
      const [status, value] = await request(Frame.Read, (id) => [...u32(id), ...str(uuidString(uuid))], `read ${uuidString(uuid)}`);
      check(status, `reading ${uuidString(uuid)}`);
      return value;
    },

    async write(uuid, bytes, withResponse) {
      const body = (id) => [...u32(id), withResponse ? 1 : 0, ...str(uuidString(uuid)), ...bytes];
      if (!withResponse) {
        send(Frame.Write, body(nextId++ >>> 0));
        return;
      }
      const [status] = await request(Frame.Write, body, `write ${uuidString(uuid)}`);
      check(status, `writing ${uuidString(uuid)}`);
    },

    /**
     * Passkey entry (Appendix A Pair) on a new connection, as the host's LoopbackDeviceLink.PairAsync:
     * true when the device paired (and bonded, if its window allowed it); false when it refused the
     * passkey (a wrong one, or no window open). The browser's own Bluetooth has no such call: there
     * the system asks for the passkey.
     */
    async pair(passkey) {
      await t.connect();
      const [status] = await request(Frame.Pair, (id) => [...u32(id), ...u32(passkey)], 'pairing');
      if (status === Status.NotConnected) throw new LinkLostError('not connected');
      return status === Status.Ok;
    },

    async subscribe(uuid, onValue) {
      handlers.set(uuidString(uuid), onValue);
      const [status] = await request(Frame.Subscribe, (id) => [...u32(id), ...str(uuidString(uuid))], `subscribe ${uuidString(uuid)}`);
      check(status, `subscribing to ${uuidString(uuid)}`);
    },
  };

  function open() {
    return new Promise((resolve, reject) => {
      let s;
      try {
        s = new WebSocketClass(url);
      } catch (e) {
        reject(new LinkUnavailableError(`cannot reach the dashboard's device link (${url}): ${e.message}`));
        return;
      }
      s.binaryType = 'arraybuffer';
      let opened = false;
      s.onopen = () => {
        opened = true;
        resolve(s);
      };
      s.onmessage = (e) => onMessage(new Uint8Array(e.data));
      s.onclose = (e) => {
        if (!opened) {
          reject(new LinkUnavailableError(`cannot reach the dashboard's device link (${url}): this page is not served by \`hinge serve --virtual\`, or it stopped`));
          return;
        }
        if (socket === s) socket = null;
        // 4001: the dashboard could not lend its device; the reason says why.
        const why = e.code === 4001 ? `the dashboard did not lend its device: ${e.reason}` : e.reason || 'the dashboard closed the device link';
        if (e.code === 4001) fail(new LinkUnavailableError(why));
        dropped(why);
      };
    });
  }

  function onMessage(m) {
    if (m.length === 0) return;
    const type = m[0];
    const p = m.subarray(1);
    switch (type) {
      case Frame.Connected: settle(0, p); break;
      case Frame.ReadResult: settle(id32(p), [p[4], p.slice(5)]); break;
      case Frame.WriteResult:
      case Frame.SubscribeResult:
      case Frame.PairResult: settle(id32(p), [p[4]]); break;
      case Frame.Notification: {
        const n = p[0];
        const uuid = String.fromCharCode(...p.subarray(1, 1 + n));
        const h = handlers.get(uuid);
        if (h) h(p.slice(1 + n));
        break;
      }
      case Frame.Disconnect: dropped(String.fromCharCode(...p.subarray(1, 1 + p[0])) || 'the device dropped the link'); break;
      default: break;
    }
  }

  function dropped(reason) {
    fail(new LinkLostError(reason));
    if (!t.connected) return;
    t.connected = false;
    handlers.clear();
    if (t.onDisconnect) t.onDisconnect(reason);
  }

  function fail(error) {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(error);
      pending.delete(id);
    }
  }

  function settle(id, value) {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(value);
  }

  function wait(id, ms, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new LinkLostError(`${what} within ${ms / 1000} s`));
      }, ms);
      pending.set(id, { resolve, reject, timer });
    });
  }

  async function request(type, body, what) {
    if (!t.connected || !socket) throw new LinkLostError('not connected');
    const id = nextId;
    nextId = (nextId + 1) >>> 0 || 1;
    const answer = wait(id, RESULT_TIMEOUT_MS, `no answer to ${what}`);
    send(type, body(id));
    return answer;
  }

  function send(type, body) {
    if (!socket || socket.readyState !== WebSocketClass.OPEN) throw new LinkLostError('not connected');
    socket.send(Uint8Array.of(type, ...body));
  }

  function check(status, what) {
    if (status === Status.Ok) return;
    if (status === Status.NotPaired) throw new NotPairedError();
    if (status === Status.NotConnected) throw new LinkLostError('not connected');
    throw new Error(`the device refused ${what}`);
  }

  return t;
}

const u16 = (v) => [v & 0xff, (v >> 8) & 0xff];
const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const id32 = (p) => (p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24)) >>> 0;

// A u8 length and ASCII, as the loopback frames carry names and UUIDs.
function str(s) {
  if (s.length > 255 || /[^\x00-\x7f]/.test(s)) throw new Error(`"${s}" is not a short ASCII name`);
  return [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
}

// The transport over the browser's own Bluetooth (Web Bluetooth: Chrome and Edge on Android,
// Windows, macOS, Linux and ChromeOS; not Safari on iOS, not Firefox). The browser does what BlueZ
// does for `hinge`: the chooser filtered by our service UUID, the connection, the MTU exchange
// (Chrome asks for the most it can; the device grants at most 247, and the page is never told),
// and pairing — when the device answers a protected read with Insufficient Authentication, the
// operating system asks for the passkey the device's motor buzzes.
import { GattIds } from './protocol.js';
import { LinkLostError, LinkUnavailableError, NotPairedError, NOT_PAIRED, uuidString } from './transport.js';

// The service each characteristic lives in.
const SERVICE_OF = new Map([
  [GattIds.Live, GattIds.HingeService], [GattIds.Control, GattIds.HingeService], [GattIds.Config, GattIds.HingeService],
  [GattIds.Status, GattIds.HingeService], [GattIds.SessionData, GattIds.HingeService],
  [uuidString(GattIds.ManufacturerName), GattIds.DeviceInformationService], [uuidString(GattIds.ModelNumber), GattIds.DeviceInformationService],
  [uuidString(GattIds.SerialNumber), GattIds.DeviceInformationService], [uuidString(GattIds.HardwareRevision), GattIds.DeviceInformationService],
  [uuidString(GattIds.FirmwareRevision), GattIds.DeviceInformationService], [uuidString(GattIds.BatteryLevel), GattIds.BatteryService],
]);

/** The most a HingeSensor grants (docs/protocol.md §5.1); Web Bluetooth does not tell the page the MTU it got. */
const DEVICE_MTU = 247;

/** Whether this browser has Web Bluetooth at all (it needs a secure context too). */
export function bluetoothAvailable(nav = globalThis.navigator) {
  return !!(nav && nav.bluetooth && globalThis.isSecureContext !== false);
}

/**
 * choose() must run in a user gesture (a click): it opens the browser's device chooser, which lists
 * only HingeSensors (filtered by the service UUID, which the device advertises, §2).
 */
export function webBluetoothTransport({ bluetooth = globalThis.navigator?.bluetooth } = {}) {
  let device = null;
  let server = null;
  let letGo = false;
  const characteristics = new Map(); // uuid → BluetoothRemoteGATTCharacteristic, for this connection

  const t = {
    description: 'a HingeSensor over Bluetooth',
    mtu: 23,
    connected: false,
    onDisconnect: null,

    async choose() {
      if (!bluetooth) throw new LinkUnavailableError('this browser has no Web Bluetooth: use Chrome or Edge (Android, Windows, macOS, Linux, ChromeOS), on https or localhost');
      try {
        device = await bluetooth.requestDevice({
          filters: [{ services: [GattIds.HingeService] }],
          optionalServices: [GattIds.DeviceInformationService, GattIds.BatteryService],
        });
      } catch (e) {
        if (e.name === 'NotFoundError') throw new LinkUnavailableError('no HingeSensor chosen (none in range, or the chooser was closed)');
        throw new LinkUnavailableError(`the browser cannot look for devices: ${e.message}`);
      }
      t.description = `${device.name || 'HingeSensor'} over Bluetooth`;
      device.addEventListener('gattserverdisconnected', () => {
        const ours = letGo;
        letGo = false;
        if (!t.connected) return;
        t.connected = false;
        characteristics.clear();
        if (!ours && t.onDisconnect) t.onDisconnect('the Bluetooth link dropped');
      });
      return device.name;
    },

    async connect() {
      if (!device) throw new LinkUnavailableError('no device chosen yet');
      try {
        server = await device.gatt.connect();
      } catch (e) {
        throw new LinkLostError(`cannot connect to ${device.name || 'the HingeSensor'}: ${e.message} (out of range, or switched off?)`);
      }
      // Objects of an earlier connection are stale in Chrome: look everything up again.
      characteristics.clear();
      t.mtu = DEVICE_MTU;
      t.connected = true;
    },

    async disconnect() {
      if (device && device.gatt.connected) {
        letGo = true;
        device.gatt.disconnect();
      }
      t.connected = false;
      characteristics.clear();
    },

    async read(uuid) {
      const c = await characteristic(uuid);
      const v = await guard(() => c.readValue(), `reading ${uuidString(uuid)}`, uuid);
      return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    },

    async write(uuid, bytes, withResponse) {
      const c = await characteristic(uuid);
      await guard(() => (withResponse ? c.writeValueWithResponse(bytes) : c.writeValueWithoutResponse(bytes)), `writing ${uuidString(uuid)}`, uuid);
    },

    async subscribe(uuid, onValue) {
      const c = await characteristic(uuid);
      // The value is a DataView the browser may reuse: copy it before the next one arrives.
      c.addEventListener('characteristicvaluechanged', (e) => {
        const v = e.target.value;
        onValue(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
      });
      await guard(() => c.startNotifications(), `subscribing to ${uuidString(uuid)}`, uuid);
    },
  };

  async function characteristic(uuid) {
    const key = uuidString(uuid);
    if (!t.connected || !server) throw new LinkLostError('not connected');
    let c = characteristics.get(key);
    if (c) return c;
    const service = SERVICE_OF.get(key) ?? GattIds.HingeService;
    c = await guard(async () => (await server.getPrimaryService(service)).getCharacteristic(typeof uuid === 'number' ? uuid : key), `looking up ${key}`, uuid);
    characteristics.set(key, c);
    return c;
  }

  async function guard(op, what, uuid) {
    try {
      return await op();
    } catch (e) {
      if (!t.connected || (device && !device.gatt.connected)) throw new LinkLostError(`the link dropped while ${what}`);
      if (looksUnpaired(e)) throw new NotPairedError(NOT_PAIRED);
      // Every characteristic of the HingeSensor service needs a paired link: when one fails for a
      // reason the browser does not name (Chrome says only "GATT operation failed" on some
      // systems), not being paired is the likely cause, and worth saying.
      const hinge = SERVICE_OF.get(uuidString(uuid)) === GattIds.HingeService;
      throw new Error(`the device refused ${what}: ${e.message}${hinge ? ' — if this browser never paired with the device, that is the likely reason: ' + NOT_PAIRED : ''}`);
    }
  }

  return t;
}

// How browsers word an ATT Insufficient Authentication / Encryption answer: "GATT Error: Not
// paired." (Android), "GATT operation not authorized." / "not permitted." (Windows, BlueZ), or a
// SecurityError. Read from the name and words, as nothing else tells them apart.
function looksUnpaired(e) {
  return e.name === 'SecurityError' && !/blocklist/i.test(e.message)
    || /not paired|authenticat|authoriz|encrypt|insufficient|not permitted/i.test(e.message);
}

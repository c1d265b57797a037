// What the device client needs from a link, whatever carries it: Web Bluetooth in the browser
// (transport-bluetooth.js) or `hinge serve --virtual`'s virtual device over a WebSocket
// (transport-websocket.js). Both keep to ATT's rules, as the host's IDeviceLink does:
//
//   transport.description        for people: what is connected, and how
//   transport.mtu                the ATT MTU in force (23 until connected)
//   transport.connected          whether the link is up
//   transport.connect()          connects (again), negotiates the MTU; subscriptions are then gone
//   transport.disconnect()       lets go; onDisconnect is not called for it
//   transport.read(uuid)         → Uint8Array
//   transport.write(uuid, bytes, withResponse)
//   transport.subscribe(uuid, onValue)   notifications of uuid to onValue(Uint8Array), in order
//   transport.onDisconnect       set by the client: (reason) => …, when the link drops by itself
//
// UUIDs are strings in the 128-bit form, or a SIG number (0x2a19) as navigator.bluetooth takes them.
// Errors: the classes below, so that the client and the pages can say what happened without
// reading browser-specific messages.

/** The link dropped while an operation was under way, or is down. */
export class LinkLostError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LinkLostError';
  }
}

/** The device refuses this host: the link is not paired (ATT Insufficient Authentication, §4.5). */
export class NotPairedError extends Error {
  constructor(message = NOT_PAIRED) {
    super(message);
    this.name = 'NotPairedError';
  }
}

/** No link can be had: no Bluetooth here, nothing chosen, the device out of reach or refusing. */
export class LinkUnavailableError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LinkUnavailableError';
  }
}

/** What to do about an unpaired link, as the host says it (PairingAdvice), for a browser. */
export const NOT_PAIRED = 'the HingeSensor refuses this browser: it is not paired with it. Open the pairing window on the device '
  + '(hold its button 4 s, until it buzzes three short and one long), connect again, and type the passkey it buzzes '
  + '(six groups of 1–5 buzzes) when the browser asks for it.';

/** A characteristic's UUID in the 128-bit string form the loopback frames name it by. */
export function uuidString(uuid) {
  return typeof uuid === 'number' ? `0000${uuid.toString(16).padStart(4, '0')}-0000-1000-8000-00805f9b34fb` : uuid.toLowerCase();
}

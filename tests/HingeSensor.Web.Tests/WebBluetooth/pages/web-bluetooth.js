// The test page of the Web Bluetooth harness: the plain Web Bluetooth calls an app makes, each
// returning what the page saw (hex values, or "ErrorName: message"), for the test to assert on.
'use strict';
const hex = v => [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)].map(b => b.toString(16).padStart(2, '0')).join('');
const bytes = h => Uint8Array.from(h.match(/../g) ?? [], x => parseInt(x, 16));

const bt = window.bt = {
  // Set by the test before it clicks #choose.
  options: null,
  device: null,
  server: null,
  chosen: null,
  // "gattserverdisconnected" per disconnection the page saw.
  events: [],
  // "uuid hex" per characteristicvaluechanged, in arrival order.
  notifications: [],

  async connect() {
    this.server = await this.device.gatt.connect();
    return this.server.connected;
  },
  disconnect() {
    this.device.gatt.disconnect();
    return this.device.gatt.connected;
  },
  async characteristic(service, uuid) {
    return (await this.server.getPrimaryService(service)).getCharacteristic(uuid);
  },
  async read(service, uuid) {
    return hex(await (await this.characteristic(service, uuid)).readValue());
  },
  async write(service, uuid, value) {
    await (await this.characteristic(service, uuid)).writeValueWithResponse(bytes(value));
  },
  async writeWithoutResponse(service, uuid, value) {
    await (await this.characteristic(service, uuid)).writeValueWithoutResponse(bytes(value));
  },
  async subscribe(service, uuid) {
    const c = await this.characteristic(service, uuid);
    c.addEventListener('characteristicvaluechanged', e => this.notifications.push(`${e.target.uuid} ${hex(e.target.value)}`));
    await c.startNotifications();
  },
  async unsubscribe(service, uuid) {
    await (await this.characteristic(service, uuid)).stopNotifications();
  },
  async readDescriptor(service, uuid, descriptor) {
    return hex(await (await (await this.characteristic(service, uuid)).getDescriptor(descriptor)).readValue());
  },
  // Runs one of the calls above; gives "ok[ result]" or "ErrorName: message" instead of throwing.
  async attempt(name, ...args) {
    try {
      const r = await this[name](...args);
      return r === undefined ? 'ok' : 'ok ' + r;
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  },
};

document.getElementById('choose').addEventListener('click', () => {
  bt.chosen = navigator.bluetooth.requestDevice(bt.options).then(d => {
    bt.device = d;
    d.addEventListener('gattserverdisconnected', () => bt.events.push('gattserverdisconnected'));
    return d.name;
  }, e => `${e.name}: ${e.message}`);
});

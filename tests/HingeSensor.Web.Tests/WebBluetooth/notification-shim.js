// TEST-ONLY SHIM, injected by the browser tests (NotificationShim.cs), never served by the app.
//
// Chromium 156's DevTools BluetoothEmulation domain answers reads, writes and subscriptions but has
// no command that pushes a notification (Handle Value Notification) to the page. This fills exactly
// that gap and nothing else: requestDevice, connect, discovery, reads, writes and
// startNotifications/stopNotifications still run through Chromium's real Web Bluetooth stack
// against the emulated peripheral. What it adds:
//   - deliver([[characteristicUuid, base64], ...]) fires 'characteristicvaluechanged' on every
//     characteristic object whose startNotifications was called (and not stopped) while its
//     device stays connected, in the order given, and returns how many of the notifications
//     reached at least one characteristic;
//   - during and after such an event, the characteristic's `value` is the delivered DataView,
//     until Chromium itself gives it a new value (a read).
// What differs from a real notification: the event's isTrusted is false.
(() => {
  if (typeof BluetoothRemoteGATTCharacteristic === 'undefined') return;
  const proto = BluetoothRemoteGATTCharacteristic.prototype;
  const nativeValue = Object.getOwnPropertyDescriptor(proto, 'value').get;
  const nativeStart = proto.startNotifications;
  const nativeStop = proto.stopNotifications;
  const subscribed = new Map(); // characteristic -> forget()
  const delivered = new WeakMap(); // characteristic -> { value, over: the native value it replaced }

  Object.defineProperty(proto, 'value', {
    configurable: true,
    enumerable: true,
    get() {
      const native = nativeValue.call(this);
      const d = delivered.get(this);
      if (d && d.over === native) return d.value;
      delivered.delete(this);
      return native;
    },
  });

  function forget(characteristic) {
    const f = subscribed.get(characteristic);
    if (f) f();
  }

  // Counted as subscribed from the call on: the device may notify as soon as its CCCD is written,
  // before the page's promise settles, as a real one does.
  proto.startNotifications = async function () {
    if (!subscribed.has(this)) {
      const device = this.service.device;
      const f = () => {
        subscribed.delete(this);
        device.removeEventListener('gattserverdisconnected', f);
      };
      device.addEventListener('gattserverdisconnected', f);
      subscribed.set(this, f);
    }
    try {
      return await nativeStart.call(this);
    } catch (e) {
      forget(this);
      throw e;
    }
  };

  proto.stopNotifications = async function () {
    forget(this);
    return nativeStop.call(this);
  };

  Object.defineProperty(window, '__hingeBluetoothNotifications', {
    value: Object.freeze({
      deliver(notifications) {
        let reached = 0;
        for (const [uuid, base64] of notifications) {
          const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
          let hit = false;
          for (const characteristic of [...subscribed.keys()]) {
            if (characteristic.uuid !== uuid || !characteristic.service.device.gatt.connected) continue;
            delivered.set(characteristic, { value: new DataView(bytes.buffer), over: nativeValue.call(characteristic) });
            characteristic.dispatchEvent(new Event('characteristicvaluechanged', { bubbles: true }));
            hit = true;
          }
          if (hit) reached++;
        }
        return reached;
      },
    }),
  });
})();

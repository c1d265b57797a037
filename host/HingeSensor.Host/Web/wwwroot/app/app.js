// The web app's shell: which page shows (the address's #hash), the connection to a device (over
// the browser's Bluetooth, or to `hinge serve --virtual`'s virtual device), the state line, and the
// pages wired to one device client. Everything is reachable for tests and debugging as
// window.hingeApp, as the dashboard's page exposes window.hingeDashboard.
import { DeviceClient } from './client.js';
import { NotPairedError, NOT_PAIRED } from './transport.js';
import { bluetoothAvailable, webBluetoothTransport } from './transport-bluetooth.js';
import { websocketTransport } from './transport-websocket.js';
import { setupLive } from './page-live.js';
import { setupDevicePages } from './page-device.js';
import { setupSettings } from './page-settings.js';
import { setupSessions } from './page-sessions.js';
import { setupUpload } from './page-upload.js';
import { openStore } from './store.js';
import { ENTER_PASSKEY, PAIRING_FAILED, parsePasskey } from './passkey.js';

const $ = (id) => document.getElementById(id);
const DEVICE_PAGES = ['live', 'calibrate', 'record', 'settings', 'device'];

const app = {
  client: null,
  store: null,
  // Page hooks: each page sets what it needs to redo when a device connects or its state changes.
  onConnected: [],
  route,
};
window.hingeApp = app;

// The store is opened once; a browser without IndexedDB says so on the sessions page.
app.storeReady = openStore().then((s) => { app.store = s; return s; });
app.storeReady.catch(() => {}); // said on the sessions page, which awaits it

function route() {
  let [page, arg] = (location.hash.slice(1) || '').split('/');
  if (!page) page = app.client ? 'live' : 'connect';
  if (DEVICE_PAGES.includes(page) && !(app.client && app.client.state !== 'closed' && app.client.state !== 'idle')) page = 'connect';
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.id !== `page-${page}`;
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.getAttribute('href') === `#${page}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  app.page = page;
  app.pageArg = arg;
  document.dispatchEvent(new CustomEvent('hinge:page', { detail: { page, arg } }));
}

function showState({ state, reason }) {
  const line = $('link-state');
  line.dataset.state = state;
  const c = app.client;
  line.textContent = state === 'connected' ? `${c.transport.description}${c.identity ? ` · firmware ${c.identity.firmware}` : ''}`
    : state === 'connecting' ? 'connecting …'
      : state === 'lost' ? reason
        : reason ? `not connected: ${reason}` : 'not connected';
  const usable = state === 'connected' || state === 'lost';
  for (const a of document.querySelectorAll('[data-needs-device]')) {
    a.classList.toggle('disabled', !usable);
    if (a.tagName === 'BUTTON') a.disabled = state !== 'connected';
  }
}

async function connectWith(transport) {
  const result = $('connect-result');
  $('pairing').hidden = true;
  result.className = '';
  result.textContent = 'connecting …';
  if (app.client) await app.client.close().catch(() => {});
  // A link left up for a passkey that never came is let go before another is made.
  if (app.pairing && app.pairing !== transport) await app.pairing.disconnect().catch(() => {});
  app.pairing = null;
  const client = new DeviceClient(transport);
  app.client = client;
  client.on('state', showState);
  try {
    await client.connect({ live: true });
  } catch (e) {
    app.client = null;
    result.className = 'error';
    if (e instanceof NotPairedError) {
      result.textContent = 'the device refused this connection: not paired';
      // Over the browser's Bluetooth the system asks for the passkey; the dashboard's virtual
      // device has no system in between, so the app asks for it (transport.pair).
      app.pairing = transport.pair ? transport : null;
      $('pairing-words').textContent = app.pairing ? ENTER_PASSKEY : NOT_PAIRED;
      $('passkey-form').hidden = !app.pairing;
      $('pairing-result').textContent = '';
      $('pairing').hidden = false;
    } else {
      result.textContent = e.message;
    }
    showState({ state: 'idle', reason: e.message });
    return;
  }
  result.className = 'ok';
  result.textContent = `connected to ${client.config.deviceName} (${client.identity.model}, firmware ${client.identity.firmware})`;
  for (const hook of app.onConnected) hook(client);
  location.hash = '#live';
  route();
}

function setupConnect() {
  const bt = $('connect-bluetooth');
  if (!bluetoothAvailable()) {
    bt.disabled = true;
    const why = $('bluetooth-missing');
    why.hidden = false;
    why.textContent = globalThis.isSecureContext === false
      ? 'Bluetooth needs a secure page: open the app over https (or on localhost).'
      : 'This browser has no Web Bluetooth (Safari on iPhone and iPad and Firefox do not have it): use Chrome or Edge on Android, Windows, macOS, Linux or ChromeOS.';
  }
  bt.addEventListener('click', async () => {
    const transport = webBluetoothTransport();
    try {
      await transport.choose(); // in the click: the browser's chooser needs a user gesture
    } catch (e) {
      $('connect-result').className = 'error';
      $('connect-result').textContent = e.message;
      return;
    }
    await connectWith(transport);
  });
  // Served by `hinge serve`: its virtual device can lend itself to the app over a WebSocket. The
  // exported app on another host has no such endpoint, and does not show the button.
  const virtualButton = $('connect-virtual');
  fetch('/api/att', { cache: 'no-store' }).then((r) => (r.ok ? r.json() : null)).then((a) => { virtualButton.hidden = !(a && a.virtual); }, () => {});
  virtualButton.addEventListener('click', () => {
    // ?as=NAME: connect as another computer than the dashboard's (one the device holds no bond with);
    // ?mtu=N: ask for a smaller MTU than 247, as a phone's stack may grant (23 at the least).
    const params = new URLSearchParams(location.search);
    const options = {};
    if (params.get('as')) options.host = params.get('as');
    if (Number(params.get('mtu')) >= 23) options.mtu = Number(params.get('mtu'));
    connectWith(websocketTransport(options));
  });
}

// Passkey entry, checked as `hinge pair` checks it before anything is sent; the device's verdict in
// `hinge pair`'s words; paired, the app connects as it would have.
function setupPairing() {
  $('passkey-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const said = $('pairing-result');
    const transport = app.pairing;
    const typed = parsePasskey($('passkey').value);
    said.className = 'error';
    if (typed.error) {
      said.textContent = typed.error;
      return;
    }
    if (!transport) return;
    said.className = '';
    said.textContent = 'pairing …';
    let paired;
    try {
      paired = await transport.pair(typed.passkey);
    } catch (e) {
      said.className = 'error';
      said.textContent = `pairing failed: ${e.message}`;
      return;
    }
    if (!paired) {
      said.className = 'error';
      said.textContent = `pairing failed: ${PAIRING_FAILED}`;
      return;
    }
    said.className = 'ok';
    said.textContent = 'paired';
    $('passkey').value = '';
    await connectWith(transport);
  });
}

setupConnect();
setupPairing();
setupLive(app);
setupDevicePages(app);
setupSettings(app);
setupSessions(app);
setupUpload(app);
window.addEventListener('hashchange', route);
route();
showState({ state: 'idle' });

// The app shell offline: the service worker keeps it (sw.js). Not where there is none (an
// insecure context, or a browser without them): the app still works online.
if ('serviceWorker' in navigator) {
  app.serviceWorker = navigator.serviceWorker.register('sw.js').catch((e) => console.warn('no offline copy of the app:', e.message));
}

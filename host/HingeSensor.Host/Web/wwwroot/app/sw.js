// The app's service worker: it keeps the app shell (every file of the app) in the browser's cache,
// so that the app opens and reloads with no network at all — a training hall without signal, a
// laptop's `hinge serve` switched off — and the sessions stored on the phone stay readable. A page
// of the app is answered from the cache at once and the cache refreshed from the network behind it
// (the next visit gets what changed). Requests outside the shell (the dashboard's /api) go to the
// network as they are. A test holds SHELL to the app's files.
const CACHE = 'hingesensor-app-v2';

const SHELL = [
  './',
  'index.html',
  'app.css',
  'app.js',
  'client.js',
  'download.js',
  'export.js',
  'figure.js',
  'icon-192.png',
  'icon-512.png',
  'icon.svg',
  'liveview.js',
  'manifest.webmanifest',
  'page-device.js',
  'page-live.js',
  'page-sessions.js',
  'page-settings.js',
  'page-upload.js',
  'passkey.js',
  'playout.js',
  'protocol.js',
  'report.js',
  'session-model.js',
  'settings.js',
  'store.js',
  'sync.js',
  'transport-bluetooth.js',
  'transport-websocket.js',
  'transport.js',
  'upload.js',
  'words.js',
];

const shellUrls = new Set(SHELL.map((f) => new URL(f, self.registration.scope).href));

self.addEventListener('install', (event) => {
  // Fetched afresh (not from the HTTP cache): the offline copy is what the server serves now.
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(SHELL.map((f) => new Request(f, { cache: 'reload' }))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('hingesensor-app-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  url.search = ''; // ?as=… and the like do not change the file
  url.hash = '';
  if (request.method !== 'GET' || !shellUrls.has(url.href)) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(url.href);
    const fresh = fetch(request).then((response) => {
      if (response.ok) cache.put(url.href, response.clone());
      return response;
    });
    if (cached) {
      event.waitUntil(fresh.catch(() => {})); // offline: the cached copy is all there is
      return cached;
    }
    return fresh;
  }));
});

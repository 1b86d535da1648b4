/**
 * Service worker of the public check page (scope /v/): a check page opened with no signal is answered
 * with the offline shell, whose script verifies the QR's signed message against the key set kept in
 * localStorage (docs/CODE-FORMAT.md §7). Online, the server's page is always preferred.
 */
// v2: the page shows one verdict (the shell carries the verdict box); v3: the shell checks the printed QR's
// packed facts (docs/CODE-FORMAT.md §5), and SM2-SM3 signatures. A new name re-caches the shell.
const CACHE = 'wh327-check-v3';
const SHELL = '/portal/check-offline.html';
const FILES = [SHELL, '/portal/check-offline.js', '/portal/offline-verify.js', '/portal/sm2-verify.js', '/assets/base.css', '/portal/portal.css'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || event.request.method !== 'GET') return;
  if (event.request.mode === 'navigate' && url.pathname.startsWith('/v/')) {
    event.respondWith(fetch(event.request).catch(() => caches.match(SHELL)));
  } else if (FILES.includes(url.pathname)) {
    // Network first, and the fresh copy kept: the shell a phone falls back to is the one it last saw online.
    event.respondWith(
      fetch(event.request)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(url.pathname, copy)));
          }
          return res;
        })
        .catch(() => caches.match(url.pathname)),
    );
  }
});

// The service worker: the page, its scripts and the WebAssembly module are cached at install,
// so that after the first load the scanner opens and scans with no network at all. Cache first;
// a new build (a new pkg/build.js stamp) installs a new cache and drops the old one.
importScripts("./pkg/build.js");
const CACHE = `healthpass-scanner-${self.HEALTHPASS_BUILD || "dev"}`;
const SHELL = [
  "./",
  "./index.html",
  "./app.js",
  "./worker.js",
  "./style.css",
  "./manifest.webmanifest",
  "./pkg/healthpass.js",
  "./pkg/healthpass_bg.wasm",
  "./pkg/build.js",
];
// Cached when present: the demo set (built for tests and demonstrations).
const OPTIONAL = ["./demo/anchor.pem", "./demo/trust.cose", "./demo/revoked.cose", "./demo/policy.json"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    await Promise.all(OPTIONAL.map((url) => cache.add(url).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("healthpass-scanner-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // The page is opened with a query (?now=… in tests): the shell is the same file.
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  })());
});

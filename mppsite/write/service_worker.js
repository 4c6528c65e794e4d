// mppsite's service worker: the pages a citizen opened, the home page and the stylesheet stay
// readable at the counter without signal. Written by the build (mppsite/write/offline.py) at the
// root of the site, so that its scope is the whole site, even under a path such as /mppsite/.
// Network first: online, every page comes from the server (revalidated, never a stale copy);
// only when the network fails does the saved copy answer, marked on its <html> with when it was
// saved, for static/offline.js to say so on the page with the page's own version. A new build is
// a new worker (BUILD) with a cache of its own.
const BUILD = "__BUILD__";
const ASSETS = __ASSETS__; // saved at install: the stylesheet and the page script
const KEEP = 60; // pages kept, the ones saved last: enough for a visit, small on a cheap phone
const SCOPE = new URL(self.registration.scope);
const PREFIX = "mppsite " + SCOPE.href + " "; // caches are per origin: other sites on it are not ours
const NAME = PREFIX + BUILD;

function key(href) {
  // The page's address without query or fragment; null when it is not this site's.
  let url;
  try {
    url = new URL(href, SCOPE);
  } catch {
    return null;
  }
  return url.origin === SCOPE.origin && url.pathname.startsWith(SCOPE.pathname) ? url.origin + url.pathname : null;
}

function isPage(request) {
  return !ASSETS.includes(new URL(request.url).pathname);
}

function saveable(response) {
  const type = response.headers.get("Content-Type") || "";
  return response.ok && response.type === "basic" && !response.redirected && type.startsWith("text/html");
}

async function ours() {
  // This build's cache; null once a newer worker took over (not made again, left behind).
  return (await caches.has(NAME)) ? caches.open(NAME) : null;
}

async function save(url, response) {
  const html = await response.text();
  const stamp = `<html data-saved-at="${new Date().toISOString()}" `;
  const cache = await ours();
  if (cache === null) return;
  await cache.put(url, new Response(html.replace("<html ", stamp),
    { headers: { "Content-Type": response.headers.get("Content-Type") } }));
  const pages = (await cache.keys()).filter(isPage);
  for (const old of pages.slice(0, Math.max(0, pages.length - KEEP))) await cache.delete(old);
}

async function page(event, url) {
  try {
    const response = await fetch(event.request, { cache: "no-cache" });
    if (saveable(response)) event.waitUntil(save(url, response.clone()));
    return response;
  } catch (offline) {
    const cache = await ours();
    const copy = cache && (await cache.match(url));
    if (copy) return copy;
    throw offline;
  }
}

async function asset(request) {
  const cache = await ours();
  try {
    const response = await fetch(request);
    if (response.ok && cache !== null) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const copy = cache && (await cache.match(request, { ignoreSearch: true }));
    if (copy) return copy;
    throw offline;
  }
}

async function saveMissing(hrefs) {
  // The page that registered the worker was loaded before it: saved on its word, with its home.
  for (const url of hrefs.map(key).filter(Boolean)) {
    const cache = await ours();
    if (cache === null || (await cache.match(url))) continue;
    const response = await fetch(url, { cache: "no-cache" });
    if (saveable(response)) await save(url, response);
  }
}

async function carryOver() {
  // Pages saved under an older build stay readable (each says its version); its caches go.
  const cache = await caches.open(NAME);
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === NAME) continue;
    const old = await caches.open(name);
    for (const request of (await old.keys()).filter(isPage)) {
      if (!(await cache.match(request))) await cache.put(request, await old.match(request));
    }
    await caches.delete(name);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(NAME).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(carryOver().then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const hrefs = Array.isArray(event.data) ? event.data.filter((href) => typeof href === "string") : [];
  event.waitUntil(saveMissing(hrefs).catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = key(request.url);
  if (request.method !== "GET" || url === null) return;
  if (request.mode === "navigate") event.respondWith(page(event, url));
  else if (ASSETS.includes(new URL(url).pathname)) event.respondWith(asset(request));
});

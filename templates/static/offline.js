// Registers mppsite's service worker (sw.js at the root of the site: mppsite/write/service_worker.js)
// and, on a page the worker answered from its saved copies, says so: when it was saved and which
// version of the page it is (its build's digest of it). Every page reads the same without it.
const script = document.currentScript;
const saved = document.documentElement.dataset;
const line = document.getElementById("saved-copy");

if (saved.savedAt && line) {
  const when = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "long", timeStyle: "short" })
    .format(new Date(saved.savedAt));
  line.textContent = line.dataset.words.replace("{date}", when).replace("{version}", line.dataset.version);
  line.hidden = false;
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(script.dataset.worker)
    .then(() => navigator.serviceWorker.ready)
    // This page loaded before the worker ran: the worker saves it, and this language's home page.
    .then((registration) => registration.active.postMessage([location.href, script.dataset.home]))
    .catch(() => {}); // no worker (offline, private mode): the site works as before
}

// Search page of mppsite: a small interface over Pagefind's JavaScript API (the index is built by
// mppsite/write/search.py, one per language; Pagefind picks the one of <html lang>). Loaded by the search
// page only. Every word shown comes from data/strings through #search-strings.
const PAGE_SIZE = 10;
const RANK_DEPTH = 20; // the first results put in order by their names (their small data files loaded)

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const selects = [...form.querySelectorAll("select[data-filter]")];
const status = document.getElementById("search-status");
const section = document.getElementById("search-results");
const list = document.getElementById("search-list");
const more = document.getElementById("search-more");
const ui = JSON.parse(document.getElementById("search-strings").textContent);
const lang = document.documentElement.lang;
const plural = new Intl.PluralRules(lang);
// data/search.yaml for this language; the same rules as mppsite/model/search_words.py.
const rules = JSON.parse(document.getElementById("search-words").textContent);
const noise = new Set(rules.noise);
const request = new Set(rules.request);
const first = new Set(rules.first);
const synonyms = rules.synonyms.map(([alias, target]) => [alias.split(" "), target.split(" ")]);

let pagefind = null;
let results = [];
let shown = 0;
let generation = 0; // a newer search makes the answers of older ones stale

function say(key, params = {}) {
  let entry = ui[key];
  if (typeof entry === "object") entry = entry[plural.select(params.count ?? 0)] ?? entry.other;
  return entry.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}_-]+|_/u).map((word) => word.replace(/^-+|-+$/g, ""))
    .filter(Boolean);
}

// The words searched: noise words ("buat", "cara") out, unless nothing else is left.
function queryWords(text) {
  const typed = words(text);
  const kept = typed.filter((word) => !noise.has(word));
  return kept.length ? kept : typed;
}

// Each synonym replaced by the words the site uses ("kk" -> "kartu keluarga"), to compare names.
function canonical(found) {
  const out = [];
  let at = 0;
  while (at < found.length) {
    const match = synonyms.find(([alias]) => alias.every((word, i) => found[at + i] === word));
    if (match) {
      out.push(...match[1]);
      at += match[0].length;
    } else {
      out.push(found[at]);
      at += 1;
    }
  }
  return out;
}

async function loaded(entry) {
  entry.data ??= await entry.result.data();
  return entry;
}

// Where a result stands: the query is its name, then one of its keywords; then a result whose name
// or keywords hold the thing asked for (not only "hilang"); then the engine's order. Among exact
// matches the first-time service first ("KTP-el Baru"), then one named with the words, from the
// start, shortest.
function rankKey(entry, index, wanted, topic) {
  const names = (entry.data.meta.names || "").split("|");
  const held = new Set(names.join(" ").split(" "));
  const exact = names[0] === wanted.join(" ") ? 0 : names.includes(wanted.join(" ")) ? 1 : 2;
  const inName = (" " + names[0] + " ").includes(" " + wanted.join(" ") + " ");
  return [exact, topic.filter((w) => !held.has(w)).length, wanted.filter((w) => !held.has(w)).length,
    exact < 2 && !names[0].split(" ").some((w) => first.has(w)) ? 1 : 0,
    exact < 2 && !inName ? 1 : 0, exact < 2 && !names[0].startsWith(wanted.join(" ")) ? 1 : 0,
    exact < 2 ? names[0].length : 0, index];
}

function byKey(a, b) {
  for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
  return 0;
}

async function ranked(query, filters) {
  const typed = queryWords(query);
  const wanted = canonical(typed);
  const topic = wanted.filter((word) => !request.has(word));
  const found = await pagefind.search(typed.join(" ") || null, { filters });
  let list = found.results.map((result) => ({ result, data: null }));
  if (!typed.length) return list;
  let head = await Promise.all(list.slice(0, RANK_DEPTH).map(loaded));
  const named = (entry) => rankKey(entry, 0, wanted, topic)[1] === 0;
  if (topic.length && topic.length < wanted.length && !head.some(named)) {
    // Nothing named after the thing asked for ("kk hilang"): add what is, after the words' matches.
    const seen = new Set(list.map((entry) => entry.result.id));
    const more = await pagefind.search(topic.join(" "), { filters });
    list = list.concat(more.results.filter((r) => !seen.has(r.id)).map((result) => ({ result, data: null })));
    head = await Promise.all(list.slice(0, RANK_DEPTH).map(loaded));
  }
  head = head.map((entry, index) => ({ entry, key: rankKey(entry, index, wanted, topic) })).sort(byKey);
  return [...head.map(({ entry }) => entry), ...list.slice(RANK_DEPTH)];
}

function chosenFilters() {
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
  return filters;
}

function fillFilters(available) {
  for (const select of selects) {
    const values = Object.keys(available[select.dataset.filter] || {});
    values.sort((a, b) => a.localeCompare(b, lang));
    for (const value of values) select.append(new Option(value, value));
  }
}

function item(data) {
  const li = document.createElement("li");
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  if (data.meta.title_lang) link.lang = data.meta.title_lang; // English missing: Indonesian words
  heading.append(link);
  li.append(heading);
  if (data.meta.summary) {
    const summary = document.createElement("p");
    summary.textContent = data.meta.summary;
    if (data.meta.summary_lang) summary.lang = data.meta.summary_lang;
    li.append(summary);
  }
  const about = document.createElement("p");
  about.className = "small";
  const kind = ui["search_kind_" + data.meta.kind];
  about.textContent = [kind, data.meta.kind === "service" ? data.meta.tenant : ""].filter(Boolean).join(" · ");
  li.append(about);
  return li;
}

async function showMore(moveFocus) {
  const mine = generation;
  const batch = (await Promise.all(results.slice(shown, shown + PAGE_SIZE).map(loaded))).map((e) => e.data);
  if (mine !== generation) return;
  const items = batch.map(item);
  list.append(...items);
  shown += batch.length;
  more.hidden = shown >= results.length;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

function remember(query, filters) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  const search = params.toString();
  history.replaceState(null, "", search ? "?" + search : location.pathname);
  // The other language's search page runs the same words (filter values are names in this
  // language, so they stay behind).
  for (const link of languageLinks) {
    link.href = link.dataset.plain + (query ? "?" + new URLSearchParams({ q: query }) : "");
  }
}

async function run() {
  const mine = ++generation;
  const query = input.value.trim();
  const filters = chosenFilters();
  remember(query, filters);
  if (!query && !Object.keys(filters).length) {
    section.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = say("search_loading");
  const found = await ranked(query, filters);
  if (mine !== generation) return;
  results = found;
  shown = 0;
  list.replaceChildren();
  await showMore(false);
  if (mine !== generation) return;
  section.hidden = results.length === 0;
  const count = results.length;
  status.textContent = count === 0 && query ? say("search_none", { query })
    : say(query ? "search_count" : "search_count_filtered", { count, query });
}

const languageLinks = [...document.querySelectorAll("nav.lang a[hreflang]")];
for (const link of languageLinks) link.dataset.plain = link.getAttribute("href");

async function start() {
  document.getElementById("search-nojs").hidden = true;
  document.getElementById("search-browse").hidden = false;
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  try {
    pagefind = await import(form.dataset.bundle + "pagefind.js");
    // Result URLs in the index already carry base_url's path.
    await pagefind.options({ baseUrl: "/" });
    await pagefind.init();
    fillFilters(await pagefind.filters());
  } catch (error) {
    status.textContent = say("search_error");
    throw error;
  }
  form.querySelector(".search-filters").hidden = false;
  for (const select of selects) {
    const wanted = params.get(select.dataset.filter);
    if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", () => showMore(true));
  if (input.value || Object.keys(chosenFilters()).length) await run();
}

start();

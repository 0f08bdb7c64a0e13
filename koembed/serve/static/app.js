// The koembed explorer: asks the server's JSON API and draws the answers.
// No framework and no CDN, so the page works offline; the URL holds the
// query (?q=희망&model=w2v&compare=1&a=..&b=..&c=..), so a result can be shared.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { models: [], key: sessionStorage.getItem("koembed-api-key") || "" };

async function api(path, params, body) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params || {})) {
    for (const item of [].concat(value)) {
      if (item !== undefined && item !== null && item !== "") url.searchParams.append(name, item);
    }
  }
  const headers = { Accept: "application/json" };
  if (state.key) headers["X-API-Key"] = state.key;
  const init = body === undefined ? { headers } : {
    method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(url, init);
  if (response.status === 401 && (await askKey())) return api(path, params, body);
  const data = await response.json();
  if (!response.ok) throw Object.assign(new Error(data.detail || response.statusText), data);
  return data;
}

function askKey() {
  return new Promise((resolve) => {
    const dialog = $("key-dialog");
    dialog.addEventListener("close", () => {
      state.key = $("api-key").value.trim();
      sessionStorage.setItem("koembed-api-key", state.key);
      resolve(Boolean(state.key));
    }, { once: true });
    dialog.showModal();
  });
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function showProblem(error) {
  const box = $("problem");
  box.replaceChildren(error.message);
  if (error.suggestions && error.suggestions.length) {
    box.append(" — ");
    error.suggestions.forEach((word, i) => {
      if (i) box.append(", ");
      box.append(el("a", { text: word, onclick: () => search(word) }));
    });
  }
  box.hidden = false;
}

function clearProblem() { $("problem").hidden = true; }

function selectedModels() {
  return $("compare").checked ? state.models.map((m) => m.name) : [$("model").value];
}

function rankedTable(rows, onWord) {
  const top = Math.max(...rows.map((row) => Math.abs(row.score)), 1e-9);
  const table = el("table");
  rows.forEach((row, i) => {
    const width = Math.max(0, (100 * row.score) / top).toFixed(1);
    const word = onWord ? el("a", { href: "#", text: row.word, onclick: (e) => { e.preventDefault(); onWord(row.word); } })
      : document.createTextNode(row.word);
    table.append(el("tr", { class: "neighbour" },
      el("td", { class: "rank", text: String(i + 1) }),
      el("td", { class: "word" }, word),
      el("td", { class: "score" }, el("div", { class: "bar" },
        el("span", { style: `width:${width}%` }), el("b", { text: row.score.toFixed(4) })))));
  });
  return table;
}

function tokensNote(resolved) {
  const notes = resolved.filter((q) => q.tokens.length !== 1 || q.tokens[0] !== q.text)
    .map((q) => `${q.text} → ${q.tokens.join(" / ")}`);
  return el("p", { class: "tokens", text: notes.length ? `토큰화 · tokenized: ${notes.join("; ")}` : "" });
}

function setUrl(changes) {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value) params.set(name, value); else params.delete(name);
  }
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

async function search(word) {
  word = (word ?? $("query").value).trim();
  if (!word) return;
  $("query").value = word;
  hideSuggestions();
  clearProblem();
  setUrl({ q: word, model: $("model").value, compare: $("compare").checked ? "1" : "" });
  const topn = Number($("topn").value) || 10;
  const panels = [];
  for (const model of selectedModels()) {
    const panel = el("div", { "data-model": model }, el("h3", { text: model }));
    panels.push(panel);
    try {
      const answer = await api("/api/similar", { positive: word, topn, model });
      panel.append(tokensNote(answer.resolved), rankedTable(answer.neighbours, search));
    } catch (error) {
      panel.append(el("p", { class: "tokens", text: error.message }));
      if (!$("compare").checked) showProblem(error);
    }
  }
  $("neighbours").replaceChildren(...panels);
  drawMap(word);
}

async function drawMap(word) {
  const box = $("map");
  try {
    const answer = await api("/api/neighbourhood", { word, topn: 25, model: $("model").value });
    box.replaceChildren(mapSvg(answer.points));
  } catch (error) {
    box.replaceChildren(el("p", { class: "tokens", text: error.message }));
  }
}

function mapSvg(points) {
  const ns = "http://www.w3.org/2000/svg";
  const [width, height, pad] = [640, 420, 50];
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y) => height - pad - ((y - y0) / (y1 - y0 || 1)) * (height - 2 * pad);
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  points.forEach((point, i) => {
    const circle = document.createElementNS(ns, "circle");
    circle.setAttribute("cx", sx(point.x)); circle.setAttribute("cy", sy(point.y));
    circle.setAttribute("r", i === 0 ? 6 : 3.5);
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", sx(point.x) + 7); label.setAttribute("y", sy(point.y) + 4);
    if (i === 0) label.setAttribute("class", "query");
    label.textContent = point.word;
    label.addEventListener("click", () => search(point.word));
    svg.append(circle, label);
  });
  return svg;
}

async function solveAnalogy() {
  const [a, b, c] = ["a", "b", "c"].map((x) => $(`analogy-${x}`).value.trim());
  if (!a || !b || !c) return;
  const method = $("analogy-method").value;
  clearProblem();
  setUrl({ a, b, c, method });
  const panels = [];
  for (const model of selectedModels()) {
    const panel = el("div", { "data-model": model }, el("h3", { text: `${model}: ${a} : ${b} = ${c} : ?` }));
    panels.push(panel);
    try {
      const answer = await api("/api/analogy", { a, b, c, method, topn: 10, model });
      panel.append(rankedTable(answer.answers, search));
    } catch (error) {
      panel.append(el("p", { class: "tokens", text: error.message }));
    }
  }
  $("analogy-answers").replaceChildren(...panels);
}

async function findDocuments() {
  const text = $("documents-text").value.trim();
  const model = state.models.find((m) => m.name === $("model").value && m.documents !== null)
    || state.models.find((m) => m.documents !== null);
  if (!text || !model) return;
  clearProblem();
  try {
    const answer = await api("/api/documents", undefined, { text, topn: 10, model: model.name });
    const table = el("table");
    answer.documents.forEach((doc, i) => table.append(el("tr", { class: "doc" },
      el("td", { class: "rank", text: String(i + 1) }),
      el("td", { text: doc.score.toFixed(4) }),
      el("td", { text: doc.text }))));
    $("documents").replaceChildren(el("div", {}, el("h3", { text: model.name }), tokensNote([answer.resolved]), table));
  } catch (error) {
    showProblem(error);
  }
}

// -- autocompletion -------------------------------------------------------------

let pending = 0;
let active = -1;

function hideSuggestions() { $("suggestions").hidden = true; active = -1; }

async function suggest() {
  const prefix = $("query").value.trim();
  const ticket = ++pending;
  if (!prefix) return hideSuggestions();
  await new Promise((resolve) => setTimeout(resolve, 120));
  if (ticket !== pending) return;  // a later keystroke asks instead
  try {
    const answer = await api("/api/vocabulary", { prefix, limit: 8, model: $("model").value });
    if (ticket !== pending) return;
    const list = $("suggestions");
    list.replaceChildren(...answer.words.map((item) => el("li", {
      role: "option", onmousedown: (e) => { e.preventDefault(); search(item.word); },
    }, el("span", { text: item.word }), el("small", { text: item.count === null ? "" : item.count.toLocaleString() }))));
    list.hidden = answer.words.length === 0;
    active = -1;
  } catch (error) {
    hideSuggestions();
  }
}

function moveSuggestion(event) {
  const items = [...$("suggestions").children];
  if ($("suggestions").hidden || !items.length) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    active = (active + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
    items.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
  } else if (event.key === "Enter" && active >= 0) {
    event.preventDefault();
    search(items[active].firstChild.textContent);
  } else if (event.key === "Escape") {
    hideSuggestions();
  }
}

// -- start ------------------------------------------------------------------------

async function start() {
  try {
    state.models = (await api("/api/models")).models;
  } catch (error) {
    return showProblem(error);
  }
  const params = new URLSearchParams(location.search);
  $("model").replaceChildren(...state.models.map((m) => el("option", {
    value: m.name, text: `${m.name} (${m.method || m.kind}, ${m.vocab_size.toLocaleString()})`,
  })));
  if (params.get("model")) $("model").value = params.get("model");
  $("compare").checked = params.get("compare") === "1";
  $("documents-section").hidden = !state.models.some((m) => m.documents !== null);

  $("similar-form").addEventListener("submit", (e) => { e.preventDefault(); search(); });
  $("analogy-form").addEventListener("submit", (e) => { e.preventDefault(); solveAnalogy(); });
  $("documents-form").addEventListener("submit", (e) => { e.preventDefault(); findDocuments(); });
  $("query").addEventListener("input", suggest);
  $("query").addEventListener("keydown", moveSuggestion);
  $("query").addEventListener("blur", () => setTimeout(hideSuggestions, 150));
  $("model").addEventListener("change", () => { search(); solveAnalogy(); });
  $("compare").addEventListener("change", () => { search(); solveAnalogy(); });

  for (const x of ["a", "b", "c"]) if (params.get(x)) $(`analogy-${x}`).value = params.get(x);
  if (params.get("method")) $("analogy-method").value = params.get("method");
  if (params.get("q")) await search(params.get("q"));
  if (params.get("a")) await solveAnalogy();
}

start();

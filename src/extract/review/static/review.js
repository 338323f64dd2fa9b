/* The review report's one script.
   Views follow the URL's hash (#queue, #money, #doc/3/money/120/135); tables and
   documents arrive as small data scripts added with a <script> tag when first
   needed (fetch() is blocked on file:// pages). Every text from the run is put
   on the page with textContent or as an attribute value, never parsed as HTML. */
(function () {
  "use strict";

  const PAGE = 100; // table rows drawn at a time
  const meta = JSON.parse(document.getElementById("meta").textContent);
  const store = { table: {}, docs: {} };
  const waiting = {};
  window.REVIEW = { loaded(kind, key, data) { store[kind][key] = data; } };
  document.body.classList.add("js");

  /* Load data/<key>.js or docs/<key>.js (a group of documents) once; resolve with what it handed over. */
  function load(kind, key) {
    if (store[kind][key] !== undefined) return Promise.resolve(store[kind][key]);
    const id = kind + ":" + key;
    if (!waiting[id]) {
      waiting[id] = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = (kind === "docs" ? "docs/" : "data/") + key + ".js";
        script.onload = () => resolve(store[kind][key]);
        script.onerror = () => { delete waiting[id]; reject(new Error("could not load " + script.src)); };
        document.head.appendChild(script);
      });
    }
    return waiting[id];
  }

  /* An element with attributes and children; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  function cssName(text) { return String(text).replace(/[^A-Za-z0-9_-]/g, "_"); }

  /* ---------- views ---------- */

  function route() {
    const parts = decodeURIComponent(location.hash.slice(1)).split("/");
    let view = parts[0] || "queue";
    const section = document.getElementById(view);
    if (!section || !section.classList.contains("view")) view = "queue";
    for (const node of document.querySelectorAll(".view")) node.classList.toggle("active", node.id === view);
    for (const link of document.querySelectorAll("nav a")) {
      if (link.getAttribute("href") === "#" + view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    hideTip(true);
    if (view === "doc") showDoc(Number(parts[1]), parts[2], Number(parts[3]), Number(parts[4]));
    else if (document.getElementById(view).classList.contains("table-view")) showTable(view);
    else if (view === "queue") showQueue();
  }

  function failure(container, error) {
    container.replaceChildren(el("p", { class: "note error", text: String(error.message || error) }));
  }

  /* ---------- tables ---------- */

  function rowLink(columns, row, table) {
    const doc = row[0];
    if (doc < 0) return null;
    const start = columns.indexOf("char_start"), end = columns.indexOf("char_end");
    const tableAt = columns.indexOf("table");
    const name = tableAt >= 0 ? row[tableAt + 1] : table;
    if (start < 0 || end < 0 || row[start + 1] === "" || name === "documents") return "#doc/" + doc;
    return "#doc/" + doc + "/" + name + "/" + row[start + 1] + "/" + row[end + 1];
  }

  /* Numbers as numbers, the rest as text; empty cells last whichever the direction. */
  function compare(a, b, direction) {
    if (a === b) return 0;
    if (a === "") return 1;
    if (b === "") return -1;
    const x = Number(a), y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return direction * (x - y);
    return direction * (a < b ? -1 : 1);
  }

  /* Words a row must hold; `column=value` looks in one column only. */
  function matcher(query, columns) {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean).map((term) => {
      const at = term.indexOf("=");
      const column = at > 0 ? columns.indexOf(term.slice(0, at)) : -1;
      return column >= 0 ? { column: column + 1, word: term.slice(at + 1) } : { column: -1, word: term };
    });
    return (row, joined) => terms.every((term) => term.column >= 0
      ? String(row[term.column]).toLowerCase().includes(term.word)
      : joined.includes(term.word));
  }

  /* A sortable, filterable, paginated table of `data` (rows: [doc number, ...cells]). */
  function grid(name, data, table) {
    const columns = data.columns;
    const state = { sort: -1, direction: 1, page: 0, shown: data.rows };
    let joined = null;
    const filter = el("input", { type: "search", class: "filter", placeholder: "filter: words, or column=value",
      "aria-label": "filter " + name });
    const info = el("span", { class: "info", "aria-live": "polite" });
    const previous = el("button", { type: "button", class: "previous", text: "‹ previous" });
    const next = el("button", { type: "button", class: "next", text: "next ›" });
    const head = el("tr");
    const body = el("tbody");
    columns.forEach((column, i) => {
      const button = el("button", { type: "button", text: column });
      const th = el("th", { scope: "col", "aria-sort": "none" }, button);
      button.addEventListener("click", () => {
        state.direction = state.sort === i ? -state.direction : 1;
        state.sort = i;
        for (const cell of head.children) cell.setAttribute("aria-sort", "none");
        th.setAttribute("aria-sort", state.direction > 0 ? "ascending" : "descending");
        apply();
      });
      head.append(th);
    });
    let timer = 0;
    filter.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(apply, 120); });
    previous.addEventListener("click", () => { state.page -= 1; draw(); });
    next.addEventListener("click", () => { state.page += 1; draw(); });
    body.addEventListener("click", (event) => {
      const tr = event.target.closest("tr[data-link]");
      if (tr) location.hash = tr.dataset.link;
    });
    body.addEventListener("keydown", (event) => {
      const tr = event.target.closest("tr[data-link]");
      if (tr && event.key === "Enter") location.hash = tr.dataset.link;
    });

    function apply() {
      let rows = data.rows;
      if (filter.value.trim()) {
        if (!joined) joined = new Map(rows.map((row) => [row, row.slice(1).join("\u0001").toLowerCase()]));
        const match = matcher(filter.value, columns);
        rows = rows.filter((row) => match(row, joined.get(row)));
      }
      if (state.sort >= 0) {
        const i = state.sort + 1;
        rows = rows.slice().sort((a, b) => compare(a[i], b[i], state.direction));
      }
      state.shown = rows;
      state.page = 0;
      draw();
    }

    function draw() {
      const pages = Math.max(1, Math.ceil(state.shown.length / PAGE));
      state.page = Math.min(Math.max(state.page, 0), pages - 1);
      const rows = state.shown.slice(state.page * PAGE, (state.page + 1) * PAGE);
      body.replaceChildren(...rows.map((row) => {
        const link = rowLink(columns, row, table);
        const tr = el("tr", link ? { "data-link": link, tabindex: "0" } : {});
        for (const cell of row.slice(1)) tr.append(el("td", { text: cell }));
        return tr;
      }));
      const of = state.shown.length === data.rows.length ? "" : " of " + data.rows.length;
      info.textContent = state.shown.length + " rows" + of + (pages > 1 ? ", page " + (state.page + 1) + " of " + pages : "");
      previous.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
    }

    apply();
    return el("div", { class: "grid", "data-name": name },
      el("div", { class: "toolbar" }, filter, info, previous, next),
      el("div", { class: "scroll" }, el("table", {}, el("thead", {}, head), body)));
  }

  function showTable(name) {
    const section = document.getElementById(name);
    if (section.dataset.ready || meta.tables[name] === undefined) return;
    section.dataset.ready = "loading";
    load("table", name).then((data) => {
      section.replaceChildren(el("h2", { text: name.charAt(0).toUpperCase() + name.slice(1) }),
        el("p", { class: "note", text: "Click a row to see it in its document." }), grid(name, data, name));
      section.dataset.ready = "yes";
    }, (error) => { delete section.dataset.ready; failure(section, error); });
  }

  /* ---------- queue ---------- */

  function showQueue() {
    const rows = document.getElementById("queue-rows");
    if (rows && !rows.dataset.ready) {
      rows.dataset.ready = "yes";
      load("table", "queue").then((data) => rows.replaceChildren(...flagGroups(data)), (error) => failure(rows, error));
    }
    const changes = document.getElementById("changes-rows");
    if (changes && !changes.dataset.ready) {
      changes.dataset.ready = "yes";
      load("table", "changes").then((data) => changes.replaceChildren(grid("changes", data, "")),
        (error) => failure(changes, error));
    }
  }

  /* One folding group per flag; a row with two flags is in both. */
  function flagGroups(data) {
    const flagsAt = data.columns.indexOf("flags") + 1;
    const groups = new Map();
    for (const row of data.rows) {
      for (const flag of row[flagsAt].split(";").filter(Boolean)) {
        if (!groups.has(flag)) groups.set(flag, []);
        groups.get(flag).push(row);
      }
    }
    return [...groups.keys()].sort().map((flag, i) => {
      const rows = groups.get(flag);
      const details = el("details", { class: "group", "data-flag": flag },
        el("summary", {}, el("span", { class: "flag", text: flag }), " ", el("span", { class: "count", text: String(rows.length) })));
      details.addEventListener("toggle", () => {
        if (details.open && details.children.length === 1) details.append(grid(flag, { columns: data.columns, rows }, ""));
      });
      details.open = i === 0; // the first group open: the queue starts with rows to review
      return details;
    });
  }

  /* ---------- documents ---------- */

  let shownDoc = null;

  function showDoc(number, table, start, end) {
    const section = document.getElementById("doc");
    if (!(number >= 0 && number < meta.docs.length)) {
      failure(section, "no document " + number);
      return;
    }
    const ready = shownDoc && shownDoc.number === number ? Promise.resolve(shownDoc)
      : (section.replaceChildren(el("p", { class: "note", text: "Loading " + meta.docs[number][0] + "…" })),
        load("docs", meta.docs[number][2]).then((chunk) => { shownDoc = renderDoc(section, number, chunk[number]); return shownDoc; }));
    ready.then((doc) => {
      if (table) jump(doc, table, start, end);
      else window.scrollTo(0, 0);
    }, (error) => failure(section, error));
  }

  function renderDoc(section, number, data) {
    const row = data.row || {};
    const header = el("div", { class: "doc-head" },
      el("h2", { text: data.id }),
      row.title ? el("p", { class: "doc-title", text: row.title }) : null,
      el("p", { class: "doc-meta", text: ["published " + (row.published || "unknown"), row.source ? "source " + row.source : "",
        row.path ? "file " + row.path : ""].filter(Boolean).join(" · ") }),
      row.status === "error" ? el("p", { class: "error", text: "error: " + row.error }) : null,
      el("p", { class: "doc-nav" },
        number > 0 ? el("a", { href: "#doc/" + (number - 1), text: "‹ previous document" }) : null, " ",
        number + 1 < meta.docs.length ? el("a", { href: "#doc/" + (number + 1), text: "next document ›" }) : null));
    const text = el("div", { class: "text", id: "doc-text" });
    const doc = { number, data, text, segments: [] };
    if (data.text === null) text.append(el("p", { class: "note", text: "This run wrote no cleaned text for this document." }));
    else doc.segments = highlight(text, data.text, data.spans);
    section.replaceChildren(header, legend(text, data.spans), text);
    return doc;
  }

  function legend(text, spans) {
    const counts = {};
    for (const span of spans) counts[span.t] = (counts[span.t] || 0) + 1;
    const box = el("p", { class: "legend" });
    for (const table of ["money", "dates", "programs", "facts", "entities"]) {
      if (!counts[table]) continue;
      const input = el("input", { type: "checkbox", checked: "" });
      input.addEventListener("change", () => text.classList.toggle("hide-" + table, !input.checked));
      box.append(el("label", { class: "key key-" + table }, input, " " + table + " " + counts[table]));
    }
    return box;
  }

  /* Cut the text where any highlight starts or ends; each piece is marked with every highlight over it. */
  function highlight(container, text, spans) {
    const cuts = new Set([0, text.length]);
    const starts = new Map();
    spans.forEach((span, i) => {
      span.i = i;
      cuts.add(Math.min(span.s, text.length)); cuts.add(Math.min(span.e, text.length));
      if (!starts.has(span.s)) starts.set(span.s, []);
      starts.get(span.s).push(span);
    });
    const points = [...cuts].sort((a, b) => a - b);
    const segments = spans.map(() => []);
    let active = [];
    const pieces = [];
    for (let k = 0; k + 1 < points.length; k += 1) {
      const from = points[k], to = points[k + 1];
      active = active.filter((span) => span.e > from).concat(starts.get(from) || []);
      const piece = text.slice(from, to);
      if (!active.length) { pieces.push(piece); continue; }
      const node = el("span", { class: "seg", text: piece, "data-spans": active.map((span) => span.i).join(" ") });
      for (const span of active) {
        if (span.t === "entities") node.classList.add("ent", "ent-" + cssName(span.label));
        else node.classList.add("hl", "hl-" + span.t);
        if (span.s === from) { node.classList.add("first"); node.tabIndex = 0; }
        segments[span.i].push(node);
      }
      pieces.push(node);
      for (const span of active) {
        if (span.e === to && span.t !== "entities") pieces.push(el("span", { class: "tag tag-" + span.t, text: span.label }));
      }
    }
    container.append(...pieces);
    return segments;
  }

  function jump(doc, table, start, end) {
    const spans = doc.data.spans;
    const same = (span) => (span.s0 ?? span.s) === start && (span.e0 ?? span.e) === end;
    const wanted = table === "facts" ? "money" : table;
    const span = spans.find((s) => s.t === wanted && same(s)) || spans.find((s) => s.t === table && same(s))
      || spans.find(same) || spans.find((s) => (s.s0 ?? s.s) <= start && start < (s.e0 ?? s.e));
    for (const node of doc.text.querySelectorAll(".current")) node.classList.remove("current");
    if (!span) return;
    const nodes = doc.segments[span.i];
    for (const node of nodes) node.classList.add("current");
    if (!nodes.length) return;
    nodes[0].scrollIntoView({ block: "center" });
    nodes[0].focus({ preventScroll: true });
    showTip(nodes[0], true);
  }

  /* ---------- the tooltip: every row under a highlight ---------- */

  const tip = document.getElementById("tip");
  let pinned = false;

  function describe(span, text) {
    const box = el("div", { class: "tip-row tip-" + span.t },
      el("p", { class: "tip-head" }, el("span", { class: "tag tag-" + span.t, text: span.t === "entities" ? "entity" : span.t }),
        " ", el("q", { text: text.slice(span.s, span.e) })));
    box.append(values(span.v, false));
    if (span.facts) box.append(el("p", { class: "tip-sub", text: "facts links" }), values(span.facts, true));
    else if (span.t === "money" && meta.tables.facts !== undefined) box.append(el("p", { class: "tip-sub", text: "no facts row" }));
    return box;
  }

  /* A row's columns as a list; empty ones only when `all` (a facts link left empty says something). */
  function values(row, all) {
    const list = el("dl");
    for (const [key, value] of Object.entries(row)) {
      if (value === "" && !all && key !== "flags" && key !== "rule") continue;
      const text = value === "" ? "—" : key === "rule" || key === "flags" ? value.split(";").join("; ") : value;
      list.append(el("dt", { text: key }), el("dd", { text, class: key === "flags" && value ? "flags" : "" }));
    }
    return list;
  }

  function showTip(node, pin) {
    if (pinned && !pin) return;
    const doc = shownDoc;
    if (!doc) return;
    const spans = node.dataset.spans.split(" ").map((i) => doc.data.spans[Number(i)]);
    spans.sort((a, b) => (a.t === "entities") - (b.t === "entities"));
    tip.replaceChildren(...spans.map((span) => describe(span, doc.data.text)));
    tip.hidden = false;
    const box = node.getBoundingClientRect();
    const left = Math.max(4, Math.min(box.left, document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + window.scrollX + "px";
    const below = box.bottom + 6 + tip.offsetHeight <= document.documentElement.clientHeight;
    tip.style.top = (below || box.top < tip.offsetHeight + 6 ? box.bottom + 6 : box.top - tip.offsetHeight - 6) + window.scrollY + "px";
    pinned = Boolean(pin);
  }

  function hideTip(force) {
    if (pinned && !force) return;
    tip.hidden = true;
    pinned = false;
  }

  const docSection = document.getElementById("doc");
  docSection.addEventListener("mouseover", (event) => {
    const node = event.target.closest(".seg");
    if (node) showTip(node, false);
  });
  docSection.addEventListener("mouseout", (event) => { if (event.target.closest(".seg")) hideTip(false); });
  docSection.addEventListener("focusin", (event) => {
    const node = event.target.closest(".seg");
    if (node) showTip(node, pinned);
  });
  docSection.addEventListener("click", (event) => {
    const node = event.target.closest(".seg");
    if (node) showTip(node, true);
    else hideTip(true);
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") hideTip(true); });

  window.addEventListener("hashchange", route);
  route();
})();

/**
 * The web monitor's page: HTML, style and script as strings (no build step,
 * no external URL, installs with the rest of the code). The script follows
 * the server's event stream (daemon/http_server.ts), draws the nodes on a
 * circle with their processes around them, flies a dot along every
 * migration, plots the recent load of every node, and sends actions (drag
 * a process onto a node; block / noblock / expel buttons) with the token
 * printed by `mosctl webtoken`, kept in the tab's sessionStorage (or given
 * in the address as `#token=...`, which never reaches the server).
 *
 * @module
 */

/** The page. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dmosix monitor</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header>
  <h1>dmosix <span id="self"></span></h1>
  <span id="summary"></span>
  <span id="conn" class="conn bad">connecting</span>
  <label class="token">token
    <input id="token" type="password" autocomplete="off" spellcheck="false"
      placeholder="mosctl webtoken">
  </label>
</header>
<main>
  <section id="mapbox">
    <h2>Migration monitor</h2>
    <svg id="map" viewBox="0 0 600 600" role="img"
      aria-label="nodes on a circle, processes around the node they run on">
      <g id="links"></g><g id="nodesg"></g><g id="procsg"></g><g id="fly"></g>
    </svg>
    <p class="hint">Drag a process onto a node to migrate it there (onto its
      home node: home). Actions need the token printed by
      <code>mosctl webtoken</code>.</p>
  </section>
  <section id="side">
    <h2>Nodes</h2>
    <table id="nodes">
      <thead><tr><th>Node</th><th>Address</th><th>Status</th><th>Load</th>
        <th>Speed</th><th>CPUs</th><th>Free / total MB</th><th>Util</th>
        <th>Age</th><th></th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Processes</h2>
    <table id="procs">
      <thead><tr><th>PID</th><th>Home</th><th>Node</th><th>Stat</th>
        <th>Time</th><th>Command</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Events</h2>
    <ol id="events" reversed></ol>
  </section>
  <section id="plotbox">
    <h2>Load, last minutes</h2>
    <canvas id="plot" width="900" height="220"></canvas>
    <div id="legend"></div>
  </section>
</main>
<div id="toast" role="status" aria-live="polite"></div>
<script src="/app.js"></script>
</body>
</html>
`;

/** The page's style. */
export const APP_CSS = `
:root { --bg: #f6f7f9; --fg: #1d2330; --muted: #667; --line: #d9dde3;
  --up: #2e8b57; --blocked: #d98c1a; --dead: #9aa0a6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg);
  color: var(--fg); }
header { display: flex; flex-wrap: wrap; gap: 1em; align-items: baseline;
  padding: .6em 1em; background: #1d2330; color: #fff; }
header h1 { font-size: 1.2em; margin: 0; }
#summary { color: #cfd6e0; }
.conn { font-size: .85em; padding: .1em .5em; border-radius: 1em; }
.conn.ok { background: var(--up); } .conn.bad { background: #b33; }
.token { margin-left: auto; font-size: .9em; }
.token input { width: 16em; font: inherit; }
main { display: grid; gap: 1em; padding: 1em;
  grid-template-columns: minmax(300px, 480px) minmax(0, 1fr); }
#side { overflow-x: auto; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: .6em .8em; min-width: 0; }
h2 { font-size: 1em; margin: .2em 0 .5em; }
#plotbox { grid-column: 1 / -1; }
#map { width: 100%; height: auto; touch-action: none; user-select: none; }
.hint { color: var(--muted); font-size: .85em; margin: .3em 0 0; }
table { border-collapse: collapse; width: 100%; margin-bottom: .8em;
  font-variant-numeric: tabular-nums; font-size: .92em; }
th, td { text-align: left; padding: .15em .4em; border-bottom: 1px solid var(--line);
  white-space: nowrap; }
td.cmd { white-space: normal; word-break: break-all; }
tr.self td:first-child { font-weight: bold; }
td.up { color: var(--up); } td.blocked { color: var(--blocked); }
td.dead { color: var(--dead); }
button { font: inherit; font-size: .85em; margin-right: .15em; padding: 0 .3em;
  cursor: pointer; }
#events { max-height: 12em; overflow: auto; margin: 0; padding-left: 2.5em;
  font-size: .9em; }
#events li.migration { color: #1a4fa0; }
#events li.exit { color: var(--muted); }
#plot { width: 100%; height: 220px; display: block; }
#legend span { display: inline-block; margin-right: 1em; font-size: .85em; }
#legend i { display: inline-block; width: 1em; height: .25em;
  vertical-align: middle; margin-right: .3em; }
.node circle.body { stroke-width: 3; }
.node.up circle.body { stroke: var(--up); }
.node.blocked circle.body { stroke: var(--blocked); stroke-dasharray: 6 4; }
.node.dead circle.body { stroke: var(--dead); fill: #eee; }
.node.target circle.body { stroke: #1a4fa0; stroke-width: 6; }
.node text { text-anchor: middle; pointer-events: none; font-size: 12px; }
.node text.id { font-weight: bold; font-size: 13px; }
.proc { cursor: grab; }
.proc.dragging { cursor: grabbing; }
.proc circle { stroke: #fff; stroke-width: 1.5; }
.proc.away circle { stroke: #1d2330; stroke-width: 2; }
.proc text { font-size: 9px; text-anchor: middle; pointer-events: none;
  fill: #1d2330; }
#fly circle { fill: #1a4fa0; }
#fly line { stroke: #1a4fa0; stroke-width: 2; stroke-dasharray: 5 4; }
#toast { position: fixed; bottom: 1em; right: 1em; max-width: 40em;
  padding: .5em .8em; border-radius: 4px; background: #1d2330; color: #fff;
  opacity: 0; transition: opacity .3s; pointer-events: none; }
#toast.show { opacity: .95; } #toast.error { background: #b33; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
`;

/** The page's script (plain ES2020, runs as is). */
export const APP_JS = String.raw`"use strict";
(() => {
const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const svg = $("map");
const st = { self: 0, nodes: [], procs: [], time: Date.now(),
  history: { times: [], nodes: [] }, events: [], pollMs: 1000 };
const nodeEls = new Map();
const procEls = new Map();
let drag = null;

// Token: from the address fragment (never sent to the server), else the tab.
(() => {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem("dmosix-token", m[1]);
    history.replaceState(null, "", location.pathname);
  }
  $("token").value = sessionStorage.getItem("dmosix-token") || "";
  $("token").addEventListener("input", (e) =>
    sessionStorage.setItem("dmosix-token", e.target.value.trim()));
})();

const hex = (id) => "0x" + id.toString(16).padStart(4, "0");
const color = (id) => "hsl(" + ((id * 137.508) % 360).toFixed(0) + ",62%,46%)";
const mb = (b) => Math.round(b / 1048576);
const mmss = (s) => Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
function el(tag, attrs, parent) {
  const e = document.createElementNS(SVGNS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function td(tr, text, cls) {
  const c = tr.insertCell();
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}
function toast(text, error) {
  const t = $("toast");
  t.textContent = text;
  t.className = "show" + (error ? " error" : "");
  t.dataset.status = error ? "error" : "ok";
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.className = "", 5000);
}

// Nodes sit on a circle, in ID order.
function layout() {
  const n = st.nodes.length;
  const pos = new Map();
  const R = n <= 1 ? 0 : Math.min(230, 70 + n * 22);
  const r = Math.max(12, Math.min(44, 260 / Math.max(1, n)));
  st.nodes.forEach((v, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    pos.set(v.id, { x: 300 + R * Math.cos(a), y: 300 + R * Math.sin(a), r });
  });
  return pos;
}

function renderMap() {
  const pos = layout();
  const g = $("nodesg");
  const seen = new Set();
  for (const v of st.nodes) {
    const p = pos.get(v.id);
    seen.add(v.id);
    let e = nodeEls.get(v.id);
    if (!e) {
      e = el("g", { "data-node": v.id }, g);
      el("circle", { class: "body" }, e);
      el("text", { class: "id" }, e);
      el("text", { class: "load" }, e);
      nodeEls.set(v.id, e);
    }
    e.setAttribute("class", "node " + v.status + (v.self ? " self" : "") +
      (drag && drag.over === v.id ? " target" : ""));
    e.setAttribute("transform", "translate(" + p.x.toFixed(1) + "," + p.y.toFixed(1) + ")");
    const c = e.children[0];
    c.setAttribute("r", p.r);
    const busy = Math.min(1, v.load / Math.max(0.1, v.cpus));
    c.setAttribute("fill", v.status === "dead" ? "#eee"
      : "hsl(" + (120 - 120 * busy).toFixed(0) + ",70%,88%)");
    e.children[1].textContent = hex(v.id) + (v.self ? " *" : "");
    e.children[1].setAttribute("y", -3);
    e.children[2].textContent = v.status === "dead" ? "dead" : "load " + v.load.toFixed(2);
    e.children[2].setAttribute("y", 12);
  }
  for (const [id, e] of nodeEls) if (!seen.has(id)) { e.remove(); nodeEls.delete(id); }

  // Processes ring the node they run on.
  const by = new Map();
  for (const p of st.procs) {
    if (!by.has(p.where)) by.set(p.where, []);
    by.get(p.where).push(p);
  }
  const pg = $("procsg");
  const keep = new Set();
  for (const [where, list] of by) {
    const c = pos.get(where);
    if (!c) continue;
    const ring = c.r + 16 + Math.floor(list.length / 16) * 4;
    list.forEach((p, k) => {
      const key = p.home + ":" + p.pid;
      keep.add(key);
      let e = procEls.get(key);
      if (!e) {
        e = el("g", { "data-pid": p.pid, "data-home": p.home }, pg);
        el("circle", { r: 9 }, e);
        el("text", {}, e);
        el("title", {}, e);
        e.addEventListener("pointerdown", (ev) => startDrag(ev, key));
        procEls.set(key, e);
      }
      e.setAttribute("class", "proc" + (p.where !== p.home ? " away" : "") +
        (drag && drag.key === key ? " dragging" : ""));
      e.dataset.where = p.where;
      e.children[0].setAttribute("fill", color(p.home));
      e.children[1].textContent = p.pid;
      e.children[2].textContent = p.pid + " " + p.command + " (home " + p.homeHex +
        ", on " + hex(p.where) + ")";
      const a = -Math.PI / 2 + (2 * Math.PI * k) / Math.max(1, list.length);
      const x = c.x + ring * Math.cos(a), y = c.y + ring * Math.sin(a);
      // The PID outside the dot, away from the node.
      e.children[1].setAttribute("x", (17 * Math.cos(a)).toFixed(1));
      e.children[1].setAttribute("y", (17 * Math.sin(a) + 3).toFixed(1));
      e.dataset.x = x; e.dataset.y = y;
      if (!drag || drag.key !== key) {
        e.setAttribute("transform", "translate(" + x.toFixed(1) + "," + y.toFixed(1) + ")");
      }
    });
  }
  for (const [key, e] of procEls) {
    if (!keep.has(key) && !(drag && drag.key === key)) { e.remove(); procEls.delete(key); }
  }
}

function svgPoint(ev) {
  const pt = svg.createSVGPoint();
  pt.x = ev.clientX; pt.y = ev.clientY;
  return pt.matrixTransform(svg.getScreenCTM().inverse());
}
function nodeAt(pt) {
  const pos = layout();
  let best = null, bestD = Infinity;
  for (const [id, p] of pos) {
    const d = Math.hypot(p.x - pt.x, p.y - pt.y);
    if (d <= p.r + 12 && d < bestD) { best = id; bestD = d; }
  }
  return best;
}
function startDrag(ev, key) {
  if (ev.button !== 0) return;
  ev.preventDefault();
  const e = procEls.get(key);
  drag = { key, el: e, over: null };
  renderMap();
}
document.addEventListener("pointermove", (ev) => {
  if (!drag) return;
  const pt = svgPoint(ev);
  drag.el.setAttribute("transform", "translate(" + pt.x.toFixed(1) + "," + pt.y.toFixed(1) + ")");
  const over = nodeAt(pt);
  if (over !== drag.over) { drag.over = over; renderMap(); }
});
document.addEventListener("pointerup", (ev) => {
  if (!drag) return;
  const d = drag;
  drag = null;
  const to = nodeAt(svgPoint(ev));
  const p = st.procs.find((x) => x.home + ":" + x.pid === d.key);
  renderMap();
  if (to === null || !p) return;
  if (to === p.where) return;
  act("/api/migrate", { pid: p.pid, home: p.home, to },
    "migrate " + p.pid + " to " + (to === p.home ? "home" : hex(to)));
});
document.addEventListener("pointercancel", () => { drag = null; renderMap(); });

async function act(path, body, what) {
  const token = $("token").value.trim();
  let res, data = {};
  try {
    res = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "x-dmosix-token": token },
      body: JSON.stringify(body),
    });
    data = await res.json().catch(() => ({}));
  } catch (e) {
    toast(what + ": " + e.message, true);
    return;
  }
  if (res.ok) toast(what + ": done");
  else toast(what + ": refused (" + res.status + "): " + (data.error || res.statusText), true);
}

// Rows are kept and updated in place, so a click is never lost to a redraw.
const nodeRows = new Map();
function renderTables() {
  const tb = $("nodes").tBodies[0];
  const seen = new Set();
  st.nodes.forEach((v, i) => {
    seen.add(v.id);
    let tr = nodeRows.get(v.id);
    if (!tr) {
      tr = document.createElement("tr");
      tr.dataset.node = v.id;
      for (let k = 0; k < 9; k++) tr.insertCell();
      const c = tr.insertCell();
      for (const op of ["block", "noblock", "expel"]) {
        const b = document.createElement("button");
        b.textContent = op;
        b.dataset.op = op;
        b.dataset.id = v.id;
        b.addEventListener("click", () =>
          act("/api/node", { id: v.id, op }, op + " " + hex(v.id)));
        c.appendChild(b);
      }
      nodeRows.set(v.id, tr);
    }
    if (tb.rows[i] !== tr) tb.insertBefore(tr, tb.rows[i] || null);
    tr.className = v.self ? "self" : "";
    const cells = [v.idHex, v.address, v.status, v.load.toFixed(2),
      Math.round(v.speed), +v.cpus.toFixed(2), mb(v.memFree) + " / " + mb(v.memTotal),
      Math.round(v.util * 100) + "%", v.age + "s"];
    cells.forEach((x, k) => {
      if (tr.cells[k].textContent !== String(x)) tr.cells[k].textContent = x;
    });
    tr.cells[2].className = v.status;
  });
  for (const [id, tr] of nodeRows) if (!seen.has(id)) { tr.remove(); nodeRows.delete(id); }
  const pb = $("procs").tBodies[0];
  pb.textContent = "";
  for (const p of st.procs) {
    const tr = pb.insertRow();
    tr.dataset.pid = p.pid;
    tr.dataset.home = p.home;
    td(tr, p.pid);
    td(tr, p.homeHex);
    td(tr, p.node);
    td(tr, p.stat);
    td(tr, mmss(p.time));
    td(tr, p.command, "cmd");
  }
  const up = st.nodes.filter((v) => v.status !== "dead");
  const cpus = up.reduce((s, v) => s + v.cpus, 0);
  const load = up.reduce((s, v) => s + v.load, 0);
  $("self").textContent = st.self ? "node " + hex(st.self) : "";
  $("summary").textContent = up.length + " of " + st.nodes.length + " nodes up, " +
    +cpus.toFixed(2) + " CPUs, load " + load.toFixed(2) + ", " + st.procs.length + " processes";
}

function addEvent(e) {
  const li = document.createElement("li");
  li.className = e.kind;
  li.dataset.kind = e.kind;
  li.dataset.pid = e.pid;
  if (e.to !== null) li.dataset.to = e.to;
  const t = new Date(e.at).toLocaleTimeString();
  const where = e.kind === "migration" ? hex(e.from) + " \u2192 " + hex(e.to)
    : e.kind === "start" ? "on " + hex(e.to) : "was on " + hex(e.from);
  li.textContent = t + " " + e.kind + " " + e.pid + "@" + hex(e.home) + " " + where +
    " " + e.command;
  const ol = $("events");
  ol.insertBefore(li, ol.firstChild);
  while (ol.children.length > 100) ol.lastChild.remove();
}

// A migration: a dot flies from the old node to the new one.
function fly(e) {
  const pos = layout();
  const a = pos.get(e.from), b = pos.get(e.to);
  if (!a || !b) return;
  const g = $("fly");
  const line = el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "data-pid": e.pid }, g);
  const dot = el("circle", { r: 7, cx: a.x, cy: a.y }, g);
  const t0 = performance.now();
  const step = (now) => {
    const k = Math.min(1, (now - t0) / 900);
    const s = k * k * (3 - 2 * k);
    dot.setAttribute("cx", a.x + (b.x - a.x) * s);
    dot.setAttribute("cy", a.y + (b.y - a.y) * s);
    if (k < 1) requestAnimationFrame(step);
    else { dot.remove(); setTimeout(() => line.remove(), 2500); }
  };
  requestAnimationFrame(step);
}

function plot() {
  const cv = $("plot");
  const dpr = window.devicePixelRatio || 1;
  const w = cv.clientWidth || 900, h = cv.clientHeight || 220;
  if (cv.width !== Math.round(w * dpr)) { cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr); }
  const c = cv.getContext("2d");
  c.setTransform(dpr, 0, 0, dpr, 0, 0);
  c.clearRect(0, 0, w, h);
  const H = st.history, L = 40, B = 20, T = 8, Rm = 8;
  const now = st.time;
  const span = Math.max(60000, now - (H.times[0] || now));
  let top = 1;
  for (const n of H.nodes) for (const x of n.loads) if (x !== null && x > top) top = x;
  // Round grid steps (1, 2 or 5 times a power of ten), four or five of them.
  const raw = top / 4, p10 = Math.pow(10, Math.floor(Math.log10(raw)));
  const stepY = [1, 2, 5, 10].map((m) => m * p10).find((s) => s >= raw);
  const ticks = Math.ceil(top / stepY);
  const max = ticks * stepY;
  const X = (t) => L + (w - L - Rm) * (1 - (now - t) / span);
  const Y = (v) => T + (h - T - B) * (1 - v / max);
  c.strokeStyle = "#d9dde3"; c.fillStyle = "#667"; c.font = "11px system-ui";
  c.lineWidth = 1;
  for (let i = 0; i <= ticks; i++) {
    const v = stepY * i, y = Y(v);
    c.beginPath(); c.moveTo(L, y); c.lineTo(w - Rm, y); c.stroke();
    c.fillText(+v.toFixed(2) + "", 4, y + 4);
  }
  c.textAlign = "center";
  for (let s = 0; s <= span / 1000; s += 60) {
    const x = X(now - s * 1000);
    c.textAlign = s === 0 ? "right" : "center";
    c.fillText(s === 0 ? "now" : "-" + s / 60 + "m", x, h - 5);
  }
  c.textAlign = "left";
  c.lineWidth = 2;
  for (const n of H.nodes) {
    c.strokeStyle = color(n.id);
    c.beginPath();
    let pen = false;
    n.loads.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      const x = X(H.times[i]), y = Y(v);
      if (pen) c.lineTo(x, y); else c.moveTo(x, y);
      pen = true;
    });
    c.stroke();
  }
  const lg = $("legend");
  lg.textContent = "";
  for (const n of H.nodes) {
    const s = document.createElement("span");
    const i = document.createElement("i");
    i.style.background = color(n.id);
    s.appendChild(i);
    s.appendChild(document.createTextNode(hex(n.id)));
    lg.appendChild(s);
  }
}

function addSample(sample) {
  if (!sample) return;
  const H = st.history;
  if (H.times.length && sample.t <= H.times[H.times.length - 1]) return;
  const idx = H.times.length;
  H.times.push(sample.t);
  for (const n of H.nodes) n.loads.push(sample.loads[n.id] ?? null);
  for (const k in sample.loads) {
    const id = Number(k);
    if (!H.nodes.some((n) => n.id === id)) {
      const loads = new Array(idx).fill(null);
      loads.push(sample.loads[k]);
      H.nodes.push({ id, loads });
      H.nodes.sort((a, b) => a.id - b.id);
    }
  }
  const keep = 600;
  if (H.times.length > keep) {
    const cut = H.times.length - keep;
    H.times.splice(0, cut);
    for (const n of H.nodes) n.loads.splice(0, cut);
  }
}

function connect() {
  const es = new EventSource("/api/events");
  es.addEventListener("open", () => { $("conn").textContent = "live"; $("conn").className = "conn ok"; });
  es.addEventListener("error", () => { $("conn").textContent = "reconnecting"; $("conn").className = "conn bad"; });
  es.addEventListener("hello", (m) => {
    const h = JSON.parse(m.data);
    st.self = h.self; st.history = h.history; st.pollMs = h.pollMs;
    $("events").textContent = "";
    for (const e of h.events) addEvent(e);
  });
  es.addEventListener("state", (m) => {
    const s = JSON.parse(m.data);
    st.self = s.self; st.nodes = s.nodes; st.procs = s.processes; st.time = s.time;
    addSample(s.sample);
    renderMap(); renderTables(); plot();
    document.body.dataset.ready = "1";
  });
  es.addEventListener("proc", (m) => {
    const e = JSON.parse(m.data);
    addEvent(e);
    if (e.kind === "migration") fly(e);
  });
}
window.addEventListener("resize", plot);
connect();
})();
`;

/**
 * What `mon` shows: the full-screen frame, the `--once` table, the `--json`
 * document and the key bindings. Pure: nodes, state, terminal size and the
 * clock string come in, lines of text go out (no ANSI codes; the screen
 * module positions them).
 *
 * Layout of a frame (openMosix mon's bars, turned sideways so that node IDs
 * fit as `0x....` labels):
 *
 * ```
 * dmosix mon — load 0..4.00                  12:00:01   title, clock
 * ! daemon not answering (retrying)                      notice (optional)
 * nodes 3 up, 1 dead, 4 total   CPUs 12   ...            totals (t)
 * 0x0001*  ██████▍░░░░░░          1.60                   one cell per node,
 * 0x0002 B ██████████████▌        3.63                   several columns of
 * 0x0003   dead (2m ago)             -                   cells when wide
 * l load  s speed  m memory  ...  q quit                 key help
 * ```
 *
 * @module
 */

import { formatNodeId } from "./ids.ts";
import type { NodeView } from "./node_info.ts";

/** What the bars show: load, speed, memory used, raw memory used, CPU utilization. */
export type MonMode = "load" | "speed" | "mem" | "raw" | "util";

/** Display state of the monitor, changed by keys. */
export interface MonState {
  /** Quantity shown by the bars. */
  readonly mode: MonMode;
  /** Show dead nodes (key d toggles). */
  readonly showDead: boolean;
  /** Show the totals line (key t toggles). */
  readonly totals: boolean;
}

/** The state `mon` starts in without flags. */
export const DEFAULT_MON_STATE: MonState = {
  mode: "load",
  showDead: true,
  totals: false,
};

/** Terminal size in character cells. */
export interface ScreenSize {
  /** Width. */
  columns: number;
  /** Height. */
  rows: number;
}

/** Time- and I/O-dependent parts of a frame, injected by the caller. */
export interface FrameInfo {
  /** Shown right-aligned in the title line (e.g. "12:00:01"). */
  clock?: string;
  /** A problem to show under the title (e.g. "daemon not answering"). */
  notice?: string;
}

/** Human name of each mode, used in the title line. */
export const MODE_TITLES: Readonly<Record<MonMode, string>> = {
  load: "load",
  speed: "speed",
  mem: "memory used",
  raw: "raw memory used",
  util: "utilization",
};

const MODE_KEYS: Readonly<Record<string, MonMode>> = {
  l: "load",
  s: "speed",
  m: "mem",
  r: "raw",
  u: "util",
};

const CTRL_C = "\x03";
const MB = 1024 * 1024;

/**
 * The state after pressing `key`: l s m r u pick the mode, t toggles the
 * totals, d toggles dead nodes, q or Ctrl-C quit. Keys are case-insensitive;
 * any other key leaves the state unchanged (the same object is returned).
 */
export function applyKey(state: MonState, key: string): MonState | "quit" {
  if (key === CTRL_C) return "quit";
  const k = key.toLowerCase();
  if (k === "q") return "quit";
  if (k === "t") return { ...state, totals: !state.totals };
  if (k === "d") return { ...state, showDead: !state.showDead };
  const mode = MODE_KEYS[k];
  if (mode !== undefined && mode !== state.mode) return { ...state, mode };
  return state;
}

/**
 * Split a chunk read from a raw-mode terminal into single keys, dropping
 * escape sequences (arrow keys, function keys, Alt-combinations) so that
 * their letters are not taken as commands.
 */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  const chars = [...chunk];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== "\x1b") {
      keys.push(chars[i]);
      continue;
    }
    const next = chars[i + 1];
    if (next === "[" || next === "O") {
      // CSI / SS3: parameters up to a final byte in @..~
      i += 2;
      while (i < chars.length && !/[@-~]/.test(chars[i])) i++;
      if (next === "O") continue;
    } else if (next !== undefined) {
      i++;
    }
  }
  return keys;
}

/** Sums over the nodes, as the totals line and `--once` show them. */
export interface MonTotals {
  /** All nodes. */
  nodes: number;
  /** Nodes with status up. */
  up: number;
  /** Nodes with status blocked (alive, refusing guests). */
  blocked: number;
  /** Nodes with status dead. */
  dead: number;
  /** CPUs of the live (up or blocked) nodes. */
  cpus: number;
  /** Speed of the live nodes. */
  speed: number;
  /** Total memory of the live nodes, bytes. */
  memTotal: number;
  /** Free memory (MemAvailable) of the live nodes, bytes. */
  memFree: number;
  /** Raw free memory (MemFree) of the live nodes, bytes. */
  memRaw: number;
}

/** Count nodes by status and sum what the live ones offer (dead nodes' data is stale). */
export function summarize(nodes: readonly NodeView[]): MonTotals {
  const t: MonTotals = {
    nodes: nodes.length,
    up: 0,
    blocked: 0,
    dead: 0,
    cpus: 0,
    speed: 0,
    memTotal: 0,
    memFree: 0,
    memRaw: 0,
  };
  for (const n of nodes) {
    t[n.status]++;
    if (n.status === "dead") continue;
    t.cpus += num(n.cpus);
    t.speed += num(n.speed);
    t.memTotal += num(n.memTotal);
    t.memFree += num(n.memFree);
    t.memRaw += num(n.memRaw);
  }
  return t;
}

/** Nodes sorted by ID (then address), as every view lists them. */
export function sortNodes(nodes: readonly NodeView[]): NodeView[] {
  return [...nodes].sort((a, b) =>
    a.id - b.id || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0)
  );
}

/** One node in the `--json` document. */
export interface MonJsonNode {
  /** Node ID as a number. */
  id: number;
  /** Node ID as `0x....`. */
  idHex: string;
  /** IPv4 address. */
  address: string;
  /** up, dead or blocked. */
  status: NodeView["status"];
  /** Load (runnable processes). */
  load: number;
  /** Speed, 10000 = reference CPU. */
  speed: number;
  /** CPUs. */
  cpus: number;
  /** Total memory, bytes. */
  memTotal: number;
  /** Free memory (MemAvailable), bytes. */
  memFree: number;
  /** Raw free memory (MemFree), bytes. */
  memRaw: number;
  /** CPU utilization 0..1. */
  util: number;
  /** Age of the information, seconds. */
  age: number;
  /** True for the node that answered. */
  self: boolean;
}

/** The `--json` document: every node, sorted by ID. */
export function toJson(nodes: readonly NodeView[]): { nodes: MonJsonNode[] } {
  return {
    nodes: sortNodes(nodes).map((n) => ({
      id: n.id,
      idHex: formatNodeId(n.id),
      address: n.address,
      status: n.status,
      load: n.load,
      speed: n.speed,
      cpus: n.cpus,
      memTotal: n.memTotal,
      memFree: n.memFree,
      memRaw: n.memRaw,
      util: n.util,
      age: n.age,
      self: n.self,
    })),
  };
}

/** Header of the `--once` table; the column order is part of the contract. */
export const ONCE_COLUMNS = [
  "NODE",
  "ADDRESS",
  "STATUS",
  "LOAD",
  "SPEED",
  "CPUS",
  "MEM(MB)",
  "FREE(MB)",
  "UTIL%",
  "AGE",
] as const;

const ONCE_LEFT = new Set(["NODE", "ADDRESS", "STATUS"]);

/**
 * The `--once` frame: a table with one row per node sorted by ID, columns
 * {@link ONCE_COLUMNS}, then one `total:` line. FREE(MB) is raw free memory
 * (MemFree) in mode "raw", free memory as programs see it otherwise. No ANSI
 * codes, no clock: the same input always gives the same text. No trailing
 * newline.
 */
export function renderOnce(nodes: readonly NodeView[], mode: MonMode): string {
  const rows = sortNodes(nodes).map((n) => [
    formatNodeId(n.id),
    n.address,
    n.status,
    num(n.load).toFixed(2),
    String(Math.round(num(n.speed))),
    formatCpus(n.cpus),
    String(toMB(n.memTotal)),
    String(toMB(mode === "raw" ? n.memRaw : n.memFree)),
    String(Math.round(num(n.util) * 100)),
    String(Math.floor(num(n.age))),
  ]);
  const table = [[...ONCE_COLUMNS], ...rows];
  const widths = ONCE_COLUMNS.map((_, c) =>
    Math.max(...table.map((r) => r[c].length))
  );
  const lines = table.map((r) =>
    r.map((cell, c) =>
      ONCE_LEFT.has(ONCE_COLUMNS[c])
        ? cell.padEnd(widths[c])
        : cell.padStart(widths[c])
    ).join("  ").trimEnd()
  );
  const t = summarize(nodes);
  const free = mode === "raw" ? t.memRaw : t.memFree;
  lines.push(
    `total: ${t.nodes} nodes, ${t.up} up, ${t.blocked} blocked, ${t.dead} dead, ` +
      `${formatCpus(t.cpus)} CPUs, speed ${Math.round(t.speed)}, ` +
      `${toMB(t.memTotal)} MB, ${toMB(free)} MB free`,
  );
  return lines.join("\n");
}

/**
 * The full-screen frame: at most `size.rows` lines (exactly that many when
 * rows >= 2), none wider than `size.columns` characters. Nodes that do not
 * fit are counted in a final "+N more" cell.
 */
export function renderFrame(
  nodes: readonly NodeView[],
  state: MonState,
  size: ScreenSize,
  info: FrameInfo = {},
): string[] {
  const columns = Math.max(0, Math.floor(size.columns));
  const rows = Math.max(0, Math.floor(size.rows));
  if (rows === 0) return [];
  const sorted = sortNodes(nodes);
  const shown = state.showDead
    ? sorted
    : sorted.filter((n) => n.status !== "dead");
  const scale = scaleOf(shown, state.mode);
  const hidden = sorted.length - shown.length;

  const head = [titleLine(state, scale, hidden, info.clock, columns)];
  if (info.notice) head.push("! " + info.notice);
  if (state.totals) {
    head.push(...wrapSegments(totalsSegments(nodes, state.mode), columns));
  }
  const help = helpLine(columns);
  if (rows === 1) return [clip(head[0], columns)];
  const top = head.slice(0, rows - 1);
  const bodyRows = rows - 1 - top.length;
  const body = bodyLines(shown, hidden, state.mode, scale, columns, bodyRows);
  while (body.length < bodyRows) body.push("");
  return [...top, ...body, help].map((l) => clip(l, columns));
}

interface Cell {
  fill: number;
  extent: number;
  value: string;
}

function scaleOf(nodes: readonly NodeView[], mode: MonMode): number {
  const live = nodes.filter((n) => n.status !== "dead");
  let max = 0;
  for (const n of live) {
    const v = mode === "load"
      ? Math.max(num(n.load), num(n.cpus))
      : mode === "speed"
      ? num(n.speed)
      : mode === "util"
      ? 1
      : num(n.memTotal);
    max = Math.max(max, v);
  }
  return max > 0 ? max : 1;
}

function scaleText(mode: MonMode, scale: number): string {
  switch (mode) {
    case "load":
      return `0..${scale.toFixed(2)}`;
    case "speed":
      return `0..${Math.round(scale)}`;
    case "util":
      return "0..100%";
    default:
      return `0..${toMB(scale)} MB`;
  }
}

function cellOf(n: NodeView, mode: MonMode, scale: number): Cell {
  switch (mode) {
    case "load":
      return {
        fill: num(n.load) / scale,
        extent: num(n.cpus) / scale,
        value: num(n.load).toFixed(2),
      };
    case "speed": {
      const f = num(n.speed) / scale;
      return { fill: f, extent: f, value: String(Math.round(num(n.speed))) };
    }
    case "util":
      return {
        fill: num(n.util),
        extent: 1,
        value: `${Math.round(num(n.util) * 100)}%`,
      };
    default: {
      const free = mode === "raw" ? n.memRaw : n.memFree;
      const used = Math.max(0, num(n.memTotal) - num(free));
      return {
        fill: used / scale,
        extent: num(n.memTotal) / scale,
        value: `${toMB(used)}/${toMB(n.memTotal)}`,
      };
    }
  }
}

function titleLine(
  state: MonState,
  scale: number,
  hidden: number,
  clock: string | undefined,
  columns: number,
): string {
  let left = `dmosix mon — ${MODE_TITLES[state.mode]} ${
    scaleText(state.mode, scale)
  }`;
  if (hidden > 0) left += ` (${hidden} dead hidden)`;
  if (!clock || left.length + 1 + clock.length > columns) return left;
  return left.padEnd(columns - clock.length) + clock;
}

function totalsSegments(nodes: readonly NodeView[], mode: MonMode): string[] {
  const t = summarize(nodes);
  const up = t.blocked > 0 ? `${t.up} up, ${t.blocked} blocked` : `${t.up} up`;
  const free = mode === "raw" ? t.memRaw : t.memFree;
  return [
    `nodes ${up}, ${t.dead} dead, ${t.nodes} total`,
    `CPUs ${formatCpus(t.cpus)}`,
    `speed ${Math.round(t.speed)}`,
    `memory ${toMB(t.memTotal)} MB, ${toMB(free)} MB ${
      mode === "raw" ? "raw " : ""
    }free`,
  ];
}

function wrapSegments(segments: string[], columns: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const s of segments) {
    if (cur === "") cur = s;
    else if (cur.length + 3 + s.length <= columns) cur += "   " + s;
    else {
      lines.push(cur);
      cur = s;
    }
  }
  if (cur !== "") lines.push(cur);
  return lines;
}

const HELP_FULL =
  "l load  s speed  m memory  r raw  u util  t totals  d dead  q quit";
const HELP_SHORT = "keys: l s m r u t d q";
const LEGEND = "  * self  B blocked";

function helpLine(columns: number): string {
  const variants = [HELP_FULL + LEGEND, HELP_FULL, HELP_SHORT + LEGEND];
  return variants.find((v) => v.length <= columns) ?? HELP_SHORT;
}

const LABEL_WIDTH = 8; // "0x0adc" + self mark + status mark
const MIN_BAR = 8;
const GAP = 2;

function bodyLines(
  shown: readonly NodeView[],
  hidden: number,
  mode: MonMode,
  scale: number,
  columns: number,
  bodyRows: number,
): string[] {
  if (bodyRows <= 0) return [];
  if (shown.length === 0) {
    return [
      hidden > 0
        ? `all ${hidden} nodes are dead (d shows them)`
        : "no nodes known yet",
    ];
  }
  const cells = shown.map((n) => cellOf(n, mode, scale));
  const valueWidth = Math.max(...cells.map((c) => c.value.length));
  const minCell = LABEL_WIDTH + 1 + MIN_BAR + 1 + valueWidth;
  const maxCols = Math.max(1, Math.floor((columns + GAP) / (minCell + GAP)));
  const cols = Math.min(maxCols, Math.ceil(shown.length / bodyRows));
  const capacity = cols * bodyRows;
  const cellWidth = Math.floor((columns - GAP * (cols - 1)) / cols);
  const barWidth = Math.max(0, cellWidth - LABEL_WIDTH - 2 - valueWidth);

  const texts: string[] = [];
  const fits = shown.length <= capacity ? shown.length : capacity - 1;
  for (let i = 0; i < fits; i++) {
    texts.push(
      nodeCell(shown[i], cells[i], barWidth, valueWidth).padEnd(cellWidth),
    );
  }
  if (fits < shown.length) texts.push(`+${shown.length - fits} more`);

  const lines: string[] = [];
  for (let r = 0; r < bodyRows && r < texts.length; r++) {
    const parts: string[] = [];
    for (let k = r; k < texts.length; k += bodyRows) parts.push(texts[k]);
    lines.push(parts.join(" ".repeat(GAP)).trimEnd());
  }
  return lines;
}

function nodeCell(
  n: NodeView,
  cell: Cell,
  barWidth: number,
  valueWidth: number,
): string {
  const label = formatNodeId(n.id) + (n.self ? "*" : " ") +
    (n.status === "blocked" ? "B" : " ");
  if (n.status === "dead") {
    const text = clip(`dead (${formatAge(n.age)} ago)`, barWidth);
    return `${label} ${text.padEnd(barWidth)} ${"-".padStart(valueWidth)}`;
  }
  return `${label} ${bar(cell.fill, cell.extent, barWidth)} ${
    cell.value.padStart(valueWidth)
  }`;
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/**
 * A bar `width` cells wide: `fill` (fraction of the width) in solid blocks
 * with eighth-cell precision, then light shading up to `extent` (capacity:
 * CPUs, total memory), then blanks.
 */
export function bar(fill: number, extent: number, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const eighths = Math.round(clamp01(fill) * w * 8);
  const full = Math.floor(eighths / 8);
  let s = "█".repeat(full) + EIGHTHS[eighths % 8];
  const used = [...s].length;
  const cap = Math.max(used, Math.round(clamp01(extent) * w));
  s += "░".repeat(cap - used);
  return s + " ".repeat(w - cap);
}

/** Age in the largest whole unit: 35s, 12m, 3h, 2d. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(num(seconds)));
  if (s < 120) return `${s}s`;
  if (s < 120 * 60) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function formatCpus(cpus: number): string {
  const c = num(cpus);
  return Number.isInteger(c) ? String(c) : String(Number(c.toFixed(2)));
}

function toMB(bytes: number): number {
  return Math.round(num(bytes) / MB);
}

function num(v: number): number {
  return Number.isFinite(v) ? v : 0;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, num(v)));
}

function clip(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : chars.slice(0, width).join("");
}

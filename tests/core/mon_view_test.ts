import { deepEqual, match, ok } from "node:assert/strict";
import {
  applyKey,
  bar,
  DEFAULT_MON_STATE,
  formatAge,
  type MonMode,
  type MonState,
  ONCE_COLUMNS,
  renderFrame,
  renderOnce,
  splitKeys,
  summarize,
  toJson,
} from "../../core/mon_view.ts";
import type { NodeView } from "../../core/node_info.ts";

const GB = 1024 ** 3;
const MODES: MonMode[] = ["load", "speed", "mem", "raw", "util"];

function node(id: number, over: Partial<NodeView> = {}): NodeView {
  return {
    id,
    address: `10.0.${id >> 8}.${id & 255}`,
    status: "up",
    load: 0.5,
    speed: 10000,
    cpus: 2,
    memTotal: 8 * GB,
    memFree: 4 * GB,
    memRaw: 2 * GB,
    util: 0.25,
    age: 1,
    self: false,
    ...over,
  };
}

const FOUR: NodeView[] = [
  node(4, { load: 0.4, cpus: 0.4, speed: 5000, memTotal: 2 * GB }),
  node(1, { self: true, age: 0, load: 1.6, cpus: 4, memTotal: 16 * GB }),
  node(3, { status: "dead", age: 150 }),
  node(2, { status: "blocked", load: 3.63, speed: 20000, util: 0.93 }),
];

function many(n: number): NodeView[] {
  return Array.from({ length: n }, (_, i) =>
    node(i + 1, {
      load: (i % 13) / 3,
      status: i % 17 === 5 ? "dead" : i % 11 === 3 ? "blocked" : "up",
    }));
}

/** The state a key leads to, failing the test on "quit". */
function press(state: MonState, key: string): MonState {
  const next = applyKey(state, key);
  if (next === "quit") throw new Error(`key ${key} quit`);
  return next;
}

/** Node labels drawn in a frame, line by line. */
function labels(lines: string[]): string[] {
  return lines.flatMap((l) => l.match(/0x[0-9a-f]{4}/g) ?? []);
}

function lineOf(lines: string[], label: string): string {
  const l = lines.find((x) => x.includes(label));
  ok(l !== undefined, `no line with ${label} in\n${lines.join("\n")}`);
  return l;
}

/** The cell of `label` in a frame line: from the label to the end of its value. */
function cellOf(line: string, label: string): string {
  const from = line.indexOf(label);
  const m = /^0x[0-9a-f]{4}.. .*?\S+(?= {2}|$)/.exec(line.slice(from));
  ok(m !== null, line);
  return m[0];
}

Deno.test("applyKey picks the mode with l s m r u, case-insensitively", () => {
  const want: [string, MonMode][] = [
    ["l", "load"],
    ["s", "speed"],
    ["m", "mem"],
    ["r", "raw"],
    ["u", "util"],
    ["M", "mem"],
  ];
  for (const [key, mode] of want) {
    const from: MonState = { ...DEFAULT_MON_STATE, mode: "util" };
    const next = press(from, key);
    deepEqual(next.mode, mode, key);
    deepEqual(next.totals, from.totals);
    deepEqual(next.showDead, from.showDead);
  }
});

Deno.test("applyKey toggles totals with t and dead nodes with d", () => {
  const t = press(DEFAULT_MON_STATE, "t");
  deepEqual(t.totals, !DEFAULT_MON_STATE.totals);
  deepEqual(press(t, "t").totals, DEFAULT_MON_STATE.totals);
  const d = press(DEFAULT_MON_STATE, "d");
  deepEqual(d.showDead, !DEFAULT_MON_STATE.showDead);
  deepEqual(d.mode, DEFAULT_MON_STATE.mode);
});

Deno.test("applyKey quits on q, Q and Ctrl-C and ignores other keys", () => {
  deepEqual(applyKey(DEFAULT_MON_STATE, "q"), "quit");
  deepEqual(applyKey(DEFAULT_MON_STATE, "Q"), "quit");
  deepEqual(applyKey(DEFAULT_MON_STATE, "\x03"), "quit");
  for (const k of ["x", " ", "\r", "1"]) {
    ok(applyKey(DEFAULT_MON_STATE, k) === DEFAULT_MON_STATE, k);
  }
});

Deno.test("splitKeys splits typed-ahead keys and drops escape sequences", () => {
  deepEqual(splitKeys("md"), ["m", "d"]);
  deepEqual(splitKeys("\x1b[A"), []); // arrow up
  deepEqual(splitKeys("\x1bOB"), []); // arrow down, SS3 form
  deepEqual(splitKeys("\x1b[1;5Cq"), ["q"]); // Ctrl-Right then q
  deepEqual(splitKeys("\x1bm"), []); // Alt-m is not m
  deepEqual(splitKeys("\x03"), ["\x03"]);
});

Deno.test("renderFrame never draws a line wider than the terminal", () => {
  const sets = [[], FOUR, many(50), many(2000)];
  const sizes = [
    [40, 10],
    [41, 11],
    [80, 24],
    [132, 43],
    [300, 80],
    [20, 5],
    [10, 3],
    [1, 1],
    [60, 2],
  ];
  for (const nodes of sets) {
    for (const [columns, rows] of sizes) {
      for (const mode of MODES) {
        for (const totals of [false, true]) {
          const state = { mode, totals, showDead: !totals };
          const lines = renderFrame(nodes, state, { columns, rows }, {
            clock: "23:59:59",
            notice: totals ? "daemon not answering: refused (retrying)" : "",
          });
          const where = `${nodes.length} nodes ${columns}x${rows} ${mode}`;
          deepEqual(lines.length, rows, where);
          for (const l of lines) {
            ok([...l].length <= columns, `${where}: ${l}`);
            ok(!l.includes("\x1b"), where);
          }
        }
      }
    }
  }
});

Deno.test("renderFrame has the mode and clock on top and the keys at the bottom", () => {
  const lines = renderFrame(FOUR, DEFAULT_MON_STATE, {
    columns: 80,
    rows: 12,
  }, { clock: "12:00:01" });
  match(lines[0], /^dmosix mon — load /);
  ok(lines[0].endsWith("12:00:01"));
  deepEqual(lines[0].length, 80);
  match(lines[11], /l load +s speed +m memory .* q quit/);
  const narrow = renderFrame(FOUR, DEFAULT_MON_STATE, {
    columns: 40,
    rows: 10,
  });
  match(narrow[9], /^keys: l s m r u t d q/);
});

Deno.test("renderFrame lists every node once, sorted by ID, when they fit", () => {
  const lines = renderFrame(FOUR, DEFAULT_MON_STATE, { columns: 80, rows: 24 });
  deepEqual(labels(lines), ["0x0001", "0x0002", "0x0003", "0x0004"]);
  ok(!lines.some((l) => l.includes("more")));
});

Deno.test("renderFrame shows as many nodes as fit and counts the rest as +N more", () => {
  for (
    const [n, columns, rows] of [[50, 40, 10], [2000, 300, 80], [40, 80, 12]]
  ) {
    const nodes = many(n);
    const lines = renderFrame(nodes, DEFAULT_MON_STATE, { columns, rows });
    const shown = labels(lines);
    const more = lines.join("\n").match(/\+(\d+) more/);
    if (more === null) {
      throw new Error(`no +N more: ${n} in ${columns}x${rows}`);
    }
    deepEqual(shown.length + Number(more[1]), n);
    // the shown ones are the lowest IDs (drawn column by column)
    deepEqual(
      shown.toSorted(),
      nodes.slice(0, shown.length).map((x) =>
        "0x" + x.id.toString(16).padStart(4, "0")
      ),
    );
  }
});

Deno.test("renderFrame uses several columns of bars on a wide terminal", () => {
  const lines = renderFrame(many(60), DEFAULT_MON_STATE, {
    columns: 200,
    rows: 24,
  });
  ok(lines.some((l) => (l.match(/0x[0-9a-f]{4}/g) ?? []).length > 1));
  deepEqual(labels(lines).length, 60);
});

Deno.test("renderFrame marks the dead, blocked and self nodes and hides the dead with d", () => {
  const state = DEFAULT_MON_STATE;
  const lines = renderFrame(FOUR, state, { columns: 80, rows: 12 });
  match(lineOf(lines, "0x0003"), /0x0003 +dead \(2m ago\) +-$/);
  match(lineOf(lines, "0x0002"), /^0x0002 B /);
  match(lineOf(lines, "0x0001"), /^0x0001\* /);
  const d = press(state, "d");
  const hidden = renderFrame(FOUR, d, { columns: 80, rows: 12 });
  ok(!labels(hidden).includes("0x0003"));
  match(hidden[0], /\(1 dead hidden\)/);
  const allDead = FOUR.map((n) => ({ ...n, status: "dead" as const }));
  ok(
    renderFrame(allDead, d, { columns: 80, rows: 12 }).some((l) =>
      l.includes("all 4 nodes are dead")
    ),
  );
});

Deno.test("renderFrame scales load bars to the largest of load and CPUs", () => {
  const nodes = [
    node(1, { load: 2, cpus: 8 }), // scale is 8: bar half shaded, a quarter solid
    node(2, { load: 8, cpus: 2 }), // at the scale: a full solid bar
  ];
  const lines = renderFrame(nodes, DEFAULT_MON_STATE, {
    columns: 48,
    rows: 6,
  });
  match(lines[0], /load 0\.\.8\.00/);
  const full = cellOf(lineOf(lines, "0x0002"), "0x0002");
  const barWidth = full.length - "0x0002   ".length - " 8.00".length;
  deepEqual(full, `0x0002   ${"█".repeat(barWidth)} 8.00`);
  const quarter = cellOf(lineOf(lines, "0x0001"), "0x0001");
  deepEqual(quarter.slice(9, 9 + barWidth), bar(2 / 8, 8 / 8, barWidth));
});

Deno.test("renderFrame shows memory used of total and utilization in percent", () => {
  const nodes = [node(1, { memTotal: 8 * GB, memFree: 2 * GB, memRaw: GB })];
  const at = (mode: MonMode) =>
    lineOf(
      renderFrame(nodes, { ...DEFAULT_MON_STATE, mode }, {
        columns: 60,
        rows: 5,
      }),
      "0x0001",
    );
  ok(at("mem").endsWith(" 6144/8192"));
  ok(at("raw").endsWith(" 7168/8192"));
  ok(at("util").endsWith(" 25%"));
  ok(at("speed").endsWith(" 10000"));
});

Deno.test("renderFrame shows the notice and the totals (t) under the title", () => {
  const lines = renderFrame(FOUR, { ...DEFAULT_MON_STATE, totals: true }, {
    columns: 120,
    rows: 12,
  }, { notice: "daemon not answering (retrying)" });
  deepEqual(lines[1], "! daemon not answering (retrying)");
  match(lines[2], /^nodes 2 up, 1 blocked, 1 dead, 4 total {3}CPUs 6\.4 /);
  match(lines[2], /speed 35000 {3}memory 26624 MB, 12288 MB free$/);
  const narrow = renderFrame(FOUR, { ...DEFAULT_MON_STATE, totals: true }, {
    columns: 40,
    rows: 12,
  });
  ok(narrow.slice(1, 4).some((l) => l.startsWith("memory ")));
});

Deno.test("renderFrame says so when no node is known", () => {
  const lines = renderFrame([], DEFAULT_MON_STATE, { columns: 40, rows: 10 });
  deepEqual(lines[1], "no nodes known yet");
});

Deno.test("bar draws solid eighths, then shading up to the extent, then blanks", () => {
  deepEqual(bar(0.5, 1, 10), "█████░░░░░");
  deepEqual(bar(0.55, 0, 10), "█████▌    ");
  deepEqual(bar(0.25, 0.5, 8), "██░░    ");
  deepEqual(bar(2, -1, 4), "████"); // clamped
  deepEqual(bar(NaN, 0, 3), "   ");
  for (let w = 0; w < 30; w++) {
    for (const f of [0, 0.01, 0.33, 0.5, 0.999, 1]) {
      deepEqual([...bar(f, 0.7, w)].length, w);
    }
  }
});

Deno.test("formatAge uses the largest whole unit", () => {
  deepEqual(formatAge(0), "0s");
  deepEqual(formatAge(35.9), "35s");
  deepEqual(formatAge(150), "2m");
  deepEqual(formatAge(3 * 3600 + 5), "3h");
  deepEqual(formatAge(3 * 86400), "3d");
});

Deno.test("summarize counts by status and sums only live nodes", () => {
  const t = summarize(FOUR);
  deepEqual(
    [t.nodes, t.up, t.blocked, t.dead],
    [4, 2, 1, 1],
  );
  deepEqual(t.cpus, 4 + 2 + 0.4);
  deepEqual(t.speed, 10000 + 20000 + 5000);
  deepEqual(t.memTotal, (16 + 8 + 2) * GB);
});

Deno.test("renderOnce prints a fixed-column table sorted by ID and a totals line", () => {
  const text = renderOnce(FOUR, "load");
  const lines = text.split("\n");
  deepEqual(lines[0].split(/\s+/), [...ONCE_COLUMNS]);
  deepEqual(lines.length, 1 + 4 + 1);
  deepEqual(lines[1].split(/\s+/), [
    "0x0001",
    "10.0.0.1",
    "up",
    "1.60",
    "10000",
    "4",
    "16384",
    "4096",
    "25",
    "0",
  ]);
  deepEqual(lines[4].split(/\s+/), [
    "0x0004",
    "10.0.0.4",
    "up",
    "0.40",
    "5000",
    "0.4",
    "2048",
    "4096",
    "25",
    "1",
  ]);
  deepEqual(lines.slice(1, 5).map((l) => l.split(/\s+/)[2]), [
    "up",
    "blocked",
    "dead",
    "up",
  ]);
  deepEqual(
    lines[5],
    "total: 4 nodes, 2 up, 1 blocked, 1 dead, 6.4 CPUs, speed 35000, 26624 MB, 12288 MB free",
  );
  ok(!text.includes("\x1b"));
  // columns line up: every row as long as the header or shorter only by trimming
  const starts = (l: string) => [...l.matchAll(/\S+/g)].map((m) => m.index);
  deepEqual(starts(lines[1]).slice(0, 3), starts(lines[0]).slice(0, 3));
});

Deno.test("renderOnce is the same for the same nodes in any order", () => {
  const a = renderOnce(FOUR, "mem");
  const b = renderOnce([...FOUR].reverse(), "mem");
  deepEqual(a, b);
  ok(!a.endsWith("\n"));
});

Deno.test("renderOnce shows raw free memory in raw mode", () => {
  const row = renderOnce([node(1, { memFree: 3 * GB, memRaw: GB })], "raw")
    .split("\n")[1].split(/\s+/);
  deepEqual(row[ONCE_COLUMNS.indexOf("FREE(MB)")], "1024");
  const row2 = renderOnce([node(1, { memFree: 3 * GB, memRaw: GB })], "load")
    .split("\n")[1].split(/\s+/);
  deepEqual(row2[ONCE_COLUMNS.indexOf("FREE(MB)")], "3072");
});

Deno.test("toJson lists every node sorted by ID with its hex ID and all fields", () => {
  const doc = toJson(FOUR);
  deepEqual(doc.nodes.map((n) => n.idHex), [
    "0x0001",
    "0x0002",
    "0x0003",
    "0x0004",
  ]);
  const back = JSON.parse(JSON.stringify(doc));
  deepEqual(back.nodes[2], {
    ...FOUR.find((n) => n.id === 3),
    idHex: "0x0003",
  });
  deepEqual(Object.keys(back.nodes[0]), [
    "id",
    "idHex",
    "address",
    "status",
    "load",
    "speed",
    "cpus",
    "memTotal",
    "memFree",
    "memRaw",
    "util",
    "age",
    "self",
  ]);
});

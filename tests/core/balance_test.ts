import { deepEqual, equal, ok } from "node:assert/strict";
import {
  admit,
  capacity,
  decide,
  DEFAULT_BALANCE_PARAMS,
  isEligibleTarget,
  isMovable,
  migrationCost,
  normalizedLoad,
  opportunityCost,
  placeNew,
  processRate,
  withoutDepartures,
} from "../../core/balance.ts";
import type {
  AdmitInput,
  BalanceInput,
  Decision,
  PlaceInput,
  ProcInfo,
  SentMove,
} from "../../core/balance.ts";
import type { NodeView } from "../../core/node_info.ts";
import { seededRandom } from "../../core/gossip_sim.ts";

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const NOW = 100_000;

/** A node of 1 reference CPU and 8 GiB, idle and fresh, unless overridden. */
function node(id: number, over: Partial<NodeView> = {}): NodeView {
  return {
    id,
    address: `10.0.0.${id}`,
    status: "up",
    load: 0,
    speed: 10000,
    cpus: 1,
    memTotal: 8 * GiB,
    memFree: 8 * GiB,
    memRaw: 8 * GiB,
    util: 0,
    age: 1,
    self: false,
    ...over,
  };
}

/** The balancing node itself: age 0, self true. */
function me(id: number, over: Partial<NodeView> = {}): NodeView {
  return node(id, { age: 0, self: true, ...over });
}

/** A CPU-bound process on node `where`, running for 60 s, 1 MiB. */
function proc(pid: number, where: number, over: Partial<ProcInfo> = {}) {
  return {
    pid,
    home: where,
    where,
    cpuShare: 1,
    memBytes: MiB,
    locked: false,
    lastMigratedAt: null,
    startedAt: NOW - 60_000,
    ...over,
  } satisfies ProcInfo;
}

/** `n` CPU-bound processes sharing node `where` of `cpus` CPUs. */
function procs(n: number, where: number, cpus = 1, from = 1): ProcInfo[] {
  const share = Math.min(1, cpus / n);
  return Array.from(
    { length: n },
    (_, i) => proc(from + i, where, { cpuShare: share }),
  );
}

/** decide() under many seeds; returns every decision list. */
function decideAll(input: BalanceInput, seeds = 20): Decision[][] {
  return Array.from(
    { length: seeds },
    (_, s) => decide(input, seededRandom(s + 1)),
  );
}

Deno.test("capacity and normalized load scale with CPUs and speed", () => {
  equal(capacity({ cpus: 0.4, speed: 10000 }), 0.4);
  equal(capacity({ cpus: 2, speed: 15000 }), 3);
  equal(normalizedLoad({ load: 2, cpus: 0.4, speed: 10000 }), 5);
  equal(normalizedLoad({ load: 3, cpus: 2, speed: 15000 }), 1);
  equal(normalizedLoad({ load: 1, cpus: 0, speed: 10000 }), Infinity);
});

Deno.test("processRate gives a fair share of at most one CPU, scaled by speed", () => {
  equal(processRate(1, 10000, 8), 1 / 8);
  equal(processRate(4, 10000, 2), 1);
  equal(processRate(1, 20000, 1), 2);
  equal(processRate(0.4, 10000, 2), 0.2);
  equal(processRate(4, 10000, 1, 0.3), 0.3);
});

Deno.test("migrationCost is the overhead plus transfer time at the assumed bandwidth", () => {
  const p = { bandwidth: 100e6, freezeOverheadMs: 20 };
  equal(migrationCost(0, p), 0.02);
  equal(migrationCost(500e6, p), 5.02);
});

Deno.test("opportunityCost is a sum of exponentials of the utilizations", () => {
  equal(opportunityCost(0, 0, 8), 2);
  equal(opportunityCost(1, 0.5, 4), 4 + 2);
  ok(
    opportunityCost(1, 0, 8) + opportunityCost(0, 0, 8) >
      2 * opportunityCost(0.5, 0, 8),
  );
});

Deno.test("isEligibleTarget refuses self, dead, blocked and stale nodes", () => {
  ok(isEligibleTarget(node(2), 1));
  ok(!isEligibleTarget(node(1), 1));
  ok(!isEligibleTarget(me(2), 1));
  ok(!isEligibleTarget(node(2, { status: "dead" }), 1));
  ok(!isEligibleTarget(node(2, { status: "blocked" }), 1));
  ok(!isEligibleTarget(node(2, { age: 31 }), 1));
  ok(isEligibleTarget(node(2, { age: 31 }), 1, { maxInfoAgeSec: 60 }));
});

Deno.test("isMovable refuses locked, migrating, absent and recently moved processes", () => {
  ok(isMovable(proc(1, 1), 1, NOW));
  ok(!isMovable(proc(1, 1, { locked: true }), 1, NOW));
  ok(!isMovable(proc(1, 1, { migrating: true }), 1, NOW));
  ok(!isMovable(proc(1, 2), 1, NOW));
  ok(!isMovable(proc(1, 1, { lastMigratedAt: NOW - 1000 }), 1, NOW));
  ok(isMovable(proc(1, 1, { lastMigratedAt: NOW - 5000 }), 1, NOW));
});

Deno.test("8 jobs on one of 4 idle nodes: moves spread over the idle nodes", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 8 }), node(2), node(3), node(4)],
    procs: procs(8, 1),
  };
  for (const ds of decideAll(input)) {
    equal(ds.length, DEFAULT_BALANCE_PARAMS.maxDecisions);
    equal(new Set(ds.map((d) => d.pid)).size, ds.length);
    const to = ds.map((d) => d.to);
    deepEqual([...new Set(to)].sort(), [2, 3, 4]);
    for (const d of ds) {
      equal(d.reason, "load");
      ok(d.gain > 2 * d.cost, `gain ${d.gain} cost ${d.cost}`);
    }
  }
});

Deno.test("decisions never target self, dead, blocked or stale nodes", () => {
  const bad = [
    node(2, { status: "dead" }),
    node(3, { status: "blocked" }),
    node(4, { age: 120 }),
  ];
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 8 }), ...bad],
    procs: procs(8, 1),
  };
  for (const ds of decideAll(input)) deepEqual(ds, []);
  input.nodes.push(node(5));
  for (const ds of decideAll(input)) {
    ok(ds.length > 0);
    for (const d of ds) equal(d.to, 5);
  }
});

Deno.test("locked and migrating processes are never moved", () => {
  const ps = procs(8, 1).map((p, i) => ({
    ...p,
    locked: i < 5,
    migrating: i === 5,
  }));
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 8 }), node(2), node(3), node(4)],
    procs: ps,
  };
  for (const ds of decideAll(input)) {
    ok(ds.length > 0);
    for (const d of ds) ok(d.pid === 7 || d.pid === 8, `moved ${d.pid}`);
  }
  input.procs = ps.map((p) => ({ ...p, locked: true }));
  for (const ds of decideAll(input)) deepEqual(ds, []);
});

Deno.test("equal loads give no moves", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [1, 2, 3, 4].map((id) =>
      id === 1 ? me(1, { load: 2 }) : node(id, { load: 2 })
    ),
    procs: procs(2, 1),
  };
  for (const ds of decideAll(input)) deepEqual(ds, []);
  // Also on 0.4-CPU nodes and on 4-CPU nodes with spare CPUs.
  for (const cpus of [0.4, 4]) {
    const nodes = input.nodes.map((n) => ({ ...n, cpus }));
    for (const ds of decideAll({ ...input, nodes, procs: procs(2, 1, cpus) })) {
      deepEqual(ds, []);
    }
  }
});

Deno.test("one more process here than there is no reason to swap", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 2 }), node(2, { load: 1 })],
    procs: procs(2, 1),
  };
  for (const ds of decideAll(input)) deepEqual(ds, []);
});

Deno.test("a slow loaded node pushes to a faster idle node, reason speed", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 1 }), node(2, { speed: 20000 })],
    procs: procs(1, 1),
  };
  for (const ds of decideAll(input)) {
    equal(ds.length, 1);
    equal(ds[0].to, 2);
    equal(ds[0].reason, "speed");
    // Over a 60 s horizon, twice the speed halves the time: 30 s saved.
    ok(Math.abs(ds[0].gain - 30) < 1e-9, `gain ${ds[0].gain}`);
  }
  // Between an idle node of equal speed and an idle fast one: the fast one.
  input.nodes = [me(1, { load: 2 }), node(2), node(3, { speed: 20000 })];
  input.procs = procs(2, 1);
  for (const ds of decideAll(input)) equal(ds[0].to, 3);
});

Deno.test("a faster node already busy is no gain", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 1 }), node(2, { speed: 20000, load: 1 })],
    procs: procs(1, 1),
  };
  for (const ds of decideAll(input)) deepEqual(ds, []);
});

Deno.test("a process that uses little CPU is not moved for load", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 1 }), node(2, { speed: 20000 })],
    procs: [proc(1, 1, { cpuShare: 0.05 })],
  };
  for (const ds of decideAll(input)) deepEqual(ds, []);
});

Deno.test("the gain must pay the migration: young and big processes stay", () => {
  const big = { memTotal: 64 * GiB, memFree: 64 * GiB };
  const base: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 4, ...big }), node(2, big)],
    procs: procs(4, 1),
  };
  const withAll = (over: Partial<ProcInfo>) => ({
    ...base,
    procs: base.procs.map((p) => ({ ...p, ...over })),
  });
  // Just started: nothing is known about how long it will run.
  for (const ds of decideAll(withAll({ startedAt: NOW - 10 }))) {
    deepEqual(ds, []);
  }
  // 2 GiB take ~21.5 s to move; 20 s of age saves 15 s: not enough.
  const fat = { memBytes: 2 * GiB };
  for (const ds of decideAll(withAll({ ...fat, startedAt: NOW - 20_000 }))) {
    deepEqual(ds, []);
  }
  // After 10 minutes the same move pays.
  for (const ds of decideAll(withAll({ ...fat, startedAt: NOW - 600_000 }))) {
    ok(ds.length >= 1);
    ok(ds[0].gain >= 2 * ds[0].cost);
  }
});

Deno.test("memory pressure moves a process to a node with room, not to one near its low-water mark", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [
      me(1, { load: 3, memTotal: 8 * GiB, memFree: 0.5 * GiB }),
      // After taking 1.5 GiB it would keep 1.1 GiB of 8: below 10 % + 5 %.
      node(2, { memFree: 2.6 * GiB }),
      node(3, { memFree: 6 * GiB, load: 2 }),
    ],
    procs: [
      proc(1, 1, { memBytes: 0.2 * GiB, startedAt: NOW }),
      proc(2, 1, { memBytes: 1.5 * GiB, startedAt: NOW }),
      proc(3, 1, { memBytes: 3 * GiB, startedAt: NOW }),
    ],
  };
  for (const ds of decideAll(input)) {
    // Deficit 0.3 GiB: the smallest process covering it is the 1.5 GiB one.
    deepEqual(ds, [{
      pid: 2,
      to: 3,
      reason: "memory",
      gain: 0.8 * GiB - 0.5 * GiB,
      cost: migrationCost(1.5 * GiB),
      rateHere: 0,
      weight: 1,
    }]);
  }
  // With nowhere to go, nothing moves.
  input.nodes[1] = node(2, { memFree: 1.25 * GiB });
  input.nodes[2] = node(3, { memFree: 1.3 * GiB });
  for (const ds of decideAll(input)) deepEqual(ds, []);
});

Deno.test("memory ushering moves as many as the deficit needs, largest first", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    // Swapping: free reads 0, the processes hold 10 GiB of 8.
    nodes: [me(1, { load: 4, memFree: 0 }), node(2), node(3), node(4)],
    procs: [1, 2, 3, 4].map((pid) =>
      proc(pid, 1, { memBytes: 2.5 * GiB, startedAt: NOW })
    ),
  };
  for (const ds of decideAll(input)) {
    equal(ds.length, 2);
    for (const d of ds) equal(d.reason, "memory");
    equal(new Set(ds.map((d) => d.to)).size, 2);
  }
});

Deno.test("residence time: a process that just arrived stays", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 2 }), node(2)],
    procs: procs(2, 1).map((p) => ({ ...p, lastMigratedAt: NOW - 2000 })),
  };
  for (const ds of decideAll(input)) deepEqual(ds, []);
  input.procs[1].lastMigratedAt = NOW - 6000;
  for (const ds of decideAll(input)) {
    deepEqual(ds.map((d) => [d.pid, d.to]), [[2, 2]]);
  }
});

Deno.test("moves sent recently count into a target whose information predates them", () => {
  const sent: SentMove[] = [1, 2, 3].map(() => ({
    to: 2,
    at: NOW - 1500,
    memBytes: MiB,
  }));
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    // Node 2 looked idle 2 s ago; we sent it 3 processes 1.5 s ago.
    nodes: [me(1, { load: 8 }), node(2, { age: 2 }), node(3, { load: 2 })],
    procs: procs(5, 1),
    sent,
  };
  for (const ds of decideAll(input)) {
    // Here 5, there 3 + 1: not worth it; node 3 at 2 + 1 is.
    ok(ds.length >= 1);
    equal(ds[0].to, 3);
    ok(ds.every((d) => d.to === 3 || d.to === 2));
  }
  // Without the record, node 2 looks idle and is the first choice.
  for (const ds of decideAll({ ...input, sent: [] })) equal(ds[0].to, 2);
});

Deno.test("a guest prefers its home among equally good targets", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 2 }), node(2), node(3), node(4)],
    procs: [
      proc(1, 1, { cpuShare: 0.5 }),
      proc(2, 1, { cpuShare: 0.5, home: 3 }),
    ],
  };
  for (const ds of decideAll(input)) {
    deepEqual(ds.map((d) => [d.pid, d.to]), [[2, 3]]);
  }
});

Deno.test("herd control: at most maxDecisions per round, and at random among equals", () => {
  const nodes = [me(1, { load: 40 })];
  for (let id = 2; id <= 41; id++) nodes.push(node(id));
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes,
    procs: procs(40, 1),
    params: { maxDecisions: 3 },
  };
  const targets = new Set<number>();
  for (const ds of decideAll(input, 30)) {
    equal(ds.length, 3);
    for (const d of ds) targets.add(d.to);
  }
  ok(targets.size >= 20, `only ${targets.size} distinct targets`);
});

/**
 * Two equal nodes that always see each other idle (information stuck at a
 * stale value): count the migrations over `rounds` 1 s rounds, with or
 * without the nodes passing their sent moves as the daemon does.
 */
function flipFlop(
  rounds: number,
  minResidenceMs: number,
  withSent: boolean,
): number {
  const ps: ProcInfo[] = [
    ...procs(2, 1, 1, 1),
    ...procs(2, 2, 1, 3),
  ].map((p) => ({ ...p, startedAt: 0 }));
  const sent: SentMove[][] = [[], [], []];
  const random = seededRandom(7);
  let moves = 0;
  for (let r = 1; r <= rounds; r++) {
    const now = r * 1000;
    for (const self of [1, 2]) {
      const other = 3 - self;
      const here = ps.filter((p) => p.where === self);
      const ds = decide({
        self,
        now,
        nodes: [me(self, { load: here.length }), node(other, { age: 2 })],
        procs: here.map((p) => ({ ...p, cpuShare: 1 / here.length })),
        sent: withSent ? sent[self] : [],
        params: { minResidenceMs },
      }, random);
      for (const d of ds) {
        const p = ps.find((x) => x.pid === d.pid)!;
        p.where = d.to;
        p.lastMigratedAt = now;
        sent[self].push({ to: d.to, at: now, memBytes: p.memBytes });
        moves++;
      }
    }
  }
  return moves;
}

Deno.test("residence time bounds ping-pong between two nodes with stale information", () => {
  const rounds = 60;
  const residence = DEFAULT_BALANCE_PARAMS.minResidenceMs;
  const bounded = flipFlop(rounds, residence, false);
  const free = flipFlop(rounds, 0, false);
  // Each of the 4 processes moves at most once per residence time.
  ok(bounded <= 4 * Math.ceil(rounds * 1000 / residence), `${bounded} moves`);
  ok(free > 2 * bounded, `without residence ${free}, with ${bounded}`);
  // Counting its own recent moves, a node sends less into the stale view.
  const counted = flipFlop(rounds, residence, true);
  ok(counted < bounded, `with sent moves ${counted}, without ${bounded}`);
});

Deno.test("decisions carry the rate here and the weight the target needs to admit them", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 4 }), node(2)],
    procs: procs(4, 1),
  };
  const [d] = decide(input, seededRandom(1));
  equal(d.rateHere, 0.25);
  equal(d.weight, 1);
});

Deno.test("admit refuses blocked targets, memory below the reserve and moves that gain nothing", () => {
  const base: AdmitInput = {
    self: me(2),
    running: 0,
    pendingBytes: 0,
    request: { reason: "load", rateHere: 0.25, weight: 1, memBytes: MiB },
  };
  ok(admit(base));
  ok(!admit({ ...base, self: me(2, { status: "blocked" }) }));
  // Others sent 3 here meanwhile: 1/4 is no better than 0.25.
  ok(!admit({ ...base, running: 3 }));
  ok(admit({ ...base, running: 2 }));
  // Accepted arrivals still in flight use memory: 8 GiB - 6.9 < 15 %.
  ok(!admit({ ...base, pendingBytes: 6.9 * GiB }));
  // Memory moves need room, not a better CPU rate.
  const mem = { reason: "memory" as const, rateHere: 0, weight: 1 };
  ok(admit({ ...base, running: 10, request: { ...mem, memBytes: GiB } }));
  ok(!admit({ ...base, request: { ...mem, memBytes: 7 * GiB } }));
});

Deno.test("placeNew keeps a new process home while home has a whole CPU for it", () => {
  const input: PlaceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { cpus: 2, load: 1 }), node(2), node(3)],
    startingHere: 0,
  };
  equal(placeNew(input, seededRandom(1)), null);
  // One more starting here: the new one would share.
  const busy = { ...input, startingHere: 1 };
  ok([2, 3].includes(placeNew(busy, seededRandom(1))!));
  // The daemon's own count is fresher than the view's load.
  const counted = { ...input, runningHere: 2 };
  ok([2, 3].includes(placeNew(counted, seededRandom(1))!));
});

Deno.test("placeNew: 8 processes started together spread 2 per node over 4 nodes", () => {
  for (let seed = 1; seed <= 10; seed++) {
    const random = seededRandom(seed);
    const nodes = [me(1, { cpus: 0.4 }), 2, 3, 4].map((n) =>
      typeof n === "number" ? node(n, { cpus: 0.4, age: 2 }) : n
    );
    const placed: SentMove[] = [];
    let startingHere = 0;
    for (let i = 0; i < 8; i++) {
      const to = placeNew(
        { self: 1, now: NOW + i * 100, nodes, startingHere, placed },
        random,
      );
      if (to === null) startingHere++;
      else placed.push({ to, at: NOW + i * 100, memBytes: 0 });
    }
    equal(startingHere, 2);
    for (const id of [2, 3, 4]) {
      equal(placed.filter((p) => p.to === id).length, 2, `seed ${seed}`);
    }
  }
});

Deno.test("placeNew needs the start margin and room, and skips unusable nodes", () => {
  const base: PlaceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 1 }), node(2, { load: 1 })],
    startingHere: 0,
  };
  // 1/2 here, 1/2 there: no gain.
  equal(placeNew(base, seededRandom(1)), null);
  const idle = { ...base, nodes: [me(1, { load: 1 }), node(2)] };
  equal(placeNew(idle, seededRandom(1)), 2);
  equal(placeNew({ ...idle, needBytes: 7.5 * GiB }, seededRandom(1)), null);
  for (
    const bad of [
      { status: "dead" as const },
      { status: "blocked" as const },
      { age: 60 },
    ]
  ) {
    const nodes = [me(1, { load: 1 }), node(2, bad)];
    equal(placeNew({ ...base, nodes }, seededRandom(1)), null);
  }
  // A faster busy node beats a loaded home when its rate is higher by the
  // start margin (40 %): 1.5 x yes, 1.3 x (noise between loads) no.
  const fast = [me(1, { load: 1 }), node(2, { load: 1, speed: 15000 })];
  equal(placeNew({ ...base, nodes: fast }, seededRandom(1)), 2);
  const bit = [me(1, { load: 1 }), node(2, { load: 1, speed: 13000 })];
  equal(placeNew({ ...base, nodes: bit }, seededRandom(1)), null);
});

Deno.test("placeNew counts starts it sent while the target's information predates them", () => {
  const input: PlaceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 2 }), node(2, { age: 2 }), node(3, { load: 1 })],
    startingHere: 0,
    // Two starts sent to node 2 since its information was measured.
    placed: [{ to: 2, at: NOW - 1000, memBytes: 0 }, {
      to: 2,
      at: NOW - 500,
      memBytes: 0,
    }],
  };
  for (let s = 1; s <= 10; s++) {
    equal(placeNew(input, seededRandom(s)), 3);
  }
  // Newer information includes them (one ended since): not counted twice,
  // node 2 and node 3 are equal.
  const later = {
    ...input,
    now: NOW + 5000,
    nodes: [
      me(1, { load: 2 }),
      node(2, { age: 2, load: 1 }),
      node(3, {
        load: 1,
      }),
    ],
  };
  const seen = new Set(
    Array.from({ length: 20 }, (_, s) => placeNew(later, seededRandom(s + 1))),
  );
  deepEqual([...seen].sort(), [2, 3]);
});

Deno.test("decide counts start placements into targets, not out of this node", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 4 }), node(2, { age: 2 })],
    procs: procs(4, 1),
    placed: [1, 2, 3].map(() => ({ to: 2, at: NOW - 500, memBytes: 0 })),
  };
  // Node 2 has 3 starts on the way: 4 here against 3 + 1 there.
  for (const ds of decideAll(input)) deepEqual(ds, []);
  ok(decideAll({ ...input, placed: [] }).every((ds) => ds.length > 0));
});

Deno.test("withoutDepartures takes off own processes that left after the load was measured", () => {
  const views = [
    me(1, { load: 2 }),
    node(2, { load: 2, age: 2 }),
    node(3, {
      load: 1,
      age: 2,
    }),
  ];
  // Measured at NOW - 3000 (age 2 s + 1 s lag).
  const out = withoutDepartures(views, [
    { from: 2, seenAt: NOW - 1000 }, // there when measured, gone now
    { from: 2, seenAt: NOW - 5000 }, // already gone when measured
    { from: 3, seenAt: NOW - 2500 },
    { from: 1, seenAt: NOW - 500 }, // this node counts its own
  ], NOW);
  deepEqual(out.map((v) => v.load), [2, 1, 0]);
  equal(withoutDepartures(views, [], NOW), views);
});

Deno.test("an own process that ended on a node makes room there at once", () => {
  const input: BalanceInput = {
    self: 1,
    now: NOW,
    nodes: [me(1, { load: 2 }), node(2, { load: 1, age: 3 })],
    procs: procs(2, 1),
  };
  // 2 here, 1 + 1 there: no move.
  for (const ds of decideAll(input)) deepEqual(ds, []);
  const nodes = withoutDepartures(input.nodes, [{
    from: 2,
    seenAt: NOW - 1000,
  }], NOW);
  for (const ds of decideAll({ ...input, nodes })) {
    equal(ds.length, 1);
    equal(ds[0].to, 2);
  }
});

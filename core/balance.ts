/**
 * The balancer's decisions: which of this node's processes to migrate where,
 * from the gossiped view of the cluster only. Pure: the clock is an input and
 * randomness a parameter, so a cluster of balancers can be simulated
 * (core/balance_sim.ts).
 *
 * Three kinds of move, each decision tagged with its reason:
 * - "memory": ushering. When this node's free memory is below the low-water
 *   mark, processes leave (best fit first, else largest first) to nodes that
 *   stay above their own mark plus a margin, whatever the CPU cost.
 * - "load": a process moves when the CPU rate it would get there beats the
 *   rate here by the hysteresis margin, the expected time saved over its
 *   horizon outweighs the migration cost, and the move lowers the
 *   opportunity cost of the two nodes.
 * - "speed": the same test, where the gain comes from the target's faster
 *   CPU rather than from a shorter run queue ("work moves from slow to fast
 *   nodes").
 *
 * Rates are in reference-CPU-seconds per second: a process on a node of
 * `cpus` CPUs at `speed` with `load` runnable processes gets
 * min(1, cpus / load) * speed / 10000, never more than one CPU.
 *
 * The horizon is the process's age: a process that has run long is expected
 * to run as long again (the classic MOSIX heuristic), so a newborn never moves
 * for load and a big one must have run long enough to pay its transfer.
 *
 * The opportunity cost of a node (Amir, Awerbuch, Barak, Borgstrom & Keren,
 * IEEE TPDS 11(7), 2000) is a^u_cpu + a^u_mem: u_mem the used fraction of
 * memory, u_cpu the normalized load divided by the largest normalized load in
 * the view (so it lies in [0, 1] and a^u stays finite), a = 2n by default.
 * Being convex, it refuses pointless swaps between equally loaded nodes and
 * prices memory against CPU.
 *
 * Stale, decentralized information: several nodes may see the same idle node
 * at once. Each round moves at most `maxDecisions` processes, picks at random
 * among the near-best targets, updates its local copy of a target's load and
 * memory after each decision, and counts its own recent moves (`sent`) into
 * targets whose gossiped information predates them. No ping-pong: a process
 * stays `minResidenceMs` after a migration, and a move needs the hysteresis
 * margin and `costFactor` times its cost in expected gain. Among near-best
 * moves, a guest going home is preferred (no more forwarding).
 *
 * A new process need not wait for that: {@linkcode placeNew} is the first
 * decision, made when it starts (mosrun without a where-option), from the
 * same rates, sending it off a home that cannot give it a whole CPU. Its
 * age cannot justify a move yet, but nor does a move cost anything yet but
 * the start elsewhere. The home places its starts one at a time and counts
 * them into targets like moves (`placed`), so a burst of starts spreads. And
 * the home knows before the gossip when its own processes leave a node:
 * {@linkcode withoutDepartures} corrects the view, so the node that just
 * became idle gets the last jobs without waiting for the gossip.
 *
 * The target can have the last word: {@linkcode admit} checks a request on
 * its fresh local state and refuses one that gains nothing any more because
 * others sent work there meanwhile; in simulation (core/balance_sim.ts) this
 * halves the migrations of a herd. The daemons do not ask it yet: a target
 * refuses only when blocked or full, and a herd is damped by the random
 * choice among near-best targets and `maxDecisions`.
 *
 * @module
 */

import type { NodeId } from "./ids.ts";
import type { NodeView } from "./node_info.ts";
import { REFERENCE_SPEED } from "./speed.ts";

/** A process running on this node, as the runtime measures it. */
export interface ProcInfo {
  /** Cluster process ID. */
  pid: number;
  /** Home node ID. */
  home: NodeId;
  /** Node where it runs now; processes elsewhere are ignored. */
  where: NodeId;
  /** Fraction of one local CPU it used recently (wall-clock, 0..1+). */
  cpuShare: number;
  /** Its memory in bytes (wasm memory size). */
  memBytes: number;
  /** `mosrun -L` or an explicitly named node: never moved automatically. */
  locked: boolean;
  /** Time of its last migration in ms, null if it never moved. */
  lastMigratedAt: number | null;
  /** Start time in ms. */
  startedAt: number;
  /** True while a migration of it is under way. */
  migrating?: boolean;
}

/** A migration this node started recently (kept by the caller). */
export interface SentMove {
  /** Target node. */
  to: NodeId;
  /** Time the migration started, ms. */
  at: number;
  /** Memory the process took along, bytes. */
  memBytes: number;
}

/** Tunables of {@linkcode decide}; see {@linkcode DEFAULT_BALANCE_PARAMS}. */
export interface BalanceParams {
  /** A process stays at least this long after a migration (ms). */
  minResidenceMs: number;
  /** The rate there must exceed the rate here by this fraction. */
  hysteresis: number;
  /** Expected gain must be at least this many times the migration cost. */
  costFactor: number;
  /** At most this many decisions per round (herd control). */
  maxDecisions: number;
  /** Targets within this fraction of the best score are picked at random. */
  nearBest: number;
  /** Memory ushering starts below this fraction of memTotal free. */
  memLowWater: number;
  /** A target must keep (memLowWater + memMargin) * memTotal free. */
  memMargin: number;
  /** Assumed transfer bandwidth, bytes per second. */
  bandwidth: number;
  /** Fixed cost of a migration (freeze, connect, resume), ms. */
  freezeOverheadMs: number;
  /** Nodes whose information is older than this are never targets (s). */
  maxInfoAgeSec: number;
  /** A sent move shows in gossiped load this long after it started (ms). */
  settleMs: number;
  /** A process using this fraction of its fair share counts as CPU-bound. */
  cpuBoundFraction: number;
  /** Base a of the opportunity cost; 0 means 2 * number of nodes (min 4). */
  costBase: number;
  /**
   * A new process starts elsewhere only if the rate there beats the rate
   * at home by this fraction ({@linkcode placeNew}).
   */
  startMargin: number;
}

/** Defaults of {@linkcode BalanceParams}. */
export const DEFAULT_BALANCE_PARAMS: Readonly<BalanceParams> = {
  // Five balancing rounds: enough for gossip to show the move's effect.
  minResidenceMs: 5000,
  hysteresis: 0.1,
  costFactor: 2,
  maxDecisions: 4,
  nearBest: 0.1,
  memLowWater: 0.1,
  memMargin: 0.05,
  // About 1 Gb/s Ethernet after protocol overhead.
  bandwidth: 100e6,
  freezeOverheadMs: 20,
  // Average gossip age is (n - 1) / w s; raise it for clusters beyond ~400.
  maxInfoAgeSec: 30,
  // Smoothed load (alpha 0.5 per 1 s sample) follows a step in about 3 s.
  settleMs: 3000,
  cpuBoundFraction: 0.75,
  costBase: 0,
  // More than the hysteresis: a newborn has no age to justify a move, and
  // the balancer fixes smaller differences once it has run a while. Loads
  // measured on one machine at different instants (nodes on loopback)
  // differ by a third, which must not send processes away.
  startMargin: 0.4,
};

/** What {@linkcode decide} asks for: migrate process `pid` to node `to`. */
export interface Decision {
  /** Process to move. */
  pid: number;
  /** Target node. */
  to: NodeId;
  /** Why: load balancing, faster CPU, or memory ushering. */
  reason: "load" | "memory" | "speed";
  /**
   * Expected gain: for "load" and "speed", seconds of run time saved over the
   * horizon; for "memory", bytes of the deficit below the low-water mark it
   * relieves.
   */
  gain: number;
  /** Expected migration cost, seconds. */
  cost: number;
  /**
   * Rate the process gets here, reference-CPU-seconds per second; 0 for
   * "memory". Sent with the request so the target can refuse a move that
   * would gain nothing there ({@linkcode admit}).
   */
  rateHere: number;
  /** Runnable processes it adds to the target's load (1 if CPU-bound). */
  weight: number;
}

/** Input of {@linkcode decide}. */
export interface BalanceInput {
  /** This node's ID. */
  self: NodeId;
  /** Current time, ms. */
  now: number;
  /** Gossiped view of the cluster, this node included (self: true). */
  nodes: NodeView[];
  /** Processes running on this node (its own and guests). */
  procs: ProcInfo[];
  /** Migrations this node started recently, for load not yet gossiped. */
  sent?: SentMove[];
  /**
   * New processes this node started on other nodes ({@linkcode placeNew})
   * recently: load there not yet gossiped, never load here.
   */
  placed?: SentMove[];
  /** Overrides of {@linkcode DEFAULT_BALANCE_PARAMS}. */
  params?: Partial<BalanceParams>;
}

/** Capacity in reference CPUs: cpus * speed / 10000. */
export function capacity(n: Pick<NodeView, "cpus" | "speed">): number {
  return Math.max(0, n.cpus) * Math.max(0, n.speed) / REFERENCE_SPEED;
}

/** Load per reference CPU; Infinity for a node without capacity. */
export function normalizedLoad(
  n: Pick<NodeView, "load" | "cpus" | "speed">,
): number {
  const c = capacity(n);
  return c > 0 ? Math.max(0, n.load) / c : Infinity;
}

/**
 * Rate in reference-CPU-seconds per second a process gets on a node of
 * `cpus` CPUs at `speed` with `load` runnable processes (itself included),
 * limited to one CPU and to `demand` (its own need, same unit).
 */
export function processRate(
  cpus: number,
  speed: number,
  load: number,
  demand = Infinity,
): number {
  const share = Math.min(1, cpus / Math.max(load, 1e-9));
  return Math.min(demand, Math.max(0, share) * speed / REFERENCE_SPEED);
}

/** Expected migration time in seconds: overhead + memBytes / bandwidth. */
export function migrationCost(
  memBytes: number,
  params: Pick<BalanceParams, "bandwidth" | "freezeOverheadMs"> =
    DEFAULT_BALANCE_PARAMS,
): number {
  return params.freezeOverheadMs / 1000 + memBytes / params.bandwidth;
}

/**
 * Opportunity cost of a node with CPU utilization `cpuUtil` and memory
 * utilization `memUtil` (both about 0..1): base^cpuUtil + base^memUtil.
 */
export function opportunityCost(
  cpuUtil: number,
  memUtil: number,
  base: number,
): number {
  return base ** cpuUtil + base ** memUtil;
}

/** Whether node `n` may receive a process from node `self` at all. */
export function isEligibleTarget(
  n: NodeView,
  self: NodeId,
  params: Pick<BalanceParams, "maxInfoAgeSec"> = DEFAULT_BALANCE_PARAMS,
): boolean {
  return n.id !== self && !n.self && n.status === "up" &&
    n.age <= params.maxInfoAgeSec && capacity(n) > 0 && n.memTotal > 0;
}

/**
 * Whether process `p` may be moved now: not locked, not migrating, here,
 * and past its residence time.
 */
export function isMovable(
  p: ProcInfo,
  self: NodeId,
  now: number,
  params: Pick<BalanceParams, "minResidenceMs"> = DEFAULT_BALANCE_PARAMS,
): boolean {
  return !p.locked && p.migrating !== true && p.where === self &&
    (p.lastMigratedAt === null ||
      now - p.lastMigratedAt >= params.minResidenceMs);
}

/** What a target knows when a migration request arrives. */
export interface AdmitInput {
  /** The target's own, fresh view of itself. */
  self: NodeView;
  /**
   * Processes runnable here now (the instant run queue, not the smoothed
   * load) plus arrivals already accepted that have not landed.
   */
  running: number;
  /** Memory of accepted arrivals that have not landed, bytes. */
  pendingBytes: number;
  /** The request. */
  request: Pick<Decision, "reason" | "rateHere" | "weight"> & {
    memBytes: number;
  };
  /** Overrides of {@linkcode DEFAULT_BALANCE_PARAMS}. */
  params?: Partial<BalanceParams>;
}

/**
 * Target-side check of a migration request, on fresh local state: refuse
 * when blocked, when the process would push this node below its memory
 * reserve, or (for "load" and "speed") when it would get no better rate here
 * than where it is, because other nodes sent work here meanwhile (the herd
 * that stale gossip causes). A refusal costs one message, not a transfer.
 */
export function admit(input: AdmitInput): boolean {
  const params = { ...DEFAULT_BALANCE_PARAMS, ...input.params };
  const v = input.self;
  const r = input.request;
  if (v.status !== "up") return false;
  const free = v.memFree - input.pendingBytes - r.memBytes;
  if (free < (params.memLowWater + params.memMargin) * v.memTotal) {
    return false;
  }
  if (r.reason === "memory") return true;
  const load = input.running + r.weight;
  return processRate(v.cpus, v.speed, load) > r.rateHere;
}

/** A node's state as this round sees it; updated as decisions are made. */
interface Est {
  view: NodeView;
  load: number;
  memFree: number;
}

/** Per-process figures that do not depend on the target. */
interface ProcEst {
  p: ProcInfo;
  /** Runnable processes it adds to a node's load. */
  weight: number;
  /** Work rate it can use, reference-CPU-s per s (Infinity: CPU-bound). */
  demand: number;
  /** Seconds, from its age. */
  horizon: number;
  /** Seconds. */
  cost: number;
}

/** One candidate move and its score (larger is better). */
interface Move {
  pe: ProcEst;
  to: Est;
  reason: Decision["reason"];
  gain: number;
  score: number;
  rateHere: number;
}

/**
 * Decide this round's migrations from node `input.self`. Returns at most
 * `maxDecisions` decisions, memory ushering first; an empty list when
 * nothing is worth moving. `random` returns numbers in [0, 1).
 */
export function decide(input: BalanceInput, random: () => number): Decision[] {
  const params = { ...DEFAULT_BALANCE_PARAMS, ...input.params };
  const selfView = input.nodes.find((n) => n.id === input.self);
  if (selfView === undefined || params.maxDecisions <= 0) return [];
  const targets = input.nodes
    .filter((n) => isEligibleTarget(n, input.self, params))
    .map((view) =>
      estimateTarget(view, input.now, [
        ...input.sent ?? [],
        ...input.placed ?? [],
      ], params)
    );
  if (targets.length === 0) return [];

  const local = input.procs.filter((p) =>
    p.where === input.self && p.migrating !== true
  );
  const me = estimateSelf(selfView, local, input, params);
  const base = params.costBase > 0
    ? params.costBase
    : Math.max(4, 2 * input.nodes.length);
  const cpuRef = [me, ...targets]
    .map((e) => normalizedLoad({ ...e.view, load: e.load }))
    .reduce((a, x) => Number.isFinite(x) ? Math.max(a, x) : a, 1);
  const ctx: Ctx = { me, base, cpuRef, params, random };

  let movable = local
    .filter((p) => isMovable(p, input.self, input.now, params))
    .map((p) => estimateProc(p, me, input.now, params));
  const out: Decision[] = [];
  while (out.length < params.maxDecisions) {
    const m = usherOne(movable, targets, ctx) ??
      balanceOne(movable, targets, ctx);
    if (m === undefined) break;
    apply(me, m);
    movable = movable.filter((x) => x !== m.pe);
    out.push({
      pid: m.pe.p.pid,
      to: m.to.view.id,
      reason: m.reason,
      gain: m.gain,
      cost: m.pe.cost,
      rateHere: m.rateHere,
      weight: m.pe.weight,
    });
  }
  return out;
}

/** An own process of this home that left a node (ended, or moved on). */
export interface Departure {
  /** The node it left. */
  from: NodeId;
  /** The last time it was seen running there, ms. */
  seenAt: number;
}

/**
 * The views with loads corrected for this home's own processes that left
 * a node after the node's load was measured: the home learns at once that
 * its process ended or moved on, the gossip a few seconds later. Without
 * this, the node that has just become idle looks busy for those seconds
 * and the last jobs wait at home on a slower share. `lagMs`: how much
 * older a load is than its information's age says.
 */
export function withoutDepartures(
  views: NodeView[],
  left: Departure[],
  now: number,
  lagMs = 1000,
): NodeView[] {
  if (left.length === 0) return views;
  return views.map((v) => {
    if (v.self) return v;
    const measured = now - v.age * 1000 - lagMs;
    const gone = left.filter((d) => d.from === v.id && d.seenAt >= measured)
      .length;
    return gone > 0 ? { ...v, load: Math.max(0, v.load - gone) } : v;
  });
}

/** Input of {@linkcode placeNew}. */
export interface PlaceInput {
  /** This (home) node's ID. */
  self: NodeId;
  /** Current time, ms. */
  now: number;
  /** Gossiped view of the cluster, this node included (self: true). */
  nodes: NodeView[];
  /**
   * Runnable processes here now, as counted by this node (the view's load
   * may be a round older); the larger of the two is used.
   */
  runningHere?: number;
  /** New processes kept here that neither count shows yet. */
  startingHere: number;
  /** Migrations this node started recently (see {@linkcode BalanceInput}). */
  sent?: SentMove[];
  /** New processes this node started elsewhere recently. */
  placed?: SentMove[];
  /** Free memory the new process needs, bytes. */
  needBytes?: number;
  /** Overrides of {@linkcode DEFAULT_BALANCE_PARAMS}. */
  params?: Partial<BalanceParams>;
}

/**
 * Where a new process should start: the balancer's first decision, made
 * before the process runs rather than a few rounds later, when its age
 * would justify the move. It stays home while home can give it a whole
 * CPU; otherwise it goes to the node where it gets the best rate, if that
 * beats home's by `startMargin` (picked at random among the near-best). Loads count this node's recent starts and moves that the
 * gossip does not show yet, so processes started together spread instead
 * of all picking the node that looked idle. Returns the target's ID, or
 * null to start at home.
 */
export function placeNew(
  input: PlaceInput,
  random: () => number,
): NodeId | null {
  const params = { ...DEFAULT_BALANCE_PARAMS, ...input.params };
  const v = input.nodes.find((n) => n.id === input.self);
  if (v === undefined) return null;
  const need = Math.max(0, input.needBytes ?? 0);
  const infoTime = input.now - v.age * 1000;
  let load = v.load;
  for (const s of input.sent ?? []) {
    if (infoTime < s.at + params.settleMs) load -= 1;
  }
  load = Math.max(load, input.runningHere ?? 0, 0) +
    Math.max(0, input.startingHere);
  // Home still has a whole CPU for it: no transfer, no forwarding.
  if (load + 1 <= v.cpus) return null;
  const here = processRate(v.cpus, v.speed, load + 1);
  const sent = [...input.sent ?? [], ...input.placed ?? []];
  const moves = input.nodes
    .filter((n) => isEligibleTarget(n, input.self, params))
    .map((n) => estimateTarget(n, input.now, sent, params))
    .filter((e) => e.memFree - need >= reserve(e, params))
    .map((e) => ({
      id: e.view.id,
      rate: processRate(e.view.cpus, e.view.speed, e.load + 1),
    }))
    .filter((m) => m.rate > here * (1 + params.startMargin));
  if (moves.length === 0) return null;
  const top = moves.reduce((a, m) => Math.max(a, m.rate), 0);
  const near = moves.filter((m) => m.rate >= top * (1 - params.nearBest));
  return near[Math.min(near.length - 1, Math.floor(random() * near.length))]
    .id;
}

interface Ctx {
  me: Est;
  base: number;
  cpuRef: number;
  params: BalanceParams;
  random: () => number;
}

/** Expected time (ms) a sent process lands at its target. */
function landsAt(s: SentMove, params: BalanceParams): number {
  return s.at + migrationCost(s.memBytes, params) * 1000;
}

/**
 * Target state with this node's own unreported moves to it added: memory
 * until information newer than the landing, load until the smoothed load
 * has had time to show it.
 */
function estimateTarget(
  view: NodeView,
  now: number,
  sent: SentMove[],
  params: BalanceParams,
): Est {
  const infoTime = now - view.age * 1000;
  let load = view.load, memFree = view.memFree;
  for (const s of sent) {
    if (s.to !== view.id) continue;
    const land = landsAt(s, params);
    if (infoTime < land + params.settleMs) load += 1;
    if (infoTime < land) memFree -= s.memBytes;
  }
  return { view, load, memFree };
}

/**
 * This node's state. Its smoothed load lags departures (a frozen process is
 * not runnable), so recent ones are taken off, but never below what the
 * processes here add up to; memory leaving is counted as free already.
 * `local` holds the processes here that are not migrating.
 */
function estimateSelf(
  view: NodeView,
  local: ProcInfo[],
  input: BalanceInput,
  params: BalanceParams,
): Est {
  const infoTime = input.now - view.age * 1000;
  let load = view.load, memFree = view.memFree;
  for (const s of input.sent ?? []) {
    if (infoTime < s.at + params.settleMs) load -= 1;
    if (infoTime < landsAt(s, params)) memFree += s.memBytes;
  }
  // Free memory reads 0 once the node swaps; the processes here tell more.
  const held = local.reduce((sum, p) => sum + Math.max(0, p.memBytes), 0);
  memFree = Math.min(memFree, view.memTotal - held);
  const fair = Math.min(1, view.cpus / Math.max(view.load, 1));
  const present = local.reduce(
    (sum, p) => sum + procWeight(p.cpuShare, fair, params),
    0,
  );
  return { view, load: Math.max(load, present, 0), memFree };
}

function estimateProc(
  p: ProcInfo,
  me: Est,
  now: number,
  params: BalanceParams,
): ProcEst {
  const v = me.view;
  const fair = Math.min(1, v.cpus / Math.max(me.load, 1));
  const cpuBound = p.cpuShare >= params.cpuBoundFraction * fair;
  return {
    p,
    weight: procWeight(p.cpuShare, fair, params),
    demand: cpuBound
      ? Infinity
      : Math.max(0, p.cpuShare) * v.speed / REFERENCE_SPEED,
    horizon: Math.max(0, now - p.startedAt) / 1000,
    cost: migrationCost(p.memBytes, params),
  };
}

/**
 * Runnable processes one process adds to a node's load: 1 when it takes
 * about its fair share of a CPU (CPU-bound), else the share it uses.
 */
function procWeight(
  cpuShare: number,
  fair: number,
  params: BalanceParams,
): number {
  return cpuShare >= params.cpuBoundFraction * fair
    ? 1
    : Math.min(1, Math.max(0, cpuShare));
}

/** Room a node keeps free for itself: no target goes below it. */
function reserve(e: Est, params: BalanceParams): number {
  return (params.memLowWater + params.memMargin) * e.view.memTotal;
}

/** Opportunity cost of a node at a given load and free memory. */
function nodeCost(e: Est, load: number, memFree: number, ctx: Ctx): number {
  // Capped: a node without capacity would make the cost infinite.
  const cpu = Math.min(4, normalizedLoad({ ...e.view, load }) / ctx.cpuRef);
  const mem = 1 - Math.max(0, memFree) / e.view.memTotal;
  return opportunityCost(cpu, Math.min(1, Math.max(0, mem)), ctx.base);
}

/** Change of the summed opportunity cost if `pe` moves from here to `to`. */
function costDelta(pe: ProcEst, to: Est, ctx: Ctx): number {
  const { me } = ctx;
  const m = pe.p.memBytes;
  const before = nodeCost(me, me.load, me.memFree, ctx) +
    nodeCost(to, to.load, to.memFree, ctx);
  const after = nodeCost(me, me.load - pe.weight, me.memFree + m, ctx) +
    nodeCost(to, to.load + pe.weight, to.memFree - m, ctx);
  return after - before;
}

/** The next memory-ushering move, if this node is below its low-water mark. */
function usherOne(
  movable: ProcEst[],
  targets: Est[],
  ctx: Ctx,
): Move | undefined {
  const { me, params } = ctx;
  const need = params.memLowWater * me.view.memTotal - me.memFree;
  if (!(need > 0)) return undefined;
  // Best fit: the smallest process that covers the deficit; then the largest.
  const order = movable.filter((pe) => pe.p.memBytes > 0).sort((a, b) => {
    const fa = a.p.memBytes >= need, fb = b.p.memBytes >= need;
    if (fa !== fb) return fa ? -1 : 1;
    return fa ? a.p.memBytes - b.p.memBytes : b.p.memBytes - a.p.memBytes;
  });
  for (const pe of order) {
    const moves: Move[] = [];
    for (const to of targets) {
      if (to.memFree - pe.p.memBytes < reserve(to, params)) continue;
      moves.push({
        pe,
        to,
        reason: "memory",
        gain: Math.min(pe.p.memBytes, need),
        score: -costDelta(pe, to, ctx),
        rateHere: 0,
      });
    }
    if (moves.length > 0) return pickNearBest(moves, ctx);
  }
  return undefined;
}

/**
 * The next load or speed move worth its cost, if any: among all (process,
 * target) pairs, one near the best.
 */
function balanceOne(
  movable: ProcEst[],
  targets: Est[],
  ctx: Ctx,
): Move | undefined {
  const { me } = ctx;
  const v = me.view;
  const moves: Move[] = [];
  for (const pe of movable) {
    if (pe.horizon <= 0) continue;
    const here = processRate(v.cpus, v.speed, me.load, pe.demand);
    if (!(here > 0) && pe.demand !== Infinity) continue;
    for (const to of targets) {
      const m = evaluate(pe, here, to, ctx);
      if (m !== undefined) moves.push(m);
    }
  }
  return moves.length > 0 ? pickNearBest(moves, ctx) : undefined;
}

/** Score of moving `pe` (getting rate `here` now) to `to`, if worth it. */
function evaluate(
  pe: ProcEst,
  here: number,
  to: Est,
  ctx: Ctx,
): Move | undefined {
  const { me, params } = ctx;
  const t = to.view;
  if (to.memFree - pe.p.memBytes < reserve(to, params)) return undefined;
  const there = processRate(t.cpus, t.speed, to.load + pe.weight, pe.demand);
  if (!(there > here * (1 + params.hysteresis))) return undefined;
  // Remaining work is horizon * here; there it takes horizon * here / there.
  const gain = pe.horizon * (1 - here / there);
  if (gain < params.costFactor * pe.cost) return undefined;
  if (!(costDelta(pe, to, ctx) < 0)) return undefined;
  // Would the run queues alone justify it, at equal speeds?
  const v = me.view;
  const shareHere = Math.min(1, v.cpus / Math.max(me.load, 1e-9));
  const shareThere = Math.min(1, t.cpus / (to.load + pe.weight));
  const byLoad = shareThere > shareHere * (1 + params.hysteresis);
  return {
    pe,
    to,
    reason: byLoad ? "load" : "speed",
    gain,
    score: gain - pe.cost,
    rateHere: here,
  };
}

/**
 * Pick among the moves scoring within `nearBest` of the best: one taking a
 * guest home if there is one (no more forwarding), else one at random.
 */
function pickNearBest(moves: Move[], ctx: Ctx): Move {
  const top = moves.reduce((a, m) => Math.max(a, m.score), -Infinity);
  const slack = ctx.params.nearBest * Math.abs(top);
  const near = moves.filter((m) => m.score >= top - slack);
  const home = near.find((m) =>
    m.to.view.id === m.pe.p.home && m.pe.p.home !== ctx.me.view.id
  );
  if (home !== undefined) return home;
  const i = Math.min(near.length - 1, Math.floor(ctx.random() * near.length));
  return near[i];
}

/** Update the local estimates as if the move had happened. */
function apply(me: Est, m: Move): void {
  me.load -= m.pe.weight;
  me.memFree += m.pe.p.memBytes;
  m.to.load += m.pe.weight;
  m.to.memFree -= m.pe.p.memBytes;
}

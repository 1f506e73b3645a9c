/**
 * Where a batch job goes. Batch jobs never move afterwards, so the choice
 * at start is all there is. The gossiped load of a node is a little old:
 * when `make -j16` starts sixteen jobs in the same second, every one of them
 * would see the same idle node, and short jobs are over before the gossip
 * says they started. So a home remembers its recent placements and when
 * they ended (core/batch_journal.ts). A node's load is estimated as what
 * the gossip says, minus this home's jobs that were running there when it
 * was measured, plus this home's jobs running there now; then the best node
 * is taken (core/node_target.ts bestNode: load per capacity, free memory).
 * Pure.
 *
 * @module
 */

import type { NodeView } from "./node_info.ts";
import { bestNode } from "./node_target.ts";

/** One job this home placed. */
export interface Placement {
  /** Node it was sent to. */
  node: number;
  /** When, ms. */
  at: number;
  /** The mosrun process that runs it (alive while the job runs). */
  pid: number;
  /** When it ended, ms (unset while it runs). */
  end?: number;
}

/**
 * How much older a node's load is than the age of its information says,
 * ms: the load is sampled a round before it is gossiped, and ages count in
 * whole gossip units.
 */
export const LOAD_LAG_MS = 1_000;

/** How long a placement is remembered at most, ms. */
export const PLACEMENT_KEEP_MS = 60_000;

/** True when placement `p` was running at time `t`. */
function runningAt(p: Placement, t: number): boolean {
  return p.at <= t && (p.end === undefined || p.end > t);
}

/**
 * The views with each node's load corrected by our own placements: the
 * others' share of the gossiped load (what is left after taking out our
 * jobs running when it was measured), plus our jobs running there now.
 */
export function withOwnPlacements(
  views: NodeView[],
  placed: Placement[],
  now: number,
  lagMs = LOAD_LAG_MS,
): NodeView[] {
  return views.map((v) => {
    const mine = placed.filter((p) => p.node === v.id);
    if (mine.length === 0) return v;
    const measured = now - v.age * 1000 - lagMs;
    const then = mine.filter((p) => runningAt(p, measured)).length;
    const nowRunning = mine.filter((p) => p.end === undefined).length;
    const load = Math.max(0, v.load - then) + nowRunning;
    return load === v.load ? v : { ...v, load };
  });
}

/**
 * The best node for a new job with `needBytes` free memory, or undefined.
 * Equal nodes other than home are taken in random order (`random`), so
 * ties do not always send the job to the same one.
 */
export function placeBatchJob(
  views: NodeView[],
  placed: Placement[],
  now: number,
  needBytes = 0,
  random: () => number = Math.random,
): NodeView | undefined {
  return bestNode(
    shuffle(withOwnPlacements(views, placed, now), random),
    needBytes,
  );
}

/** A shuffled copy (Fisher-Yates): bestNode keeps the order of ties. */
export function shuffle<T>(xs: T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [out[i], out[k]] = [out[k], out[i]];
  }
  return out;
}

/**
 * Placements still worth remembering (younger than `keepMs`); one whose
 * mosrun is gone without saying so ended now, as far as we know.
 */
export function prunePlacements(
  placed: Placement[],
  alive: (pid: number) => boolean,
  now: number,
  keepMs = PLACEMENT_KEEP_MS,
): Placement[] {
  return placed.filter((p) => now - p.at < keepMs).map((p) =>
    p.end === undefined && !alive(p.pid) ? { ...p, end: now } : p
  );
}

/** The placements with the one of process `pid` marked ended at `now`. */
export function markEnded(
  placed: Placement[],
  pid: number,
  now: number,
): Placement[] {
  return placed.map((p) =>
    p.pid === pid && p.end === undefined ? { ...p, end: now } : p
  );
}

/** Placements read back from a journal; anything malformed is dropped. */
export function parsePlacements(text: string): Placement[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v.filter((p): p is Placement =>
    typeof p === "object" && p !== null &&
    Number.isSafeInteger(p.node) && Number.isFinite(p.at) &&
    Number.isSafeInteger(p.pid) &&
    (p.end === undefined || Number.isFinite(p.end))
  ).map((p) =>
    p.end === undefined
      ? { node: p.node, at: p.at, pid: p.pid }
      : { node: p.node, at: p.at, pid: p.pid, end: p.end }
  );
}

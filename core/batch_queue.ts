/**
 * Queued batch jobs (mosrun -q, as in MOSIX): instead of starting at once
 * on the best node however loaded, a job waits at home until some node has
 * a free CPU, then starts there. Jobs submitted together start in the
 * order they came, each as soon as a CPU frees anywhere, so unequal jobs
 * end up balanced even though none ever moves. Pure: the home's journal
 * (core/batch_journal.ts) holds the placements and the waiting jobs.
 *
 * @module
 */

import {
  parsePlacements,
  type Placement,
  prunePlacements,
  shuffle,
  withOwnPlacements,
} from "./batch_placement.ts";
import type { NodeView } from "./node_info.ts";
import { bestNode, unavailable } from "./node_target.ts";

/** A job waiting for a free CPU. */
export interface Waiter {
  /** Its mosrun. */
  pid: number;
  /** When it started waiting, ms. */
  since: number;
}

/** What the home's journal holds. */
export interface Journal {
  /** Jobs placed recently (running or ended). */
  placed: Placement[];
  /** Jobs waiting for a free CPU, in no particular order. */
  waiting: Waiter[];
}

/** Jobs a node takes at once when queueing: one per CPU, at least one. */
export function slots(v: NodeView): number {
  return Math.max(1, Math.round(v.cpus));
}

/** Read a journal back; anything malformed is dropped. */
export function parseJournal(text: string): Journal {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { placed: [], waiting: [] };
  }
  const o = (typeof v === "object" && v !== null ? v : {}) as Record<
    string,
    unknown
  >;
  const waiting = Array.isArray(o.waiting)
    ? o.waiting.filter((w): w is Waiter =>
      typeof w === "object" && w !== null && Number.isSafeInteger(w.pid) &&
      Number.isFinite(w.since)
    ).map((w) => ({ pid: w.pid, since: w.since }))
    : [];
  return { placed: parsePlacements(JSON.stringify(o.placed ?? [])), waiting };
}

/** The journal without what no longer matters (see prunePlacements). */
export function pruneJournal(
  j: Journal,
  alive: (pid: number) => boolean,
  now: number,
): Journal {
  return {
    placed: prunePlacements(j.placed, alive, now),
    waiting: j.waiting.filter((w) => alive(w.pid)),
  };
}

/** What a queued job does now. */
export type QueueStep =
  | { kind: "place"; node: NodeView }
  | { kind: "wait"; ahead: number };

/**
 * One look at the queue for the job of `pid`: it may start if fewer jobs
 * came before it than there are free CPUs now (estimated as in
 * withOwnPlacements), on the best node with a free CPU. Returns the step
 * and the journal to write back (the job added to, or taken off, the
 * waiting list; its placement recorded). Ties go home, then at random.
 */
export function queueStep(
  views: NodeView[],
  j: Journal,
  pid: number,
  now: number,
  needBytes = 0,
  random: () => number = Math.random,
): { step: QueueStep; next: Journal } {
  const waiting = j.waiting.some((w) => w.pid === pid)
    ? j.waiting
    : [...j.waiting, { pid, since: now }];
  const order = [...waiting].sort((a, b) => a.since - b.since || a.pid - b.pid);
  const ahead = order.findIndex((w) => w.pid === pid);
  const open = withOwnPlacements(views, j.placed, now).filter((v) =>
    unavailable(v) === null && v.memFree >= needBytes && v.load < slots(v)
  );
  const free = open.reduce(
    (n, v) => n + Math.max(0, Math.ceil(slots(v) - v.load)),
    0,
  );
  const best = ahead < free
    ? bestNode(shuffle(open, random), needBytes)
    : undefined;
  if (!best) {
    return { step: { kind: "wait", ahead }, next: { ...j, waiting } };
  }
  return {
    step: { kind: "place", node: best },
    next: {
      placed: [...j.placed, { node: best.id, at: now, pid }],
      waiting: waiting.filter((w) => w.pid !== pid),
    },
  };
}

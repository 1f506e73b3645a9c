/**
 * The balancer of one node at work: every round it collects the processes
 * running here (its own, found through their sockets in the run directory,
 * and the guests it hosts), asks core/balance.ts what to move where from the
 * gossiped view only, and starts those moves. Own processes are told to
 * migrate; guests are sent on through their homes, which do the transfer.
 * It also places new processes as mosrun starts them ({@linkcode
 * BalancerLoop.place}), and corrects the gossiped view with what it sees of
 * its own processes first (started elsewhere, arrived, ended or moved on).
 *
 * @module
 */

import {
  decide,
  type Departure,
  placeNew,
  type ProcInfo,
  type SentMove,
  withoutDepartures,
} from "../core/balance.ts";
import { pidAlive } from "../core/batch_journal.ts";
import { formatNodeId } from "../core/ids.ts";
import type { NodeView } from "../core/node_info.ts";
import { locationOf } from "../core/node_target.ts";
import { callProc, listProcPids } from "../core/proc_socket.ts";
import type { GuestHost } from "./guest_host.ts";
import type { Logger } from "./log.ts";

/** What the loop needs from the daemon. */
export interface BalancerDeps {
  /** This node's ID. */
  self: () => number;
  /** The gossiped view, self included. */
  views: () => NodeView[];
  /** The run directory holding procs/. */
  runDir: string;
  /** The hosted guests. */
  guests: GuestHost;
  /** Batch jobs running here for other nodes (they load it, never move). */
  batchJobs?: () => number;
  /** Log lines. */
  log: Logger;
  /** Random source. */
  random: () => number;
  /** Whether a local process exists (default: /proc). */
  alive?: (pid: number) => boolean;
}

/** Status a home process reports on its socket. */
interface HomeStatus {
  pid: number;
  where: number;
  stat: string;
  locked?: boolean;
  startedAt?: number;
  lastMigratedAt?: number | null;
  memBytes?: number;
}

/** A start placement ({@linkcode BalancerLoop.place}) is forgotten after, ms. */
const PLACED_KEEP_MS = 60_000;
/** A process kept home counts as starting at most this long, ms. */
const STARTING_KEEP_MS = 30_000;
/** A departure matters until the gossip shows it, at most this long, ms. */
const DEPARTED_KEEP_MS = 30_000;

/** Where {@linkcode BalancerLoop.place} starts a new process. */
export interface PlaceRequest {
  /** Its mosrun's PID. */
  pid: number;
  /** Free memory it needs, bytes. */
  needBytes?: number;
}

/** A placement request from the control socket, or null if malformed. */
export function parsePlaceRequest(x: unknown): PlaceRequest | null {
  if (typeof x !== "object" || x === null) return null;
  const { pid, needBytes } = x as Record<string, unknown>;
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return null;
  if (
    needBytes !== undefined &&
    !(typeof needBytes === "number" && needBytes >= 0)
  ) return null;
  return { pid: pid as number, needBytes: needBytes as number | undefined };
}

/**
 * A new process this node started elsewhere. Its mosrun needs a while to
 * start and send it (seconds when home is busy), so it counts as arriving
 * now until a round sees it there, then as a move that landed then.
 */
interface Placement {
  pid: number;
  to: number;
  at: number;
  landedAt: number | null;
}

/** Runs balancing rounds and counts the processes running here. */
export class BalancerLoop {
  #d: BalancerDeps;
  #sent: SentMove[] = [];
  /** New processes started on other nodes ({@linkcode place}). */
  #placed: Placement[] = [];
  /** New processes kept home whose sockets no round has seen yet. */
  #starting: { pid: number; at: number }[] = [];
  /** Own processes at home at the last round. */
  #seen = new Set<number>();
  /** Own processes away: where, and when a round last saw them there. */
  #away = new Map<number, { where: number; seenAt: number }>();
  /** Own processes that left a node recently (ended or moved on). */
  #left: Departure[] = [];
  /** Cluster processes running on this node at the last round. */
  runningHere = 0;
  /** Whether rounds may move processes (omdiscd --no-balance turns it off). */
  enabled = true;

  /** Make the loop; call {@linkcode round} every balancing interval. */
  constructor(d: BalancerDeps) {
    this.#d = d;
  }

  /** Bring every own process running elsewhere home and pin it there; how many. */
  async bringHome(): Promise<number> {
    // Our recent moves no longer stand for load over there.
    this.#sent = [];
    let n = 0;
    for (const pid of listProcPids(this.#d.runDir)) {
      try {
        await callProc(this.#d.runDir, pid, "lock", {}, 5000);
        const s = await callProc<HomeStatus>(
          this.#d.runDir,
          pid,
          "status",
          {},
          5000,
        );
        // Always ask, even if it looks home: a move requested earlier may
        // still be queued in the process; ours runs after it.
        await callProc(this.#d.runDir, pid, "migrate", {
          to: { kind: "home" },
          wait: true,
        }, 60000);
        if (s.where !== 0 || s.stat === "M") n++;
      } catch (e) {
        this.#d.log.warn(`bring: ${pid}: ${(e as Error).message}`);
      }
    }
    return n;
  }

  /**
   * Where a new process starts (mosrun without a where-option): the node
   * ID, or null for home, always home when balancing is off. Placements are
   * made one at a time and remembered, so processes started together spread
   * over the cluster (core/balance.ts placeNew).
   */
  place(req: PlaceRequest, now = Date.now()): number | null {
    if (!this.enabled) return null;
    this.#starting = this.#starting.filter((s) =>
      now - s.at < STARTING_KEEP_MS && !this.#seen.has(s.pid)
    );
    const to = placeNew({
      self: this.#d.self(),
      now,
      nodes: this.#views(now),
      runningHere: this.runningHere,
      startingHere: this.#starting.length,
      sent: this.#sent,
      placed: this.#placedMoves(now),
      needBytes: req.needBytes,
    }, this.#d.random);
    if (to === null) this.#starting.push({ pid: req.pid, at: now });
    else {
      this.#placed.push({ pid: req.pid, to, at: now, landedAt: null });
      this.#d.log.info(
        `balance: starting ${req.pid} on ${formatNodeId(to)} (home is busy)`,
      );
    }
    return to;
  }

  /** Recent start placements as moves, for the load not yet gossiped. */
  #placedMoves(now: number): SentMove[] {
    this.#placed = this.#placed.filter((p) => now - p.at < PLACED_KEEP_MS);
    return this.#placed.map((p) => ({
      to: p.to,
      at: p.landedAt ?? now,
      memBytes: 0,
    }));
  }

  #alive(pid: number): boolean {
    return (this.#d.alive ?? pidAlive)(pid);
  }

  /** The gossiped view, corrected for own processes that left nodes. */
  #views(now: number): NodeView[] {
    this.#left = this.#left.filter((d) => now - d.seenAt < DEPARTED_KEEP_MS);
    return withoutDepartures(this.#d.views(), this.#left, now);
  }

  /** Note which placed processes have left (landed) or stayed home. */
  #track(own: HomeStatus[], now: number): void {
    const away = new Map<number, { where: number; seenAt: number }>();
    for (const s of own) {
      if (s.where !== 0) away.set(s.pid, { where: s.where, seenAt: now });
    }
    const seen = new Set(own.map((s) => s.pid));
    for (const [pid, was] of this.#away) {
      // No answer from a mosrun that still runs: as far as we know, there.
      if (!seen.has(pid) && this.#alive(pid)) away.set(pid, was);
      else if (away.get(pid)?.where !== was.where) {
        this.#left.push({ from: was.where, seenAt: was.seenAt });
      }
    }
    this.#away = away;
    const where = new Map(own.map((s) => [s.pid, s.where]));
    this.#placed = this.#placed.filter((p) => {
      const w = where.get(p.pid);
      if (w === 0) return false; // it could not leave: counted here now
      if (w !== undefined && p.landedAt === null) p.landedAt = now;
      // A mosrun that ended before its process left loads nothing.
      return p.landedAt !== null || this.#alive(p.pid);
    });
  }

  /** Own processes, wherever they run, from their sockets. */
  async #ownProcs(): Promise<HomeStatus[]> {
    const pids = listProcPids(this.#d.runDir);
    const out: HomeStatus[] = [];
    await Promise.all(pids.map(async (pid) => {
      try {
        const s = await callProc<HomeStatus>(
          this.#d.runDir,
          pid,
          "status",
          {},
          2000,
        );
        out.push(s);
      } catch {
        // gone or not ours
      }
    }));
    return out;
  }

  /**
   * One round: look, decide, move. With `only`, consider just that process,
   * even if balancing is off or it is pinned (`migrate PID balance`); the
   * result says where it goes (null: it stays).
   */
  async round(now = Date.now(), only?: number): Promise<number | null> {
    const self = this.#d.self();
    const own = await this.#ownProcs();
    const home = own.filter((s) => s.where === 0);
    const guests = this.#d.guests.guests();
    if (only === undefined) {
      this.#track(own, now);
      this.runningHere = home.length + guests.length +
        (this.#d.batchJobs?.() ?? 0);
      this.#seen = new Set(home.map((h) => h.pid));
    }
    if (only === undefined && (!this.enabled || this.runningHere === 0)) {
      return null;
    }
    const procs: ProcInfo[] = [
      ...home.map((h) => ({
        pid: h.pid,
        home: self,
        where: self,
        cpuShare: 1,
        memBytes: h.memBytes ?? 0,
        locked: h.locked ?? false,
        lastMigratedAt: h.lastMigratedAt ?? null,
        startedAt: h.startedAt ?? now,
        migrating: h.stat === "M",
      })),
      ...guests.map((g) => ({
        pid: g.pid,
        home: g.home,
        where: self,
        cpuShare: 1,
        memBytes: g.memBytes,
        locked: g.locked,
        lastMigratedAt: g.since,
        startedAt: g.startedAt,
      })),
    ];
    this.#sent = this.#sent.filter((s) => now - s.at < 60000);
    const views = this.#views(now);
    if (only !== undefined && !procs.some((p) => p.pid === only)) {
      throw new Error(`process ${only} does not run on this node`);
    }
    // For `migrate PID balance` the others stay in the picture (they load
    // this node) but only PID may move, pinned or not.
    const candidates = only === undefined
      ? procs
      : procs.map((p) =>
        p.pid === only
          ? { ...p, locked: false, lastMigratedAt: null }
          : { ...p, locked: true }
      );
    const decisions = decide({
      self,
      now,
      nodes: views,
      procs: candidates,
      sent: this.#sent,
      placed: this.#placedMoves(now),
    }, this.#d.random);
    for (const dec of decisions) {
      const target = views.find((v) => v.id === dec.to);
      if (!target) continue;
      const proc = procs.find((p) => p.pid === dec.pid)!;
      const to = proc.home === dec.to && proc.home !== self
        ? { kind: "home" as const }
        : locationOf(target);
      this.#sent.push({ to: dec.to, at: now, memBytes: proc.memBytes });
      this.#d.log.info(
        `balance: moving ${dec.pid} to ${
          formatNodeId(dec.to)
        } (${dec.reason}, gain ${dec.gain.toFixed(1)} s, cost ${
          dec.cost.toFixed(2)
        } s, rate here ${dec.rateHere.toFixed(2)})`,
      );
      // The target checks an automatic move on its fresh state before the
      // process is frozen (core/balance.ts admit); `migrate PID balance`
      // is the user's request and goes unchecked.
      const admit = only === undefined
        ? { reason: dec.reason, rateHere: dec.rateHere, weight: dec.weight }
        : undefined;
      if (proc.home === self) {
        callProc(this.#d.runDir, dec.pid, "migrate", {
          to,
          wait: false,
          auto: only === undefined,
          ...(admit ? { admit } : {}),
        }, 5000)
          .catch((e) =>
            this.#d.log.warn(`balance: ${dec.pid}: ${(e as Error).message}`)
          );
      } else {
        this.#d.guests.move(dec.pid, to, admit);
      }
    }
    return decisions.find((d) => d.pid === only)?.to ?? null;
  }
}

/**
 * The balancer of one node at work: every round it collects the processes
 * running here (its own, found through their sockets in the run directory,
 * and the guests it hosts), asks core/balance.ts what to move where from the
 * gossiped view only, and starts those moves. Own processes are told to
 * migrate; guests are sent on through their homes, which do the transfer.
 *
 * @module
 */

import { decide, type ProcInfo, type SentMove } from "../core/balance.ts";
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

/** Runs balancing rounds and counts the processes running here. */
export class BalancerLoop {
  #d: BalancerDeps;
  #sent: SentMove[] = [];
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

  /** Own processes running at home, from their sockets. */
  async #homeProcs(): Promise<HomeStatus[]> {
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
        if (s.where === 0) out.push(s);
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
    const home = await this.#homeProcs();
    const guests = this.#d.guests.guests();
    if (only === undefined) {
      this.runningHere = home.length + guests.length +
        (this.#d.batchJobs?.() ?? 0);
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
    const views = this.#d.views();
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
        } s)`,
      );
      if (proc.home === self) {
        callProc(this.#d.runDir, dec.pid, "migrate", {
          to,
          wait: false,
          auto: only === undefined,
        }, 5000)
          .catch((e) =>
            this.#d.log.warn(`balance: ${dec.pid}: ${(e as Error).message}`)
          );
      } else {
        this.#d.guests.move(dec.pid, to);
      }
    }
    return decisions.find((d) => d.pid === only)?.to ?? null;
  }
}

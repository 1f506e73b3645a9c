/**
 * What the web monitor shows, kept up to date: the load history of every
 * node (always, one sample per gossip unit, so a page opened later still
 * sees the last minutes), and, while someone watches, every cluster process
 * with its home and node, polled from all live nodes ("info.procs") and
 * diffed into start / migration / exit events.
 *
 * @module
 */

import { LoadHistory, type LoadSample } from "../core/load_history.ts";
import { diffProcesses, type ProcessEvent } from "../core/migration_events.ts";
import { type MonJsonNode, toJson } from "../core/mon_view.ts";
import type { NodeView } from "../core/node_info.ts";
import {
  type ClusterProcess,
  keepSilent,
  mergeProcesses,
  normalizeReport,
  type ProcReport,
} from "../core/web_state.ts";
import type { InfoService } from "./info_service.ts";
import type { Logger } from "./log.ts";

/** What the monitor needs from the daemon. */
export interface WebMonitorDeps {
  /** This node's ID. */
  self: () => number;
  /** The gossiped view, self included. */
  views: () => NodeView[];
  /** Local answers and links to the other nodes. */
  info: InfoService;
  /** Gossip time unit, ms (one history sample each). */
  unitMs: number;
  /** Log lines. */
  log: Logger;
}

/** The live part pushed on every poll. */
export interface WebState {
  /** The serving node. */
  self: number;
  /** Server time, ms. */
  time: number;
  /** Every node, as `mon --json` prints them. */
  nodes: MonJsonNode[];
  /** Every cluster process known. */
  processes: ClusterProcess[];
  /** The newest history sample. */
  sample: LoadSample | null;
}

/** A push to the watchers. */
export type WebUpdate =
  | { kind: "state"; state: WebState }
  | { kind: "event"; event: ProcessEvent };

/** Seconds of load history kept. */
export const HISTORY_SECONDS = 300;
/** Events kept for pages that open later. */
const EVENTS_KEPT = 100;
/** How long another node may take to list its processes, ms. */
const ASK_MS = 1500;
/** A previous poll older than this is not diffed against, ms. */
const STALE_MS = 10_000;
/** Most nodes asked at once. */
const ASK_PARALLEL = 16;

/** Polls and remembers; {@linkcode subscribe} to get pushes. */
export class WebMonitor {
  #d: WebMonitorDeps;
  /** The load of every node over the last minutes. */
  readonly history: LoadHistory;
  /** Poll interval, ms. */
  readonly pollMs: number;
  #processes: ClusterProcess[] = [];
  #processesAt = 0;
  #events: ProcessEvent[] = [];
  #watchers = new Set<(u: WebUpdate) => void>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #collecting: Promise<ClusterProcess[]> | null = null;

  /** Make the monitor; {@linkcode start} polls. */
  constructor(d: WebMonitorDeps) {
    this.#d = d;
    const capacity = Math.min(
      3600,
      Math.max(30, Math.ceil(HISTORY_SECONDS * 1000 / d.unitMs)),
    );
    this.history = new LoadHistory(capacity, d.unitMs);
    this.pollMs = Math.min(1000, Math.max(250, d.unitMs / 2));
  }

  /** Start polling. */
  start(): void {
    this.#sample();
    this.#timer = setInterval(() => this.#tick(), this.pollMs);
  }

  /** Stop polling and forget the watchers. */
  stop(): void {
    clearInterval(this.#timer);
    this.#watchers.clear();
  }

  /** Get every update until the returned function is called. */
  subscribe(fn: (u: WebUpdate) => void): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  /** Number of watchers. */
  get watchers(): number {
    return this.#watchers.size;
  }

  /** The recent events, oldest first. */
  events(): ProcessEvent[] {
    return [...this.#events];
  }

  /** The nodes now, as `mon --json` prints them. */
  nodes(): { nodes: MonJsonNode[] } {
    return toJson(this.#d.views());
  }

  /** The cluster's processes, polled now unless a poll is fresh. */
  async processes(): Promise<ClusterProcess[]> {
    if (Date.now() - this.#processesAt < this.pollMs) return this.#processes;
    return await this.#poll();
  }

  /** The whole state (for a page that just connected). */
  async state(): Promise<WebState> {
    const processes = await this.processes();
    return this.#state(processes);
  }

  #state(processes: ClusterProcess[]): WebState {
    return {
      self: this.#d.self(),
      time: Date.now(),
      nodes: this.nodes().nodes,
      processes,
      sample: this.history.latest() ?? null,
    };
  }

  #sample(): void {
    this.history.record(
      Date.now(),
      this.#d.views().filter((v) => v.status !== "dead").map((v) => ({
        id: v.id,
        load: v.load,
      })),
    );
  }

  async #tick(): Promise<void> {
    try {
      this.#sample();
      if (this.#watchers.size === 0 || this.#collecting) return;
      const processes = await this.#poll();
      this.#emit({ kind: "state", state: this.#state(processes) });
    } catch (e) {
      this.#d.log.warn(`web monitor poll failed: ${(e as Error).message}`);
    }
  }

  #emit(u: WebUpdate): void {
    for (const w of this.#watchers) {
      try {
        w(u);
      } catch {
        // a watcher that fails is its own problem
      }
    }
  }

  /** One poll, shared by everyone asking while it runs. */
  #poll(): Promise<ClusterProcess[]> {
    this.#collecting ??= this.#collect().finally(() => this.#collecting = null);
    return this.#collecting;
  }

  async #collect(): Promise<ClusterProcess[]> {
    const self = this.#d.self();
    const live = this.#d.views().filter((v) => v.status !== "dead");
    const reports: ProcReport[] = [];
    const silent = new Set<number>();
    for (let i = 0; i < live.length; i += ASK_PARALLEL) {
      await Promise.all(
        live.slice(i, i + ASK_PARALLEL).map(async (v) => {
          try {
            reports.push(
              v.id === self ? await this.#d.info.processes() : normalizeReport(
                v.id,
                await this.#d.info.ask(v, "info.procs", {}, ASK_MS),
              ),
            );
          } catch {
            silent.add(v.id);
          }
        }),
      );
    }
    const now = Date.now();
    const next = keepSilent(this.#processes, mergeProcesses(reports), silent);
    // After a pause in watching, what changed meanwhile did not just happen.
    const events = now - this.#processesAt > STALE_MS
      ? []
      : diffProcesses(this.#processes, next, now);
    this.#processes = next;
    this.#processesAt = now;
    for (const e of events) {
      this.#events.push(e);
      this.#emit({ kind: "event", event: e });
    }
    if (this.#events.length > EVENTS_KEPT) {
      this.#events.splice(0, this.#events.length - EVENTS_KEPT);
    }
    return next;
  }
}

/**
 * What the web monitor shows about the cluster's processes: one row per
 * process, with its home and the node it runs on, merged from the answers
 * of every node (each reports the processes it is home of, which know where
 * they run, and the guests it hosts, which fill in for homes that did not
 * answer).
 *
 * @module
 */

import { formatNodeId } from "./ids.ts";

/** One of a node's own processes, as its socket's "status" tells it. */
export interface OwnProcess {
  /** Process ID at home. */
  pid: number;
  /** Where it runs: 0 at home, else the node ID. */
  where: number;
  /** R running, M migrating or checkpointing. */
  stat: string;
  /** Seconds since it started. */
  time: number;
  /** Command line. */
  command: string;
}

/** One guest a node hosts. */
export interface HostedGuest {
  /** Process ID at its home. */
  pid: number;
  /** Home node ID. */
  home: number;
  /** Program name. */
  name: string;
  /** Seconds since it started at home. */
  time: number;
}

/** What one node answers about its processes (the "info.procs" link request). */
export interface ProcReport {
  /** The answering node. */
  node: number;
  /** Processes whose home it is. */
  own: OwnProcess[];
  /** Guests running on it. */
  guests: HostedGuest[];
}

/** One cluster process as the monitor shows it (a superset of an `mps --json` row). */
export interface ClusterProcess {
  /** Process ID at home. */
  pid: number;
  /** Home node ID. */
  home: number;
  /** Home node as `0x....`. */
  homeHex: string;
  /** Node ID it runs on now (the home ID when at home). */
  where: number;
  /** As `mps` prints NODE: "home", or the node as `0x....`. */
  node: string;
  /** R running, M migrating, G known only from the node hosting it. */
  stat: string;
  /** Seconds since it started. */
  time: number;
  /** Command line (or program name for a guest whose home did not answer). */
  command: string;
}

/** A stable key for a process across the cluster. */
export function processKey(p: { home: number; pid: number }): string {
  return `${p.home}:${p.pid}`;
}

/**
 * Merge every node's report into one list sorted by home then PID. A home's
 * word on its process wins; a guest is listed from its host only when its
 * home did not report.
 */
export function mergeProcesses(
  reports: readonly ProcReport[],
): ClusterProcess[] {
  const byKey = new Map<string, ClusterProcess>();
  const homes = new Set(reports.map((r) => r.node));
  for (const r of reports) {
    for (const p of r.own) {
      const where = p.where === 0 ? r.node : p.where;
      byKey.set(processKey({ home: r.node, pid: p.pid }), {
        pid: p.pid,
        home: r.node,
        homeHex: formatNodeId(r.node),
        where,
        node: where === r.node ? "home" : formatNodeId(where),
        stat: p.stat,
        time: p.time,
        command: p.command,
      });
    }
  }
  for (const r of reports) {
    for (const g of r.guests) {
      const key = processKey(g);
      if (homes.has(g.home) || byKey.has(key)) continue;
      byKey.set(key, {
        pid: g.pid,
        home: g.home,
        homeHex: formatNodeId(g.home),
        where: r.node,
        node: formatNodeId(r.node),
        stat: "G",
        time: g.time,
        command: g.name,
      });
    }
  }
  return [...byKey.values()].sort((a, b) => a.home - b.home || a.pid - b.pid);
}

/**
 * `after`, plus the processes of `before` whose home did not answer this
 * time (`silentHomes`, nodes up but slow): unknown is not gone, and they
 * must not flicker out and back in as an exit and a start.
 */
export function keepSilent(
  before: readonly ClusterProcess[],
  after: readonly ClusterProcess[],
  silentHomes: ReadonlySet<number>,
): ClusterProcess[] {
  if (silentHomes.size === 0) return [...after];
  const have = new Set(after.map(processKey));
  const kept = before.filter((p) =>
    silentHomes.has(p.home) && !have.has(processKey(p))
  );
  return [...after, ...kept].sort((a, b) => a.home - b.home || a.pid - b.pid);
}

function str(v: unknown, max = 512): string {
  return typeof v === "string" ? v.slice(0, max) : "";
}

function int(v: unknown): number {
  return Number.isInteger(v) && (v as number) >= 0 ? v as number : 0;
}

/**
 * A report as received from node `node` over the link, reduced to
 * well-typed fields (a newer or buggy peer must not break the monitor);
 * the answering node is the one asked, whatever the report says.
 */
export function normalizeReport(node: number, x: unknown): ProcReport {
  const r = (typeof x === "object" && x !== null ? x : {}) as Record<
    string,
    unknown
  >;
  const list = (v: unknown) => Array.isArray(v) ? v.slice(0, 10000) : [];
  const own = list(r.own).flatMap((p): OwnProcess[] => {
    const o = (p ?? {}) as Record<string, unknown>;
    if (!(int(o.pid) > 0)) return [];
    return [{
      pid: int(o.pid),
      where: int(o.where) <= 65535 ? int(o.where) : 0,
      stat: str(o.stat, 4) || "?",
      time: int(o.time),
      command: str(o.command),
    }];
  });
  const guests = list(r.guests).flatMap((g): HostedGuest[] => {
    const o = (g ?? {}) as Record<string, unknown>;
    if (!(int(o.pid) > 0) || !(int(o.home) > 0) || int(o.home) > 65535) {
      return [];
    }
    return [{
      pid: int(o.pid),
      home: int(o.home),
      name: str(o.name),
      time: int(o.time),
    }];
  });
  return { node, own, guests };
}

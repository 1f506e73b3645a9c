/**
 * Migrations as they happen, for the web monitor: derived by comparing
 * where every cluster process runs between two polls. A process that
 * appeared is a start, one that vanished an exit, one whose node changed a
 * migration (several moves between two polls show as one).
 *
 * @module
 */

import { type ClusterProcess, processKey } from "./web_state.ts";

/** What happened to a process between two polls. */
export type ProcessEventKind = "start" | "migration" | "exit";

/** One change, as pushed to the page. */
export interface ProcessEvent {
  /** start, migration or exit. */
  kind: ProcessEventKind;
  /** Process ID at home. */
  pid: number;
  /** Home node ID. */
  home: number;
  /** Node it ran on before (null for a start). */
  from: number | null;
  /** Node it runs on now (null for an exit). */
  to: number | null;
  /** Its command line. */
  command: string;
  /** When the change was seen, ms since the epoch. */
  at: number;
}

/**
 * The events that turn `before` into `after`, seen at `now`: migrations
 * first (the interesting ones), then starts and exits, each by home and PID.
 */
export function diffProcesses(
  before: readonly ClusterProcess[],
  after: readonly ClusterProcess[],
  now: number,
): ProcessEvent[] {
  const old = new Map(before.map((p) => [processKey(p), p]));
  const cur = new Map(after.map((p) => [processKey(p), p]));
  const moves: ProcessEvent[] = [];
  const starts: ProcessEvent[] = [];
  const exits: ProcessEvent[] = [];
  const ev = (
    kind: ProcessEventKind,
    p: ClusterProcess,
    from: number | null,
    to: number | null,
  ): ProcessEvent => ({
    kind,
    pid: p.pid,
    home: p.home,
    from,
    to,
    command: p.command,
    at: now,
  });
  for (const [key, p] of cur) {
    const q = old.get(key);
    if (q === undefined) starts.push(ev("start", p, null, p.where));
    else if (q.where !== p.where) {
      moves.push(ev("migration", p, q.where, p.where));
    }
  }
  for (const [key, q] of old) {
    if (!cur.has(key)) exits.push(ev("exit", q, q.where, null));
  }
  const order = (a: ProcessEvent, b: ProcessEvent) =>
    a.home - b.home || a.pid - b.pid;
  return [
    ...moves.sort(order),
    ...starts.sort(order),
    ...exits.sort(order),
  ];
}

/**
 * The "info." link service: what the web monitor of one node asks the
 * others, over links authenticated with the cluster's link key (so only
 * cluster members ask, and holding the key is being an administrator, as on
 * the control socket).
 *
 * - `info.procs` → {@linkcode ProcReport}: the processes this node is home
 *   of (from their sockets, they know where they run) and its guests;
 * - `info.migrate {pid, to}` → move one of this node's own processes to
 *   node `to` (this node's ID: home), as `migrate PID NODE` does;
 * - `info.node {op}` → block, noblock or expel this node.
 *
 * The same operations answer locally for the node's own monitor.
 *
 * @module
 */

import { FrameConn, type LinkMessage } from "../core/link/frame_conn.ts";
import type { Location } from "../core/home_process.ts";
import type { NodeView } from "../core/node_info.ts";
import { resolveTarget } from "../core/node_target.ts";
import { callProc, listProcPids } from "../core/proc_socket.ts";
import type { OwnProcess, ProcReport } from "../core/web_state.ts";
import type { GuestInfo } from "./guest_host.ts";

/** Node operations the service performs. */
export type NodeOp = "block" | "noblock" | "expel";

/** What the service needs from the daemon. */
export interface InfoDeps {
  /** This node's ID. */
  self: () => number;
  /** The gossiped view, self included. */
  views: () => NodeView[];
  /** The run directory holding procs/. */
  runDir: string;
  /** The guests hosted now. */
  guests: () => GuestInfo[];
  /** Do a node operation (the daemon's control handler). */
  nodeOp: (op: NodeOp) => Promise<unknown>;
  /** The cluster's link key. */
  linkKey: Uint8Array;
}

/** How long one process may take to tell its status, ms. */
const STATUS_MS = 2000;
/** Most processes asked at once. */
const STATUS_PARALLEL = 32;

/** Answers the info requests, locally and for other nodes. */
export class InfoService {
  #d: InfoDeps;

  /** Make the service. */
  constructor(d: InfoDeps) {
    this.#d = d;
  }

  /** This node's processes and guests. */
  async processes(): Promise<ProcReport> {
    const pids = listProcPids(this.#d.runDir);
    const own: OwnProcess[] = [];
    for (let i = 0; i < pids.length; i += STATUS_PARALLEL) {
      await Promise.all(
        pids.slice(i, i + STATUS_PARALLEL).map(async (pid) => {
          try {
            const s = await callProc<OwnProcess>(
              this.#d.runDir,
              pid,
              "status",
              {},
              STATUS_MS,
            );
            own.push({
              pid,
              where: Number(s.where) || 0,
              stat: String(s.stat ?? "?"),
              time: Number(s.time) || 0,
              command: String(s.command ?? ""),
            });
          } catch {
            // gone, or another user's (a daemon not run as root)
          }
        }),
      );
    }
    own.sort((a, b) => a.pid - b.pid);
    const now = Date.now();
    const guests = this.#d.guests().map((g) => ({
      pid: g.pid,
      home: g.home,
      name: g.name,
      time: Math.max(0, Math.round((now - g.startedAt) / 1000)),
    }));
    return { node: this.#d.self(), own, guests };
  }

  /** Ask own process `pid` to move to node `to` (this node: home). */
  async migrate(pid: number, to: number): Promise<{ accepted: true }> {
    const loc: Location = to === this.#d.self()
      ? { kind: "home" }
      : resolveTarget(this.#d.views(), to);
    await callProc(this.#d.runDir, pid, "migrate", { to: loc, wait: false });
    return { accepted: true };
  }

  /** Block, unblock or expel this node. */
  nodeOp(op: NodeOp): Promise<unknown> {
    return this.#d.nodeOp(op);
  }

  /** Serve one link whose first message starts with "info." (a LinkService). */
  async serve(fc: FrameConn, first: LinkMessage): Promise<void> {
    for (
      let m: LinkMessage | null = first;
      m !== null;
      m = await fc.next()
    ) {
      try {
        await fc.reply(m, true, await this.#answer(m));
      } catch (e) {
        await fc.reply(m, false, (e as Error).message);
      }
    }
  }

  #answer(m: LinkMessage): Promise<unknown> {
    const b = (m.body ?? {}) as Record<string, unknown>;
    switch (m.type) {
      case "info.procs":
        return this.processes();
      case "info.migrate": {
        const pid = b.pid, to = b.to;
        if (!Number.isInteger(pid) || !Number.isInteger(to)) {
          throw new Error("info.migrate needs integer pid and to");
        }
        return this.migrate(pid as number, to as number);
      }
      case "info.node": {
        const op = (["block", "noblock", "expel"] as const).find((o) =>
          o === b.op
        );
        if (op === undefined) throw new Error(`bad node operation`);
        return this.nodeOp(op);
      }
      default:
        throw new Error(`unknown request '${m.type}'`);
    }
  }

  /**
   * Ask node `v` (over a new link) for `type` with `body`; one request per
   * link, closed afterwards.
   */
  async ask<T>(
    v: NodeView,
    type: "info.procs" | "info.migrate" | "info.node",
    body: Record<string, unknown>,
    timeoutMs: number,
  ): Promise<T> {
    const fc = await FrameConn.connect(
      v.address,
      v.port ?? 4660,
      this.#d.linkKey,
      this.#d.self(),
      timeoutMs,
    );
    try {
      return await fc.request<T>(type, body, timeoutMs);
    } finally {
      fc.close();
    }
  }
}

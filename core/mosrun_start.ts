/**
 * Where a new cluster process starts (mosrun's where-options): access to
 * the cluster through the local daemon (its gossiped view, and the link key
 * from the cluster secret), and the chosen node resolved against that view.
 *
 * @module
 */

import { lookup } from "node:dns/promises";
import { CliError, UsageError } from "./cli_util.ts";
import { ControlClient } from "./control_client.ts";
import type { ClusterAccess, Location } from "./home_process.ts";
import { formatNodeId, isIPv4 } from "./ids.ts";
import type { MosrunArgs } from "./mosrun_args.ts";
import type { NodeDirs } from "./node_dirs.ts";
import type { NodeView } from "./node_info.ts";
import {
  bestNode,
  findNodeView,
  locationOf,
  randomNode,
  unavailable,
} from "./node_target.ts";
import { deriveKey, loadSecret } from "./secret.ts";

/** What mosrun learns from the local daemon. */
export interface ClusterView {
  /** This node's ID and the link key. */
  access: ClusterAccess;
  /** The gossiped view, this node included. */
  nodes: NodeView[];
  /**
   * Where the daemon's balancer starts the new process, when asked: a node
   * ID, or null for home (home is not busy, or balancing is off).
   */
  placed?: number | null;
}

/**
 * The local daemon's view and the link key, when both can be had. With
 * `place`, the daemon's balancer also chooses where a new process starts
 * (in the same request, so simultaneous starts are placed one by one).
 */
export async function clusterAccess(
  dirs: NodeDirs,
  place?: { pid: number; needBytes?: number },
): Promise<ClusterView | null> {
  try {
    const c = await ControlClient.connect(dirs.socketPath, { timeoutMs: 3000 });
    try {
      // The secret first: without it the process cannot leave home, so it
      // is not placed elsewhere either.
      const secret = await loadSecret(dirs.secretPath);
      const r = await c.call<
        { self: number; nodes: NodeView[]; place?: number | null }
      >("nodes", place ? { place } : {});
      return {
        access: { self: r.self, key: deriveKey(secret, "link") },
        nodes: r.nodes,
        ...(place ? { placed: r.place ?? null } : {}),
      };
    } finally {
      c.close();
    }
  } catch {
    return null; // no daemon, or its secret is not ours to read: a single node
  }
}

/**
 * Where to start, from the where-options and the gossiped view. Without a
 * where-option: where the daemon placed it (`cluster.placed`), else home.
 */
export async function chooseStart(
  a: MosrunArgs,
  cluster: { nodes: NodeView[]; placed?: number | null } | null,
): Promise<Location> {
  const w = a.where;
  if (w.kind === "default") {
    const v = cluster?.placed == null
      ? undefined
      : cluster.nodes.find((n) => n.id === cluster.placed);
    return v && unavailable(v) === null ? locationOf(v) : { kind: "home" };
  }
  if (w.kind === "home") return { kind: "home" };
  const fail = (why: string): Location => {
    if (a.fallbackHome) return { kind: "home" };
    throw new CliError(`${why} (use -F to fall back home)`);
  };
  if (!cluster) {
    return fail(
      "no cluster: omdiscd is not running or its secret is not readable",
    );
  }
  const nodes = cluster.nodes;
  const need = (a.memoryMb ?? 0) * 1024 * 1024;
  let v: NodeView | undefined;
  if (w.kind === "best") v = bestNode(nodes, need);
  else if (w.kind === "random") v = randomNode(nodes, w.nodes, Math.random);
  else {
    let spec = w.node;
    if (typeof spec === "string" && !isIPv4(spec)) {
      try {
        spec = (await lookup(spec, { family: 4 })).address;
      } catch {
        throw new UsageError(`cannot resolve host '${w.node}'`);
      }
    }
    v = findNodeView(nodes, spec);
    const why = unavailable(v);
    if (why) return fail(`node ${w.node} is ${why}`);
  }
  if (!v) return fail("no node is available");
  if (need && v.memFree < need) {
    return fail(
      `node ${formatNodeId(v.id)} has less than ${a.memoryMb} MB free`,
    );
  }
  return locationOf(v);
}

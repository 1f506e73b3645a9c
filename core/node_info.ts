/**
 * What the cluster knows about one node, as commands see it
 * (`mon`, `showmap`, `mosctl`, `--json` output).
 *
 * @module
 */

import type { NodeId } from "./ids.ts";

/** Liveness of a node as seen from the asking node. */
export type NodeStatus = "up" | "dead" | "blocked";

/** One node's load vector and status, as reported by the daemon. */
export interface NodeView {
  /** Node ID (1..65535). */
  id: NodeId;
  /** IPv4 address the node gossips from. */
  address: string;
  /** Its UDP (gossip) and TCP (link) port (always set by the daemon). */
  port?: number;
  /** up, dead (information too old) or blocked (refuses guests). */
  status: NodeStatus;
  /** Load: smoothed number of runnable processes (not divided by CPUs). */
  load: number;
  /** Relative CPU speed; 10000 is the reference CPU. */
  speed: number;
  /** Number of CPUs (may be fractional under a cgroup quota). */
  cpus: number;
  /** Total memory in bytes. */
  memTotal: number;
  /** Free memory in bytes as programs see it (MemAvailable: free + reclaimable). */
  memFree: number;
  /** Raw free memory in bytes (MemFree: not even used for cache). */
  memRaw: number;
  /** CPU utilization 0..1 over the last sample interval. */
  util: number;
  /** Age of this information in seconds (0 for the asking node itself). */
  age: number;
  /** True for the node that answered the query. */
  self: boolean;
}

/**
 * Choosing a node for a process from the gossiped view: by ID or address
 * (migrate NODE, mosrun -NODE / -r), at random from a list (-j), or the
 * best now (-b). Pure: the view and randomness are passed in.
 *
 * @module
 */

import { formatNodeId, isIPv4, parseNodeId } from "./ids.ts";
import type { NodeView } from "./node_info.ts";
import type { Location } from "./home_process.ts";

/** Why a node cannot take a process, or null when it can. */
export function unavailable(v: NodeView | undefined): string | null {
  if (!v) return "not known (see 'showmap')";
  if (v.status === "dead") return "down";
  if (v.status === "blocked") return "blocked (it refuses guests)";
  return null;
}

/** The location of a node view; home for the asking node itself. */
export function locationOf(v: NodeView): Location {
  return v.self
    ? { kind: "home" }
    : { kind: "node", id: v.id, addr: v.address, port: v.port ?? 4660 };
}

/** Find a node by ID (decimal or 0x hex) or IPv4 address. */
export function findNodeView(
  nodes: NodeView[],
  spec: string | number,
): NodeView | undefined {
  if (typeof spec === "string" && isIPv4(spec)) {
    return nodes.find((n) => n.address === spec);
  }
  const id = typeof spec === "number" ? spec : parseNodeId(spec);
  return nodes.find((n) => n.id === id);
}

/** The target of `spec`, or throws an Error saying why it cannot be used. */
export function resolveTarget(
  nodes: NodeView[],
  spec: string | number,
): Location {
  if (spec === "home") return { kind: "home" };
  const v = findNodeView(nodes, spec);
  const why = unavailable(v);
  if (why) {
    throw new Error(
      `node ${typeof spec === "number" ? formatNodeId(spec) : spec} is ${why}`,
    );
  }
  return locationOf(v!);
}

/** Capacity-normalized load after adding one more process. */
function loadWithOneMore(v: NodeView): number {
  const capacity = Math.max(0.01, v.cpus * v.speed / 10000);
  return (v.load + 1) / capacity;
}

/**
 * The best node now: lowest load per capacity once the process is added,
 * among live, unblocked nodes with `needBytes` free; ties go home.
 */
export function bestNode(
  nodes: NodeView[],
  needBytes = 0,
): NodeView | undefined {
  const ok = nodes.filter((v) =>
    unavailable(v) === null && v.memFree >= needBytes
  );
  ok.sort((a, b) =>
    loadWithOneMore(a) - loadWithOneMore(b) || Number(b.self) - Number(a.self)
  );
  return ok[0];
}

/** A random available node among `ids`. */
export function randomNode(
  nodes: NodeView[],
  ids: number[],
  random: () => number,
): NodeView | undefined {
  const ok = ids.map((id) => nodes.find((n) => n.id === id)).filter((v) =>
    unavailable(v) === null
  ) as NodeView[];
  return ok.length ? ok[Math.floor(random() * ok.length)] : undefined;
}

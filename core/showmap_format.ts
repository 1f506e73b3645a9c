/**
 * The openMosix `showmap` table (CLI.md), as a pure function.
 *
 * @module
 */

import { formatNodeId, type NodeId } from "./ids.ts";
import { collapseNodes } from "./map.ts";

/** Render the showmap table for `self` and the known nodes. */
export function formatShowmap(
  self: NodeId,
  nodes: { id: NodeId; address: string }[],
): string {
  const rows = collapseNodes(
    [...nodes].sort((a, b) => a.id - b.id).map((n) => ({
      id: n.id,
      ip: n.address,
    })),
  );
  const lines = [
    `My Node-Id: ${formatNodeId(self)}`,
    "",
    "Base Node-Id Address          Count",
    "------------ ---------------- -----",
    ...rows.map((r) =>
      `${formatNodeId(r.first).padEnd(12)} ${r.ip.padEnd(16)} ${r.count}`
    ),
  ];
  return lines.join("\n") + "\n";
}

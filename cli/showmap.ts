/**
 * showmap: the nodes known now, in openMosix's format.
 *
 * @module
 */

import {
  cliMain,
  handleInfoFlags,
  parseCli,
  printJson,
} from "../core/cli_util.ts";
import { callNode } from "../core/control_client.ts";
import { formatNodeId } from "../core/ids.ts";
import { collapseNodes } from "../core/map.ts";
import type { NodeView } from "../core/node_info.ts";
import { formatShowmap } from "../core/showmap_format.ts";

const HELP = `Usage: showmap [--json] [--dir DIR]

Print this node's ID and the nodes known now (loaded, discovered or
gossiped), consecutive IDs with consecutive addresses in one row.

Options:
  --json      one JSON document: {"self", "nodes": [{"id","idHex","address","count"}]}
  --dir DIR   the node's directory (env DMOSIX_DIR)
  --help, --version
`;

async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    json: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean" },
    version: { type: "boolean" },
  });
  if (handleInfoFlags("showmap", values, HELP)) return 0;
  const r = await callNode<{ self: number; nodes: NodeView[] }>(
    values.dir,
    "nodes",
  );
  if (values.json) {
    const rows = collapseNodes(
      r.nodes.map((n) => ({ id: n.id, ip: n.address })),
    );
    printJson({
      self: r.self,
      selfHex: formatNodeId(r.self),
      nodes: rows.map((x) => ({
        id: x.first,
        idHex: formatNodeId(x.first),
        address: x.ip,
        count: x.count,
      })),
    });
  } else {
    Deno.stdout.writeSync(
      new TextEncoder().encode(formatShowmap(r.self, r.nodes)),
    );
  }
  return 0;
}

if (import.meta.main) cliMain("showmap", main);

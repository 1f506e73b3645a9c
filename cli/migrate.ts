/**
 * migrate: move a cluster process, or checkpoint it now.
 *
 * @module
 */

import {
  CliError,
  cliMain,
  handleInfoFlags,
  parseCli,
  printJson,
  UsageError,
} from "../core/cli_util.ts";
import { resolveDirs } from "../core/node_dirs.ts";
import { callProc } from "../core/proc_socket.ts";
import { callNode } from "../core/control_client.ts";
import type { Location } from "../core/home_process.ts";
import { formatNodeId } from "../core/ids.ts";
import type { NodeView } from "../core/node_info.ts";
import { resolveTarget } from "../core/node_target.ts";

const HELP =
  `Usage: migrate PID {NODE|IP|home|balance|checkpoint} [--wait] [--json]

Ask cluster process PID to move, or to write a checkpoint now
('checkpoint': needs mosrun -C FILE; prints the file written).

Options:
  --wait      return when done, printing where the process now runs
  --json      print JSON (with --wait: frozenMs, the freeze-to-resume time)
  --dir DIR   the node's directory (env DMOSIX_DIR)
  --help, --version
`;

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, {
    wait: { type: "boolean" },
    json: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean" },
    version: { type: "boolean" },
  }, true);
  if (handleInfoFlags("migrate", values, HELP)) return 0;
  if (positionals.length !== 2) throw new UsageError("needs PID and a target");
  const [pidArg, target] = positionals;
  const pid = Number(pidArg);
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new UsageError(`not a process ID: '${pidArg}'`);
  }
  const dirs = resolveDirs({ dir: values.dir });
  if (target === "checkpoint") {
    const r = await callProc<{ path: string }>(dirs.runDir, pid, "checkpoint");
    if (values.json) printJson({ pid, checkpoint: r.path });
    else console.log(r.path);
    return 0;
  }
  if (target === "balance") {
    // The home node's balancer decides for this one process, now.
    const r = await callNode<{ to: number | null }>(values.dir, "balance", {
      pid,
    });
    const where = r.to === null ? "stays" : formatNodeId(r.to);
    if (values.json) printJson({ pid, balance: r.to });
    else console.log(where);
    return 0;
  }
  let to: Location = { kind: "home" };
  if (target !== "home") {
    const { nodes } = await callNode<{ nodes: NodeView[] }>(
      values.dir,
      "nodes",
    );
    try {
      to = resolveTarget(nodes, target);
    } catch (e) {
      if (e instanceof RangeError) {
        throw new UsageError(`not a node: '${target}'`);
      }
      throw new CliError((e as Error).message);
    }
  }
  const r = await callProc<
    { accepted?: boolean; where?: number; frozenMs?: number }
  >(
    dirs.runDir,
    pid,
    "migrate",
    { to, wait: values.wait ?? false },
  );
  const where = r.where === undefined
    ? null
    : r.where === 0
    ? "home"
    : formatNodeId(r.where);
  // --wait: also how long the process stood still (freeze to resume).
  const frozen = typeof r.frozenMs === "number"
    ? { frozenMs: Math.round(r.frozenMs * 10) / 10 }
    : {};
  if (values.json) printJson({ pid, accepted: true, where, ...frozen });
  else if (where !== null) console.log(where);
  return 0;
}

if (import.meta.main) cliMain("migrate", main);

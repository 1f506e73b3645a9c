/**
 * mps: the cluster processes of this node and where they run.
 *
 * @module
 */

import { callNode } from "../core/control_client.ts";
import {
  cliMain,
  handleInfoFlags,
  parseCli,
  printJson,
  UsageError,
} from "../core/cli_util.ts";
import { formatNodeId } from "../core/ids.ts";
import { resolveDirs } from "../core/node_dirs.ts";
import { callProc, listProcPids } from "../core/proc_socket.ts";

const HELP = `Usage: mps [--all] [--json] [PID...]

List the cluster processes started on this node (the ones you may see: all
of them for root) and where each runs now. With --all, also the guests and
batch jobs this node runs for other nodes.

Columns: PID, NODE (where it runs; 'home' here, 'here' for what runs here
for another node), STAT (R running, M migrating or checkpointing, F frozen
to disk waiting for room at home, B a batch job, G a guest from another
node), TIME (time since it started, m:ss),
COMMAND.

Options:
  --all       also list guests and batch jobs hosted here
  --json      print JSON
  --dir DIR   the node's directory (env DMOSIX_DIR)
  --help, --version
`;

/** One row of the listing. */
interface Row {
  pid: number;
  node: string;
  stat: string;
  time: number;
  command: string;
  home?: string;
}

function fmtTime(s: number): string {
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, {
    all: { type: "boolean" },
    json: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean" },
    version: { type: "boolean" },
  }, true);
  if (handleInfoFlags("mps", values, HELP)) return 0;
  const only = positionals.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n <= 0) {
      throw new UsageError(`not a process ID: '${p}'`);
    }
    return n;
  });
  const dirs = resolveDirs({ dir: values.dir });
  const pids = listProcPids(dirs.runDir);
  const rows: Row[] = [];
  await Promise.all(
    pids.filter((p) => only.length === 0 || only.includes(p)).map(
      async (pid) => {
        try {
          const s = await callProc<
            { where: number; stat: string; time: number; command: string }
          >(
            dirs.runDir,
            pid,
            "status",
            {},
            3000,
          );
          rows.push({
            pid,
            node: s.where === 0 ? "home" : formatNodeId(s.where),
            stat: s.stat,
            time: s.time,
            command: s.command,
          });
        } catch {
          // another user's, or gone: not listed
        }
      },
    ),
  );
  if (values.all) {
    try {
      const g = await callNode<
        {
          guests: { pid: number; home: number; name: string; since: number }[];
          batch?: {
            homePid: number;
            home: number;
            command: string;
            since: number;
          }[];
        }
      >(
        values.dir,
        "guests",
      );
      for (const x of g.guests) {
        if (only.length && !only.includes(x.pid)) continue;
        rows.push({
          pid: x.pid,
          node: "here",
          stat: "G",
          time: Math.round((Date.now() - x.since) / 1000),
          command: x.name,
          home: formatNodeId(x.home),
        });
      }
      // Batch jobs are listed by their cluster process ID (mosrun's at home).
      for (const x of g.batch ?? []) {
        if (only.length && !only.includes(x.homePid)) continue;
        rows.push({
          pid: x.homePid,
          node: "here",
          stat: "B",
          time: Math.round((Date.now() - x.since) / 1000),
          command: x.command,
          home: formatNodeId(x.home),
        });
      }
    } catch {
      // no daemon: no guests
    }
  }
  rows.sort((a, b) => a.pid - b.pid);
  if (values.json) {
    printJson({ processes: rows });
    return 0;
  }
  console.log("  PID NODE   STAT   TIME COMMAND");
  for (const r of rows) {
    console.log(
      `${String(r.pid).padStart(5)} ${r.node.padEnd(6)} ${r.stat.padEnd(4)} ${
        fmtTime(r.time).padStart(6)
      } ${r.command}${r.home ? ` (from ${r.home})` : ""}`,
    );
  }
  return 0;
}

if (import.meta.main) cliMain("mps", main);

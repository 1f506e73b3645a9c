/**
 * mon: full-screen monitor of every node (load, speed, memory, utilization),
 * or one plain-text frame (`--once`) or JSON document (`--json`) for scripts.
 *
 * @module
 */

import {
  cliMain,
  handleInfoFlags,
  parseCli,
  positiveNumber,
  printJson,
  UsageError,
} from "../core/cli_util.ts";
import { callNode } from "../core/control_client.ts";
import {
  DEFAULT_MON_STATE,
  type MonMode,
  type MonState,
  renderOnce,
  toJson,
} from "../core/mon_view.ts";
import type { NodeView } from "../core/node_info.ts";
import { NotATerminalError, runScreen } from "./mon_screen.ts";

/** `mon --help`. */
export const HELP =
  `Usage: mon [-l|-s|-m|-r|-u] [-t] [--once|--json] [--interval SEC] [--dir DIR]

Full-screen monitor of all nodes of the cluster, one bar per node.

Options:
  -l, --load       show load (default)
  -s, --speed      show CPU speed
  -m, --memory     show memory used of total
  -r, --raw        show raw memory used (page cache counted as used)
  -u, --util       show CPU utilization
  -t, --totals     show the totals line (nodes up/dead, CPUs, speed, memory)
  --once           print one plain-text table and exit (for scripts)
  --json           print every node as one JSON document and exit
  --interval SEC   time between updates, seconds (default 1)
  --dir DIR        the node's directory (env DMOSIX_DIR)
  --help, --version

Keys: l load, s speed, m memory, r raw memory, u utilization,
t totals, d dead nodes, q quit.
`;

/** What the command line asks for. */
export interface MonArgs {
  /** Mode and toggles to start with. */
  state: MonState;
  /** Print one plain-text frame and exit. */
  once: boolean;
  /** Print the JSON document and exit. */
  json: boolean;
  /** Time between updates, milliseconds. */
  intervalMs: number;
  /** `--dir`, if given. */
  dir: string | undefined;
}

const MODE_FLAGS: [keyof ModeValues, MonMode][] = [
  ["load", "load"],
  ["speed", "speed"],
  ["memory", "mem"],
  ["raw", "raw"],
  ["util", "util"],
];

interface ModeValues {
  load?: boolean;
  speed?: boolean;
  memory?: boolean;
  raw?: boolean;
  util?: boolean;
}

/**
 * Parse mon's arguments; null when `--help` or `--version` was handled.
 * Throws UsageError on bad usage.
 */
export function parseMonArgs(args: string[]): MonArgs | null {
  const { values } = parseCli(args, {
    load: { type: "boolean", short: "l" },
    speed: { type: "boolean", short: "s" },
    memory: { type: "boolean", short: "m" },
    raw: { type: "boolean", short: "r" },
    util: { type: "boolean", short: "u" },
    totals: { type: "boolean", short: "t" },
    once: { type: "boolean" },
    json: { type: "boolean" },
    interval: { type: "string" },
    dir: { type: "string" },
    help: { type: "boolean" },
    version: { type: "boolean" },
  });
  if (handleInfoFlags("mon", values, HELP)) return null;
  const modes = MODE_FLAGS.filter(([flag]) => values[flag]);
  if (modes.length > 1) {
    throw new UsageError("give at most one of -l, -s, -m, -r, -u");
  }
  if (values.once && values.json) {
    throw new UsageError("give either --once or --json");
  }
  const seconds = positiveNumber(values.interval, "--interval", 1);
  return {
    state: {
      ...DEFAULT_MON_STATE,
      mode: modes[0]?.[1] ?? DEFAULT_MON_STATE.mode,
      totals: values.totals ?? false,
    },
    once: values.once ?? false,
    json: values.json ?? false,
    intervalMs: seconds * 1000,
    dir: values.dir,
  };
}

/** Ask the local daemon for every node it knows. */
async function fetchNodes(dir: string | undefined): Promise<NodeView[]> {
  const r = await callNode<{ nodes: NodeView[] }>(dir, "nodes");
  return r.nodes;
}

async function main(args: string[]): Promise<number> {
  const a = parseMonArgs(args);
  if (a === null) return 0;
  if (!a.once && !a.json && !Deno.stdout.isTerminal()) {
    throw new UsageError(
      "standard output is not a terminal; use --once or --json",
    );
  }
  // Fail at once when the daemon is unreachable at start; once running, the
  // screen keeps retrying instead.
  const nodes = await fetchNodes(a.dir);
  if (a.json) {
    printJson(toJson(nodes));
    return 0;
  }
  if (a.once) {
    console.log(renderOnce(nodes, a.state.mode));
    return 0;
  }
  try {
    // q, Ctrl-C and terminating signals all end the monitor normally.
    await runScreen({
      fetch: () => fetchNodes(a.dir),
      intervalMs: a.intervalMs,
      initial: a.state,
      initialNodes: nodes,
    });
  } catch (e) {
    if (e instanceof NotATerminalError) throw new UsageError(e.message);
    throw e;
  }
  return 0;
}

if (import.meta.main) cliMain("mon", main);

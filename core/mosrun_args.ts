/**
 * The mosrun command line (CLI.md): openMosix-style options such as `-2780`
 * (a node number) and `-E/CWD` do not fit a generic parser, so this is a
 * small hand-written one. Options end at the first non-option word: the
 * program; everything after it belongs to the program.
 *
 * @module
 */

import { isIPv4, parseNodeId } from "./ids.ts";

/** Where the process should start. */
export type Where =
  | { kind: "default" }
  | { kind: "home" }
  | { kind: "node"; node: number | string }
  | { kind: "random"; nodes: number[] }
  | { kind: "best" };

/** A parsed mosrun command line. */
export interface MosrunArgs {
  /** Where to start. */
  where: Where;
  /** Fall back to home when the chosen node is unavailable (-F). */
  fallbackHome: boolean;
  /** Free memory needed, MB (-m). */
  memoryMb: number | null;
  /** Automatic migration allowed (-l / -L); null: the default. */
  migratable: boolean | null;
  /** Run as a native batch job (-E), with an optional cwd (-E/CWD). */
  batch: { cwd: string | null } | null;
  /** Batch job waits at home for a free CPU in the cluster (-q). */
  queue: boolean;
  /** Checkpoint file base (-C). */
  checkpointBase: string | null;
  /** Checkpoint interval, minutes (-A). */
  checkpointMinutes: number | null;
  /** Resume this checkpoint (-R). */
  resume: string | null;
  /** Directories given to the program (--preopen). */
  preopens: string[];
  /** The node directory (--dir). */
  dir: string | null;
  /** --help / --version. */
  info: "help" | "version" | null;
  /** Program and its arguments (empty with -R). */
  command: string[];
}

/** A bad mosrun command line; the message is one line. */
export class MosrunUsageError extends Error {
  /** Make a usage error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function parseIdList(s: string): number[] {
  const out: number[] = [];
  for (const part of s.split(",")) {
    const m = /^([^-]+)-([^-]+)$/.exec(part);
    if (m) {
      const a = parseNodeId(m[1]);
      const b = parseNodeId(m[2]);
      if (b < a) throw new MosrunUsageError(`bad node range '${part}'`);
      if (b - a > 65535) {
        throw new MosrunUsageError(`node range too large '${part}'`);
      }
      for (let i = a; i <= b; i++) out.push(i);
    } else {
      out.push(parseNodeId(part));
    }
  }
  return [...new Set(out)];
}

function positive(v: string | undefined, flag: string): number {
  const n = Number(v);
  if (v === undefined || v === "" || !Number.isFinite(n) || n <= 0) {
    throw new MosrunUsageError(`${flag} needs a positive number`);
  }
  return n;
}

/** Parse mosrun's arguments; throws MosrunUsageError. */
export function parseMosrunArgs(argv: string[]): MosrunArgs {
  const a: MosrunArgs = {
    where: { kind: "default" },
    fallbackHome: false,
    memoryMb: null,
    migratable: null,
    batch: null,
    queue: false,
    checkpointBase: null,
    checkpointMinutes: null,
    resume: null,
    preopens: [],
    dir: null,
    info: null,
    command: [],
  };
  const setWhere = (w: Where) => {
    if (a.where.kind !== "default") {
      throw new MosrunUsageError("give at most one of -h, -NODE, -r, -j, -b");
    }
    a.where = w;
  };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new MosrunUsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    try {
      if (arg === "--help") a.info = "help";
      else if (arg === "--version") a.info = "version";
      else if (arg === "-h") setWhere({ kind: "home" });
      else if (arg === "-b") setWhere({ kind: "best" });
      else if (arg === "-F") a.fallbackHome = true;
      else if (arg === "-q") a.queue = true;
      else if (arg === "-L") a.migratable = false;
      else if (arg === "-l") a.migratable = true;
      else if (/^-\d+$/.test(arg) || /^-0x[0-9a-f]+$/i.test(arg)) {
        setWhere({ kind: "node", node: parseNodeId(arg.slice(1)) });
      } else if (arg === "-r") {
        const host = value("-r");
        setWhere({
          kind: "node",
          node: isIPv4(host) ? host : host.toLowerCase(),
        });
      } else if (arg === "-j") {
        setWhere({ kind: "random", nodes: parseIdList(value("-j")) });
      } else if (arg === "-m") a.memoryMb = positive(value("-m"), "-m");
      else if (arg === "-E" || arg.startsWith("-E/")) {
        a.batch = { cwd: arg === "-E" ? null : arg.slice(2) };
      } else if (arg === "-C") a.checkpointBase = value("-C");
      else if (arg === "-A") a.checkpointMinutes = positive(value("-A"), "-A");
      else if (arg === "-R") a.resume = value("-R");
      else if (arg === "--preopen") a.preopens.push(value("--preopen"));
      else if (arg.startsWith("--preopen=")) a.preopens.push(arg.slice(10));
      else if (arg === "--dir") a.dir = value("--dir");
      else if (arg.startsWith("--dir=")) a.dir = arg.slice(6);
      else throw new MosrunUsageError(`unknown option '${arg}'`);
    } catch (e) {
      if (e instanceof MosrunUsageError) throw e;
      throw new MosrunUsageError((e as Error).message);
    }
  }
  a.command = argv.slice(i);
  if (a.info) return a;
  if (a.resume !== null) {
    if (a.command.length > 0) {
      throw new MosrunUsageError("-R takes no program: the checkpoint has it");
    }
    if (a.batch) throw new MosrunUsageError("-R and -E do not go together");
  } else if (a.command.length === 0) {
    throw new MosrunUsageError("missing PROGRAM");
  }
  if (
    a.checkpointMinutes !== null && a.checkpointBase === null &&
    a.resume === null
  ) {
    throw new MosrunUsageError("-A needs -C FILE (where to write checkpoints)");
  }
  if (a.queue && a.where.kind !== "default" && a.where.kind !== "best") {
    throw new MosrunUsageError(
      "-q waits for the best node: it goes with -b or no where-option",
    );
  }
  if (a.batch && (a.checkpointBase !== null || a.checkpointMinutes !== null)) {
    throw new MosrunUsageError("batch jobs (-E) cannot be checkpointed");
  }
  return a;
}

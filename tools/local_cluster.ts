/**
 * Start and stop a cluster of real omdiscd processes on one host, on
 * loopback addresses 127.0.1.x with a static map and no privileges. Used by
 * the demo and the cluster tests.
 *
 * @module
 */

import { join } from "node:path";
import { procSocketPath } from "../core/proc_socket.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CONFIG = join(ROOT, "deno.json");

/** The deno command line that runs one of the project's commands. */
export function commandArgs(cmd: string, args: string[]): string[] {
  return [
    "run",
    "-A",
    "--config",
    CONFIG,
    join(ROOT, "cli", `${cmd}.ts`),
    ...args,
  ];
}

/** Output of one command run. */
export interface RunResult {
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Run one of the project's commands to completion (bounded by timeoutMs). */
export async function runCommand(
  cmd: string,
  args: string[],
  opts: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } =
    {},
): Promise<RunResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: commandArgs(cmd, args),
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    env: opts.env,
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone
    }
  }, opts.timeoutMs ?? 30000);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** One node of a local cluster. */
export interface LocalNode {
  /** Node directory. */
  dir: string;
  /** Loopback address. */
  addr: string;
  /** Node ID from the map. */
  id: number;
  /** The daemon, while running. */
  process: Deno.ChildProcess | null;
}

/** Options for a local cluster. */
export interface LocalClusterOptions {
  /** Number of nodes. */
  nodes: number;
  /** UDP port shared by all nodes (each has its own address). */
  port?: number;
  /** Third octet of the 127.0.x.y addresses. */
  subnet?: number;
  /** Parent directory for node directories; a temp dir by default. */
  root?: string;
  /** Extra omdiscd arguments. */
  daemonArgs?: string[];
  /** Where daemon logs go: "inherit" shows them, "file" writes DIR/log. */
  logs?: "file" | "inherit";
}

/** A cluster of omdiscd processes on 127.0.x.1..n. */
export class LocalCluster {
  /** The nodes, in ID order. */
  readonly nodes: LocalNode[];
  /** Parent directory of the node directories. */
  readonly root: string;
  readonly #opts: Required<Omit<LocalClusterOptions, "root">>;

  private constructor(
    root: string,
    opts: Required<Omit<LocalClusterOptions, "root">>,
  ) {
    this.root = root;
    this.#opts = opts;
    this.nodes = Array.from({ length: opts.nodes }, (_, i) => ({
      dir: join(root, `node${i + 1}`),
      addr: `127.0.${opts.subnet}.${i + 1}`,
      id: opts.subnet * 256 + i + 1,
      process: null,
    }));
  }

  /** Create node directories with one shared secret and a static map; start every daemon. */
  static async start(opts: LocalClusterOptions): Promise<LocalCluster> {
    const root = opts.root ??
      await Deno.makeTempDir({ prefix: "dmosix-cluster-" });
    const c = new LocalCluster(root, {
      port: 4660,
      subnet: 1,
      daemonArgs: [],
      logs: "file",
      ...opts,
    });
    const secret = Array.from(crypto.getRandomValues(new Uint8Array(32)))
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    const first = c.nodes[0];
    const map =
      `# local demo cluster\n${first.id} ${first.addr} ${c.nodes.length}\n`;
    for (const n of c.nodes) {
      await Deno.mkdir(n.dir, { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(join(n.dir, "secret"), secret + "\n", {
        mode: 0o600,
      });
      await Deno.chmod(join(n.dir, "secret"), 0o600);
      await Deno.writeTextFile(join(n.dir, "map"), map);
    }
    for (let i = 0; i < c.nodes.length; i++) c.startNode(i);
    for (let i = 0; i < c.nodes.length; i++) await c.waitSocket(i);
    return c;
  }

  /** Start (or restart) node i's daemon in the foreground mode. */
  startNode(i: number, extra: string[] = []): void {
    const n = this.nodes[i];
    const args = [
      "-n",
      "--dir",
      n.dir,
      "--addr",
      n.addr,
      "--port",
      String(this.#opts.port),
      "--no-multicast",
      ...this.#opts.daemonArgs,
      ...extra,
    ];
    if (this.#opts.logs === "file") args.push("--log", join(n.dir, "log"));
    n.process = new Deno.Command(Deno.execPath(), {
      args: commandArgs("omdiscd", args),
      stdin: "null",
      stdout: this.#opts.logs === "inherit" ? "inherit" : "null",
      stderr: this.#opts.logs === "inherit" ? "inherit" : "null",
    }).spawn();
  }

  /** Wait (bounded) until node i answers on its control socket. */
  async waitSocket(i: number, timeoutMs = 20000): Promise<void> {
    const path = join(this.nodes[i].dir, "omdiscd.sock");
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        (await Deno.connect({ transport: "unix", path })).close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(
      `node ${i + 1} did not start in ${timeoutMs} ms (see ${
        this.nodes[i].dir
      }/log)`,
    );
  }

  /** Run a command against node i (adds --dir). */
  run(
    i: number,
    cmd: string,
    args: string[] = [],
    stdin?: string,
  ): Promise<RunResult> {
    return runCommand(cmd, [...args, "--dir", this.nodes[i].dir], { stdin });
  }

  /** Send a signal to node i's daemon and wait for it to exit. */
  async signal(
    i: number,
    sig: Deno.Signal,
  ): Promise<Deno.CommandStatus | null> {
    const p = this.nodes[i].process;
    if (!p) return null;
    try {
      p.kill(sig);
    } catch {
      // already gone
    }
    const status = await p.status;
    this.nodes[i].process = null;
    return status;
  }

  /** Stop every daemon (SIGTERM, then SIGKILL after a grace period) and remove the files. */
  async stop(opts: { keepFiles?: boolean } = {}): Promise<void> {
    await Promise.all(this.nodes.map(async (n, i) => {
      const p = n.process;
      if (!p) return;
      const t = setTimeout(() => {
        try {
          p.kill("SIGKILL");
        } catch {
          // gone
        }
      }, 5000);
      await this.signal(i, "SIGTERM");
      clearTimeout(t);
    }));
    if (!opts.keepFiles) {
      await Deno.remove(this.root, { recursive: true }).catch(() => {});
    }
  }
}

/** Poll `check` every intervalMs until it returns true or timeoutMs passes; returns the elapsed ms or -1. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return -1;
}

/** Whether `path` exists within `timeoutMs` (checked every `intervalMs`). */
export async function waitForPath(
  path: string,
  timeoutMs: number,
  intervalMs = 20,
): Promise<boolean> {
  return await waitFor(
    () => Deno.stat(path).then(() => true, () => false),
    timeoutMs,
    intervalMs,
  ) >= 0;
}

/**
 * Start a cluster process: `argv` runs mosrun (directly, or wrapped to run
 * in a node's namespace) with piped output; resolves once its control
 * socket appears in `runDir`, so it can be asked to move. Throws when it
 * does not appear within 30 s.
 */
export async function spawnProcess(
  argv: string[],
  opts: { cwd: string; runDir: string; stdin?: "piped" | "null" },
): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: opts.cwd,
    stdin: opts.stdin ?? "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (!await waitForPath(procSocketPath(opts.runDir, child.pid), 30000)) {
    throw new Error(`${argv.join(" ")}: no process socket after 30 s`);
  }
  return child;
}

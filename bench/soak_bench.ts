/**
 * Soak: does daemon memory stay bounded while processes keep being
 * started, migrated and finishing? A 4-node cluster of real daemons on
 * loopback runs short CPU-bound cluster processes without pause (some at
 * home, some placed on a random node), asks running ones to migrate to
 * random nodes or home, checks each result, and samples every daemon's
 * resident memory from /proc. Prints per daemon the RSS after warm-up, the
 * peak, the end and the slope (least squares over the samples after
 * warm-up), plus what ran. A bench, not a test: it judges nothing.
 *
 * Usage: deno run -A bench/soak_bench.ts [--minutes M] [--concurrency N]
 *          [--quick]
 * (default 1 minute, --quick 0.5; the real soak is --minutes 10)
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { commandArgs, LocalCluster, waitFor } from "../tools/local_cluster.ts";
import { allSeeLive } from "../tools/cluster_probe.ts";
import { FIXTURES_DIR } from "../tools/build_fixtures.ts";
import { callProc } from "../core/proc_socket.ts";
import { formatNodeId } from "../core/ids.ts";
import { runWasi } from "../core/wasi/plain_runner.ts";
import { collectOutput, inputFromText } from "../core/wasi/stdio.ts";

const MiB = 2 ** 20;
const WASM = join(FIXTURES_DIR, "cpu_loop.wasm");
/** Work sizes: about 0.5 to 2 s of CPU each on this kind of machine. */
const SIZES = [50_000_000, 80_000_000, 120_000_000, 160_000_000];

/** One RSS sample of every daemon. */
interface Sample {
  /** Seconds since the start. */
  t: number;
  /** RSS of each daemon, bytes. */
  rss: number[];
}

/** Resident memory of process `pid` in bytes (0 when it is gone). */
async function rssOf(pid: number): Promise<number> {
  try {
    const s = await Deno.readTextFile(`/proc/${pid}/status`);
    return Number(s.match(/^VmRSS:\s+(\d+)/m)![1]) * 1024;
  } catch {
    return 0;
  }
}

/** Least-squares slope of y over x (per unit of x); 0 for < 2 points. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function reference(n: number): Promise<string> {
  const stdout = collectOutput();
  await runWasi(await Deno.readFile(WASM), {
    args: ["cpu_loop", String(n)],
    env: [],
    cwd: Deno.cwd(),
    stdin: inputFromText(""),
    stdout,
    stderr: collectOutput(),
  });
  return stdout.text();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      minutes: { type: "string" },
      concurrency: { type: "string", default: "8" },
      quick: { type: "boolean", default: false },
      port: { type: "string", default: "4774" },
    },
  });
  const minutes = Number(values.minutes ?? (values.quick ? 0.5 : 1));
  const concurrency = Number(values.concurrency);
  if (!(minutes > 0) || !(concurrency >= 1)) {
    throw new Error("soak_bench: --minutes and --concurrency must be > 0");
  }
  const want = new Map<number, string>();
  for (const n of SIZES) want.set(n, await reference(n));

  const cluster = await LocalCluster.start({
    nodes: 4,
    subnet: 71,
    port: Number(values.port),
    daemonArgs: ["--load", "cluster", "--speed", "10000", "--unit", "0.5"],
  });
  const ids = cluster.nodes.map((n) => n.id);
  const home = cluster.nodes[0];
  const env = { XDG_CACHE_HOME: join(cluster.root, "cache") };
  const counts = {
    stuck: 0,
    started: 0,
    finished: 0,
    wrong: 0,
    failed: 0,
    moves: 0,
    movesRefused: 0,
  };
  const running = new Map<number, Promise<void>>();
  const children = new Map<number, Deno.ChildProcess>();
  const samples: Sample[] = [];
  const t0 = Date.now();
  const endAt = t0 + minutes * 60_000;
  const pids = cluster.nodes.map((n) => n.process!.pid);
  let seq = 0;

  const start = () => {
    const i = seq++;
    const n = SIZES[i % SIZES.length];
    const where = i % 2 ? ["-j", `${ids[1]}-${ids[3]}`, "-F"] : [];
    const child = new Deno.Command(Deno.execPath(), {
      args: commandArgs("mosrun", ["--dir", home.dir, ...where, WASM, `${n}`]),
      cwd: cluster.root,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    counts.started++;
    children.set(child.pid, child);
    const done = child.output().then((out) => {
      const text = new TextDecoder().decode(out.stdout);
      if (out.code !== 0) counts.failed++;
      else if (text !== want.get(n)) counts.wrong++;
      else counts.finished++;
      running.delete(child.pid);
      children.delete(child.pid);
    });
    running.set(child.pid, done);
  };

  try {
    if (
      await waitFor(
        () => allSeeLive(cluster.nodes.map((x) => x.dir), ids),
        10000,
      ) < 0
    ) {
      throw new Error("soak_bench: the cluster did not form");
    }
    let lastMove = 0;
    let lastSample = 0;
    while (Date.now() < endAt) {
      while (running.size < concurrency) start();
      const now = Date.now();
      if (now - lastSample >= 2000) {
        lastSample = now;
        samples.push({
          t: (now - t0) / 1000,
          rss: await Promise.all(pids.map(rssOf)),
        });
      }
      if (now - lastMove >= 1000 && running.size > 0) {
        lastMove = now;
        const pid =
          [...running.keys()][Math.floor(Math.random() * running.size)];
        // Index 0 is the home node itself: "home".
        const k = Math.floor(Math.random() * ids.length);
        const to = k === 0 ? { kind: "home" } : { kind: "node", id: ids[k] };
        counts.moves++;
        callProc(home.dir, pid, "migrate", { to, wait: false }, 5000)
          .catch(() => counts.movesRefused++);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // Let the last ones finish (bounded), then one last sample.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(running.values()),
      new Promise((r) => timer = setTimeout(r, 60_000)),
    ]);
    clearTimeout(timer);
    samples.push({
      t: (Date.now() - t0) / 1000,
      rss: await Promise.all(pids.map(rssOf)),
    });
  } finally {
    // A process still running now is stuck: count it and stop it.
    counts.stuck = children.size;
    for (const child of children.values()) {
      try {
        child.kill("SIGKILL");
      } catch {
        // gone
      }
    }
    await cluster.stop();
  }
  report(samples, cluster.nodes.map((n) => n.id), minutes, concurrency, counts);
}

function report(
  samples: Sample[],
  ids: number[],
  minutes: number,
  concurrency: number,
  c: Record<string, number>,
): void {
  // Warm-up: the first fifth of the run (modules load, caches fill).
  const warm = samples.filter((s) => s.t >= samples[samples.length - 1].t / 5);
  console.log(
    `soak: ${ids.length} daemons, ${minutes} min, ${concurrency} processes at a time: ` +
      `${c.started} started, ${c.finished} right, ${c.wrong} wrong output, ` +
      `${c.failed} failed, ${c.stuck} stuck; ${c.moves} moves asked, ` +
      `${c.movesRefused} refused`,
  );
  console.log(
    "daemon    after warm-up MiB   peak MiB   end MiB   slope MiB/min",
  );
  ids.forEach((id, d) => {
    const ys = warm.map((s) => s.rss[d] / MiB);
    const all = samples.map((s) => s.rss[d] / MiB);
    const per = slope(warm.map((s) => s.t / 60), ys);
    console.log(
      `${formatNodeId(id).padEnd(8)}  ${ys[0].toFixed(1).padStart(17)}  ` +
        `${Math.max(...all).toFixed(1).padStart(9)}  ${
          all[all.length - 1].toFixed(1).padStart(8)
        }  ${per.toFixed(2).padStart(14)}`,
    );
  });
}

if (import.meta.main) {
  try {
    await main();
    Deno.exit(0); // moves still asked of gone processes need not finish
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}

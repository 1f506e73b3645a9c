/**
 * Load: 200 short cluster processes started at once from one node of a
 * 4-node cluster (real daemons on loopback) all finish with the right
 * output: some stay home (the balancer may move them), some go to the
 * best node, some to a random one (falling back home when that node does
 * not answer in time). Bounded in time; prints its duration, the machine's
 * memory use and the fallbacks. DMOSIX_LOAD_PROCS=N changes the count.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  runCommand,
  waitFor,
} from "../../tools/local_cluster.ts";
import { allSeeLive } from "../../tools/cluster_probe.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { runWasi } from "../../core/wasi/plain_runner.ts";
import { collectOutput, inputFromText } from "../../core/wasi/stdio.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const PROCS = Number(Deno.env.get("DMOSIX_LOAD_PROCS") ?? 200);
const DEADLINE_MS = 170_000;
const WASM = join(FIXTURES_DIR, "cpu_loop.wasm");
/** Iteration counts: a few distinct ones, so outputs differ between runs. */
const SIZES = [100_000, 150_000, 200_000, 250_000, 300_000];

/** The machine's memory in use (MemTotal - MemAvailable), bytes. */
async function memUsed(): Promise<number> {
  const t = await Deno.readTextFile("/proc/meminfo");
  const kb = (k: string) =>
    Number(t.match(new RegExp(`^${k}:\\s+(\\d+)`, "m"))![1]);
  return (kb("MemTotal") - kb("MemAvailable")) * 1024;
}

/** Resident memory (bytes) and CPU time used so far (s) of process `pid`. */
async function usage(pid: number): Promise<{ rss: number; cpu: number }> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const stat = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1]
      .split(" ");
    return {
      rss: Number(status.match(/^VmRSS:\s+(\d+)/m)![1]) * 1024,
      cpu: (Number(stat[11]) + Number(stat[12])) / 100, // utime + stime, ticks
    };
  } catch {
    return { rss: 0, cpu: 0 };
  }
}

/** The reference output of cpu_loop N, from the plain WASI runner. */
async function reference(n: number): Promise<string> {
  const stdout = collectOutput();
  const code = await runWasi(await Deno.readFile(WASM), {
    args: ["cpu_loop", String(n)],
    env: [],
    cwd: Deno.cwd(),
    stdin: inputFromText(""),
    stdout,
    stderr: collectOutput(),
  });
  assert.equal(code, 0);
  return stdout.text();
}

Deno.test(
  `${PROCS} short processes started at once from one node of a 4-node cluster all finish with the right output`,
  opts,
  async () => {
    const cluster = await LocalCluster.start({
      nodes: 4,
      subnet: 71,
      port: 4770,
      // Nodes share one machine: load is the cluster processes they run.
      daemonArgs: ["--load", "cluster", "--speed", "10000"],
    });
    const home = cluster.nodes[0];
    const ids = cluster.nodes.map((n) => n.id);
    const env = { XDG_CACHE_HOME: join(cluster.root, "cache") };
    const kids: Deno.ChildProcess[] = [];
    let sampling = true;
    try {
      assert(
        await waitFor(
          () => allSeeLive(cluster.nodes.map((n) => n.dir), ids),
          10000,
        ) >= 0,
        "cluster did not form",
      );
      const want = new Map<number, string>();
      for (const n of SIZES) want.set(n, await reference(n));
      // One run first fills the instrumentation cache, as a user's first
      // run does; the 200 then load the instrumented module from it.
      const warm = await runCommand(
        "mosrun",
        ["--dir", home.dir, "-h", WASM, "1000"],
        { env },
      );
      assert.equal(warm.code, 0, warm.stderr);

      const pids = cluster.nodes.map((n) => n.process!.pid);
      const cpu0 = await Promise.all(pids.map(usage));
      const base = await memUsed();
      let peak = base;
      let daemonPeak = 0;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await memUsed());
          for (const u of await Promise.all(pids.map(usage))) {
            daemonPeak = Math.max(daemonPeak, u.rss);
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      const started = Date.now();
      // -F: a node too busy to take a process at once (its handshake
      // times out when 200 start on 2 cores) leaves it at home; counted.
      const where = (i: number): string[] =>
        i % 4 === 1
          ? ["-b", "-F"]
          : i % 4 === 2
          ? ["-j", `${ids[1]}-${ids[3]}`, "-F"]
          : [];
      for (let i = 0; i < PROCS; i++) {
        kids.push(
          new Deno.Command(Deno.execPath(), {
            args: commandArgs("mosrun", [
              "--dir",
              home.dir,
              ...where(i),
              WASM,
              String(SIZES[i % SIZES.length]),
            ]),
            cwd: cluster.root,
            env,
            stdin: "null",
            stdout: "piped",
            stderr: "piped",
          }).spawn(),
        );
      }
      const timer = setTimeout(() => {
        for (const k of kids) {
          try {
            k.kill("SIGKILL");
          } catch {
            // gone
          }
        }
      }, DEADLINE_MS);
      const results = await Promise.all(kids.map((k) => k.output()));
      clearTimeout(timer);
      const elapsed = Date.now() - started;
      sampling = false;
      await sampler;
      const cpu1 = await Promise.all(pids.map(usage));
      const daemonCpu = cpu1.reduce((n, u, i) => n + u.cpu - cpu0[i].cpu, 0);
      const dec = new TextDecoder();
      const bad: string[] = [];
      let fellBack = 0;
      results.forEach((r, i) => {
        const out = dec.decode(r.stdout);
        if (/running at home|continuing at home/.test(dec.decode(r.stderr))) {
          fellBack++;
        }
        if (r.code !== 0 || out !== want.get(SIZES[i % SIZES.length])) {
          bad.push(
            `#${i} ${where(i).join(" ") || "home"}: exit ${r.code}, ${
              dec.decode(r.stderr).trim().replaceAll("\n", " | ") ||
              `wrong output: ${JSON.stringify(out.slice(-80))}`
            }`,
          );
        }
      });
      console.log(
        `load: ${PROCS} processes in ${(elapsed / 1000).toFixed(1)} s, ` +
          `machine memory +${
            ((peak - base) / 2 ** 30).toFixed(2)
          } GiB at peak, ` +
          `${fellBack} of ${PROCS / 2} placed ones fell back home; daemons: ` +
          `${daemonCpu.toFixed(1)} s CPU together, ` +
          `${(daemonPeak / 2 ** 20).toFixed(0)} MiB RSS at most`,
      );
      assert.equal(
        bad.length,
        0,
        `${bad.length} failed:\n${bad.slice(0, 10).join("\n")}`,
      );
      assert(elapsed < DEADLINE_MS, "took too long");
      // The daemons are still there and still agree.
      assert(
        await waitFor(
          () => allSeeLive(cluster.nodes.map((n) => n.dir), ids),
          10000,
        ) >= 0,
      );
    } finally {
      sampling = false;
      for (const k of kids) {
        try {
          k.kill("SIGKILL");
        } catch {
          // gone
        }
      }
      await cluster.stop();
    }
  },
);

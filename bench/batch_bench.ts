/**
 * Batch jobs (mosrun -E), measured side by side in one run.
 *
 * 1. Placement (root: network namespaces + cgroup CPU quotas, as
 *    bench/balance_quota_bench.ts): 4 nodes held to 0.4 CPU each, 32 short
 *    native jobs of unequal cost submitted at once from node 1, placed at
 *    once (`mosrun -b -E`) or queued until a node has a free CPU
 *    (`mosrun -b -q -E`); makespan against the ideal (total work / total
 *    capacity), the ideal plus what submitting 32 mosruns costs node 1,
 *    and everything on the home node (`mosrun -h -E`). Batch jobs never
 *    move: placement at start is all.
 * 2. Overhead (loopback, no root): one remote job against running the
 *    program locally: start latency through the library (connect,
 *    authenticate, spawn there, exit status back), jobs per second with 8
 *    in flight, and the whole `mosrun` command (Deno start-up included).
 *    GNU parallel's --sshlogin reports 3-10 ms per job.
 *
 * Usage: deno run -A bench/batch_bench.ts [--quick]
 *
 * @module
 */

import { join } from "node:path";
import { RemoteBatchJob, type StartRefusal } from "../core/batch_client.ts";
import type { BatchStart } from "../core/batch_protocol.ts";
import { deriveKey, loadSecret } from "../core/secret.ts";
import { canUseCgroups } from "../tools/cgroup.ts";
import { commandArgs, LocalCluster, waitFor } from "../tools/local_cluster.ts";
import { canUseNetns } from "../tools/netns.ts";
import { startQuotaCluster } from "../tools/quota_cluster.ts";
import { allSeeLive } from "../tools/cluster_probe.ts";

const quick = Deno.args.includes("--quick");
const NODES = 4, QUOTA = 0.4, JOBS = 32;
/** CPU seconds (one full CPU) of one unit of job cost. */
const UNIT_S = quick ? 0.1 : 0.2;

/** A CPU burner: argv[1] million iterations of a cheap dependency chain. */
const BURN_C = `#include <stdlib.h>
#include <stdio.h>
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1;
  volatile unsigned x = 1;
  for (long i = 0; i < n * 1000000L; i++) x = x * 1664525u + 1013904223u;
  printf("%u\\n", x);
  return 0;
}
`;

async function buildBurn(dir: string): Promise<string> {
  await Deno.writeTextFile(join(dir, "burn.c"), BURN_C);
  const out = await new Deno.Command("cc", {
    args: ["-O1", "-o", "burn", "burn.c"],
    cwd: dir,
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`cc failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return join(dir, "burn");
}

async function run(argv: string[], cwd: string): Promise<number> {
  const o = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!o.success) {
    throw new Error(
      `${argv.slice(-3).join(" ")}: ${
        new TextDecoder().decode(o.stderr).trim()
      }`,
    );
  }
  return o.code;
}

/** Job costs in units: 1..5, fixed by a seed, so every run has the same mix. */
function costs(n: number): number[] {
  let s = 12345;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return 1 + (s >> 16) % 5;
  });
}

/** Makespan of the best-known static placement (LPT) on `m` equal nodes. */
function lpt(work: number[], m: number): number {
  const bins = new Array(m).fill(0);
  for (const w of [...work].sort((a, b) => b - a)) {
    bins[bins.indexOf(Math.min(...bins))] += w;
  }
  return Math.max(...bins);
}

async function placementBench(): Promise<void> {
  if (!canUseNetns() || !canUseCgroups()) {
    console.log(
      "placement: needs root, ip netns and the cgroup v1 cpu controller; skipped",
    );
    return;
  }
  const c = await startQuotaCluster({
    nodes: NODES,
    quota: QUOTA,
    balance: false,
    daemonArgs: ["--batch-root"], // the bench runs as root
    tag: `dmxb${Deno.pid % 10000}`,
  });
  const { root, dirs } = c;
  const inNode = (i: number, argv: string[]) => c.exec(i, argv);
  const deno = (cmd: string, args: string[]) => [
    Deno.execPath(),
    ...commandArgs(cmd, args),
  ];
  try {
    const burn = await buildBurn(root);

    // One unit of work, alone on a full CPU.
    const calib = 200;
    const t0 = performance.now();
    await run(c.aloneExec([burn, String(calib)]), root);
    const perMillion = (performance.now() - t0) / 1000 / calib;
    const unitM = Math.max(1, Math.round(UNIT_S / perMillion));
    const w = costs(JOBS);
    const work = w.map((x) => x * unitM * perMillion); // CPU seconds each
    const total = work.reduce((a, b) => a + b, 0);
    const ideal = total / (NODES * QUOTA);
    const best = lpt(work, NODES) / QUOTA;
    console.log(
      `${NODES} nodes x ${QUOTA} CPU (cgroup quota), ${JOBS} native jobs of 1..5 units (1 unit = ${
        (unitM * perMillion).toFixed(2)
      } CPU-s), ${
        total.toFixed(1)
      } CPU-s in all, submitted at once from node 1`,
    );

    const scenario = async (where: string[]) => {
      const start = performance.now();
      await Promise.all(
        w.map((x) =>
          run(
            inNode(
              0,
              deno("mosrun", [
                "--dir",
                dirs[0],
                ...where,
                burn,
                String(x * unitM),
              ]),
            ),
            root,
          )
        ),
      );
      return (performance.now() - start) / 1000;
    };
    const logLines = async () =>
      (await Promise.all(
        dirs.map((d) => Deno.readTextFile(join(d, "log")).catch(() => "")),
      )).map((t) =>
        t.split("\n").filter((l) => /batch: job \d+ \(pid/.test(l))
      );
    const units = w.reduce((a, b) => a + b, 0);
    /** Run a scenario; also say how the jobs spread (remote from the logs, the rest at home). */
    const spreadOf = async (where: string[]) => {
      const before = (await logLines()).map((l) => l.length);
      const s = await scenario(where);
      const after = await logLines();
      const work = new Array(NODES).fill(0);
      const jobs = new Array(NODES).fill(0);
      for (let i = 1; i < NODES; i++) {
        for (const l of after[i].slice(before[i])) {
          work[i] += Number(l.split(" ").at(-1)) / unitM;
          jobs[i]++;
        }
      }
      work[0] = units - work.reduce((a, b) => a + b, 0);
      jobs[0] = JOBS - jobs.reduce((a, b) => a + b, 0);
      return { s, how: `jobs ${jobs.join("/")}, units ${work.join("/")}` };
    };
    const spread = await spreadOf(["-b", "-E"]);
    const queued = await spreadOf(["-b", "-q", "-E"]);
    const home = await scenario(["-h", "-E"]);
    // What submitting costs node 1 by itself: 32 mosruns of a job that does
    // nothing, at home (Deno start-up, cluster access, placement).
    const s0 = performance.now();
    await Promise.all(
      w.map(() =>
        run(
          inNode(0, deno("mosrun", ["--dir", dirs[0], "-h", "-E", "true"])),
          root,
        )
      ),
    );
    const submitS = (performance.now() - s0) / 1000;
    const submitCpu = submitS * QUOTA;
    const idealWithSubmit = (total + submitCpu) / (NODES * QUOTA);
    const row = (label: string, s: number, how = "") =>
      console.log(
        `${label.padEnd(34)} makespan ${s.toFixed(1).padStart(5)} s   ${
          (s / ideal).toFixed(2)
        } x ideal   ${(s / idealWithSubmit).toFixed(2)} x ideal+submit   ${
          (home / s).toFixed(2)
        } x faster than home${how ? `   (${how})` : ""}`,
      );
    console.log(
      `ideal (total work / capacity)      makespan ${
        ideal.toFixed(1).padStart(5)
      } s   best static placement knowing the costs (LPT) ${best.toFixed(1)} s`,
    );
    console.log(
      `submitting alone (${JOBS} x mosrun -h -E true on node 1): ${
        submitS.toFixed(1)
      } s = ${submitCpu.toFixed(1)} CPU-s of node 1; ideal+submit ${
        idealWithSubmit.toFixed(1)
      } s`,
    );
    row("mosrun -b -E (placed at once)", spread.s, spread.how);
    row("mosrun -b -q -E (queued for a CPU)", queued.s, queued.how);
    row("mosrun -h -E (all on home node)", home);
  } finally {
    await c.stop();
  }
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `mean ${mean.toFixed(2)} ms, median ${s[s.length >> 1].toFixed(2)} ms`;
}

function mean(ms: number[]): number {
  return ms.reduce((a, b) => a + b, 0) / ms.length;
}

async function overheadBench(): Promise<void> {
  const cluster = await LocalCluster.start({
    nodes: 2,
    subnet: 63,
    port: 4763,
    daemonArgs: Deno.uid() === 0 ? ["--batch-root"] : [],
  });
  try {
    const ok = await waitFor(
      () =>
        allSeeLive(
          cluster.nodes.map((n) => n.dir),
          cluster.nodes.map((n) => n.id),
        ),
      8000,
    );
    if (ok < 0) throw new Error("the loopback cluster did not form");
    const [home, there] = cluster.nodes;
    const key = deriveKey(await loadSecret(join(home.dir, "secret")), "link");
    const access = { self: home.id, key };
    const target = { id: there.id, addr: there.addr, port: 4763 };
    const user = Deno.env.get("USER") ?? (Deno.uid() === 0 ? "root" : "");
    const spec: BatchStart = {
      program: "true",
      args: [],
      cwd: "/tmp",
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
      user: user || "root",
      homePid: Deno.pid,
    };
    const sink = { write: (p: Uint8Array) => Promise.resolve(p.length) };
    const remoteOnce = async () => {
      const t = performance.now();
      const j = await RemoteBatchJob.start(target, access, spec);
      if (!(j instanceof RemoteBatchJob)) {
        throw new Error((j as StartRefusal).reason);
      }
      const r = await j.run({ stdin: null, stdout: sink, stderr: sink });
      if (r.kind !== "exit" || r.exit.code !== 0) {
        throw new Error(JSON.stringify(r));
      }
      return performance.now() - t;
    };
    const localOnce = async () => {
      const t = performance.now();
      const o = await new Deno.Command("true", {
        stdout: "null",
        stderr: "null",
      }).output();
      if (!o.success) throw new Error("true failed");
      return performance.now() - t;
    };
    const n = quick ? 30 : 100;
    for (let i = 0; i < 5; i++) {
      await remoteOnce();
      await localOnce();
    }
    const local: number[] = [], remote: number[] = [];
    for (let i = 0; i < n; i++) {
      local.push(await localOnce());
      remote.push(await remoteOnce());
    }
    // Throughput: 8 jobs in flight, like make -j8.
    const m = quick ? 80 : 240;
    const through = async (once: () => Promise<number>) => {
      const t = performance.now();
      let next = 0;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next++ < m) await once();
      }));
      return (performance.now() - t) / m;
    };
    const localPer = await through(localOnce);
    const remotePer = await through(remoteOnce);
    // The whole command, Deno start-up included.
    const cmd = async (args: string[]) => {
      const t = performance.now();
      const o = await new Deno.Command(Deno.execPath(), {
        args: commandArgs("mosrun", ["--dir", home.dir, ...args]),
        stdout: "null",
        stderr: "null",
      }).output();
      if (!o.success) throw new Error(`mosrun ${args.join(" ")} failed`);
      return performance.now() - t;
    };
    const k = quick ? 5 : 15;
    const cmdRemote: number[] = [], cmdHome: number[] = [];
    for (let i = 0; i < k; i++) {
      cmdRemote.push(await cmd([`-${there.id}`, "-E", "true"]));
      cmdHome.push(await cmd(["-h", "-E", "true"]));
    }
    console.log(
      `\none job 'true', sequential (${n} each): local spawn ${
        stats(local)
      }; remote (connect, auth, spawn there, status back) ${stats(remote)}`,
    );
    console.log(
      `remote overhead per job: ${
        (mean(remote) - mean(local)).toFixed(2)
      } ms (${
        (mean(remote) / mean(local)).toFixed(1)
      } x local); GNU parallel --sshlogin: 3-10 ms`,
    );
    console.log(
      `8 in flight (${m} jobs): local ${localPer.toFixed(2)} ms/job, remote ${
        remotePer.toFixed(2)
      } ms/job (${(remotePer / localPer).toFixed(1)} x)`,
    );
    console.log(
      `whole command (${k} each, Deno start-up included): mosrun -NODE -E true ${
        mean(cmdRemote).toFixed(0)
      } ms, mosrun -h -E true ${mean(cmdHome).toFixed(0)} ms, remote adds ${
        (mean(cmdRemote) - mean(cmdHome)).toFixed(1)
      } ms`,
    );
  } finally {
    await cluster.stop();
  }
}

await placementBench();
await overheadBench();

/**
 * Balancing on real daemons (root only): 4 nodes in network namespaces,
 * each held to 0.4 CPU by a cgroup quota, 8 equal CPU-bound jobs started on
 * node 1, with balancing on and off, side by side with the ideal makespan
 * (total work / total capacity). The machine's load average is printed
 * first: other work on it slows the nodes below their quota.
 *
 * Usage: deno run -A bench/balance_quota_bench.ts [--quick] [--verbose]
 *
 * Balancing on is run twice on the same cluster: as mosrun starts jobs
 * by default (placed at start when home is busy), and with -h (all start
 * at home; the balancer moves them later).
 *
 * --quick: half the work, no run with balancing off; --verbose: when each
 * job ended and what the balancers did, in seconds from the start.
 *
 * @module
 */

import { join } from "node:path";
import { startQuotaCluster, timed } from "../tools/quota_cluster.ts";
import { canUseNetns } from "../tools/netns.ts";
import { canUseCgroups } from "../tools/cgroup.ts";

if (!canUseNetns() || !canUseCgroups()) {
  console.log(
    "balance_quota_bench: needs root, ip netns and the cgroup v1 cpu controller; skipped",
  );
  Deno.exit(0);
}
const quick = Deno.args.includes("--quick");
const verbose = Deno.args.includes("--verbose");
const JOB = [
  new URL("../tests/fixtures/cpu_loop.wasm", import.meta.url).pathname,
  quick ? "400000000" : "800000000",
];
const NODES = 4, QUOTA = 0.4, JOBS = 8;

/** One way of starting the jobs: its label and mosrun's where-option. */
interface Variant {
  label: string;
  where: string[];
}

/**
 * Start a cluster (balancing on or off), measure one job alone, then run
 * the 8 jobs once per variant; returns makespan / ideal per variant.
 */
async function scenario(balance: boolean, variants: Variant[]) {
  const c = await startQuotaCluster({ nodes: NODES, quota: QUOTA, balance });
  try {
    // The work of one job: the median of three runs alone on a full CPU
    // (a single run varies by 20 %, the first one often slower).
    const alone = [];
    for (let i = 0; i < 3; i++) {
      alone.push(
        await timed(
          c.alone("mosrun", ["--dir", join(c.root, "none"), ...JOB]),
          c.root,
        ),
      );
    }
    const one = alone.sort((a, b) => a.s - b.s)[1];
    const ideal = JOBS * one.s / (NODES * QUOTA);
    const ratios = [];
    for (const v of variants) {
      const t0 = performance.now();
      const runs = await Promise.all(
        Array.from({ length: JOBS }, () =>
          timed(
            c.on(0, "mosrun", ["--dir", c.dirs[0], ...v.where, ...JOB]),
            c.root,
          )),
      );
      const makespan = (performance.now() - t0) / 1000;
      const ok = runs.every((r) => r.code === 0 && r.out === one.out);
      console.log(
        `${v.label.padEnd(34)} ideal ${
          ideal.toFixed(1).padStart(5)
        } s   makespan ${makespan.toFixed(1).padStart(5)} s   ${
          (makespan / ideal).toFixed(2)
        } x ideal   ${ok ? "results ok" : "RESULTS WRONG"}`,
      );
      if (verbose) await explain(c.dirs, t0, runs.map((r) => r.s));
      ratios.push(makespan / ideal);
    }
    return ratios;
  } finally {
    await c.stop();
  }
}

/** Print the jobs' end times and the balancers' log lines, from t0. */
async function explain(dirs: string[], t0: number, ends: number[]) {
  const base = performance.timeOrigin + t0;
  console.log(
    `  jobs ended at ${
      ends.sort((a, b) => a - b).map((s) => s.toFixed(1)).join(" ")
    } s`,
  );
  for (const [i, dir] of dirs.entries()) {
    const text = await Deno.readTextFile(join(dir, "log")).catch(() => "");
    for (const line of text.split("\n")) {
      const m = line.match(/^(\S+) \S+ ((balance: |guest ).*)$/);
      const at = m ? (Date.parse(m[1]) - base) / 1000 : NaN;
      if (at >= -1) console.log(`  ${at.toFixed(1)} s node ${i + 1}: ${m![2]}`);
    }
  }
}

console.log(
  `4 nodes x ${QUOTA} CPU (cgroup quota), ${JOBS} equal CPU-bound jobs started on node 1`,
);
console.log(
  `machine: ${navigator.hardwareConcurrency} CPUs, load average ${
    (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ")
  }`,
);
const [on] = await scenario(true, [
  { label: "balancing on", where: [] },
  // The balancer alone: every job starts at home, moves come later.
  { label: "balancing on, started at home (-h)", where: ["-h"] },
]);
if (!quick) await scenario(false, [{ label: "balancing off", where: [] }]);
console.log(
  `goal: makespan <= 1.25 x ideal: ${on <= 1.25 ? "met" : "NOT met"} (${
    on.toFixed(2)
  })`,
);

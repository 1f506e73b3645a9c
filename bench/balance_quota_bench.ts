/**
 * Balancing on real daemons (root only): 4 nodes in network namespaces,
 * each held to 0.4 CPU by a cgroup quota, 8 equal CPU-bound jobs started on
 * node 1, with balancing on and off, side by side with the ideal makespan
 * (total work / total capacity); then nodes of unequal speed.
 *
 * Usage: deno run -A bench/balance_quota_bench.ts [--quick]
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
const JOB = [
  new URL("../tests/fixtures/cpu_loop.wasm", import.meta.url).pathname,
  quick ? "400000000" : "800000000",
];
const NODES = 4, QUOTA = 0.4, JOBS = 8;

async function scenario(label: string, balance: boolean, speeds?: number[]) {
  const c = await startQuotaCluster({
    nodes: NODES,
    quota: QUOTA,
    balance,
    speeds,
  });
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
    const t0 = performance.now();
    const runs = await Promise.all(
      Array.from(
        { length: JOBS },
        () => timed(c.on(0, "mosrun", ["--dir", c.dirs[0], ...JOB]), c.root),
      ),
    );
    const makespan = (performance.now() - t0) / 1000;
    const ok = runs.every((r) => r.code === 0 && r.out === one.out);
    console.log(
      `${label.padEnd(28)} ideal ${ideal.toFixed(1).padStart(5)} s   makespan ${
        makespan.toFixed(1).padStart(5)
      } s   ${(makespan / ideal).toFixed(2)} x ideal   ${
        ok ? "results ok" : "RESULTS WRONG"
      }`,
    );
    return makespan / ideal;
  } finally {
    await c.stop();
  }
}

console.log(
  `4 nodes x ${QUOTA} CPU (cgroup quota), ${JOBS} equal CPU-bound jobs started on node 1`,
);
const on = await scenario("balancing on", true);
if (!quick) await scenario("balancing off", false);
console.log(
  `goal: makespan <= 1.25 x ideal: ${on <= 1.25 ? "met" : "NOT met"} (${
    on.toFixed(2)
  })`,
);

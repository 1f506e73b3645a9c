/**
 * As root: 4 nodes in network namespaces, each held to 0.4 CPU by a cgroup
 * quota; 8 equal CPU-bound jobs started on one node. The balancers spread
 * them and every job computes the right thing. The work of one job is
 * measured first, alone, on a full CPU, to state the ideal makespan (total
 * work / total capacity). bench/balance_quota_bench.ts prints the same
 * scenario with balancing on and off.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { canUseNetns } from "../../tools/netns.ts";
import { canUseCgroups } from "../../tools/cgroup.ts";
import { startQuotaCluster, timed } from "../../tools/quota_cluster.ts";
import { callProc, listProcPids } from "../../core/proc_socket.ts";

const NODES = 4;
const QUOTA = 0.4;
const JOBS = 8;
const JOB = [join(FIXTURES_DIR, "cpu_loop.wasm"), "800000000"];

Deno.test({
  name:
    "4 nodes x 0.4 CPU in namespaces: 8 jobs from one node spread and all finish correctly",
  ignore: !canUseNetns() || !canUseCgroups(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const c = await startQuotaCluster({ nodes: NODES, quota: QUOTA });
    try {
      const one = await timed(
        c.alone("mosrun", ["--dir", join(c.root, "none"), ...JOB]),
        c.root,
      );
      assert.equal(one.code, 0);
      const ideal = JOBS * one.s / (NODES * QUOTA);
      const allOnOne = JOBS * one.s / QUOTA;
      const t0 = performance.now();
      const results = await Promise.all(
        Array.from(
          { length: JOBS },
          () => timed(c.on(0, "mosrun", ["--dir", c.dirs[0], ...JOB]), c.root),
        ),
      );
      const makespan = (performance.now() - t0) / 1000;
      for (const r of results) {
        assert.equal(r.code, 0);
        assert.equal(r.out, one.out, "a job computed something else");
      }
      console.log(
        `  one job ${one.s.toFixed(2)} s on a full CPU; ideal ${
          ideal.toFixed(1)
        } s; makespan ${makespan.toFixed(1)} s = ${
          (makespan / ideal).toFixed(2)
        } x ideal; all on one node: ${(allOnOne / ideal).toFixed(1)} x`,
      );
      // Balancing must at least halve the makespan of leaving everything on
      // one node (4 x ideal); the goal of 1.25 x is the bench's.
      assert(
        makespan < allOnOne / 2,
        `makespan ${makespan.toFixed(1)} s, all-on-one ${
          allOnOne.toFixed(1)
        } s`,
      );
    } finally {
      await c.stop();
    }
  },
});

Deno.test({
  name:
    "nodes of unequal speed in namespaces: the faster nodes get more of the jobs",
  ignore: !canUseNetns() || !canUseCgroups(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // Two slow and two twice-as-fast nodes: the fast ones get twice the CPU
    // quota and say so with --speed; all report the same CPU count.
    const speeds = [10000, 20000, 10000, 20000];
    const quotas = speeds.map((s) => 0.3 * s / 10000);
    const c = await startQuotaCluster({
      nodes: 4,
      quota: 0.3,
      quotas,
      cpus: 0.3,
      speeds,
      tag: `dmxu${Deno.pid % 10000}`,
    });
    const fast = new Set(c.ids.filter((_, i) => speeds[i] > 10000));
    try {
      const jobs = 9;
      const job = [join(FIXTURES_DIR, "cpu_loop.wasm"), "600000000"];
      const runs = Array.from(
        { length: jobs },
        () => timed(c.on(0, "mosrun", ["--dir", c.dirs[0], ...job]), c.root),
      );
      // Where the jobs run, sampled while all of them still run, from 3 s
      // after the last one started (starting 9 runtimes on a 0.3 CPU node
      // takes seconds) until the first one ends.
      let last: number[] = [];
      let allSince = -1;
      const t0 = performance.now();
      while (performance.now() - t0 < 40000) {
        await new Promise((r) => setTimeout(r, 250));
        const pids = listProcPids(c.dirs[0]);
        const where = await Promise.all(
          pids.map((pid) =>
            callProc<{ where: number }>(c.dirs[0], pid, "status", {}, 2000)
              .then((s) => s.where, () => -1)
          ),
        );
        const all = where.length === jobs && !where.includes(-1);
        if (!all && allSince >= 0) break;
        if (all && allSince < 0) allSince = performance.now();
        if (all && performance.now() - allSince > 3000) last = where;
      }
      const results = await Promise.all(runs);
      for (const r of results) assert.equal(r.code, 0);
      const onFast = last.filter((w) => fast.has(w)).length;
      const onSlow = last.filter((w) => w !== 0 && !fast.has(w)).length +
        last.filter((w) => w === 0).length;
      console.log(
        `  placement while all ran: ${onFast} jobs on the 2 fast nodes, ${onSlow} on the 2 slow ones (capacity 2:1)`,
      );
      assert.equal(last.length, jobs, "no sample taken while all jobs ran");
      assert(onFast > onSlow, `fast ${onFast}, slow ${onSlow}`);
    } finally {
      await c.stop();
    }
  },
});

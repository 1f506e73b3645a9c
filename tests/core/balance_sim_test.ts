import { deepEqual, equal, ok } from "node:assert/strict";
import { idealMakespan, simulateCluster } from "../../core/balance_sim.ts";
import type { SimJob, SimNode, SimOptions } from "../../core/balance_sim.ts";
import { seededRandom } from "../../core/gossip_sim.ts";

const GiB = 2 ** 30;

function quota4(): { nodes: SimNode[]; jobs: SimJob[] } {
  return {
    nodes: Array.from({ length: 4 }, () => ({ speed: 10000, cpus: 0.4 })),
    jobs: Array.from({ length: 8 }, () => ({ work: 10, node: 0 })),
  };
}

Deno.test("idealMakespan is total work over total capacity", () => {
  const { nodes, jobs } = quota4();
  equal(idealMakespan(nodes, jobs), 80 / 1.6);
  equal(
    idealMakespan([{ speed: 20000, cpus: 1 }, { speed: 10000, cpus: 2 }], [
      { work: 8, node: 0 },
    ]),
    2,
  );
});

Deno.test("without balancing every job stays home and the node runs them all", () => {
  const { nodes, jobs } = quota4();
  const r = simulateCluster({
    nodes,
    jobs,
    balance: false,
    random: seededRandom(1),
  });
  equal(r.migrations, 0);
  deepEqual(r.workByNode.map((w) => Math.round(w * 1e6) / 1e6), [80, 0, 0, 0]);
  // 80 reference-CPU-s on 0.4 CPU.
  ok(Math.abs(r.makespan - 200) < 0.2, `makespan ${r.makespan}`);
});

Deno.test("4 nodes x 0.4 CPU, 8 equal jobs on one node: makespan within 1.25 x ideal", () => {
  const { nodes, jobs } = quota4();
  for (const seed of [1, 2, 3, 4, 5]) {
    const on = simulateCluster({ nodes, jobs, random: seededRandom(seed) });
    const off = simulateCluster({
      nodes,
      jobs,
      balance: false,
      random: seededRandom(seed),
    });
    ok(!on.timedOut);
    ok(on.makespan <= 1.25 * on.ideal, `seed ${seed}: ${on.makespan}`);
    ok(
      on.makespan < 0.4 * off.makespan,
      `on ${on.makespan} off ${off.makespan}`,
    );
    // Two jobs per node is the only balanced placement: 6 moves suffice.
    ok(on.migrations >= 6 && on.migrations <= 12, `${on.migrations} moves`);
    for (const w of on.workByNode) ok(w > 10, `work per node ${on.workByNode}`);
  }
});

Deno.test("placed at start, 8 jobs from one node run 2 per node from the first second", () => {
  const { nodes, jobs } = quota4();
  for (const seed of [1, 2, 3, 4, 5]) {
    const late = simulateCluster({ nodes, jobs, random: seededRandom(seed) });
    const early = simulateCluster({
      nodes,
      jobs,
      placeAtStart: true,
      random: seededRandom(seed),
    });
    ok(!early.timedOut);
    // Exactly the six moves a balanced placement needs, and no others.
    equal(early.migrations, 6);
    equal(early.maxMovesPerJob, 1);
    ok(early.makespan <= 1.02 * early.ideal, `seed ${seed}: ${early.makespan}`);
    ok(early.makespan < late.makespan, `${early.makespan} ${late.makespan}`);
  }
});

Deno.test("placement at start sends more jobs to faster nodes", () => {
  const nodes = [10000, 20000, 10000, 20000].map((speed) => ({
    speed,
    cpus: 0.3,
  }));
  const jobs = Array.from({ length: 9 }, () => ({ work: 20, node: 0 }));
  const r = simulateCluster({
    nodes,
    jobs,
    placeAtStart: true,
    balance: true,
    random: seededRandom(1),
  });
  const fast = r.workByNode[1] + r.workByNode[3];
  const slow = r.workByNode[0] + r.workByNode[2];
  ok(fast > 1.5 * slow, `work by node ${r.workByNode}`);
});

Deno.test("unequal speeds: the faster nodes do more work", () => {
  const nodes = [20000, 20000, 10000, 10000].map((speed) => ({
    speed,
    cpus: 1,
  }));
  const jobs = Array.from({ length: 8 }, () => ({ work: 20, node: 3 }));
  for (const seed of [1, 2, 3]) {
    const r = simulateCluster({ nodes, jobs, random: seededRandom(seed) });
    const [f1, f2, s1, s2] = r.workByNode;
    ok(Math.min(f1, f2) > Math.max(s1, s2), `work by node ${r.workByNode}`);
    ok(r.makespan <= 1.25 * r.ideal, `makespan ${r.makespan}`);
    ok(r.byReason.speed + r.byReason.load === r.migrations);
  }
});

Deno.test("locked jobs never move", () => {
  const { nodes, jobs } = quota4();
  const locked = jobs.map((j, i) => ({ ...j, locked: i < 4 }));
  const moved = new Set<number>();
  const r = simulateCluster({
    nodes,
    jobs: locked,
    random: seededRandom(1),
    onMigrate: (e) => moved.add(e.job),
  });
  ok(r.migrations > 0);
  for (const j of moved) ok(j >= 4, `locked job ${j} moved`);
});

Deno.test("blocked nodes receive nothing", () => {
  const { nodes, jobs } = quota4();
  nodes[2] = { ...nodes[2], blocked: true };
  const r = simulateCluster({ nodes, jobs, random: seededRandom(1) });
  equal(r.workByNode[2], 0);
  ok(r.migrations > 0);
});

Deno.test("very stale gossip between two nodes: migrations stay bounded", () => {
  const opts: SimOptions = {
    nodes: [{ speed: 10000, cpus: 1 }, { speed: 10000, cpus: 1 }],
    jobs: Array.from({ length: 5 }, () => ({ work: 60, node: 0 })),
    random: seededRandom(3),
    gossipAge: [4, 8],
  };
  const r = simulateCluster(opts);
  ok(!r.timedOut);
  // 3 + 2 needs 2 moves; allow a few corrections, far from one per round.
  ok(r.migrations <= 8, `${r.migrations} moves in ${r.makespan} s`);
  ok(r.makespan <= 1.25 * r.ideal, `makespan ${r.makespan}`);
});

Deno.test("admission on fresh target state cuts the herd's migrations", () => {
  const nodes = Array.from({ length: 16 }, () => ({ speed: 10000, cpus: 1 }));
  const jobs = Array.from(
    { length: 32 },
    (_, i) => ({ work: 20, node: i % 2 }),
  );
  for (const seed of [1, 2]) {
    const on = simulateCluster({ nodes, jobs, random: seededRandom(seed) });
    const off = simulateCluster({
      nodes,
      jobs,
      admission: false,
      random: seededRandom(seed),
    });
    equal(off.refused, 0);
    ok(on.refused > 0);
    ok(on.migrations < off.migrations, `${on.migrations} vs ${off.migrations}`);
    ok(on.makespan <= 1.25 * on.ideal, `makespan ${on.makespan}`);
  }
});

Deno.test("memory pressure: jobs are ushered off a swapping node", () => {
  const nodes = Array.from({ length: 4 }, () => ({
    speed: 10000,
    cpus: 1,
    memTotal: 2 * GiB,
    memBase: 0.2 * GiB,
  }));
  const jobs = Array.from({ length: 6 }, () => ({
    work: 30,
    node: 0,
    memBytes: 0.5 * GiB,
  }));
  const on = simulateCluster({ nodes, jobs, random: seededRandom(1) });
  const off = simulateCluster({
    nodes,
    jobs,
    balance: false,
    random: seededRandom(1),
  });
  ok(on.byReason.memory >= 3, `memory moves ${on.byReason.memory}`);
  ok(on.makespan < off.makespan / 5, `on ${on.makespan} off ${off.makespan}`);
});

Deno.test("the same seed gives the same run", () => {
  const nodes = Array.from({ length: 8 }, (_, i) => ({
    speed: i % 2 === 0 ? 10000 : 15000,
    cpus: 1,
  }));
  const jobs = Array.from({ length: 24 }, (_, i) => ({
    work: 5 + (i * 7) % 20,
    node: i % 2,
  }));
  const a = simulateCluster({ nodes, jobs, random: seededRandom(9) });
  const b = simulateCluster({ nodes, jobs, random: seededRandom(9) });
  deepEqual(a, b);
});

Deno.test("a run that cannot finish in time reports it", () => {
  const { nodes, jobs } = quota4();
  const r = simulateCluster({
    nodes,
    jobs,
    balance: false,
    random: seededRandom(1),
    maxTimeMs: 10_000,
  });
  ok(r.timedOut);
  equal(r.makespan, 10);
});

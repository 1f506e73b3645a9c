/**
 * Makespan with the balancer on vs off vs ideal (total work / total
 * capacity), simulated by core/balance_sim.ts, for the scenarios of the
 * migration issue and a few harder ones. Averages over several seeds; the
 * worst ratio is shown too.
 *
 * Usage: deno run -A bench/balance_bench.ts [--seeds N]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { simulateCluster } from "../core/balance_sim.ts";
import type { SimJob, SimNode, SimResult } from "../core/balance_sim.ts";
import { seededRandom } from "../core/gossip_sim.ts";

const GiB = 2 ** 30;

/** One bench scenario; `build` draws job sizes from `random`. */
export interface Scenario {
  /** Short name shown in the table. */
  name: string;
  /** One line describing it. */
  about: string;
  /** The cluster and jobs for one seed. */
  build: (random: () => number) => { nodes: SimNode[]; jobs: SimJob[] };
}

/** The scenarios, in the order printed. */
export const SCENARIOS: Scenario[] = [
  {
    name: "quota",
    about: "4 nodes x 0.4 CPU, 8 equal jobs of 10 ref-s started on node 1",
    build: () => ({
      nodes: Array.from({ length: 4 }, () => ({ speed: 10000, cpus: 0.4 })),
      jobs: Array.from({ length: 8 }, () => ({ work: 10, node: 0 })),
    }),
  },
  {
    name: "speeds",
    about: "1 CPU each at speeds 20000 20000 10000 10000, " +
      "8 jobs of 20 ref-s on a slow node",
    build: () => ({
      nodes: [20000, 20000, 10000, 10000].map((speed) => ({ speed, cpus: 1 })),
      jobs: Array.from({ length: 8 }, () => ({ work: 20, node: 3 })),
    }),
  },
  {
    name: "16x64",
    about: "16 nodes x 1 CPU at speeds 10000-20000, " +
      "64 jobs of 5-60 ref-s on node 1",
    build: (random) => ({
      nodes: Array.from({ length: 16 }, (_, i) => ({
        speed: [10000, 10000, 15000, 20000][i % 4],
        cpus: 1,
      })),
      jobs: Array.from({ length: 64 }, () => ({
        work: 5 + Math.round(random() * 55),
        node: 0,
      })),
    }),
  },
  {
    name: "memory",
    about: "4 nodes x 1 CPU x 2 GiB (0.2 used), " +
      "6 jobs of 30 ref-s x 0.5 GiB on node 1 (swapping: 10x slower)",
    build: () => ({
      nodes: Array.from({ length: 4 }, () => ({
        speed: 10000,
        cpus: 1,
        memTotal: 2 * GiB,
        memBase: 0.2 * GiB,
      })),
      jobs: Array.from({ length: 6 }, () => ({
        work: 30,
        node: 0,
        memBytes: 0.5 * GiB,
      })),
    }),
  },
  {
    name: "herd",
    about: "64 nodes x 1 CPU, 128 jobs of 30 ref-s, 16 on each of 8 nodes",
    build: () => ({
      nodes: Array.from({ length: 64 }, () => ({ speed: 10000, cpus: 1 })),
      jobs: Array.from({ length: 128 }, (_, i) => ({ work: 30, node: i % 8 })),
    }),
  },
];

/** Averages of one scenario over seeds. */
export interface Row {
  /** Scenario name. */
  name: string;
  /** Mean ideal makespan, s. */
  ideal: number;
  /** Mean makespan with balancing, s. */
  on: number;
  /** Mean makespan without balancing, s. */
  off: number;
  /** Mean of on / ideal. */
  ratio: number;
  /** Worst on / ideal. */
  worst: number;
  /** Mean migrations per run. */
  migrations: number;
  /** Mean migrations per reason. */
  byReason: SimResult["byReason"];
  /** Mean requests refused by targets (admit()). */
  refused: number;
  /** Mean on / ideal with homes placing jobs at start (placeNew). */
  placedRatio: number;
  /** Mean on / ideal without target admission. */
  noAdmitRatio: number;
  /** Mean migrations without target admission. */
  noAdmitMigrations: number;
  /** Mean work per node with balancing, ref-CPU-s. */
  workByNode: number[];
}

/** Run one scenario over `seeds` seeds. */
export function runScenario(s: Scenario, seeds: number): Row {
  const row: Row = {
    name: s.name,
    ideal: 0,
    on: 0,
    off: 0,
    ratio: 0,
    worst: 0,
    migrations: 0,
    byReason: { load: 0, memory: 0, speed: 0 },
    refused: 0,
    placedRatio: 0,
    noAdmitRatio: 0,
    noAdmitMigrations: 0,
    workByNode: [],
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const { nodes, jobs } = s.build(seededRandom(1000 + seed));
    const on = simulateCluster({ nodes, jobs, random: seededRandom(seed) });
    const off = simulateCluster({
      nodes,
      jobs,
      balance: false,
      random: seededRandom(seed),
    });
    const herd = simulateCluster({
      nodes,
      jobs,
      admission: false,
      random: seededRandom(seed),
    });
    const placed = simulateCluster({
      nodes,
      jobs,
      placeAtStart: true,
      random: seededRandom(seed),
    });
    row.placedRatio += placed.ratio / seeds;
    row.ideal += on.ideal / seeds;
    row.refused += on.refused / seeds;
    row.noAdmitRatio += herd.ratio / seeds;
    row.noAdmitMigrations += herd.migrations / seeds;
    row.on += on.makespan / seeds;
    row.off += off.makespan / seeds;
    row.ratio += on.ratio / seeds;
    row.worst = Math.max(row.worst, on.ratio);
    row.migrations += on.migrations / seeds;
    for (const k of ["load", "memory", "speed"] as const) {
      row.byReason[k] += on.byReason[k] / seeds;
    }
    on.workByNode.forEach((w, i) => {
      row.workByNode[i] = (row.workByNode[i] ?? 0) + w / seeds;
    });
  }
  return row;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** The table, one line per row, after a header. */
export function formatTable(rows: Row[]): string[] {
  const head = [
    "scenario",
    "ideal s",
    "on s",
    "off s",
    "on/ideal",
    "worst",
    "off/ideal",
    "migr",
    "load/speed/mem",
    "refused",
    "no-admit",
    "placed",
  ];
  const w = [8, 8, 8, 8, 9, 7, 10, 7, 15, 8, 10, 7];
  const line = (cells: string[]) => cells.map((c, i) => pad(c, w[i])).join(" ");
  const out = [line(head)];
  for (const r of rows) {
    const b = r.byReason;
    out.push(line([
      r.name,
      r.ideal.toFixed(1),
      r.on.toFixed(1),
      r.off.toFixed(1),
      r.ratio.toFixed(3),
      r.worst.toFixed(3),
      (r.off / r.ideal).toFixed(2),
      r.migrations.toFixed(1),
      `${b.load.toFixed(0)}/${b.speed.toFixed(0)}/${b.memory.toFixed(0)}`,
      r.refused.toFixed(1),
      `${r.noAdmitRatio.toFixed(3)}/${r.noAdmitMigrations.toFixed(0)}`,
      r.placedRatio.toFixed(3),
    ]));
  }
  return out;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { seeds: { type: "string", default: "3" } },
  });
  const seeds = Number(values.seeds);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100) {
    console.error("balance_bench: --seeds must be an integer 1..100");
    Deno.exit(2);
  }
  const t0 = performance.now();
  const rows = SCENARIOS.map((s) => runScenario(s, seeds));
  console.log(
    `balancer makespans, simulated (step 100 ms, balancing every 1 s, ` +
      `gossip 1-3 s old), mean of ${seeds} seeds`,
  );
  for (const line of formatTable(rows)) console.log(line);
  console.log();
  for (const s of SCENARIOS) console.log(`${pad(s.name, 8)}: ${s.about}`);
  console.log(
    "refused: requests targets refused on fresh state (admit()); " +
      "no-admit: on/ideal and migrations without that check; " +
      "placed: on/ideal with jobs placed at start (mosrun, no where-option)",
  );
  const speeds = rows.find((r) => r.name === "speeds");
  if (speeds !== undefined) {
    console.log(
      `work per node in "speeds" (ref-CPU-s): ` +
        speeds.workByNode.map((w) => w.toFixed(1)).join(" "),
    );
  }
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

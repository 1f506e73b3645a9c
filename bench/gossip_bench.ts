/**
 * Age of information of the gossip bulletin board, measured by simulation
 * (core/gossip_sim.ts) beside the formulas of Amar, Barak, Drezner & Okun
 * (2009), for both peer selection policies, plus the tail of the age
 * distribution behind the default dead age.
 *
 * Usage: deno run -A bench/gossip_bench.ts [--quick] [--loss P]
 *        [--n 16,64] [--w 8,16] [--policy permutation,uniform]
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  defaultDeadAge,
  expectedAverageAge,
  expectedMaxAge,
} from "../core/gossip.ts";
import type { TargetPolicy } from "../core/gossip.ts";
import { defaultUnits, defaultWarmup, simulate } from "../core/gossip_sim.ts";
import type { SimStats } from "../core/gossip_sim.ts";

/** Seconds in a year: the dead-age table assumes 1 s time units. */
const YEAR_UNITS = 365.25 * 24 * 3600;

/**
 * Lower bound of the average age for any scheme in which a node sends one
 * message per unit: information produced k units ago can be at no more than
 * 2^(k+1) - 1 other nodes (the holders double each unit).
 */
export function doublingBound(n: number): number {
  let left = n - 1, sum = 0;
  for (let k = 0; left > 0; k++) {
    const c = Math.min(2 ** k, left);
    sum += k * c;
    left -= c;
  }
  return sum / (n - 1);
}

/**
 * log10 of P(age >= a) per (pair, unit), from the measured histogram where
 * it is well sampled, else extrapolated from an exponential fit of the tail
 * (least squares of log10 P over ages where 1e-3 >= P >= 200 / samples).
 */
export function tailLog10(hist: Float64Array, a: number): number {
  const total = hist.reduce((x, y) => x + y, 0);
  const tail = new Float64Array(hist.length + 1);
  for (let x = hist.length - 1; x >= 0; x--) tail[x] = tail[x + 1] + hist[x];
  const floor = 200 / total;
  if (a < hist.length && tail[a] / total >= floor) {
    return Math.log10(tail[a] / total);
  }
  const xs: number[] = [], ys: number[] = [];
  for (let x = 0; x < hist.length; x++) {
    const p = tail[x] / total;
    if (p <= 1e-3 && p >= floor) {
      xs.push(x);
      ys.push(Math.log10(p));
    }
  }
  if (xs.length < 2) return Number.NaN;
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = ys.reduce((s, y) => s + y, 0) / ys.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return my + (sxy / sxx) * (a - mx);
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) =>
    Math.max(...rows.map((r) => r[c].length))
  );
  return rows.map((r) => r.map((v, c) => v.padStart(widths[c])).join("  "))
    .join("\n");
}

function ageTable(runs: SimStats[]): string {
  const rows = [[
    "n",
    "w",
    "avg",
    "(n-1)/w",
    "ratio",
    "bound",
    "max",
    "(n-1)(ln n+.577)/w",
    "ratio",
    "clusterMax",
    "absMax",
    "msgs/node/unit",
    "units",
  ]];
  for (const s of runs) {
    const ea = expectedAverageAge(s.n, s.window);
    const em = expectedMaxAge(s.n, s.window);
    rows.push([
      String(s.n),
      String(s.window),
      fmt(s.avgAge),
      fmt(ea),
      fmt(s.avgAge / ea, 3),
      fmt(doublingBound(s.n)),
      fmt(s.maxAge, 1),
      fmt(em, 1),
      fmt(s.maxAge / em, 3),
      fmt(s.maxAgeCluster, 1),
      String(s.maxAgeAbs),
      fmt(s.msgsPerNodePerUnit, 4),
      `${s.warmup}+${s.units}`,
    ]);
  }
  return table(rows);
}

function deadTable(runs: SimStats[]): string {
  const rows = [[
    "n",
    "w",
    "deadAge",
    "seenAtCheck",
    "margin",
    "log10 P(false dead)",
    "false deads/cluster-year",
  ]];
  for (const s of runs) {
    const d = defaultDeadAge(s.n, s.window, s.policy);
    // The dead check of the next tick sees every measured age plus one.
    const lp = tailLog10(s.ageHist, d);
    const perYear = 10 ** lp * s.n * (s.n - 1) * YEAR_UNITS;
    rows.push([
      String(s.n),
      String(s.window),
      String(d),
      String(s.maxAgeAbs + 1),
      fmt(d / (s.maxAgeAbs + 1)),
      fmt(lp, 1),
      perYear.toExponential(1),
    ]);
  }
  return table(rows);
}

/** One line: does this policy meet the paper's formulas, and where not. */
function verdict(runs: SimStats[]): string {
  let avgOk = 0, maxOk = 0, reachable = 0, avgOkReachable = 0;
  const misses: string[] = [];
  for (const s of runs) {
    const ra = s.avgAge / expectedAverageAge(s.n, s.window);
    const rm = s.maxAge / expectedMaxAge(s.n, s.window);
    const canReach = expectedAverageAge(s.n, s.window) >= doublingBound(s.n);
    if (ra <= 1) avgOk++;
    if (rm <= 1) maxOk++;
    if (canReach) reachable++;
    if (canReach && ra <= 1) avgOkReachable++;
    if (ra > 1 || rm > 1) {
      misses.push(
        `${s.n}/${s.window} (avg x${fmt(ra)}, max x${fmt(rm)}${
          canReach ? "" : ", below bound"
        })`,
      );
    }
  }
  const all = avgOk === runs.length && maxOk === runs.length;
  return `summary ${runs[0].policy}: ${
    all ? "meets/beats" : "does not meet"
  } the formulas everywhere: avg <= (n-1)/w in ${avgOk}/${runs.length} ` +
    `(${avgOkReachable}/${reachable} where (n-1)/w is above the bound), ` +
    `max <= (n-1)(ln n+.577)/w in ${maxOk}/${runs.length}` +
    (misses.length ? `; misses n/w: ${misses.join(", ")}` : "");
}

/** One line: how the default policy compares with the paper's uniform choice. */
function comparison(a: SimStats[], b: SimStats[]): string {
  const pct = (x: number, y: number) => 100 * (x / y - 1);
  const avg = a.map((s, i) => pct(s.avgAge, b[i].avgAge));
  const max = a.map((s, i) => pct(s.maxAge, b[i].maxAge));
  const range = (v: number[]) =>
    `${fmt(Math.min(...v), 1)} % .. ${fmt(Math.max(...v), 1)} %`;
  return `${a[0].policy} vs ${b[0].policy}: avg ${range(avg)}, ` +
    `max ${range(max)} (negative: ${a[0].policy} younger)`;
}

function main(): void {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean", default: false },
      loss: { type: "string", default: "0" },
      n: { type: "string" },
      w: { type: "string" },
      policy: { type: "string", default: "permutation,uniform" },
    },
  });
  const quick = values.quick;
  const list = (s: string | undefined, d: number[]) =>
    s ? s.split(",").map(Number) : d;
  const ns = list(
    values.n,
    quick ? [16, 64, 256, 1024] : [16, 64, 256, 1024, 2048],
  );
  const ws = list(values.w, [8, 16, 32]);
  const loss = Number(values.loss);
  const policies = values.policy.split(",") as TargetPolicy[];
  const t0 = performance.now();
  const byPolicy: SimStats[][] = [];
  console.log(
    `Gossip bulletin board: age of information in time units (loss ${loss}).\n` +
      `Model: each unit every node ticks (ages +1, own entry age 0) and sends one message\n` +
      `(own entry + the w youngest entries) to one peer; messages sent during unit t are\n` +
      `delivered before unit t+1. At the end of each unit after warm-up, for every ordered\n` +
      `pair (observer, subject), observer != subject, the age of the observer's entry about\n` +
      `the subject is sampled. avg = mean over pairs and units. max = the oldest entry of one\n` +
      `node's board, averaged over nodes and units (the paper's max age: its formula is the\n` +
      `coupon-collector max over one board's n-1 entries). clusterMax = oldest over all\n` +
      `pairs per unit, averaged over units; absMax = oldest ever. bound = least possible avg\n` +
      `age with one message per node per unit (holders of a piece of news at most double\n` +
      `each unit). units = warm-up + measured.\n`,
  );
  for (const policy of policies) {
    const runs: SimStats[] = [];
    for (const n of ns) {
      for (const w of ws) {
        const units = quick
          ? Math.min(defaultUnits(n), Math.ceil(3e6 / (n * n)) + 100)
          : undefined;
        const warmup = quick
          ? Math.ceil(Math.max(n, expectedMaxAge(n, w))) + 10
          : defaultWarmup(n, w);
        runs.push(
          simulate({ n, window: w, policy, units, warmup, loss, seed: 1 }),
        );
      }
    }
    console.log(`policy ${policy}\n${ageTable(runs)}\n`);
    console.log(
      `dead age (policy ${policy}): defaultDeadAge vs the oldest age a dead check saw ` +
        `(absMax + 1); P(false dead) per pair per unit, measured or extrapolated from the ` +
        `exponential tail; false deads per cluster-year at 1 s units\n${
          deadTable(runs)
        }\n`,
    );
    console.log(verdict(runs) + "\n");
    byPolicy.push(runs);
  }
  if (byPolicy.length === 2) console.log(comparison(byPolicy[0], byPolicy[1]));
  console.log(`total ${fmt((performance.now() - t0) / 1000, 1)} s`);
}

if (import.meta.main) main();

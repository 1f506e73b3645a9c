/**
 * CPU speed measurement: a short integer + floating point benchmark whose
 * result is relative to a reference CPU (10000 = reference), as in
 * openMosix where speed scales load between nodes of unequal CPUs.
 *
 * @module
 */

import process from "node:process";

/** Speed of the reference CPU. */
export const REFERENCE_SPEED = 10000;

/** Loop iterations of one run; about 3.7 ms on the reference CPU. */
const WORK = 1_500_000;

/**
 * Milliseconds one run of {@linkcode WORK} takes on the reference CPU
 * (calibrated on the development machine, a 2-core x86-64 VM, Deno 2.9).
 */
const REFERENCE_MS = 3.68;

/** Wall-clock budget for all runs, in ms. */
const BUDGET_MS = 50;

/** Most timed runs; the best one counts. */
const MAX_RUNS = 10;

// Written by every run so the JIT cannot drop the loops as dead code.
let sink = 0;

/** One run of mixed integer (hashing) and float (multiply-add, sqrt) work. */
function work(n: number, seed: number): number {
  let h = seed | 0;
  let x = 1.0 + seed * 1e-9;
  let y = 0.5;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) + i;
    h ^= h << 7;
    x = x * 1.0000001 + (h & 1023) * 1e-7;
    y += Math.sqrt(x + (i & 7)) * 1e-6;
  }
  return (h >>> 0) + x + y;
}

/**
 * This process's CPU time in ms: unlike the wall clock it does not advance
 * while other processes hold the CPU, so a speed measured on a busy machine
 * (a daemon starting beside running jobs) is not mistaken for a slow CPU.
 */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Measure this CPU's speed; 10000 is the reference CPU, twice as fast gives
 * 20000. Takes about 50 ms of one core: a warm-up run lets the JIT compile
 * the loop, then the fastest of several runs counts, so an interrupted run
 * does not lower the result. `now` is the millisecond clock the runs are
 * timed with: CPU time by default (wall-clock time under load measured a
 * quarter of the real speed), injected in tests.
 */
export function measureSpeed(now: () => number = processCpuMs): number {
  const start = now();
  sink += work(WORK / 4, 1);
  let best = Infinity;
  for (let run = 0; run < MAX_RUNS; run++) {
    const t0 = now();
    sink += work(WORK, run + 2);
    const ms = now() - t0;
    if (ms > 0 && ms < best) best = ms;
    if (now() - start >= BUDGET_MS) break;
  }
  if (!Number.isFinite(best)) return REFERENCE_SPEED; // clock did not move
  return Math.max(1, Math.round(REFERENCE_SPEED * REFERENCE_MS / best));
}

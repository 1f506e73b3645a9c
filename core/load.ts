/**
 * A node's load vector sampled from /proc: load, CPUs, speed, memory and
 * utilization. The parsers are pure (file contents in, numbers out); the
 * {@linkcode LoadSampler} takes the file reader as a parameter so tests
 * feed it fixtures.
 *
 * Load is the openMosix kind: the number of runnable processes, smoothed
 * exponentially so it follows a change within a few samples (the kernel's
 * 1-minute load average lags by minutes, useless for balancing).
 *
 * @module
 */

import { measureSpeed } from "./speed.ts";

/** One sample of this node's load vector. Memory in bytes. */
export interface LoadSample {
  /** Smoothed number of runnable processes (not divided by CPUs). */
  load: number;
  /** CPUs available to this node; fractional under a cgroup CPU quota. */
  cpus: number;
  /** Relative CPU speed, 10000 = reference CPU. */
  speed: number;
  /** Total memory. */
  memTotal: number;
  /** Memory programs can get (MemAvailable). */
  memFree: number;
  /** Raw free memory, not even used as cache (MemFree). */
  memRaw: number;
  /** CPU utilization 0..1 since the previous sample. */
  util: number;
}

/** CPU time counters in jiffies. */
export interface CpuTimes {
  /** Jiffies spent doing work (everything but idle and iowait). */
  busy: number;
  /** All jiffies. */
  total: number;
}

/** Parse /proc/loadavg: `0.20 0.18 0.12 1/80 11206`. */
export function parseLoadavg(
  text: string,
): { load1: number; running: number; total: number } {
  const f = text.trim().split(/\s+/);
  const m = /^(\d+)\/(\d+)$/.exec(f[3] ?? "");
  const load1 = Number(f[0]);
  if (m === null || f[0] === undefined || !Number.isFinite(load1)) {
    throw new Error(`unexpected /proc/loadavg format: ${text.slice(0, 80)}`);
  }
  return { load1, running: Number(m[1]), total: Number(m[2]) };
}

/**
 * Parse /proc/meminfo into bytes. Kernels before 3.14 have no MemAvailable:
 * it is estimated as MemFree + Buffers + Cached.
 */
export function parseMeminfo(
  text: string,
): { memTotal: number; memAvailable: number; memFree: number } {
  const kb = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\w+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line.trim());
    if (m !== null) kb.set(m[1], Number(m[2]));
  }
  const total = kb.get("MemTotal");
  const free = kb.get("MemFree");
  if (total === undefined || free === undefined) {
    throw new Error("unexpected /proc/meminfo format: no MemTotal or MemFree");
  }
  const available = kb.get("MemAvailable") ??
    Math.min(total, free + (kb.get("Buffers") ?? 0) + (kb.get("Cached") ?? 0));
  return {
    memTotal: total * 1024,
    memAvailable: available * 1024,
    memFree: free * 1024,
  };
}

/**
 * Parse /proc/stat: busy and total jiffies of the aggregate `cpu` line and
 * the number of `cpuN` lines. Guest time is already inside user time, so
 * only the first eight fields (user..steal) are summed.
 */
export function parseProcStat(
  text: string,
): { busy: number; total: number; cpus: number } {
  let times: number[] | undefined;
  let cpus = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("cpu ")) {
      times = line.trim().split(/\s+/).slice(1, 9).map(Number);
    } else if (/^cpu\d+\s/.test(line)) cpus++;
  }
  if (times === undefined || times.length < 4 || times.some(isNaN)) {
    throw new Error("unexpected /proc/stat format: no aggregate cpu line");
  }
  const total = times.reduce((a, b) => a + b, 0);
  const idle = times[3] + (times[4] ?? 0);
  return { busy: total - idle, total, cpus };
}

/**
 * Utilization 0..1 between two /proc/stat readings. Returns 0 when no time
 * passed or a counter went backwards (wrap, or a reset after suspend).
 */
export function utilization(prev: CpuTimes, cur: CpuTimes): number {
  const dt = cur.total - prev.total;
  const db = cur.busy - prev.busy;
  if (!(dt > 0) || db < 0) return 0;
  return Math.min(1, db / dt);
}

/**
 * CPUs allowed by a cgroup CPU quota, or undefined when no quota is set.
 * `/proc/self/cgroup` gives the process's cgroup; every ancestor's limit
 * applies too, so the smallest quota on the path wins. Checks cgroup v2
 * (`cpu.max`: `QUOTA PERIOD` or `max PERIOD`) and v1 (`cpu.cfs_quota_us`,
 * -1 for none, and `cpu.cfs_period_us`).
 */
export function cgroupCpus(
  readFile: (path: string) => string,
): number | undefined {
  const tryRead = (path: string): string | undefined => {
    try {
      return readFile(path);
    } catch {
      return undefined;
    }
  };
  const self = tryRead("/proc/self/cgroup") ?? "";
  let v2Path = "/";
  let v1Path: string | undefined;
  let v1Mount = "/sys/fs/cgroup/cpu";
  for (const line of self.split("\n")) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (m === null) continue;
    if (m[1] === "") v2Path = m[2];
    const ctrls = m[1].split(",");
    if (ctrls.includes("cpu")) {
      v1Path = m[2];
      // Some systems mount it as cpu,cpuacct with a cpu symlink, some not.
      if (ctrls.length > 1) v1Mount = `/sys/fs/cgroup/${m[1]}`;
    }
  }
  let best: number | undefined;
  const take = (quota: number, period: number) => {
    if (quota > 0 && period > 0) {
      const cpus = quota / period;
      if (best === undefined || cpus < best) best = cpus;
    }
  };
  if (v1Path !== undefined) {
    for (const dir of ancestors(v1Path)) {
      for (const mount of new Set([v1Mount, "/sys/fs/cgroup/cpu"])) {
        const q = tryRead(`${mount}${dir}/cpu.cfs_quota_us`);
        const p = tryRead(`${mount}${dir}/cpu.cfs_period_us`);
        if (q !== undefined && p !== undefined) {
          take(Number(q.trim()), Number(p.trim()));
          break;
        }
      }
    }
  } else {
    for (const dir of ancestors(v2Path)) {
      const max = tryRead(`/sys/fs/cgroup${dir}/cpu.max`);
      if (max === undefined) continue;
      const [q, p] = max.trim().split(/\s+/);
      if (q !== "max") take(Number(q), Number(p ?? 100000));
    }
  }
  return best;
}

/** `/a/b` -> [`/a/b`, `/a`, ``]: a cgroup and its ancestors, root last. */
function ancestors(path: string): string[] {
  const parts = path.split("/").filter((p) => p !== "");
  const out: string[] = [];
  for (let n = parts.length; n >= 0; n--) {
    out.push(n === 0 ? "" : "/" + parts.slice(0, n).join("/"));
  }
  return out;
}

/** Options of {@linkcode LoadSampler}. */
export interface LoadSamplerOptions {
  /** Reads a whole file as text (default Deno.readTextFileSync). */
  readFile?: (path: string) => string;
  /** CPUs to report instead of measuring them (`omdiscd --cpus`). */
  cpus?: number;
  /** Speed to report instead of benchmarking (`omdiscd --speed`). */
  speed?: number;
  /**
   * Smoothing factor: each sample moves the load this fraction of the way
   * to the current run-queue length. 0.5 at one sample a second follows a
   * step within about 3 s, close to openMosix's kernel load.
   */
  alpha?: number;
  /** Runnable processes /proc does not see (the daemon's guests). */
  extraRunnable?: () => number;
}

/** Samples this node's load vector; call {@linkcode sample} once per unit. */
export class LoadSampler {
  #read: (path: string) => string;
  #cpus: number | undefined;
  #speed: number | undefined;
  #alpha: number;
  #extra: () => number;
  #load: number | undefined;
  #prev: CpuTimes | undefined;

  /** Create a sampler; nothing is read until the first sample. */
  constructor(opts: LoadSamplerOptions = {}) {
    this.#read = opts.readFile ?? ((p) => Deno.readTextFileSync(p));
    this.#cpus = opts.cpus;
    this.#speed = opts.speed;
    this.#alpha = opts.alpha ?? 0.5;
    if (!(this.#alpha > 0 && this.#alpha <= 1)) {
      throw new RangeError(`alpha must be in (0, 1], got ${opts.alpha}`);
    }
    this.#extra = opts.extraRunnable ?? (() => 0);
  }

  /**
   * Read /proc and return the current load vector. The first sample's
   * utilization is the average since boot, later ones cover the time since
   * the previous sample. Speed is benchmarked once, on the first sample,
   * unless given.
   */
  sample(): LoadSample {
    const avg = parseLoadavg(this.#read("/proc/loadavg"));
    const mem = parseMeminfo(this.#read("/proc/meminfo"));
    const stat = parseProcStat(this.#read("/proc/stat"));
    // The running count includes the process reading /proc/loadavg.
    const queue = Math.max(0, avg.running - 1) + Math.max(0, this.#extra());
    this.#load = this.#load === undefined
      ? queue
      : this.#load + this.#alpha * (queue - this.#load);
    const util = this.#prev === undefined
      ? utilization({ busy: 0, total: 0 }, stat)
      : utilization(this.#prev, stat);
    this.#prev = { busy: stat.busy, total: stat.total };
    this.#speed ??= measureSpeed();
    return {
      load: this.#load,
      cpus: this.#cpus ?? this.#detectCpus(stat.cpus),
      speed: this.#speed,
      memTotal: mem.memTotal,
      memFree: mem.memAvailable,
      memRaw: mem.memFree,
      util,
    };
  }

  #detectCpus(online: number): number {
    const n = Math.max(1, online);
    const quota = cgroupCpus(this.#read);
    // A quota above the CPU count cannot be used; round to 1/100 CPU.
    return quota === undefined ? n : Math.round(Math.min(quota, n) * 100) / 100;
  }
}

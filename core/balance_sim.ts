/**
 * Discrete-time simulation of a cluster of balancers ({@linkcode decide}) to
 * measure makespans (bench/balance_bench.ts) and to test the balancer.
 *
 * Model, every `stepMs` of virtual time:
 * 1. migrations whose transfer is over land: the job joins its target;
 * 2. every `sampleMs` each node samples its load as the daemon does: run
 *    queue smoothed with `loadAlpha`, memory measured;
 * 3. every `intervalMs` (each node at its own random phase) a node runs
 *    decide() on a view where every other node is seen as of a random
 *    `gossipAge` seconds ago. Each target checks the request with admit()
 *    on its true state (run queue, accepted arrivals, memory) unless
 *    `admission` is false; an accepted job makes no progress for
 *    freezeOverheadMs + memBytes / bandwidth and its memory stays at the
 *    source until it lands. Each node passes its own moves of the last
 *    minute to decide() as `sent`, as the daemon would;
 * 4. each node shares its CPUs equally among its runnable jobs, at most one
 *    CPU each: a job progresses min(1, cpus / k) * speed / 10000 reference
 *    CPU-seconds per second. A node whose resident memory exceeds its total
 *    swaps: all its jobs run `swapPenalty` times slower.
 * Jobs all start at t = 0; with `placeAtStart`, each home first places its
 * jobs one by one with placeNew() on a fresh, idle view (as mosrun asks
 * its daemon), and those sent away start migrating at once. Randomness
 * comes from one injected generator.
 *
 * @module
 */

import {
  admit,
  decide,
  DEFAULT_BALANCE_PARAMS,
  migrationCost,
  placeNew,
} from "./balance.ts";
import type { BalanceParams, Decision, ProcInfo, SentMove } from "./balance.ts";
import type { NodeView } from "./node_info.ts";
import { REFERENCE_SPEED } from "./speed.ts";

/** Memory of a node that does not say, bytes (8 GiB). */
const DEFAULT_MEM = 8 * 2 ** 30;

/** A simulated node. */
export interface SimNode {
  /** Relative speed, 10000 = reference CPU. */
  speed: number;
  /** CPUs, possibly fractional (a cgroup quota). */
  cpus: number;
  /** Total memory in bytes; default 8 GiB. */
  memTotal?: number;
  /** Memory used by everything but the jobs, bytes; default 0. */
  memBase?: number;
  /** Refuses guests (mosctl block). */
  blocked?: boolean;
}

/** A simulated job: a fixed amount of CPU work started at t = 0. */
export interface SimJob {
  /** Work in reference-CPU-seconds. */
  work: number;
  /** Index in {@linkcode SimOptions.nodes} of its home, where it starts. */
  node: number;
  /** Memory in bytes; default 1 MiB. */
  memBytes?: number;
  /** Never moved by the balancer. */
  locked?: boolean;
}

/** Parameters of one simulation run. */
export interface SimOptions {
  /** The cluster; node i has ID i + 1. */
  nodes: SimNode[];
  /** The jobs. */
  jobs: SimJob[];
  /** Run the balancers; default true (false: every job stays home). */
  balance?: boolean;
  /** Random numbers in [0, 1). */
  random: () => number;
  /** Balancer parameters (also the real transfer cost of a migration). */
  params?: Partial<BalanceParams>;
  /** Time step, ms; default 100. */
  stepMs?: number;
  /** Balancing interval per node, ms; default 1000. */
  intervalMs?: number;
  /** Load sampling period, ms; default 1000 (the gossip unit). */
  sampleMs?: number;
  /** Load smoothing per sample; default 0.5 as core/load.ts. */
  loadAlpha?: number;
  /** Age in seconds of the information about other nodes: [min, max]. */
  gossipAge?: [number, number];
  /** Slowdown factor of a node whose memory is overcommitted; default 0.1. */
  swapPenalty?: number;
  /** Give up after this much virtual time, ms; default 1e7 (~2.8 h). */
  maxTimeMs?: number;
  /** Targets check requests with admit() on fresh state; default true. */
  admission?: boolean;
  /** Homes place unlocked jobs at start (placeNew); default false. */
  placeAtStart?: boolean;
  /** Called for every migration started (node indexes, time in ms). */
  onMigrate?: (e: SimMigration) => void;
}

/** A migration the simulation started. */
export interface SimMigration {
  /** Virtual time, ms. */
  at: number;
  /** Job index in {@linkcode SimOptions.jobs}. */
  job: number;
  /** Source node index. */
  from: number;
  /** Target node index. */
  to: number;
  /** The balancer's decision. */
  decision: Decision;
}

/** Outcome of one run. Times in seconds. */
export interface SimResult {
  /** Time the last job finished (maxTimeMs / 1000 if timed out). */
  makespan: number;
  /** Total work / total capacity. */
  ideal: number;
  /** makespan / ideal. */
  ratio: number;
  /** Work done on each node, reference-CPU-seconds. */
  workByNode: number[];
  /** Completion time of each job. */
  finishTimes: number[];
  /** Migrations started. */
  migrations: number;
  /** Migrations started, per reason. */
  byReason: Record<Decision["reason"], number>;
  /** Requests the targets refused (admit()). */
  refused: number;
  /** Largest number of migrations of one job. */
  maxMovesPerJob: number;
  /** True if some job had not finished by maxTimeMs. */
  timedOut: boolean;
}

interface JobState {
  job: SimJob;
  pid: number;
  left: number;
  node: number;
  cpuShare: number;
  lastMigratedAt: number | null;
  moves: number;
  /** Landing time and target while migrating. */
  landAt: number | null;
  to: number;
  finish: number | null;
}

interface Sample {
  at: number;
  load: number;
  memFree: number;
}

/** Ideal makespan in seconds: total work / total capacity. */
export function idealMakespan(nodes: SimNode[], jobs: SimJob[]): number {
  const cap = nodes.reduce((s, n) => s + n.cpus * n.speed / REFERENCE_SPEED, 0);
  return jobs.reduce((s, j) => s + j.work, 0) / cap;
}

/** Run one simulation. */
export function simulateCluster(opts: SimOptions): SimResult {
  const stepMs = opts.stepMs ?? 100;
  const intervalSteps = Math.max(
    1,
    Math.round((opts.intervalMs ?? 1000) / stepMs),
  );
  const sampleSteps = Math.max(1, Math.round((opts.sampleMs ?? 1000) / stepMs));
  const alpha = opts.loadAlpha ?? 0.5;
  const [ageMin, ageMax] = opts.gossipAge ?? [1, 3];
  const swap = opts.swapPenalty ?? 0.1;
  const maxSteps = Math.ceil((opts.maxTimeMs ?? 1e7) / stepMs);
  const params = { ...DEFAULT_BALANCE_PARAMS, ...opts.params };
  const random = opts.random;
  const n = opts.nodes.length;

  const jobs: JobState[] = opts.jobs.map((job, i) => ({
    job,
    pid: i + 1,
    left: job.work,
    node: job.node,
    cpuShare: 0,
    lastMigratedAt: null,
    moves: 0,
    landAt: null,
    to: job.node,
    finish: job.work > 0 ? null : 0,
  }));
  const workByNode = new Array<number>(n).fill(0);
  const history: Sample[][] = opts.nodes.map(() => []);
  const smoothed = new Array<number>(n).fill(0);
  const sent: SentMove[][] = opts.nodes.map(() => []);
  // Jobs each home placed elsewhere at start (count there, not here).
  const placed: SentMove[][] = opts.nodes.map(() => []);
  const phase = opts.nodes.map(() => Math.floor(random() * intervalSteps));
  const byReason = { load: 0, memory: 0, speed: 0 };
  let migrations = 0, refused = 0;
  let running = jobs.filter((j) => j.finish === null).length;

  const resident = (i: number) =>
    (opts.nodes[i].memBase ?? 0) +
    jobs.reduce(
      (s, j) => j.finish === null && j.node === i ? s + memOf(j.job) : s,
      0,
    );

  // The target's fresh state: run queue, accepted arrivals, memory now.
  const admitted = (d: Decision, j: JobState): boolean => {
    const t = d.to - 1;
    const inbound = jobs.filter((x) => x.landAt !== null && x.to === t);
    const node = opts.nodes[t];
    const memTotal = node.memTotal ?? DEFAULT_MEM;
    const memFree = memTotal - resident(t);
    return admit({
      self: {
        id: d.to,
        address: "",
        status: node.blocked === true ? "blocked" : "up",
        load: smoothed[t],
        speed: node.speed,
        cpus: node.cpus,
        memTotal,
        memFree,
        memRaw: memFree,
        util: 0,
        age: 0,
        self: true,
      },
      running: runnable(jobs, t).length + inbound.length,
      pendingBytes: inbound.reduce((s, x) => s + memOf(x.job), 0),
      request: { ...d, memBytes: memOf(j.job) },
      params,
    });
  };

  if (opts.balance !== false && opts.placeAtStart === true) {
    placeJobs(opts.nodes, jobs, placed, params, random);
    for (const j of jobs) {
      if (j.landAt !== null) {
        migrations++;
        byReason.load++;
      }
    }
  }

  let step = 0;
  for (; step < maxSteps && running > 0; step++) {
    const now = step * stepMs;
    // 1. Landings.
    for (const j of jobs) {
      if (j.landAt !== null && j.landAt <= now) {
        j.node = j.to;
        j.landAt = null;
        j.lastMigratedAt = now;
      }
    }
    // 2. Samples (before running, so a sample at t sees the state at t).
    if (step % sampleSteps === 0) {
      for (let i = 0; i < n; i++) {
        const q = runnable(jobs, i).length;
        smoothed[i] = history[i].length === 0
          ? q
          : smoothed[i] + alpha * (q - smoothed[i]);
        const memFree = (opts.nodes[i].memTotal ?? DEFAULT_MEM) - resident(i);
        history[i].push({ at: now, load: smoothed[i], memFree });
      }
    }
    // 3. Balancing rounds.
    if (opts.balance !== false) {
      for (let i = 0; i < n; i++) {
        if ((step - phase[i]) % intervalSteps !== 0 || step < phase[i]) {
          continue;
        }
        sent[i] = sent[i].filter((s) => now - s.at < 60_000);
        const view = viewFrom(
          i,
          now,
          opts.nodes,
          history,
          ageMin,
          ageMax,
          sampleSteps * stepMs,
          random,
        );
        const procs = jobs
          .filter((j) => j.finish === null && j.node === i)
          .map((j) => procInfo(j, i));
        const ds = decide(
          {
            self: i + 1,
            now,
            nodes: view,
            procs,
            sent: sent[i],
            placed: placed[i],
            params,
          },
          random,
        );
        for (const d of ds) {
          const j = jobs[d.pid - 1];
          if (opts.admission !== false && !admitted(d, j)) {
            refused++;
            continue;
          }
          j.landAt = now + migrationCost(memOf(j.job), params) * 1000;
          j.to = d.to - 1;
          j.moves++;
          migrations++;
          byReason[d.reason]++;
          sent[i].push({ to: d.to, at: now, memBytes: memOf(j.job) });
          opts.onMigrate?.({
            at: now,
            job: d.pid - 1,
            from: i,
            to: j.to,
            decision: d,
          });
        }
      }
    }
    // 4. Run one step.
    for (let i = 0; i < n; i++) {
      const here = runnable(jobs, i);
      if (here.length === 0) continue;
      const node = opts.nodes[i];
      const total = node.memTotal ?? DEFAULT_MEM;
      const slow = resident(i) > total ? swap : 1;
      const share = Math.min(1, node.cpus / here.length) * slow;
      const rate = share * node.speed / REFERENCE_SPEED;
      for (const j of here) {
        j.cpuShare = share;
        const done = Math.min(j.left, rate * stepMs / 1000);
        j.left -= done;
        workByNode[i] += done;
        if (j.left <= 1e-9) {
          j.finish = (now + (done / rate) * 1000) / 1000;
          running--;
        }
      }
    }
  }

  const timedOut = running > 0;
  const finishTimes = jobs.map((j) => j.finish ?? (step * stepMs) / 1000);
  const makespan = finishTimes.reduce((a, b) => Math.max(a, b), 0);
  const ideal = idealMakespan(opts.nodes, opts.jobs);
  return {
    makespan,
    ideal,
    ratio: makespan / ideal,
    workByNode,
    finishTimes,
    migrations,
    byReason,
    refused,
    maxMovesPerJob: jobs.reduce((a, j) => Math.max(a, j.moves), 0),
    timedOut,
  };
}

/**
 * Every home places its unlocked jobs in order, as simultaneous mosruns
 * would, on a view where all nodes are idle and fresh; jobs sent away start
 * migrating at t = 0 and are recorded in their home's `placed`.
 */
function placeJobs(
  nodes: SimNode[],
  jobs: JobState[],
  placed: SentMove[][],
  params: BalanceParams,
  random: () => number,
): void {
  const starting = nodes.map(() => 0);
  for (const j of jobs) {
    if (j.job.locked === true || j.finish !== null) continue;
    const home = j.job.node;
    const view = nodes.map((node, k) => {
      const memTotal = node.memTotal ?? DEFAULT_MEM;
      const memFree = memTotal - (node.memBase ?? 0);
      return {
        id: k + 1,
        address: "",
        status: node.blocked === true ? "blocked" as const : "up" as const,
        load: 0,
        speed: node.speed,
        cpus: node.cpus,
        memTotal,
        memFree,
        memRaw: memFree,
        util: 0,
        age: 0,
        self: k === home,
      };
    });
    const to = placeNew({
      self: home + 1,
      now: 0,
      nodes: view,
      startingHere: starting[home],
      placed: placed[home],
      needBytes: memOf(j.job),
      params,
    }, random);
    if (to === null) {
      starting[home]++;
      continue;
    }
    j.landAt = migrationCost(memOf(j.job), params) * 1000;
    j.to = to - 1;
    j.moves++;
    placed[home].push({ to, at: 0, memBytes: memOf(j.job) });
  }
}

function memOf(job: SimJob): number {
  return job.memBytes ?? 2 ** 20;
}

/** Jobs on node i that run: present, not migrating, not finished. */
function runnable(jobs: JobState[], i: number): JobState[] {
  return jobs.filter((j) =>
    j.node === i && j.finish === null && j.landAt === null
  );
}

function procInfo(j: JobState, i: number): ProcInfo {
  return {
    pid: j.pid,
    home: j.job.node + 1,
    where: i + 1,
    cpuShare: j.cpuShare,
    memBytes: memOf(j.job),
    locked: j.job.locked === true,
    lastMigratedAt: j.lastMigratedAt,
    startedAt: 0,
    migrating: j.landAt !== null,
  };
}

/** Node i's gossiped view: itself fresh, the others some seconds stale. */
function viewFrom(
  i: number,
  now: number,
  nodes: SimNode[],
  history: Sample[][],
  ageMin: number,
  ageMax: number,
  sampleMs: number,
  random: () => number,
): NodeView[] {
  return nodes.map((node, k) => {
    const h = history[k];
    const age = k === i ? 0 : ageMin + random() * (ageMax - ageMin);
    const lag = Math.round(age * 1000 / sampleMs);
    const s = h[Math.max(0, h.length - 1 - lag)];
    const memTotal = node.memTotal ?? DEFAULT_MEM;
    const memFree = Math.max(0, s.memFree);
    return {
      id: k + 1,
      address: `10.0.${(k + 1) >> 8}.${(k + 1) & 255}`,
      status: node.blocked === true ? "blocked" : "up",
      load: s.load,
      speed: node.speed,
      cpus: node.cpus,
      memTotal,
      memFree,
      memRaw: memFree,
      util: Math.min(1, s.load / Math.max(node.cpus, 1e-9)),
      age: (now - s.at) / 1000,
      self: k === i,
    };
  });
}

/**
 * In-memory simulation of n gossip boards on a virtual clock, to measure the
 * age of information (bench/gossip_bench.ts) and to test the boards.
 *
 * Model, per time unit t = 1, 2, ...:
 * 1. every node, in ID order 0..n-1, ticks (ages its entries by 1, own entry
 *    age 0) and builds its one message from the state it had before unit t's
 *    deliveries;
 * 2. the messages are delivered in sending order (each lost with probability
 *    `loss`), so a message sent during unit t arrives before unit t+1;
 * 3. ages are measured: for every ordered pair (observer, subject),
 *    observer != subject, the age of the observer's entry about the subject.
 *    An entry just received from its subject has age 0; the dead check of
 *    the next tick sees every age plus 1.
 * Every node starts knowing every other as a seed and no entries; the first
 * `warmup` units (more while some pair is still unknown) are not measured.
 *
 * Two engines run the same model with the same random draws and give the same
 * numbers: {@linkcode simulateBoards} drives real {@linkcode GossipBoard}s
 * (the reference), {@linkcode simulate} keeps ages as birth times in typed
 * arrays with each node's w+1 freshest entries kept sorted, so n = 2048 runs
 * in seconds.
 *
 * @module
 */

import { expectedMaxAge, GossipBoard, shuffle } from "./gossip.ts";
import type { TargetPolicy } from "./gossip.ts";

/** Parameters of one simulation run. */
export interface SimOptions {
  /** Number of nodes (>= 2). */
  n: number;
  /** Window w. */
  window: number;
  /** Peer selection; default "permutation" as the board. */
  policy?: TargetPolicy;
  /** Measured units; default {@linkcode defaultUnits}. */
  units?: number;
  /** Units run before measuring; default {@linkcode defaultWarmup}. */
  warmup?: number;
  /** PRNG seed; default 1. */
  seed?: number;
  /** Probability that a message is lost; default 0 (no random draw then). */
  loss?: number;
}

/** Measured age of information over one run. */
export interface SimStats {
  /** Number of nodes. */
  n: number;
  /** Window w. */
  window: number;
  /** Peer selection policy. */
  policy: TargetPolicy;
  /** Units run before measuring (extended until every pair was known). */
  warmup: number;
  /** Measured units. */
  units: number;
  /** Mean age over all ordered pairs and measured units. */
  avgAge: number;
  /**
   * The paper's max age: the oldest entry of one node's board, averaged over
   * nodes and units.
   */
  maxAge: number;
  /** The oldest entry over all pairs of a unit, averaged over units. */
  maxAgeCluster: number;
  /** Largest age seen at any measured unit. */
  maxAgeAbs: number;
  /** Messages sent during measured units. */
  messages: number;
  /** messages / (n * units): 1 by construction of the board. */
  msgsPerNodePerUnit: number;
  /** ageHist[a] = number of (pair, unit) samples with age a. */
  ageHist: Float64Array;
}

/** Small fast seeded PRNG (sfc32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed | 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/**
 * Units run before measuring: steady state comes after about the expected
 * max age (measured: averages after 1x and 3x that warm-up agree within 1 %,
 * max ages within 3 %); the engines also extend the warm-up until every pair
 * is known.
 */
export function defaultWarmup(n: number, w: number): number {
  return Math.ceil(Math.max(n, 1.5 * expectedMaxAge(n, w))) + 10;
}

/**
 * Measured units: about 4e7 (pair, unit) samples so the age tail is seen
 * down to ~1e-7, at least 500 units, at most 200 000.
 */
export function defaultUnits(n: number): number {
  return Math.max(500, Math.min(200_000, Math.ceil(4e7 / (n * (n - 1)))));
}

function resolve(opts: SimOptions) {
  const { n, window: w } = opts;
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError("gossip_sim: n must be an integer >= 2");
  }
  return {
    n,
    w,
    policy: opts.policy ?? "permutation" as TargetPolicy,
    units: opts.units ?? defaultUnits(n),
    warmup: opts.warmup ?? defaultWarmup(n, w),
    random: seededRandom(opts.seed ?? 1),
    loss: opts.loss ?? 0,
  };
}

/** Accumulates the per-unit measurements into {@linkcode SimStats}. */
class Meter {
  sum = 0;
  nodeMaxSum = 0;
  maxSum = 0;
  maxAbs = 0;
  messages = 0;
  hist = new Float64Array(64);

  add(age: number, count: number): void {
    if (age >= this.hist.length) {
      const h = new Float64Array(Math.max(age + 1, this.hist.length * 2));
      h.set(this.hist);
      this.hist = h;
    }
    this.hist[age] += count;
  }

  stats(r: ReturnType<typeof resolve>, warmup: number): SimStats {
    let top = this.hist.length;
    while (top > 0 && this.hist[top - 1] === 0) top--;
    return {
      n: r.n,
      window: r.w,
      policy: r.policy,
      warmup,
      units: r.units,
      avgAge: this.sum / (r.n * (r.n - 1) * r.units),
      maxAge: this.nodeMaxSum / (r.n * r.units),
      maxAgeCluster: this.maxSum / r.units,
      maxAgeAbs: this.maxAbs,
      messages: this.messages,
      msgsPerNodePerUnit: this.messages / (r.n * r.units),
      ageHist: this.hist.slice(0, top),
    };
  }
}

/** Peer of node `i` for one unit, drawing randomness exactly as a board does. */
class Targets {
  #rounds: Int32Array;
  #pos: Int32Array;
  #peers: number[];

  constructor(readonly r: ReturnType<typeof resolve>) {
    const n = r.n;
    this.#rounds = new Int32Array(r.policy === "permutation" ? n * (n - 1) : 0);
    this.#pos = new Int32Array(n).fill(n - 1);
    this.#peers = Array.from({ length: n - 1 }, (_, k) => k);
  }

  pick(i: number): number {
    const { n, random } = this.r;
    if (this.r.policy === "uniform") {
      const k = Math.floor(random() * (n - 1));
      return k < i ? k : k + 1;
    }
    const base = i * (n - 1);
    if (this.#pos[i] === n - 1) {
      // The board shuffles its ascending peer list: everyone but itself.
      const p = this.#peers;
      for (let k = 0; k < n - 1; k++) p[k] = k < i ? k : k + 1;
      shuffle(p, random);
      for (let k = 0; k < n - 1; k++) this.#rounds[base + k] = p[k];
      this.#pos[i] = 0;
    }
    return this.#rounds[base + this.#pos[i]++];
  }
}

/**
 * Fast engine: births (unit an entry was produced, -1 unknown) in an n*n
 * Int32Array; each node's w+1 freshest entries in a ring buffer sorted from
 * stalest to freshest (latest arrival last among equals, as the board orders
 * them), so a message costs O(w) and an arrival shifts only the few fresher
 * entries; the age sum and the per-unit maxima come from counts of pairs per
 * birth unit and per-row minima, so measuring costs O(n + max age) per unit
 * instead of O(n^2).
 */
export function simulate(opts: SimOptions): SimStats {
  const r = resolve(opts);
  const { n, w, units, random, loss } = r;
  const K = w + 1;
  let C = 1;
  while (C < K + 1) C *= 2;
  const mask = C - 1;
  // born[cell] = unit the held entry was produced, -1 unknown; TOP flags the
  // entries in the ring (packed in one array: arrivals are cache-miss bound).
  const born = new Int32Array(n * n).fill(-1 & ~TOP);
  const topId = new Int32Array(n * C);
  const topBorn = new Int32Array(n * C);
  const topHead = new Int32Array(n);
  const topLen = new Int32Array(n);
  const msgTo = new Int32Array(n);
  const msgId = new Int32Array(n * K);
  const msgBorn = new Int32Array(n * K);
  const msgLen = new Int32Array(n);
  // count[b + 1] = pairs whose entry was born at unit b (count[0]: unknown).
  let count = new Float64Array(r.warmup + units + 2);
  count[0] = n * (n - 1);
  let sumBorn = -n * (n - 1);
  let minPtr = 0;
  // Per observer: oldest birth held and how many entries share it.
  const rowMin = new Int32Array(n).fill(-1);
  const rowMinCount = new Int32Array(n).fill(n - 1);
  const targets = new Targets(r);
  const meter = new Meter();
  let warmup = r.warmup;

  for (let t = 1; t <= warmup + units; t++) {
    if (t + 2 > count.length) {
      const c = new Float64Array(count.length * 2);
      c.set(count);
      count = c;
    }
    const measured = t > warmup;
    for (let i = 0; i < n; i++) {
      const to = targets.pick(i);
      msgTo[i] = to;
      const mb = i * K, tb = i * C, head = topHead[i];
      msgId[mb] = i;
      msgBorn[mb] = t;
      let len = 1;
      for (let L = topLen[i] - 1; L >= 0 && len < K; L--) {
        const x = tb + ((head + L) & mask);
        if (topId[x] === to) continue;
        msgId[mb + len] = topId[x];
        msgBorn[mb + len] = topBorn[x];
        len++;
      }
      msgLen[i] = len;
      if (measured) meter.messages++;
    }
    for (let i = 0; i < n; i++) {
      if (loss > 0 && random() < loss) continue;
      const rcv = msgTo[i];
      const mb = i * K, tb = rcv * C;
      for (let k = 0; k < msgLen[i]; k++) {
        const id = msgId[mb + k];
        if (id === rcv) continue;
        const b = msgBorn[mb + k];
        const cell = rcv * n + id;
        const packed = born[cell];
        const old = (packed << 2) >> 2;
        if (b <= old) continue;
        born[cell] = b & ~TOP;
        count[old + 1]--;
        count[b + 1]++;
        sumBorn += b - old;
        if (old === rowMin[rcv] && --rowMinCount[rcv] === 0) {
          rescanRow(born, n, rcv, rowMin, rowMinCount);
        }
        let head = topHead[rcv], len = topLen[rcv];
        if (packed & TOP) {
          // Take id out, closing the gap from the fresh end.
          let j = len - 1;
          while (topId[tb + ((head + j) & mask)] !== id) j--;
          for (; j < len - 1; j++) {
            const x = tb + ((head + j) & mask),
              y = tb + ((head + j + 1) & mask);
            topId[x] = topId[y];
            topBorn[x] = topBorn[y];
          }
          len--;
        }
        // Place id after every entry born at b or earlier.
        let q = len;
        while (q > 0 && topBorn[tb + ((head + q - 1) & mask)] > b) q--;
        if (len === K) {
          if (q === 0) continue;
          born[rcv * n + topId[tb + head]] &= ~TOP;
          head = (head + 1) & mask;
          len--;
          q--;
        }
        for (let L = len; L > q; L--) {
          const x = tb + ((head + L) & mask), y = tb + ((head + L - 1) & mask);
          topId[x] = topId[y];
          topBorn[x] = topBorn[y];
        }
        const x = tb + ((head + q) & mask);
        topId[x] = id;
        topBorn[x] = b;
        born[cell] |= TOP;
        topHead[rcv] = head;
        topLen[rcv] = len + 1;
      }
    }
    if (!measured) continue;
    if (count[0] > 0) {
      // Measure only once every pair is known: extend the warm-up.
      warmup++;
      meter.messages = 0;
      continue;
    }
    while (count[minPtr] === 0) minPtr++;
    const oldest = minPtr - 1;
    meter.sum += n * (n - 1) * t - sumBorn;
    meter.maxSum += t - oldest;
    if (t - oldest > meter.maxAbs) meter.maxAbs = t - oldest;
    for (let o = 0; o < n; o++) meter.nodeMaxSum += t - rowMin[o];
    for (let b = oldest; b <= t; b++) meter.add(t - b, count[b + 1]);
  }
  return meter.stats(r, warmup);
}

/** Flag bit of the fast engine's birth cells: entry is in the ring. */
const TOP = 1 << 30;

/** Recompute the oldest birth on row o of `born` and its multiplicity. */
function rescanRow(
  born: Int32Array,
  n: number,
  o: number,
  rowMin: Int32Array,
  rowMinCount: Int32Array,
): void {
  let min = 0x7fffffff, cnt = 0;
  for (let j = o * n, end = j + n, self = o * n + o; j < end; j++) {
    if (j === self) continue;
    const b = (born[j] << 2) >> 2;
    if (b < min) {
      min = b;
      cnt = 1;
    } else if (b === min) cnt++;
  }
  rowMin[o] = min;
  rowMinCount[o] = cnt;
}

/**
 * Reference engine: n real {@linkcode GossipBoard}s with deaths disabled,
 * measured pair by pair. Same model and random draws as {@linkcode simulate};
 * O(n^2) per unit, for tests and small n.
 */
export function simulateBoards(opts: SimOptions): SimStats {
  const r = resolve(opts);
  const { n, w, units, random, loss, policy } = r;
  let warmup = r.warmup;
  const boards = Array.from(
    { length: n },
    (_, i) =>
      new GossipBoard<number>({
        self: i,
        window: w,
        deadAge: Infinity,
        random,
        policy,
      }),
  );
  for (const b of boards) for (let j = 0; j < n; j++) b.addPeer(j);
  const meter = new Meter();
  for (let t = 1; t <= warmup + units; t++) {
    const measured = t > warmup;
    const sent = boards.map((b) => b.tick(t).message);
    for (const m of sent) {
      if (m === null) continue;
      if (measured) meter.messages++;
      if (loss > 0 && random() < loss) continue;
      boards[m.to].receive(m.entries);
    }
    if (!measured) continue;
    if (boards.some((b) => b.entries().length < n)) {
      warmup++;
      meter.messages = 0;
      continue;
    }
    let max = 0;
    for (const b of boards) {
      let nodeMax = 0;
      for (let j = 0; j < n; j++) {
        if (j === b.self) continue;
        const e = b.get(j)!;
        meter.sum += e.age;
        meter.add(e.age, 1);
        if (e.age > nodeMax) nodeMax = e.age;
      }
      meter.nodeMaxSum += nodeMax;
      if (nodeMax > max) max = nodeMax;
    }
    meter.maxSum += max;
    if (max > meter.maxAbs) meter.maxAbs = max;
  }
  return meter.stats(r, warmup);
}

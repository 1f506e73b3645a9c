/**
 * The recent load of every node, for the web monitor's plot: a ring buffer
 * of samples, at most one per step (the gossip unit), so a few minutes of
 * history cost a fixed amount of memory however long the daemon runs.
 *
 * @module
 */

/** One node's load at one sample. */
export interface LoadPoint {
  /** Node ID. */
  id: number;
  /** Its load then. */
  load: number;
}

/** One sample: when, and the load of every node known then. */
export interface LoadSample {
  /** Sample time, ms since the epoch. */
  t: number;
  /** Load by node ID. */
  loads: Record<number, number>;
}

/** The buffer as plot series: one time axis, one line per node. */
export interface LoadSeries {
  /** Sample times, oldest first (ms). */
  times: number[];
  /** One entry per node seen in the window, by ID; null where it was unknown. */
  nodes: { id: number; loads: (number | null)[] }[];
}

/** A fixed-size ring of load samples. */
export class LoadHistory {
  readonly #capacity: number;
  readonly #stepMs: number;
  #ring: (LoadSample | undefined)[];
  #head = 0;
  #count = 0;

  /**
   * Keep `capacity` samples taken at least `stepMs` apart (a sample that
   * comes early by less than a tenth of a step still counts, timers jitter).
   */
  constructor(capacity: number, stepMs: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError("capacity must be a positive integer");
    }
    if (!(stepMs > 0)) throw new RangeError("stepMs must be positive");
    this.#capacity = capacity;
    this.#stepMs = stepMs;
    this.#ring = new Array(capacity);
  }

  /** Samples held now. */
  get size(): number {
    return this.#count;
  }

  /** The newest sample, if any. */
  latest(): LoadSample | undefined {
    if (this.#count === 0) return undefined;
    return this.#ring[(this.#head + this.#count - 1) % this.#capacity];
  }

  /**
   * Record the loads at time `now`; returns the stored sample, or null when
   * it came too soon after the previous one (or went back in time).
   */
  record(now: number, points: readonly LoadPoint[]): LoadSample | null {
    const last = this.latest();
    if (last && now - last.t < this.#stepMs * 0.9) return null;
    const loads: Record<number, number> = {};
    for (const p of points) {
      if (Number.isFinite(p.load)) loads[p.id] = p.load;
    }
    const sample = { t: now, loads };
    if (this.#count < this.#capacity) {
      this.#ring[(this.#head + this.#count) % this.#capacity] = sample;
      this.#count++;
    } else {
      this.#ring[this.#head] = sample;
      this.#head = (this.#head + 1) % this.#capacity;
    }
    return sample;
  }

  /** The samples held, oldest first. */
  samples(): LoadSample[] {
    const out: LoadSample[] = [];
    for (let i = 0; i < this.#count; i++) {
      out.push(this.#ring[(this.#head + i) % this.#capacity]!);
    }
    return out;
  }

  /** The samples as plot series, nodes sorted by ID. */
  series(): LoadSeries {
    const samples = this.samples();
    const ids = new Set<number>();
    for (const s of samples) {
      for (const k of Object.keys(s.loads)) ids.add(Number(k));
    }
    return {
      times: samples.map((s) => s.t),
      nodes: [...ids].sort((a, b) => a - b).map((id) => ({
        id,
        loads: samples.map((s) => s.loads[id] ?? null),
      })),
    };
  }
}

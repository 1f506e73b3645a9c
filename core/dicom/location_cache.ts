/**
 * Where processes run, as a node last learned it: from a delivery that
 * succeeded or from the process's home. Bounded, least recently used
 * entries forgotten first. Gossip gives hints beside it (router.ts).
 *
 * @module
 */

/** Process address key -> node ID. */
export class LocationCache {
  #max: number;
  #map = new Map<string, number>();

  /** A cache of at most `max` entries. */
  constructor(max = 8192) {
    this.#max = max;
  }

  /** The node that hosts `key`, if known. */
  get(key: string): number | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  /** Remember that `key` runs on `node`. */
  set(key: string, node: number): void {
    this.#map.delete(key);
    this.#map.set(key, node);
    if (this.#map.size > this.#max) {
      this.#map.delete(this.#map.keys().next().value!);
    }
  }

  /** Forget `key` (only if it still says `node`, when given). */
  forget(key: string, node?: number): void {
    if (node === undefined || this.#map.get(key) === node) {
      this.#map.delete(key);
    }
  }

  /** Entries held. */
  get size(): number {
    return this.#map.size;
  }
}

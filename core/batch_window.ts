/**
 * A flow-control window: the sender of one stream may have at most `limit`
 * bytes sent and not yet acknowledged, so a fast producer waits for a slow
 * consumer instead of filling memory. A chunk is let through whenever less
 * than `limit` is in flight, so a chunk bigger than the window still passes.
 *
 * @module
 */

/** Bytes in flight on one stream, and the senders waiting for room. */
export class FlowWindow {
  #limit: number;
  #inflight = 0;
  #waiters: (() => void)[] = [];
  #closed = false;

  /** A window of `limit` bytes. */
  constructor(limit: number) {
    if (!(limit > 0)) throw new RangeError("FlowWindow: limit must be > 0");
    this.#limit = limit;
  }

  /** Bytes sent and not yet acknowledged. */
  get inflight(): number {
    return this.#inflight;
  }

  /**
   * Wait for room, then count `n` bytes as in flight. Resolves false (and
   * counts nothing) once the window is closed.
   */
  async take(n: number): Promise<boolean> {
    while (!this.#closed && this.#inflight >= this.#limit) {
      await new Promise<void>((r) => this.#waiters.push(r));
    }
    if (this.#closed) return false;
    this.#inflight += n;
    return true;
  }

  /** `n` bytes were acknowledged: wake the waiting senders. */
  give(n: number): void {
    this.#inflight = Math.max(0, this.#inflight - n);
    this.#wake();
  }

  /** No more acknowledgements will come: release every waiter. */
  close(): void {
    this.#closed = true;
    this.#wake();
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const r of w) r();
  }
}

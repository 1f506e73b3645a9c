/**
 * Reused buffers for large messages. A fresh large allocation page-faults
 * its way in (about 1.6 GB/s here, 5 ms for 8 MiB) and a used one is freed
 * only by a later GC; a message's bytes that are known to be no longer
 * referenced (sent and accepted) are given back and serve the next message
 * of that size class instead.
 *
 * @module
 */

/** Messages smaller than this are allocated as usual. */
export const POOL_MIN_BYTES = 64 * 1024;

/** A pool of byte buffers in power-of-two size classes. */
export class BufferPool {
  #free = new Map<number, ArrayBuffer[]>();
  #own = new WeakSet<ArrayBuffer>();
  #bytes = 0;
  #cap: number;

  /** A pool keeping at most `capBytes` of free buffers. */
  constructor(capBytes = 64 * 1024 * 1024) {
    this.#cap = capBytes;
  }

  /** Free bytes kept. */
  get bytes(): number {
    return this.#bytes;
  }

  /** `size` bytes (contents undefined), from the pool when it has some. */
  take(size: number): Uint8Array {
    if (size < POOL_MIN_BYTES) return new Uint8Array(size);
    const cls = 2 ** Math.ceil(Math.log2(size));
    const b = this.#free.get(cls)?.pop();
    if (b) {
      this.#bytes -= cls;
      return new Uint8Array(b, 0, size);
    }
    const fresh = new ArrayBuffer(cls);
    this.#own.add(fresh);
    return new Uint8Array(fresh, 0, size);
  }

  /** Give back bytes from {@linkcode take} nobody refers to any more. */
  give(data: Uint8Array): void {
    const b = data.buffer;
    if (!(b instanceof ArrayBuffer) || !this.#own.has(b)) return;
    if (this.#bytes + b.byteLength > this.#cap) return;
    const list = this.#free.get(b.byteLength) ?? [];
    if (list.includes(b)) return;
    list.push(b);
    this.#free.set(b.byteLength, list);
    this.#bytes += b.byteLength;
  }
}

/**
 * The pool of large message buffers shared by a process's endpoints and its
 * daemon's links: written messages are assembled in it, arriving ones land
 * in it, and both are given back once sent and accepted, or read.
 */
export const messagePool: BufferPool = new BufferPool();

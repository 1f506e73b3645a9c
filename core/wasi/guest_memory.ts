/**
 * Bounds-checked access to a guest's linear memory. A module may pass any
 * pointer and length; every access here is checked first so the host never
 * reads or writes outside the memory, and a bad pointer becomes EFAULT.
 *
 * @module
 */

import { Sizes } from "./constants.ts";
import { Errno } from "./errno.ts";

/** One wasm iovec: a guest pointer and a length. */
export interface Iovec {
  ptr: number;
  len: number;
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** A view of the memory as it is now (take a new one after it may grow). */
export class GuestMemory {
  readonly bytes: Uint8Array;
  readonly view: DataView;

  /** View `memory` as of now. */
  constructor(memory: WebAssembly.Memory) {
    this.bytes = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
  }

  /** Whether [ptr, ptr+len) lies inside the memory. */
  ok(ptr: number, len: number): boolean {
    return ptr >= 0 && len >= 0 && ptr + len <= this.bytes.length;
  }

  /** A copy of [ptr, ptr+len), or null when out of bounds. */
  read(ptr: number, len: number): Uint8Array | null {
    return this.ok(ptr, len) ? this.bytes.slice(ptr, ptr + len) : null;
  }

  /** A UTF-8 string, or an errno: EFAULT out of bounds, EILSEQ not UTF-8. */
  string(ptr: number, len: number): string | number {
    if (!this.ok(ptr, len)) return Errno.FAULT;
    try {
      return strict.decode(this.bytes.subarray(ptr, ptr + len));
    } catch {
      return Errno.ILSEQ;
    }
  }

  /** The iovec array at `ptr`, or EFAULT if it or any buffer is out of bounds. */
  iovecs(ptr: number, count: number): Iovec[] | number {
    if (!this.ok(ptr, count * Sizes.IOVEC)) return Errno.FAULT;
    const out: Iovec[] = [];
    for (let i = 0; i < count; i++) {
      const p = this.view.getUint32(ptr + i * Sizes.IOVEC, true);
      const len = this.view.getUint32(ptr + i * Sizes.IOVEC + 4, true);
      if (!this.ok(p, len)) return Errno.FAULT;
      out.push({ ptr: p, len });
    }
    return out;
  }

  /** Store a u32 (caller checked the bounds). */
  u32(ptr: number, value: number): void {
    this.view.setUint32(ptr, value, true);
  }

  /** Store a u64 (caller checked the bounds). */
  u64(ptr: number, value: bigint): void {
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }
}

/** Gather up to `max` bytes from iovecs starting at byte `skip` of them. */
export function gather(
  mem: GuestMemory,
  iovs: Iovec[],
  skip: number,
  max: number,
): Uint8Array {
  const parts: Uint8Array[] = [];
  let left = max;
  let n = 0;
  for (const v of iovs) {
    if (left === 0) break;
    if (skip >= v.len) {
      skip -= v.len;
      continue;
    }
    const take = Math.min(v.len - skip, left);
    parts.push(mem.bytes.subarray(v.ptr + skip, v.ptr + skip + take));
    skip = 0;
    left -= take;
    n += take;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Scatter `data` into iovecs from byte `skip` of them; returns bytes placed. */
export function scatter(
  mem: GuestMemory,
  iovs: Iovec[],
  skip: number,
  data: Uint8Array,
): number {
  let at = 0;
  for (const v of iovs) {
    if (at === data.length) break;
    if (skip >= v.len) {
      skip -= v.len;
      continue;
    }
    const take = Math.min(v.len - skip, data.length - at);
    mem.bytes.set(data.subarray(at, at + take), v.ptr + skip);
    skip = 0;
    at += take;
  }
  return at;
}

/** Total length of iovecs (may exceed 2^32 in theory; a JS number holds it). */
export function totalLength(iovs: Iovec[]): number {
  return iovs.reduce((n, v) => n + v.len, 0);
}

/**
 * Byte-array helpers shared by the runtime, the WASI layer and tools.
 *
 * @module
 */

/** The bytes of `parts` (byte arrays or arrays of byte values), one after another, in a new array. */
export function concatBytes(parts: readonly ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

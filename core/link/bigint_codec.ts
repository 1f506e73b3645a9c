/**
 * BigInts across a link. Wire values (core/wire.ts) are plain CBOR without
 * bigints, but system calls carry 64-bit offsets, sizes and times as
 * bigints; a call and its answer cross the link with each bigint written as
 * `{ "$bigint": "<decimal>" }` and turned back on arrival. Typed arrays are
 * passed through untouched (they are the bulk of a call's data).
 *
 * @module
 */

const KEY = "$bigint";
/** Longest decimal accepted back (a 64-bit value has at most 20 digits). */
const MAX_DIGITS = 21;
const DECIMAL = /^-?[0-9]+$/;

/** Deep copy of `v` with every bigint written as `{ $bigint: "..." }`. */
export function bigintsOut(v: unknown, depth = 0): unknown {
  if (typeof v === "bigint") return { [KEY]: v.toString() };
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return v;
  if (depth > 64) return v; // too deep for the wire anyway: it refuses it
  if (Array.isArray(v)) return v.map((x) => bigintsOut(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = bigintsOut(x, depth + 1);
  return out;
}

/**
 * Deep copy of `v` with `{ $bigint: "..." }` turned back into bigints; a
 * malformed one (not a decimal of at most 21 digits) is left as it is, for
 * the receiver's checks to refuse.
 */
export function bigintsIn(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== "object" || ArrayBuffer.isView(v)) return v;
  if (depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => bigintsIn(x, depth + 1));
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === KEY) {
    const s = o[KEY];
    if (typeof s === "string" && s.length <= MAX_DIGITS && DECIMAL.test(s)) {
      return BigInt(s);
    }
    return v;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = bigintsIn(o[k], depth + 1);
  return out;
}

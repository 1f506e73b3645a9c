/**
 * A small fuzzing kit for the decoder tests in tests/fuzz: a seeded PRNG,
 * byte and text mutators (bit flips, truncation, extension, splicing,
 * length-prefix corruption, huge lengths, CBOR type confusion), random
 * CBOR, and a loop that names the seed and iteration of a failure.
 *
 * Runs are reproducible: iteration `i` of a run with seed `s` always sees
 * the same inputs, whatever the iteration count. The suite runs a modest
 * fixed-seed count; `DMOSIX_FUZZ_ITERS=N` (a count, or a multiplier like
 * `x50`) and `DMOSIX_FUZZ_SEED=S` run longer or elsewhere:
 *
 *     DMOSIX_FUZZ_ITERS=x100 deno test -A tests/fuzz/
 *     deno task fuzz            # the same with x20
 *
 * @module
 */

import { concatBytes } from "../core/bytes.ts";

/** A seeded source of randomness. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(xs: readonly T[]): T;
  /** n random bytes. */
  bytes(n: number): Uint8Array;
}

/** mulberry32: tiny, fast, good enough to drive a fuzzer. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: (xs) => xs[int(xs.length)],
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
  };
}

/** The seed of iteration `i` of a run seeded `seed` (splitmix-style mixing). */
export function iterationSeed(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** How long a fuzz run goes. */
export interface FuzzConfig {
  /** Base seed. */
  seed: number;
  /** Iterations. */
  iters: number;
}

/** Default seed of every fuzz test. */
export const DEFAULT_SEED = 0xd3051;

/**
 * The run's seed and iteration count: `defaultIters` unless
 * `DMOSIX_FUZZ_ITERS` says otherwise (`N`, or `xK` for K times the
 * default); `DMOSIX_FUZZ_SEED` changes the seed. `env` is injected.
 */
export function fuzzConfig(
  defaultIters: number,
  env: (name: string) => string | undefined = readEnv,
): FuzzConfig {
  const seedText = env("DMOSIX_FUZZ_SEED");
  const seed = seedText !== undefined && /^(0x)?[0-9a-f]+$/i.test(seedText)
    ? Number(seedText) >>> 0
    : DEFAULT_SEED;
  const it = env("DMOSIX_FUZZ_ITERS") ?? "";
  let iters = defaultIters;
  if (/^x\d+$/.test(it)) iters = defaultIters * Number(it.slice(1));
  else if (/^\d+$/.test(it) && Number(it) > 0) iters = Number(it);
  return { seed, iters };
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env
  }
}

/** Counts of outcomes, to check a run reached the paths it means to. */
export class FuzzStats {
  #counts = new Map<string, number>();

  /** Count one outcome. */
  add(what: string): void {
    this.#counts.set(what, (this.#counts.get(what) ?? 0) + 1);
  }

  /** How often `what` happened. */
  get(what: string): number {
    return this.#counts.get(what) ?? 0;
  }

  /** All counts, for messages. */
  toString(): string {
    return [...this.#counts].sort().map(([k, v]) => `${k}=${v}`).join(" ");
  }
}

/**
 * Run `body` for each iteration with its own Rng. A failure is rethrown
 * with the seed and iteration that reproduce it.
 */
export async function fuzzLoop(
  name: string,
  cfg: FuzzConfig,
  body: (r: Rng, i: number) => void | Promise<void>,
): Promise<void> {
  for (let i = 0; i < cfg.iters; i++) {
    try {
      await body(seededRng(iterationSeed(cfg.seed, i)), i);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const err = new Error(
        `${name}: failed at iteration ${i} of seed 0x${
          cfg.seed.toString(16)
        } (rerun: DMOSIX_FUZZ_SEED=0x${
          cfg.seed.toString(16)
        } DMOSIX_FUZZ_ITERS=${i + 1}): ${msg}`,
      );
      err.stack = `${err.message}\n${e instanceof Error ? e.stack : ""}`;
      throw err;
    }
  }
}

/** The outcome of a call that must return or throw an allowed error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Call `f`; return its value, or the error it threw if `allowed(error)`.
 * Any other throw fails with a message naming `what` and the error.
 * Allowed errors must have a one-line message.
 */
export function expectOnly<T>(
  what: string,
  f: () => T,
  allowed: (e: unknown) => boolean,
): Outcome<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    return judge(what, e, allowed);
  }
}

/** {@linkcode expectOnly} for an async call. */
export async function expectOnlyAsync<T>(
  what: string,
  f: () => Promise<T>,
  allowed: (e: unknown) => boolean,
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return judge(what, e, allowed);
  }
}

function judge<T>(
  what: string,
  e: unknown,
  allowed: (e: unknown) => boolean,
): Outcome<T> {
  if (!allowed(e) || !(e instanceof Error)) {
    const desc = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new Error(`${what} threw an undocumented error: ${desc}`);
  }
  if (e.message.includes("\n")) {
    throw new Error(`${what} threw a multi-line message: ${e.message}`);
  }
  return { ok: false, error: e };
}

/** 32-bit values that break length and pointer arithmetic. */
export const EDGE_U32: readonly number[] = [
  0,
  1,
  2,
  3,
  4,
  7,
  8,
  0x7f,
  0x80,
  0xff,
  0x100,
  0xffff,
  0x10000,
  0xfffff,
  0x100000,
  0x7ffffff0,
  0x7fffffff,
  0x80000000,
  0xfffffff0,
  0xfffffffc,
  0xfffffffe,
  0xffffffff,
];

/** One edge value, or a random 32-bit one. */
export function edgeU32(r: Rng): number {
  return r.chance(0.7) ? r.pick(EDGE_U32) : r.int(2 ** 32);
}

// Bytes that mean something to CBOR: indefinite heads, break, 8-byte
// lengths, tags (dates, bignums, records, shared refs), simple values.
const CBOR_HEADS = [
  0x1b,
  0x3b,
  0x5b,
  0x5f,
  0x7b,
  0x7f,
  0x9b,
  0x9f,
  0xbb,
  0xbf,
  0xc0,
  0xc1,
  0xc2,
  0xc3,
  0xd8,
  0xd9,
  0xda,
  0xdb,
  0xf4,
  0xf5,
  0xf6,
  0xf7,
  0xf9,
  0xfa,
  0xfb,
  0xff,
];

const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0xfe, 0xff, ...CBOR_HEADS];

/** Options of {@linkcode mutate}. */
export interface MutateOptions {
  /** Other samples to splice from. */
  corpus?: readonly Uint8Array[];
  /** Longest output (default 2 * input + 256). */
  maxLength?: number;
  /** Mutations applied in a row, at most (default 4). */
  maxSteps?: number;
}

/** The mutators {@linkcode mutate} picks from. */
export const MUTATORS = [
  "flip",
  "byte",
  "truncate",
  "extend",
  "insert",
  "delete",
  "splice",
  "duplicate",
  "length",
  "cbor",
] as const;

/** The name of one mutator. */
export type Mutator = typeof MUTATORS[number];

/** Apply 1..maxSteps random mutations to a copy of `input`. */
export function mutate(
  r: Rng,
  input: Uint8Array,
  opts: MutateOptions = {},
): Uint8Array {
  const max = opts.maxLength ?? 2 * input.length + 256;
  let b: Uint8Array = input.slice();
  for (let n = 1 + r.int(opts.maxSteps ?? 4); n > 0; n--) {
    b = mutateWith(r, r.pick(MUTATORS), b, opts.corpus ?? []);
    if (b.length > max) b = b.subarray(0, max);
  }
  return b;
}

/** Apply one named mutation to `b` (may return `b` changed in place). */
export function mutateWith(
  r: Rng,
  m: Mutator,
  b: Uint8Array,
  corpus: readonly Uint8Array[] = [],
): Uint8Array {
  const at = () => r.int(b.length + 1);
  switch (m) {
    case "flip":
      if (b.length) b[r.int(b.length)] ^= 1 << r.int(8);
      return b;
    case "byte":
      if (b.length) b[r.int(b.length)] = r.pick(INTERESTING_BYTES);
      return b;
    case "truncate":
      return b.slice(0, at());
    case "extend": {
      const n = r.pick([1, 2, 4, 8, 64, 1024]);
      const fill = r.chance(0.5)
        ? r.bytes(n)
        : new Uint8Array(n).fill(r.int(256));
      return concat(b, fill);
    }
    case "insert": {
      const p = at();
      return concat(b.subarray(0, p), r.bytes(1 + r.int(16)), b.subarray(p));
    }
    case "delete": {
      const p = at();
      return concat(b.subarray(0, p), b.subarray(p + 1 + r.int(16)));
    }
    case "splice": {
      const other = corpus.length ? r.pick(corpus) : b;
      const from = r.int(other.length + 1);
      const p = at();
      return concat(b.subarray(0, p), other.subarray(from));
    }
    case "duplicate": {
      const p = r.int(b.length + 1);
      const q = Math.min(b.length, p + 1 + r.int(64));
      return concat(b.subarray(0, q), b.subarray(p, q), b.subarray(q));
    }
    case "length": {
      // A 16/32-bit field anywhere, either byte order, set to an edge value.
      const width = r.pick([2, 4]);
      if (b.length < width) return b;
      const p = r.int(b.length - width + 1);
      const v = r.chance(0.5) ? edgeU32(r) : b.length + r.range(-8, 8);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const little = r.chance(0.5);
      if (width === 2) dv.setUint16(p, v & 0xffff, little);
      else dv.setUint32(p, v >>> 0, little);
      return b;
    }
    case "cbor": {
      if (!b.length) return b;
      const p = r.int(b.length);
      if (r.chance(0.5)) {
        // Same argument, another major type: a string becomes a map, etc.
        b[p] = (b[p] & 0x1f) | (r.int(8) << 5);
        return b;
      }
      // A head announcing a huge length or an exotic tag.
      const head = r.pick(CBOR_HEADS);
      const tail = (head & 0x1f) === 27
        ? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, r.int(256)]
        : (head & 0x1f) === 26
        ? [0x7f, 0xff, 0xff, r.int(256)]
        : [];
      return concat(
        b.subarray(0, p),
        Uint8Array.from([head, ...tail]),
        b.subarray(p + 1),
      );
    }
  }
}

/** Concatenate byte arrays into a new one. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

/** Tokens that break line-oriented parsers (maps, numbers, addresses). */
export const EDGE_TOKENS: readonly string[] = [
  "",
  " ",
  "\t",
  "\r",
  "\n",
  "#",
  "0",
  "-1",
  "1",
  "255",
  "256",
  "65535",
  "65536",
  "4294967296",
  "9007199254740993",
  "1e3",
  "0x",
  "0x0",
  "0xffff",
  "0x10000",
  "0b1",
  "NaN",
  "Infinity",
  "1.5",
  "+1",
  "00001",
  "127.0.0.1",
  "127.0.0.255",
  "255.255.255.255",
  "256.1.1.1",
  "1.2.3",
  "1.2.3.4.5",
  "01.02.03.04",
  "::1",
  "ALIAS",
  "alias",
  "node-1.lan",
  "-bad-.lan",
  "a".repeat(64),
  "a".repeat(300),
  "é",
  "\u0000",
  "\ufeff",
  "__proto__",
  "constructor",
];

/** Mutate text by tokens: replace, insert, delete, duplicate lines. */
export function mutateText(
  r: Rng,
  text: string,
  tokens: readonly string[] = EDGE_TOKENS,
): string {
  const parts = text.split(/(\s+)/);
  for (let n = 1 + r.int(4); n > 0; n--) {
    const p = r.int(parts.length + 1);
    switch (r.int(6)) {
      case 0:
        parts[Math.min(p, parts.length - 1)] = r.pick(tokens);
        break;
      case 1:
        parts.splice(p, 0, r.pick([" ", "\t", "\n"]), r.pick(tokens));
        break;
      case 2:
        parts.splice(p, 1 + r.int(3));
        break;
      case 3: {
        const lines = parts.join("").split("\n");
        const l = r.int(lines.length);
        lines.splice(l, 0, ...Array(1 + r.int(3)).fill(lines[l]));
        return lines.join("\n");
      }
      case 4: {
        const s = parts.join("");
        const q = r.int(s.length + 1);
        return s.slice(0, q) + s.slice(q + 1 + r.int(8));
      }
      default: {
        const s = parts[Math.min(p, parts.length - 1)] ?? "";
        const c = r.int(s.length + 1);
        parts[Math.min(p, parts.length - 1)] = s.slice(0, c) +
          String.fromCharCode(r.pick([0, 9, 10, 13, 32, 35, 48, 120, 0xe9])) +
          s.slice(c);
      }
    }
  }
  return parts.join("");
}

/**
 * Random CBOR bytes: mostly well formed, reaching the decoder's tag,
 * indefinite-length and big-length paths; `depth` bounds the nesting.
 */
export function randomCbor(r: Rng, depth = 0): Uint8Array {
  const out: number[] = [];
  cborItem(r, depth, out);
  return Uint8Array.from(out);
}

function cborHead(r: Rng, major: number, value: number, out: number[]): void {
  const m = major << 5;
  if (value < 24 && r.chance(0.8)) out.push(m | value);
  else if (value < 256 && r.chance(0.8)) out.push(m | 24, value);
  else if (value < 65536 && r.chance(0.8)) {
    out.push(m | 25, value >> 8, value & 255);
  } else {
    out.push(
      m | 26,
      (value >>> 24) & 255,
      (value >>> 16) & 255,
      (value >>> 8) & 255,
      value & 255,
    );
  }
}

const CBOR_TAGS = [0, 1, 2, 3, 4, 5, 21, 28, 29, 64, 65, 69, 72, 105, 258, 259];

function cborItem(r: Rng, depth: number, out: number[]): void {
  const kind = depth > 5 ? r.int(4) : r.int(8);
  switch (kind) {
    case 0: // unsigned or negative int, sometimes huge
      cborHead(r, r.int(2), r.chance(0.2) ? edgeU32(r) : r.int(30), out);
      return;
    case 1: { // byte or text string, sometimes with a lying length
      const n = r.int(12);
      cborHead(r, 2 + r.int(2), r.chance(0.05) ? edgeU32(r) : n, out);
      for (let i = 0; i < n; i++) out.push(0x61 + r.int(26));
      return;
    }
    case 2: // simple values, floats, breaks
      out.push(r.pick([0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb, 0xff]));
      for (let i = r.int(9); i > 0; i--) out.push(r.int(256));
      return;
    case 3:
      out.push(r.int(256));
      return;
    case 4: { // array, sometimes indefinite or with a lying count
      const n = r.int(5);
      if (r.chance(0.1)) out.push(0x9f);
      else cborHead(r, 4, r.chance(0.05) ? edgeU32(r) : n, out);
      for (let i = 0; i < n; i++) cborItem(r, depth + 1, out);
      if (r.chance(0.2)) out.push(0xff);
      return;
    }
    case 5: { // map with odd keys
      const n = r.int(4);
      cborHead(r, 5, n, out);
      for (let i = 0; i < n; i++) {
        if (r.chance(0.5)) {
          const k = new TextEncoder().encode(
            r.pick(["__proto__", "constructor", "toString", "valueOf", "id"]),
          );
          cborHead(r, 3, k.length, out);
          out.push(...k);
        } else cborItem(r, depth + 1, out);
        cborItem(r, depth + 1, out);
      }
      return;
    }
    default: // tag
      cborHead(r, 6, r.pick(CBOR_TAGS), out);
      cborItem(r, depth + 1, out);
  }
}

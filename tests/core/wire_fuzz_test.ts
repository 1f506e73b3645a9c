/**
 * Fuzzing of the wire decoders with a fixed-seed PRNG: every input either
 * decodes to a valid value or throws a WireError, never anything else.
 * Set DMOSIX_FUZZ_ITERS (default 20000) to run longer, DMOSIX_FUZZ_SEED to
 * explore other inputs.
 */

import { equal, fail, ok } from "node:assert/strict";
import { createHmac } from "node:crypto";
import { FrameDecoder } from "../../core/frame_decoder.ts";
import {
  decodeDatagram,
  decodeFramePayload,
  encodeDatagram,
  encodeFrame,
  type Envelope,
  MAGIC,
  MAX_DEPTH,
  WireError,
} from "../../core/wire.ts";

const KEY = new Uint8Array(32).fill(0x5a);
const ITERS = envInt("DMOSIX_FUZZ_ITERS", 20_000);
const SEED = envInt("DMOSIX_FUZZ_SEED", 0xd05);

const REASONS = new Set([
  "short",
  "magic",
  "version",
  "mac",
  "cbor",
  "shape",
  "size",
  "replay",
]);

// Tags cbor-x gives meaning to, plus a few it does not.
const TAGS = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  14,
  15,
  21,
  27,
  28,
  29,
  51,
  64,
  65,
  68,
  69,
  70,
  71,
  72,
  77,
  78,
  79,
  81,
  82,
  86,
  105,
  256,
  258,
  259,
  55799,
  0xdff9,
  0xdffe,
  0xdfff,
  0xe000,
  0xe001,
];

function envInt(name: string, dflt: number): number {
  try {
    const v = Number(Deno.env.get(name) ?? dflt);
    return Number.isInteger(v) && v > 0 ? v : dflt;
  } catch {
    return dflt; // no --allow-env
  }
}

/** mulberry32: small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  return { next, int, pick, bytes };
}
type Rand = ReturnType<typeof prng>;

/** CBOR head: major type, then a length/value in one of its encodings. */
function head(r: Rand, major: number, value: number, out: number[]): void {
  const m = major << 5;
  const form = r.int(10);
  if (form === 0) out.push(m | 31); // indefinite (or break for major 7)
  else if (value < 24 && form < 6) out.push(m | value);
  else if (value < 256 && form < 8) out.push(m | 24, value);
  else if (value < 65536 && form < 9) out.push(m | 25, value >> 8, value & 255);
  else {out.push(
      m | 26,
      (value >>> 24) & 255,
      (value >>> 16) & 255,
      (value >>> 8) & 255,
      value & 255,
    );}
}

/** Random, mostly well-formed CBOR, reaching cbor-x's extension paths. */
function randomCbor(r: Rand, depth: number, out: number[]): void {
  const kind = depth > 6 ? r.int(4) : r.int(9);
  switch (kind) {
    case 0:
      head(r, r.int(2), r.int(3) === 0 ? r.int(0xffffffff) : r.int(30), out);
      return;
    case 1: { // byte or text string
      const n = r.int(12);
      head(r, 2 + r.int(2), r.int(20) === 0 ? n + r.int(1000) : n, out);
      for (let i = 0; i < n; i++) {
        out.push(r.int(3) === 0 ? r.int(256) : 0x61 + r.int(26));
      }
      return;
    }
    case 2: // simple and floats
      out.push(
        r.pick([
          0xf4,
          0xf5,
          0xf6,
          0xf7,
          0xf8,
          0xf9,
          0xfa,
          0xfb,
          0xff,
          0xe0 + r.int(20),
        ]),
      );
      for (let i = r.int(9); i > 0; i--) out.push(r.int(256));
      return;
    case 3:
      out.push(r.int(256));
      return;
    case 4:
    case 5: { // array
      const n = r.int(5);
      head(r, 4, r.int(20) === 0 ? n + r.int(100_000) : n, out);
      for (let i = 0; i < n; i++) randomCbor(r, depth + 1, out);
      if (r.int(4) === 0) out.push(0xff);
      return;
    }
    case 6: { // map
      const n = r.int(4);
      head(r, 5, n, out);
      for (let i = 0; i < 2 * n; i++) {
        if (i % 2 === 0 && r.int(2) === 0) {
          out.push(
            0x69,
            ...new TextEncoder().encode(
              r.pick(["__proto__", "constructor", "toString!"]),
            ),
          );
        } else randomCbor(r, depth + 1, out);
      }
      return;
    }
    default: // tag
      head(r, 6, r.int(5) === 0 ? r.int(70000) : r.pick(TAGS), out);
      randomCbor(r, depth + 1, out);
  }
}

/** A random wire value, for valid inputs to mutate. */
function randomValue(r: Rand, depth: number): unknown {
  switch (depth > 4 ? r.int(5) : r.int(8)) {
    case 0:
      return r.int(2) === 0 ? r.int(1 << 20) - 1000 : r.next() * 1e6;
    case 1:
      return r.pick([null, undefined, true, false]);
    case 2:
      return "s".repeat(r.int(30));
    case 3:
      return r.bytes(r.int(40));
    case 4:
      return r.int(2 ** 31) * 2 ** 21;
    case 5:
    case 6:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--) {
        o[`k${r.int(10)}`] = randomValue(r, depth + 1);
      }
      return o;
    }
  }
}

function randomEnvelope(r: Rand): Envelope {
  return {
    type: r.pick(["gossip", "announce", "link.data", "x"]),
    from: 1 + r.int(65535),
    boot: r.int(2 ** 31) * 1000,
    seq: 1 + r.int(1e9),
    ts: 1_700_000_000_000 + r.int(1e6),
    body: randomValue(r, 0),
  };
}

function seal(ctx: number, cbor: Uint8Array): Uint8Array {
  const out = new Uint8Array(MAGIC.length + cbor.length + 32);
  out.set(MAGIC);
  out.set(cbor, MAGIC.length);
  const mac = createHmac("sha256", KEY).update(Uint8Array.of(ctx)).update(
    out.subarray(0, out.length - 32),
  ).digest();
  out.set(mac, out.length - 32);
  return out;
}

function mutate(r: Rand, src: Uint8Array): Uint8Array {
  let b = src.slice();
  for (let n = 1 + r.int(4); n > 0; n--) {
    switch (r.int(5)) {
      case 0:
        if (b.length) b[r.int(b.length)] ^= 1 << r.int(8);
        break;
      case 1:
        if (b.length) {
          b[r.int(b.length)] = r.pick([
            0,
            0xff,
            0x9f,
            0xbf,
            0xd8,
            0xd9,
            0x1b,
            r.int(256),
          ]);
        }
        break;
      case 2:
        b = b.slice(0, r.int(b.length + 1));
        break;
      case 3: {
        const extra = r.bytes(r.int(8));
        const at = r.int(b.length + 1);
        b = Uint8Array.from([
          ...b.subarray(0, at),
          ...extra,
          ...b.subarray(at),
        ]);
        break;
      }
      default: {
        const at = r.int(b.length + 1);
        b = Uint8Array.from([
          ...b.subarray(0, at),
          ...b.subarray(at + r.int(8)),
        ]);
      }
    }
  }
  return b;
}

/** Check a decoded value is built only of wire value types. */
function assertWireValue(v: unknown, depth = 0): void {
  ok(depth <= MAX_DEPTH, "too deep");
  if (v === null || v === undefined) return;
  const t = typeof v;
  if (t === "string" || t === "number" || t === "boolean") return;
  ok(t === "object", `unexpected ${t}`);
  if (v instanceof Uint8Array) {
    equal(Object.getPrototypeOf(v), Uint8Array.prototype);
    return;
  }
  if (Array.isArray(v)) {
    for (const x of v) assertWireValue(x, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(v);
  ok(proto === Object.prototype || proto === null, "not a plain object");
  for (const x of Object.values(v as object)) assertWireValue(x, depth + 1);
}

function assertEnvelope(e: Envelope): void {
  ok(typeof e.type === "string" && e.type.length > 0);
  ok(Number.isInteger(e.from) && e.from >= 1 && e.from <= 0xffff);
  ok(Number.isSafeInteger(e.boot) && e.boot >= 0);
  ok(Number.isSafeInteger(e.seq) && e.seq >= 1);
  ok(Number.isSafeInteger(e.ts) && e.ts >= 0);
  assertWireValue(e.body);
}

const stats = { ok: 0, rejected: new Map<string, number>() };

/** Run `f`: it must return a checked value or throw a WireError. */
function expectWireOutcome<T>(
  what: string,
  f: () => T,
  check: (v: T) => void,
): void {
  let v: T;
  try {
    v = f();
  } catch (e) {
    if (!(e instanceof WireError) || !REASONS.has(e.reason)) {
      fail(
        `${what}: threw ${
          e instanceof Error ? `${e.name}: ${e.message}` : String(e)
        }`,
      );
    }
    ok(!e.message.includes("\n"), `${what}: multi-line message`);
    stats.rejected.set(e.reason, (stats.rejected.get(e.reason) ?? 0) + 1);
    return;
  }
  check(v);
  stats.ok++;
}

function fuzzOnce(r: Rand, i: number): void {
  switch (i % 6) {
    case 0: { // raw garbage, sometimes with a valid magic
      const b = r.bytes(r.int(120));
      if (r.int(2) === 0 && b.length >= 4) b.set(MAGIC);
      expectWireOutcome(
        "garbage datagram",
        () => decodeDatagram(KEY, b),
        assertEnvelope,
      );
      expectWireOutcome(
        "garbage keyless",
        () => decodeFramePayload(null, b),
        assertWireValue,
      );
      return;
    }
    case 1: { // mutated valid datagram
      const d = encodeDatagram(KEY, randomEnvelope(r));
      const m = mutate(r, d);
      expectWireOutcome(
        "mutated datagram",
        () => decodeDatagram(KEY, m),
        assertEnvelope,
      );
      return;
    }
    case 2: { // authenticated random CBOR, as a whole and as an envelope body
      const body: number[] = [];
      randomCbor(r, 0, body);
      const whole = seal(0x44, Uint8Array.from(body));
      expectWireOutcome(
        "sealed cbor",
        () => decodeDatagram(KEY, whole),
        assertEnvelope,
      );
      const env = [0x86, 0x61, 0x78, 0x01, 0x02, 0x03, 0x04, ...body];
      const sealed = seal(0x46, Uint8Array.from(env));
      expectWireOutcome(
        "sealed body",
        () => decodeFramePayload(KEY, sealed),
        assertEnvelope,
      );
      const keyless = Uint8Array.from([...MAGIC, ...body]);
      expectWireOutcome(
        "keyless cbor",
        () => decodeFramePayload(null, keyless),
        assertWireValue,
      );
      return;
    }
    case 3: { // authenticated mutation of valid CBOR
      const cbor = encodeDatagram(KEY, randomEnvelope(r)).slice(4, -32);
      const m = seal(0x44, mutate(r, cbor));
      expectWireOutcome(
        "sealed mutated",
        () => decodeDatagram(KEY, m),
        assertEnvelope,
      );
      return;
    }
    case 4: { // keyless frame stream: valid frames, garbage, random splits
      const parts: Uint8Array[] = [];
      for (let n = r.int(4); n >= 0; n--) {
        if (r.int(3) === 0) {
          const body: number[] = [];
          randomCbor(r, 0, body);
          const p = Uint8Array.from([...MAGIC, ...body]);
          const h = new Uint8Array(4);
          new DataView(h.buffer).setUint32(
            0,
            r.int(8) === 0 ? r.int(2 ** 32) : p.length,
          );
          parts.push(h, p);
        } else {
          const f = encodeFrame(null, randomValue(r, 0));
          parts.push(r.int(4) === 0 ? mutate(r, f) : f);
        }
      }
      pushStream(r, new FrameDecoder({ key: null, maxFrame: 1 << 20 }), parts);
      return;
    }
    default: { // keyed frame stream with mutations
      const parts: Uint8Array[] = [];
      let seq = 1;
      for (let n = r.int(4); n >= 0; n--) {
        const e = { ...randomEnvelope(r), from: 9, boot: 9, seq: seq++ };
        const f = encodeFrame(KEY, e);
        parts.push(r.int(3) === 0 ? mutate(r, f) : f);
        if (r.int(4) === 0) parts.push(r.pick(parts)); // replayed frame
      }
      pushStream(r, new FrameDecoder({ key: KEY, maxFrame: 1 << 20 }), parts);
    }
  }
}

function pushStream(r: Rand, dec: FrameDecoder, parts: Uint8Array[]): void {
  const all = Uint8Array.from(parts.flatMap((p) => [...p]));
  let at = 0;
  while (at < all.length) {
    const n = 1 + r.int(64);
    const chunk = all.slice(at, at + n);
    at += n;
    let failed = false;
    expectWireOutcome("frame stream", () => dec.push(chunk), (vs) => {
      for (const v of vs) assertWireValue(v);
    });
    try {
      dec.push(new Uint8Array(0));
    } catch {
      failed = true;
    }
    if (failed) return; // the caller would close the stream
  }
}

Deno.test(`wire decoders only ever return valid values or throw WireError (${ITERS} inputs)`, () => {
  const r = prng(SEED);
  for (let i = 0; i < ITERS; i++) fuzzOnce(r, i);
  // The fuzzer must reach both outcomes and the deep reasons, or it tests little.
  ok(stats.ok > ITERS / 20, `only ${stats.ok} accepted`);
  for (
    const reason of ["short", "magic", "mac", "cbor", "shape", "size", "replay"]
  ) {
    ok((stats.rejected.get(reason) ?? 0) > 0, `reason ${reason} never reached`);
  }
});

import {
  deepStrictEqual,
  equal,
  match,
  ok,
  strictEqual,
  throws,
} from "node:assert/strict";
import { createHmac } from "node:crypto";
import { Encoder } from "cbor-x";
import {
  bulkMac,
  bulkTag,
  checkEnvelope,
  decodeDatagram,
  decodeFramePayload,
  encodeDatagram,
  encodeFrame,
  type Envelope,
  MAGIC,
  MAX_DATAGRAM,
  MAX_DEPTH,
  TAG_BYTES,
  WireError,
  type WireErrorReason,
} from "../../core/wire.ts";

const KEY = new Uint8Array(32).map((_, i) => i + 1);
const OTHER_KEY = new Uint8Array(32).map((_, i) => 200 - i);
const rawCbor = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  tagUint8Array: false,
});

function env(body: unknown, over: Partial<Envelope> = {}): Envelope {
  return {
    type: "gossip",
    from: 2780,
    boot: 1_700_000_000_000_123,
    seq: 7,
    ts: 1_700_000_000_000,
    body,
    ...over,
  };
}

function reasonOf(f: () => unknown): WireErrorReason {
  try {
    f();
  } catch (e) {
    ok(e instanceof WireError, `expected WireError, got ${e}`);
    return e.reason;
  }
  throw new Error("expected a WireError, nothing was thrown");
}

/** Seal raw CBOR the way the module doc says: HMAC(key, CTX|MAGIC|CBOR). */
function seal(key: Uint8Array, ctx: number, cbor: Uint8Array): Uint8Array {
  const head = new Uint8Array(MAGIC.length + cbor.length);
  head.set(MAGIC);
  head.set(cbor, MAGIC.length);
  const mac = createHmac("sha256", key).update(Uint8Array.of(ctx)).update(
    head,
  ).digest();
  const out = new Uint8Array(head.length + mac.length);
  out.set(head);
  out.set(mac, head.length);
  return out;
}

/** An envelope array whose body is the given raw CBOR bytes. */
function envelopeWithRawBody(body: Uint8Array): Uint8Array {
  const head = rawCbor.encode(["gossip", 2780, 5, 1, 1000]);
  equal(head[0], 0x85);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out[0] = 0x86;
  out.set(body, head.length);
  return out;
}

Deno.test("datagram round trip keeps every field and plain Uint8Array bodies", () => {
  const body = {
    bytes: new Uint8Array([0, 1, 2, 255]),
    list: [1, -2, 3.25, "x", null, true, false, undefined],
    nested: { deep: { er: [new Uint8Array(0)] } },
    big: Number.MAX_SAFE_INTEGER,
  };
  const d = encodeDatagram(KEY, env(body));
  deepStrictEqual(d.subarray(0, 4), MAGIC);
  const back = decodeDatagram(KEY, d);
  deepStrictEqual(back, env(body));
  strictEqual(
    Object.getPrototypeOf((back.body as typeof body).bytes),
    Uint8Array.prototype,
  );
});

Deno.test("datagram round trip of scalar and empty bodies", () => {
  for (const body of [null, 0, -1.5, "", "héllo", [], {}, true]) {
    deepStrictEqual(
      decodeDatagram(KEY, encodeDatagram(KEY, env(body))),
      env(body),
    );
  }
});

Deno.test("every single bit flip of a datagram is rejected", () => {
  const d = encodeDatagram(KEY, env({ load: 123, free: [1, 2, 3] }));
  for (let i = 0; i < d.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const t = d.slice();
      t[i] ^= 1 << bit;
      const want = i < 3 ? "magic" : i === 3 ? "version" : "mac";
      equal(
        reasonOf(() => decodeDatagram(KEY, t)),
        want,
        `byte ${i} bit ${bit}`,
      );
    }
  }
});

Deno.test("a datagram sealed with another key fails authentication", () => {
  const d = encodeDatagram(OTHER_KEY, env(1));
  equal(reasonOf(() => decodeDatagram(KEY, d)), "mac");
  throws(() => decodeDatagram(KEY, d), /wrong cluster secret/);
});

Deno.test("truncated and extended datagrams are rejected", () => {
  const d = encodeDatagram(KEY, env("x"));
  for (let n = 0; n < d.length; n++) {
    const r = reasonOf(() => decodeDatagram(KEY, d.subarray(0, n)));
    ok(r === "short" || r === "mac", `length ${n}: ${r}`);
  }
  const longer = new Uint8Array(d.length + 1);
  longer.set(d);
  equal(reasonOf(() => decodeDatagram(KEY, longer)), "mac");
});

Deno.test("oversized datagrams are refused on encode and decode", () => {
  const big = env(new Uint8Array(MAX_DATAGRAM));
  equal(reasonOf(() => encodeDatagram(KEY, big)), "size");
  throws(() => encodeDatagram(KEY, big), /send it over a link/);
  equal(
    reasonOf(() => decodeDatagram(KEY, new Uint8Array(MAX_DATAGRAM + 1))),
    "size",
  );
  // Just under the limit still goes.
  const fits = env(new Uint8Array(MAX_DATAGRAM - 200));
  const d = encodeDatagram(KEY, fits);
  ok(d.length <= MAX_DATAGRAM);
  equal((decodeDatagram(KEY, d).body as Uint8Array).length, MAX_DATAGRAM - 200);
});

Deno.test("a datagram cannot be replayed as a keyed frame and back", () => {
  const d = encodeDatagram(KEY, env(1));
  equal(reasonOf(() => decodeFramePayload(KEY, d)), "mac");
  const f = encodeFrame(KEY, env(1));
  equal(reasonOf(() => decodeDatagram(KEY, f.subarray(4))), "mac");
});

Deno.test("encode refuses malformed envelopes with reason shape", () => {
  const bad: Partial<Envelope>[] = [
    { from: 0 },
    { from: 65536 },
    { from: 1.5 },
    { boot: -1 },
    { seq: 0 },
    { seq: Number.MAX_SAFE_INTEGER + 2 },
    { ts: -5 },
    { ts: NaN },
    { type: "" },
    { type: "x".repeat(65) },
  ];
  for (const over of bad) {
    equal(
      reasonOf(() => encodeDatagram(KEY, env(1, over))),
      "shape",
      JSON.stringify(over),
    );
  }
  equal(
    reasonOf(() => encodeDatagram(KEY, null as unknown as Envelope)),
    "shape",
  );
});

Deno.test("encode refuses bodies that are not wire values", () => {
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  class Point {
    x = 1;
  }
  const bodies = [
    new Date(0),
    new Map([[1, 2]]),
    new Set([1]),
    10n,
    () => 1,
    Symbol("s"),
    new Uint16Array(2),
    new Point(),
    cyclic,
  ];
  for (const b of bodies) {
    equal(reasonOf(() => encodeDatagram(KEY, env(b))), "shape", String(b));
    equal(reasonOf(() => encodeFrame(null, b)), "shape", String(b));
  }
});

Deno.test("a shared (not cyclic) object is encoded twice and decodes as a tree", () => {
  const shared = { a: 1 };
  const back = decodeDatagram(KEY, encodeDatagram(KEY, env([shared, shared])));
  deepStrictEqual(back.body, [{ a: 1 }, { a: 1 }]);
  const [x, y] = back.body as object[];
  ok(x !== y);
});

Deno.test("nesting deeper than MAX_DEPTH is refused both ways", () => {
  let deep: unknown = 1;
  for (let i = 0; i < MAX_DEPTH + 1; i++) deep = [deep];
  equal(reasonOf(() => encodeDatagram(KEY, env(deep))), "shape");
  // Authenticated but too deep: built by hand.
  const raw = new Uint8Array(MAX_DEPTH + 2).fill(0x81);
  raw[raw.length - 1] = 0x01;
  const d = seal(KEY, 0x44, envelopeWithRawBody(raw));
  equal(reasonOf(() => decodeDatagram(KEY, d)), "shape");
});

Deno.test("authenticated CBOR extensions are refused with reason shape", () => {
  const bodies: [string, number[]][] = [
    ["date tag 1", [0xc1, 0x00]],
    ["bignum tag 2", [0xc2, 0x41, 0x01]],
    ["set tag 258", [0xd9, 0x01, 0x02, 0x80]],
    ["map tag 259", [0xd9, 0x01, 0x03, 0xa0]],
    ["uint16 array tag 69", [0xd8, 0x45, 0x42, 0x01, 0x00]],
    ["unknown tag 99", [0xd8, 0x63, 0x00]],
    ["regexp tag 27", [
      0xd8,
      0x1b,
      0x83,
      0x66,
      ...te("RegExp"),
      0x61,
      0x61,
      0x60,
    ]],
  ];
  for (const [name, body] of bodies) {
    const d = seal(KEY, 0x44, envelopeWithRawBody(new Uint8Array(body)));
    equal(reasonOf(() => decodeDatagram(KEY, d)), "shape", name);
  }
});

Deno.test("authenticated garbage CBOR and trailing bytes are refused with reason cbor", () => {
  const trailing = rawCbor.encode(["gossip", 2780, 5, 1, 1000, null]);
  const withExtra = new Uint8Array([...trailing, 0x00]);
  equal(
    reasonOf(() => decodeDatagram(KEY, seal(KEY, 0x44, withExtra))),
    "cbor",
  );
  const truncated = new Uint8Array([0x86, 0x66, 0x67]);
  equal(
    reasonOf(() => decodeDatagram(KEY, seal(KEY, 0x44, truncated))),
    "cbor",
  );
});

Deno.test("authenticated envelopes with bad fields are refused with reason shape", () => {
  const cases: unknown[] = [
    ["gossip", 2780, 5, 1, 1000], // 5 fields
    ["gossip", 2780, 5, 1, 1000, null, 1], // 7 fields
    { type: "gossip" }, // not an array
    [1, 2780, 5, 1, 1000, null],
    ["gossip", 2780, 5, -1, 1000, null],
    ["gossip", 2780, 1.5, 1, 1000, null],
    ["gossip", "2780", 5, 1, 1000, null],
  ];
  for (const c of cases) {
    const d = seal(KEY, 0x44, rawCbor.encode(c));
    equal(reasonOf(() => decodeDatagram(KEY, d)), "shape", JSON.stringify(c));
  }
});

Deno.test("a __proto__ key does not touch the object prototype", () => {
  // {"__proto__": {"polluted": 1}} written as raw CBOR.
  const body = new Uint8Array([
    0xa1,
    0x69,
    ...te("__proto__"),
    0xa1,
    0x68,
    ...te("polluted"),
    0x01,
  ]);
  const back = decodeDatagram(KEY, seal(KEY, 0x44, envelopeWithRawBody(body)));
  equal(({} as Record<string, unknown>).polluted, undefined);
  equal(Object.getPrototypeOf(back.body), Object.prototype);
});

Deno.test("wrong magic, wrong version and short input give their reasons", () => {
  const d = encodeDatagram(KEY, env(1));
  const m = d.slice();
  m[0] = 0x45;
  equal(reasonOf(() => decodeDatagram(KEY, m)), "magic");
  const v = d.slice();
  v[3] = 2;
  throws(() => decodeDatagram(KEY, v), /wire version 2/);
  equal(reasonOf(() => decodeDatagram(KEY, new Uint8Array(3))), "short");
  equal(
    reasonOf(() => decodeDatagram(KEY, "nope" as unknown as Uint8Array)),
    "shape",
  );
});

Deno.test("keyless frames carry any wire value behind a big-endian length", () => {
  const values = [{ cmd: "status", args: ["-v"] }, [1, 2, 3], "x", 42, null];
  for (const value of values) {
    const f = encodeFrame(null, value);
    const len = new DataView(f.buffer).getUint32(0);
    equal(len, f.length - 4);
    deepStrictEqual(f.subarray(4, 8), MAGIC);
    deepStrictEqual(decodeFramePayload(null, f.subarray(4)), value);
  }
});

Deno.test("keyed frames round trip and reject tampering and the wrong key", () => {
  const e = env({ chunk: new Uint8Array(1000).fill(9) }, { type: "link.data" });
  const f = encodeFrame(KEY, e);
  deepStrictEqual(decodeFramePayload(KEY, f.subarray(4)), e);
  equal(reasonOf(() => decodeFramePayload(OTHER_KEY, f.subarray(4))), "mac");
  const t = f.slice(4);
  t[500] ^= 0x10;
  equal(reasonOf(() => decodeFramePayload(KEY, t)), "mac");
  // A keyed frame read as keyless still parses no further than the CBOR.
  equal(reasonOf(() => decodeFramePayload(null, f.subarray(4))), "cbor");
});

Deno.test("encodeFrame refuses a payload over maxFrame", () => {
  equal(reasonOf(() => encodeFrame(null, new Uint8Array(100), 50)), "size");
  ok(encodeFrame(null, new Uint8Array(100), 200).length > 100);
});

Deno.test("checkEnvelope returns a typed envelope or throws shape", () => {
  deepStrictEqual(checkEnvelope(env([1])), env([1]));
  equal(reasonOf(() => checkEnvelope({ type: "x" })), "shape");
});

Deno.test("WireError messages are one line and name the problem", () => {
  try {
    decodeDatagram(KEY, new Uint8Array(10));
  } catch (e) {
    ok(e instanceof WireError);
    match(e.message, /^wire: datagram of 10 bytes is shorter than \d+$/);
    equal(e.name, "WireError");
  }
});

function te(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

Deno.test("frame and datagram tags are HMAC-SHA256 for every length and key size", () => {
  const keys = [
    new Uint8Array(16).fill(7),
    crypto.getRandomValues(new Uint8Array(64)),
    crypto.getRandomValues(new Uint8Array(100)),
  ];
  for (const key of keys) {
    for (let n = 0; n < 2100; n += n < 200 ? 1 : 97) {
      const env: Envelope = {
        type: "t",
        from: 1,
        boot: 2,
        seq: 3,
        ts: 4,
        body: new Uint8Array(n).fill(n & 255),
      };
      for (
        const [bytes, ctx, start] of [
          [encodeFrame(key, env), 0x46, 4],
          [encodeDatagram(key, env), 0x44, 0],
        ] as const
      ) {
        const end = bytes.length - TAG_BYTES;
        const want = createHmac("sha256", key)
          .update(Uint8Array.of(ctx))
          .update(bytes.subarray(start, end))
          .digest();
        deepStrictEqual(
          bytes.subarray(end),
          new Uint8Array(want),
          `n=${n}`,
        );
      }
    }
  }
});

Deno.test("bulkMac over pieces gives the bulkTag of the whole", () => {
  const key = new Uint8Array(32).fill(9);
  const frameTag = new Uint8Array(TAG_BYTES).fill(3);
  const data = new Uint8Array(70_000).map((_, i) => (i * 131) & 255);
  const mac = bulkMac(key, frameTag);
  for (let at = 0; at < data.length; at += 4099) {
    mac.update(data.subarray(at, at + 4099));
  }
  deepStrictEqual(mac.digest(), new Uint8Array(bulkTag(key, frameTag, data)));
});

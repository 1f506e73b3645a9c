/**
 * Fuzzing FrameDecoder (core/frame_decoder.ts) over keyed and keyless
 * frame streams (core/wire.ts): mutated, spliced, replayed and oversized
 * frames cut at random points. Properties: only WireError is thrown, a
 * failed decoder stays failed, memory held is bounded by what arrived, and
 * a keyed stream yields only frames sent, in order, each at most once.
 */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { FrameDecoder } from "../../core/frame_decoder.ts";
import {
  encodeFrame,
  type Envelope,
  MAGIC,
  WireError,
} from "../../core/wire.ts";
import {
  concat,
  expectOnly,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutate,
  randomCbor,
  type Rng,
} from "../../tools/fuzz.ts";

const KEY = new Uint8Array(32).fill(0x33);
const MAX_FRAME = 1 << 16;
const isWire = (e: unknown) => e instanceof WireError;

function envelope(seq: number, boot = 5, body: unknown = null): Envelope {
  return { type: "link.data", from: 12, boot, seq, ts: 1, body };
}

/** Cut `bytes` into random chunks, mostly small. */
function chunks(r: Rng, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = 1 + (r.chance(0.7) ? r.int(16) : r.int(4096));
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  return out;
}

/**
 * Feed `stream` in random chunks through one reused buffer, as a socket
 * reader does; return the decoded values and the error, if any.
 */
function feed(
  r: Rng,
  dec: FrameDecoder,
  stream: Uint8Array,
): { values: unknown[]; error: WireError | null } {
  const values: unknown[] = [];
  const buf = new Uint8Array(4096 + 16);
  for (const c of chunks(r, stream)) {
    for (let at = 0; at < c.length; at += 4096) {
      const piece = c.subarray(at, at + 4096);
      buf.set(piece);
      const res = expectOnly(
        "push",
        () => dec.push(buf.subarray(0, piece.length)),
        isWire,
      );
      ok(dec.buffered <= MAX_FRAME + 4, `holds ${dec.buffered} bytes`);
      if (!res.ok) {
        // Failed for good: the same error again, whatever comes next.
        throws(() => dec.push(new Uint8Array(1)), (e) => e === res.error);
        return { values, error: res.error as WireError };
      }
      // Decoded values must not change when the buffer is reused.
      values.push(...structuredClone(res.value));
      buf.fill(0xee);
    }
  }
  return { values, error: null };
}

Deno.test("FrameDecoder yields only the keyed frames sent, in order and once, or fails with WireError", async () => {
  const cfg = fuzzConfig(1500);
  const stats = new FuzzStats();
  await fuzzLoop("keyed frame stream", cfg, (r) => {
    const sent: Envelope[] = [];
    const frames: Uint8Array[] = [];
    let seq = 1 + r.int(10);
    for (let n = 1 + r.int(6); n > 0; n--) {
      const e = envelope(
        seq,
        5,
        r.chance(0.3) ? r.bytes(r.int(9000)) : { n: seq },
      );
      seq += 1 + r.int(3);
      sent.push(e);
      frames.push(encodeFrame(KEY, e, MAX_FRAME));
    }
    const other = encodeFrame(KEY, envelope(1 + r.int(100), 6), MAX_FRAME);
    const parts = frames.slice();
    const hostile = r.int(6);
    if (hostile === 1) { // replay one frame later in the stream
      parts.splice(1 + r.int(parts.length), 0, r.pick(frames));
    } else if (hostile === 2) {
      // A frame of another stream spliced in once this one has begun (the
      // first frame fixes the stream: FrameConn's handshake comes first).
      parts.splice(1 + r.int(parts.length), 0, other);
    } else if (hostile === 3) { // one frame mutated
      const i = r.int(parts.length);
      parts[i] = mutate(r, parts[i], { corpus: frames });
    } else if (hostile === 4) { // frames swapped
      if (parts.length > 1) parts.reverse();
    } else if (hostile === 5) { // a huge announced length
      const h = new Uint8Array(4);
      new DataView(h.buffer).setUint32(0, MAX_FRAME + 1 + r.int(2 ** 31));
      parts.splice(r.int(parts.length + 1), 0, h);
    }
    const { values, error } = feed(
      r,
      new FrameDecoder({ key: KEY, maxFrame: MAX_FRAME }),
      concat(...parts),
    );
    // What was decoded are frames sent, in order, none twice (a frame cut
    // out of the stream may be missing: gaps are allowed by design).
    ok(values.length <= sent.length, "more frames out than in");
    let next = 0;
    for (const v of values) {
      const e = v as Envelope;
      while (next < sent.length && sent[next].seq !== e.seq) next++;
      ok(
        next < sent.length,
        `frame seq ${e.seq} accepted out of order or twice (hostile ${hostile}: sent ${
          sent.map((x) => x.seq)
        }, got ${values.map((v) => (v as Envelope).seq)})`,
      );
      equal(e.boot, 5, "a frame of another stream was accepted");
      deepEqual(e.body, structuredClone(sent[next].body));
      next++;
    }
    if (hostile === 0) {
      equal(error, null, `a clean stream failed: ${error?.message}`);
      equal(values.length, sent.length);
    }
    stats.add(error ? error.reason : "clean");
  });
  for (const k of ["clean", "replay", "mac", "size"]) {
    ok(stats.get(k) > 0, `${k} never reached: ${stats}`);
  }
});

Deno.test("FrameDecoder on a keyless stream of random CBOR throws only WireError", async () => {
  const cfg = fuzzConfig(1500);
  const stats = new FuzzStats();
  await fuzzLoop("keyless frame stream", cfg, (r) => {
    const parts: Uint8Array[] = [];
    for (let n = 1 + r.int(5); n > 0; n--) {
      const payload = r.chance(0.5)
        ? concat(MAGIC, randomCbor(r))
        : encodeFrame(null, { id: r.int(9), op: "status", args: {} }).subarray(
          4,
        );
      const h = new Uint8Array(4);
      const len = r.chance(0.1) ? r.int(2 ** 32) : payload.length;
      new DataView(h.buffer).setUint32(0, len);
      const frame = concat(h, payload);
      parts.push(r.chance(0.2) ? mutate(r, frame) : frame);
    }
    const { values, error } = feed(
      r,
      new FrameDecoder({ key: null, maxFrame: MAX_FRAME }),
      concat(...parts),
    );
    stats.add(error ? error.reason : "clean");
    stats.add(values.length > 0 ? "values" : "none");
  });
  for (const k of ["clean", "cbor", "size", "values"]) {
    ok(stats.get(k) > 0, `${k} never reached: ${stats}`);
  }
});

Deno.test("FrameDecoder refuses an oversized length prefix before any payload arrives", () => {
  for (const len of [MAX_FRAME + 1, 0x7fffffff, 0xffffffff]) {
    const dec = new FrameDecoder({ key: null, maxFrame: MAX_FRAME });
    const h = new Uint8Array(4);
    new DataView(h.buffer).setUint32(0, len);
    throws(
      () => dec.push(h),
      (e) => e instanceof WireError && e.reason === "size",
    );
    ok(dec.buffered <= 4);
  }
});

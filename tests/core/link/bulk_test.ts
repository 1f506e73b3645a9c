import assert from "node:assert/strict";
import { FrameConn } from "../../../core/link/frame_conn.ts";
import { FrameDecoder } from "../../../core/frame_decoder.ts";
import {
  BULK_MIN_BYTES,
  bulkTag,
  encodeFrame,
  encodeFrameParts,
  type Envelope,
  TAG_BYTES,
  WireError,
} from "../../../core/wire.ts";
import { concatBytes } from "../../../core/bytes.ts";

const KEY = new TextEncoder().encode("link-key-0123456789abcdef-0123456");

function env(seq: number, body: unknown): Envelope {
  return { type: "t", from: 1, boot: 7, seq, ts: 1, body };
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed) & 255;
  return b;
}

/** A bulk frame as FrameConn.sendBulk writes it. */
function bulkFrame(
  seq: number,
  body: Record<string, unknown>,
  data: Uint8Array,
) {
  const head = encodeFrame(KEY, env(seq, { ...body, bulk: data.length }));
  const tag = bulkTag(KEY, head.subarray(head.length - TAG_BYTES), data);
  return concatBytes([head, data, tag]);
}

Deno.test("encodeFrameParts writes the same bytes as encodeFrame, big byte strings uncopied", () => {
  const big1 = pattern(BULK_MIN_BYTES + 3, 1);
  const big2 = pattern(3 * BULK_MIN_BYTES, 2);
  const body = {
    a: 1,
    big1,
    list: [big2, new Uint8Array(10), "x"],
    nested: { same: big1 },
  };
  const parts = encodeFrameParts(KEY, env(1, body));
  assert.deepEqual(concatBytes(parts), encodeFrame(KEY, env(1, body)));
  assert(parts.includes(big1), "the first big array is written as is");
  assert(parts.includes(big2));
  // The caller's body is not changed.
  assert.equal(body.big1, big1);
  // A small body is one part.
  assert.equal(encodeFrameParts(KEY, env(2, { a: 1 })).length, 1);
  assert.throws(
    () => encodeFrameParts(KEY, env(3, { big1 }), 1000),
    (e) => e instanceof WireError && e.reason === "size",
  );
});

Deno.test("bulk bytes arrive in any split as body.bulk, in the sink's array", () => {
  const data = pattern(200_000, 3);
  const stream = concatBytes([
    bulkFrame(1, { id: 1 }, data),
    encodeFrame(KEY, env(2, { after: true })),
    bulkFrame(3, { id: 2 }, new Uint8Array(0)),
  ]);
  for (const step of [1, 7, 4096, 65536, stream.length]) {
    const target = new Uint8Array(new SharedArrayBuffer(data.length + 10));
    const dec = new FrameDecoder({
      key: KEY,
      bulk: true,
      bulkSink: (e) =>
        (e.body as { id: number }).id === 1
          ? target.subarray(5, 5 + data.length)
          : undefined,
    });
    const got: Envelope[] = [];
    for (let at = 0; at < stream.length; at += step) {
      got.push(...dec.push(stream.subarray(at, at + step)) as Envelope[]);
    }
    assert.equal(got.length, 3, `step ${step}`);
    const b0 = got[0].body as { id: number; bulk: Uint8Array };
    assert.deepEqual(b0.bulk, data);
    assert.equal(b0.bulk.buffer, target.buffer, "read into the sink's array");
    assert.deepEqual(target.subarray(5, 5 + data.length), data);
    assert.deepEqual(got[1].body, { after: true });
    assert.equal((got[2].body as { bulk: Uint8Array }).bulk.length, 0);
    assert.equal(dec.buffered, 0);
  }
});

Deno.test("bulk bytes read straight into readTarget are the same as pushed ones", () => {
  const data = pattern(300_000, 4);
  const frame = bulkFrame(1, {}, data);
  const dec = new FrameDecoder({ key: KEY, bulk: true });
  const headLen = frame.length - data.length - TAG_BYTES;
  assert.deepEqual(dec.push(frame.subarray(0, headLen + 10)), []);
  const target = dec.readTarget()!;
  assert.equal(target.length, data.length - 10);
  target.set(data.subarray(10, 100_010));
  assert.deepEqual(dec.filled(100_000), []);
  dec.readTarget()!.set(data.subarray(100_010));
  assert.deepEqual(dec.filled(data.length - 100_010), []);
  assert.equal(dec.readTarget(), null);
  const [e] = dec.push(frame.subarray(frame.length - TAG_BYTES)) as Envelope[];
  assert.deepEqual((e.body as { bulk: Uint8Array }).bulk, data);
  assert.throws(() => dec.filled(1), RangeError);
});

Deno.test("tampered, oversized or refused bulk bytes fail the stream with a WireError", () => {
  const data = pattern(1000, 5);
  const frame = bulkFrame(1, {}, data);
  const bad = frame.slice();
  bad[frame.length - TAG_BYTES - 3] ^= 1; // one bit of the bytes
  const cases: [Uint8Array, FrameDecoder, string][] = [
    [bad, new FrameDecoder({ key: KEY, bulk: true }), "mac"],
    [frame, new FrameDecoder({ key: KEY, bulk: true, maxFrame: 999 }), "size"],
    [
      frame,
      new FrameDecoder({
        key: KEY,
        bulk: true,
        bulkSink: () => {
          throw new Error("no room");
        },
      }),
      "shape",
    ],
    [
      frame,
      new FrameDecoder({
        key: KEY,
        bulk: true,
        bulkSink: () => new Uint8Array(3),
      }),
      "shape",
    ],
  ];
  for (const [bytes, dec, reason] of cases) {
    assert.throws(
      () => dec.push(bytes),
      (e) => e instanceof WireError && e.reason === reason,
    );
    // Failed for good.
    assert.throws(() => dec.push(new Uint8Array(1)), WireError);
  }
  // Bulk bytes moved onto another frame do not verify.
  const other = bulkFrame(1, { x: 1 }, data);
  const spliced = concatBytes([
    other.subarray(0, other.length - data.length - TAG_BYTES),
    frame.subarray(frame.length - data.length - TAG_BYTES),
  ]);
  assert.throws(
    () => new FrameDecoder({ key: KEY, bulk: true }).push(spliced),
    (e) => e instanceof WireError && e.reason === "mac",
  );
  // Without the option, `bulk` is an ordinary field.
  const plain = new FrameDecoder({ key: KEY });
  const [e] = plain.push(encodeFrame(KEY, env(1, { bulk: 5 }))) as Envelope[];
  assert.deepEqual(e.body, { bulk: 5 });
});

Deno.test("sendBulk carries megabytes over a link into the receiver's bulk sink", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepted = listener.accept().then((c) => FrameConn.accept(c, KEY, 2));
  const c = await FrameConn.connect("127.0.0.1", port, KEY, 1);
  const s = await accepted;
  listener.close();
  const dest = new Uint8Array(8 << 20);
  s.bulkSink = (type, body) =>
    type === "chunk"
      ? dest.subarray(
        (body as { at: number }).at,
        (body as { at: number }).at + (body as { bulk: number }).bulk,
      )
      : undefined;
  const data = pattern(8 << 20, 6);
  const sends = [];
  for (let at = 0; at < data.length; at += 3 << 20) {
    const piece = data.subarray(at, Math.min(at + (3 << 20), data.length));
    sends.push(c.sendBulk("chunk", { at }, piece));
  }
  sends.push(c.sendBulk("other", {}, data.subarray(0, 100)));
  // `bulk` in an ordinary body would put the stream out of step: refused.
  await assert.rejects(c.send("x", { bulk: 5 }), /'bulk' is reserved/);
  c.send("end", { big: data.subarray(0, 1 << 20) });
  await Promise.all(sends);
  for (let at = 0; at < data.length; at += 3 << 20) {
    const m = await s.next();
    assert.equal(m!.type, "chunk");
    assert.equal((m!.body as { bulk: Uint8Array }).bulk.buffer, dest.buffer);
  }
  const other = await s.next();
  assert.deepEqual(
    (other!.body as { bulk: Uint8Array }).bulk,
    data.subarray(0, 100),
  );
  const end = await s.next();
  assert.deepEqual(
    (end!.body as { big: Uint8Array }).big,
    data.subarray(0, 1 << 20),
  );
  assert.deepEqual(dest, data);
  c.close();
  s.close();
});

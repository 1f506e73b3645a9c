import assert from "node:assert/strict";
import { bigintsIn, bigintsOut } from "../../../core/link/bigint_codec.ts";
import { decodeFramePayload, encodeFrame } from "../../../core/wire.ts";

const KEY = new TextEncoder().encode("bigint-codec-key-0123456789abcdef");

Deno.test("bigints in a system call survive a trip over the wire, data untouched", () => {
  const data = new Uint8Array([1, 2, 3]);
  const req = {
    op: "fd_pread",
    fd: 3,
    offset: 18446744073709551615n,
    list: [-9223372036854775808n, 0n, 7],
    data,
    nested: { size: 4096n, name: "x" },
  };
  const frame = encodeFrame(KEY, {
    type: "call",
    from: 1,
    boot: 1,
    seq: 1,
    ts: Date.now(),
    body: { req: bigintsOut(req) },
  });
  const env = decodeFramePayload(KEY, frame.subarray(4));
  const back = bigintsIn((env.body as { req: unknown }).req);
  assert.deepEqual(back, req);
  assert.throws(() =>
    encodeFrame(KEY, {
      type: "call",
      from: 1,
      boot: 1,
      seq: 2,
      ts: Date.now(),
      body: { req },
    }), "raw bigints are refused by the wire");
});

Deno.test("bigintsIn leaves malformed or oversized bigint markers alone", () => {
  for (
    const bad of [
      { $bigint: "12a" },
      { $bigint: "1".repeat(40) },
      { $bigint: 5 },
      { $bigint: "1", extra: 1 },
    ]
  ) {
    assert.deepEqual(bigintsIn(bad), bad);
  }
  assert.equal(bigintsIn({ $bigint: "-42" }), -42n);
});

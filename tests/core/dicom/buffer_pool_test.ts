import assert from "node:assert/strict";
import { BufferPool, POOL_MIN_BYTES } from "../../../core/dicom/buffer_pool.ts";

Deno.test("BufferPool gives a returned buffer to the next message of its size class", () => {
  const pool = new BufferPool();
  const a = pool.take(100_000);
  assert.equal(a.length, 100_000);
  pool.give(a);
  assert.equal(pool.bytes, 131072);
  const b = pool.take(70_000);
  assert.equal(b.buffer, a.buffer);
  assert.equal(b.length, 70_000);
  assert.equal(pool.bytes, 0);
  assert.notEqual(pool.take(100_000).buffer, a.buffer);
});

Deno.test("BufferPool keeps only its own large buffers, once each, up to its cap", () => {
  const pool = new BufferPool(300_000);
  pool.give(new Uint8Array(200_000)); // not from the pool
  const small = pool.take(POOL_MIN_BYTES - 1);
  pool.give(small);
  assert.equal(pool.bytes, 0);
  const a = pool.take(200_000), b = pool.take(200_000);
  pool.give(a);
  pool.give(a);
  pool.give(b); // over the cap: left to the GC
  assert.equal(pool.bytes, 262144);
});

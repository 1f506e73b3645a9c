import assert from "node:assert/strict";
import { Mailbox } from "../../../core/dicom/mailbox.ts";
import type { DicomMessage } from "../../../core/dicom/message.ts";

const A = { home: 1, pid: 10 };
const B = { home: 2, pid: 20 };
const ME = { home: 3, pid: 30 };

function msg(
  from: typeof A,
  seq: number,
  size = 4,
  chan = 7,
): DicomMessage {
  return {
    to: ME,
    from,
    chan,
    seq,
    data: new Uint8Array(size).fill(seq),
  };
}

Deno.test("Mailbox keeps arrival order across senders", () => {
  const m = new Mailbox(1 << 20);
  assert.deepEqual(m.deliver(msg(A, 1)), { r: "ok" });
  assert.deepEqual(m.deliver(msg(B, 1)), { r: "ok" });
  assert.deepEqual(m.deliver(msg(A, 2)), { r: "ok" });
  const got = [m.take()!, m.take()!, m.take()!].map((l) => [
    l.from.pid,
    l.data[0],
  ]);
  assert.deepEqual(got, [[10, 1], [20, 1], [10, 2]]);
  assert.equal(m.take(), null);
});

Deno.test("Mailbox answers dup to a message it already took and gap to one too early", () => {
  const m = new Mailbox(1 << 20);
  m.deliver(msg(A, 1));
  m.deliver(msg(A, 2));
  assert.deepEqual(m.deliver(msg(A, 2)), { r: "dup" });
  assert.deepEqual(m.deliver(msg(A, 1)), { r: "dup" });
  assert.deepEqual(m.deliver(msg(A, 4)), { r: "gap", expect: 3 });
  assert.equal(m.length, 2);
  // Another channel of the same sender is independent.
  assert.deepEqual(m.deliver(msg(A, 1, 4, 8)), { r: "ok" });
});

Deno.test("Mailbox holds a message when full and takes it in when a read makes room", async () => {
  const m = new Mailbox(10);
  assert.deepEqual(m.deliver(msg(A, 1, 6)), { r: "ok" });
  const held = m.deliver(msg(A, 2, 6));
  assert(held instanceof Promise);
  // Later messages of any sender wait behind the held one.
  const later = m.deliver(msg(B, 1, 1));
  assert(later instanceof Promise);
  assert.equal(m.length, 1);
  assert.equal(m.heldCount, 2);
  let settled = false;
  held.then(() => settled = true);
  await Promise.resolve();
  assert.equal(settled, false);
  assert.equal(m.take()!.data[0], 1);
  assert.deepEqual(await held, { r: "ok" });
  assert.deepEqual(await later, { r: "ok" });
  assert.deepEqual([m.take()!.data[0], m.take()!.from.pid], [2, 20]);
});

Deno.test("Mailbox takes one message larger than its cap when empty", () => {
  const m = new Mailbox(10);
  assert.deepEqual(m.deliver(msg(A, 1, 100)), { r: "ok" });
  assert.equal(m.bytes, 100);
});

Deno.test("Mailbox gives a resend of a held message the held one's answer", async () => {
  const m = new Mailbox(4);
  m.deliver(msg(A, 1, 4));
  const first = m.deliver(msg(A, 2, 4));
  const again = m.deliver(msg(A, 2, 4));
  assert(first instanceof Promise && again instanceof Promise);
  m.take();
  assert.deepEqual(await first, { r: "ok" });
  assert.deepEqual(await again, { r: "ok" });
  assert.equal(m.length, 1);
});

Deno.test("Mailbox close refuses held and later messages and returns the queue and sequence state", async () => {
  const m = new Mailbox(4);
  m.deliver(msg(A, 1, 4));
  const held = m.deliver(msg(A, 2, 4));
  const state = m.close({ r: "moved" });
  assert.deepEqual(await held, { r: "moved" });
  assert.deepEqual(m.deliver(msg(B, 1)), { r: "moved" });
  assert.equal(state.queue.length, 1);
  // Continued elsewhere, it still knows what it took: message 2 is next.
  const m2 = new Mailbox(4, state);
  assert.deepEqual(m2.deliver(msg(A, 1)), { r: "dup" });
  assert.deepEqual(m2.deliver(msg(A, 3)), { r: "gap", expect: 2 });
  assert.equal(m2.length, 1);
});

Deno.test("Mailbox whenReady resolves when a message arrives", async () => {
  const m = new Mailbox(100);
  let ready = false;
  const w = m.whenReady().then(() => ready = true);
  await Promise.resolve();
  assert.equal(ready, false);
  m.deliver(msg(A, 1));
  await w;
  assert.equal(ready, true);
});

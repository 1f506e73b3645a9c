import assert from "node:assert/strict";
import { FlowWindow } from "../../core/batch_window.ts";

Deno.test("a sender waits once the window is full and goes on when acknowledged", async () => {
  const w = new FlowWindow(100);
  assert.equal(await w.take(60), true);
  assert.equal(await w.take(60), true); // less than the limit was in flight
  assert.equal(w.inflight, 120);
  let passed = false;
  const p = w.take(10).then((ok) => passed = ok);
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(passed, false);
  w.give(60);
  await p;
  assert.equal(passed, true);
  assert.equal(w.inflight, 70);
});

Deno.test("closing a window releases waiting senders with false", async () => {
  const w = new FlowWindow(10);
  await w.take(10);
  const waiting = w.take(5);
  w.close();
  assert.equal(await waiting, false);
  assert.equal(await w.take(1), false);
  assert.equal(w.inflight, 10);
  assert.throws(() => new FlowWindow(0), RangeError);
});

import assert from "node:assert/strict";
import { LoadHistory } from "../../core/load_history.ts";

Deno.test("LoadHistory keeps at most one sample per step", () => {
  const h = new LoadHistory(10, 1000);
  assert.ok(h.record(0, [{ id: 1, load: 0.5 }]));
  assert.equal(h.record(500, [{ id: 1, load: 0.7 }]), null);
  // A little early still counts: timers jitter.
  assert.ok(h.record(950, [{ id: 1, load: 0.9 }]));
  assert.equal(h.size, 2);
  assert.deepEqual(h.latest(), { t: 950, loads: { 1: 0.9 } });
});

Deno.test("LoadHistory drops the oldest samples once full", () => {
  const h = new LoadHistory(3, 1000);
  for (let i = 0; i < 5; i++) h.record(i * 1000, [{ id: 7, load: i }]);
  assert.equal(h.size, 3);
  assert.deepEqual(h.samples().map((s) => s.t), [2000, 3000, 4000]);
  assert.deepEqual(h.series().nodes, [{ id: 7, loads: [2, 3, 4] }]);
});

Deno.test("LoadHistory series has a line per node with gaps where it was unknown", () => {
  const h = new LoadHistory(5, 1000);
  h.record(0, [{ id: 2, load: 1 }]);
  h.record(1000, [{ id: 2, load: 2 }, { id: 1, load: 0.5 }]);
  h.record(2000, [{ id: 1, load: 0.25 }, { id: 3, load: NaN }]);
  assert.deepEqual(h.series(), {
    times: [0, 1000, 2000],
    nodes: [
      { id: 1, loads: [null, 0.5, 0.25] },
      { id: 2, loads: [1, 2, null] },
    ],
  });
});

Deno.test("LoadHistory ignores a sample that goes back in time", () => {
  const h = new LoadHistory(5, 1000);
  h.record(5000, [{ id: 1, load: 1 }]);
  assert.equal(h.record(1000, [{ id: 1, load: 2 }]), null);
  assert.equal(h.size, 1);
});

Deno.test("LoadHistory rejects a zero capacity or step", () => {
  assert.throws(() => new LoadHistory(0, 1000), RangeError);
  assert.throws(() => new LoadHistory(10, 0), RangeError);
});

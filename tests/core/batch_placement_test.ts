import assert from "node:assert/strict";
import {
  markEnded,
  parsePlacements,
  placeBatchJob,
  type Placement,
  prunePlacements,
  withOwnPlacements,
} from "../../core/batch_placement.ts";
import type { NodeView } from "../../core/node_info.ts";

function view(id: number, o: Partial<NodeView> = {}): NodeView {
  return {
    id,
    address: `10.0.0.${id}`,
    port: 4660,
    status: "up",
    load: 0,
    speed: 10000,
    cpus: 1,
    memTotal: 8e9,
    memFree: 4e9,
    memRaw: 4e9,
    util: 0,
    age: 1,
    self: id === 1,
    ...o,
  };
}

Deno.test("a node's load is the others' share of its gossip plus our jobs running there now", () => {
  const now = 100_000;
  // Node 2's information is 3 s old (+1 s lag): measured at 96 s.
  const views = [view(1, { age: 0, load: 1 }), view(2, { age: 3, load: 3 })];
  const placed: Placement[] = [
    { node: 2, at: 90_000, pid: 1 }, // running then and now
    { node: 2, at: 91_000, pid: 2, end: 98_000 }, // in the gossip, over now
    { node: 2, at: 99_000, pid: 3 }, // too new for the gossip
    { node: 2, at: 80_000, pid: 4, end: 85_000 }, // over before: not in it
    { node: 1, at: 99_500, pid: 5 },
  ];
  const v = withOwnPlacements(views, placed, now);
  // 3 gossiped - 2 of ours then = 1 other; + 2 of ours now.
  assert.equal(v[1].load, 3);
  // Node 1 measured at 99 s: 1 gossiped, none of ours then; + 1 now.
  assert.equal(v[0].load, 2);
  assert.equal(views[1].load, 3, "the input is not changed");
  // Our jobs cannot make the others' share negative.
  const stale = withOwnPlacements([view(2, { age: 3, load: 0 })], placed, now);
  assert.equal(stale[0].load, 2);
});

Deno.test("sixteen jobs started at once spread by capacity over a stale view", () => {
  const views = [
    view(1, { age: 0 }),
    view(2, { cpus: 2 }),
    view(3),
    view(4, { status: "blocked" }),
    view(5, { memFree: 1e6 }),
  ];
  const placed: Placement[] = [];
  const now = 50_000;
  for (let i = 0; i < 16; i++) {
    const v = placeBatchJob(views, placed, now + i, 100e6, () => 0.5);
    assert.ok(v);
    placed.push({ node: v.id, at: now + i, pid: 100 + i });
  }
  const count = (id: number) => placed.filter((p) => p.node === id).length;
  assert.equal(count(4), 0, "blocked node");
  assert.equal(count(5), 0, "not enough memory");
  assert.equal(count(1) + count(2) + count(3), 16);
  // Node 2 has twice the CPUs: about twice the jobs.
  assert.ok(count(2) >= 7 && count(2) <= 9, `node 2 got ${count(2)}`);
  assert.ok(Math.abs(count(1) - count(3)) <= 1);
});

Deno.test("ties between nodes other than home are broken at random", () => {
  const views = [view(1, { load: 3, age: 0 }), view(2), view(3)];
  const pick = (r: number) => placeBatchJob(views, [], 0, 0, () => r)?.id;
  assert.deepEqual(new Set([pick(0.4), pick(0.99)]), new Set([2, 3]));
  const home = [view(1, { age: 0 }), view(2), view(3)];
  for (const r of [0, 0.5, 0.99]) {
    assert.equal(placeBatchJob(home, [], 0, 0, () => r)?.id, 1, "home first");
  }
});

Deno.test("old placements are forgotten; one whose mosrun is gone has ended", () => {
  const alive = new Set([1, 2]);
  const placed: Placement[] = [
    { node: 2, at: 1000, pid: 1 },
    { node: 2, at: 1000, pid: 3 },
    { node: 2, at: 1000, pid: 4, end: 1500 },
    { node: 2, at: -100_000, pid: 2 },
  ];
  assert.deepEqual(prunePlacements(placed, (p) => alive.has(p), 2000), [
    { node: 2, at: 1000, pid: 1 },
    { node: 2, at: 1000, pid: 3, end: 2000 },
    { node: 2, at: 1000, pid: 4, end: 1500 },
  ]);
  assert.deepEqual(markEnded(placed.slice(0, 3), 3, 1700)[1], {
    node: 2,
    at: 1000,
    pid: 3,
    end: 1700,
  });
});

Deno.test("parsePlacements drops anything malformed", () => {
  assert.deepEqual(parsePlacements("not json"), []);
  assert.deepEqual(parsePlacements('{"a":1}'), []);
  assert.deepEqual(
    parsePlacements(
      '[{"node":2,"at":5,"pid":9,"x":1},{"node":"2","at":5,"pid":9},null,' +
        '{"node":3,"at":5,"pid":9,"end":7},{"node":3,"at":5,"pid":9,"end":"7"}]',
    ),
    [{ node: 2, at: 5, pid: 9 }, { node: 3, at: 5, pid: 9, end: 7 }],
  );
});

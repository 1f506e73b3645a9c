import assert from "node:assert/strict";
import {
  type Journal,
  parseJournal,
  pruneJournal,
  queueStep,
  slots,
} from "../../core/batch_queue.ts";
import type { NodeView } from "../../core/node_info.ts";

function view(id: number, o: Partial<NodeView> = {}): NodeView {
  return {
    id,
    address: `10.0.0.${id}`,
    port: 4660,
    status: "up",
    load: 0,
    speed: 10000,
    cpus: 0.4,
    memTotal: 8e9,
    memFree: 4e9,
    memRaw: 4e9,
    util: 0,
    age: 0,
    self: id === 1,
    ...o,
  };
}

Deno.test("a node takes one queued job per CPU, at least one", () => {
  assert.equal(slots(view(1, { cpus: 0.4 })), 1);
  assert.equal(slots(view(1, { cpus: 4 })), 4);
  assert.equal(slots(view(1, { cpus: 2.4 })), 2);
});

Deno.test("queued jobs start in the order they came, one per free CPU", () => {
  const views = [view(1), view(2), view(3, { status: "blocked" })];
  let j: Journal = { placed: [], waiting: [] };
  const started: [number, number][] = [];
  // Five jobs arrive; pids 10..14, one ms apart.
  for (let pid = 10; pid < 15; pid++) {
    const r = queueStep(views, j, pid, 1000 + pid);
    j = r.next;
    if (r.step.kind === "place") started.push([pid, r.step.node.id]);
  }
  assert.deepEqual(started.map(([p]) => p), [10, 11], "two free CPUs");
  assert.deepEqual(new Set(started.map(([, n]) => n)), new Set([1, 2]));
  assert.deepEqual(j.waiting.map((w) => w.pid), [12, 13, 14]);
  // Still full: a later job asking first does not jump the queue.
  const r14 = queueStep(views, j, 14, 2000);
  assert.deepEqual(r14.step, { kind: "wait", ahead: 2 });
  // The job on node 2 ends: the first waiter (12) goes there, not 14.
  j = {
    ...j,
    placed: j.placed.map((p) => p.pid === 11 ? { ...p, end: 2500 } : p),
  };
  assert.equal(queueStep(views, j, 14, 2600).step.kind, "wait");
  const r12 = queueStep(views, j, 12, 2600);
  assert.deepEqual(r12.step, { kind: "place", node: views[1] });
  assert.deepEqual(r12.next.waiting.map((w) => w.pid), [13, 14]);
  assert.equal(queueStep(views, r12.next, 13, 2700).step.kind, "wait");
});

Deno.test("load from others counts: a node busy with other work takes none", () => {
  const views = [view(1, { load: 1 }), view(2, { load: 0.2, cpus: 2 })];
  const r = queueStep(views, { placed: [], waiting: [] }, 7, 100, 0);
  assert.deepEqual(r.step, { kind: "place", node: views[1] });
  const noMem = queueStep(views, { placed: [], waiting: [] }, 7, 100, 5e9);
  assert.equal(noMem.step.kind, "wait");
});

Deno.test("journals read back safely and forget waiters that are gone", () => {
  assert.deepEqual(parseJournal("junk"), { placed: [], waiting: [] });
  assert.deepEqual(parseJournal("[1,2]"), { placed: [], waiting: [] });
  const j = parseJournal(JSON.stringify({
    placed: [{ node: 2, at: 5, pid: 9 }, { node: "x" }],
    waiting: [{ pid: 3, since: 4 }, { pid: "3" }, { pid: 8, since: 1 }],
  }));
  assert.deepEqual(j, {
    placed: [{ node: 2, at: 5, pid: 9 }],
    waiting: [{ pid: 3, since: 4 }, { pid: 8, since: 1 }],
  });
  assert.deepEqual(pruneJournal(j, (pid) => pid !== 8, 10).waiting, [
    { pid: 3, since: 4 },
  ]);
});

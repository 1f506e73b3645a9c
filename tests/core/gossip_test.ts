import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import {
  DEAD_AGE,
  defaultDeadAge,
  expectedAverageAge,
  expectedMaxAge,
  GossipBoard,
  shuffle,
} from "../../core/gossip.ts";
import type { GossipEntry, GossipOptions } from "../../core/gossip.ts";
import { seededRandom } from "../../core/gossip_sim.ts";

/** A board with a fixed dead/drop age unless told otherwise. */
function board(opts: Partial<GossipOptions> = {}): GossipBoard<string> {
  return new GossipBoard<string>({
    self: 1,
    window: 2,
    deadAge: 10,
    dropAge: 30,
    random: seededRandom(42),
    ...opts,
  });
}

function entry(id: number, age: number, data = `d${id}`): GossipEntry<string> {
  return { id, age, data };
}

Deno.test("tick sends one message: own fresh entry first, then the window's youngest entries", () => {
  const b = board({ window: 2 });
  b.receive([entry(2, 5), entry(3, 1), entry(4, 3), entry(5, 2)]);
  const { message } = b.tick("mine");
  ok(message !== null);
  deepEqual(message.entries[0], { id: 1, age: 0, data: "mine" });
  equal(message.entries.length, 3);
  // Ages were 1, 2, 3, 5 before the tick; the target's own entry is left out.
  const expected = [entry(3, 2), entry(5, 3), entry(4, 4), entry(2, 6)]
    .filter((e) => e.id !== message.to)
    .slice(0, 2);
  deepEqual(message.entries.slice(1), expected);
});

Deno.test("window never carries dead entries nor the target's own entry", () => {
  const b = board({ window: 8, deadAge: 10, dropAge: 100 });
  b.receive([entry(2, 0), entry(3, 9), entry(4, 1)]);
  b.tick("x"); // 3 reaches age 10
  const { message, events } = b.tick("x"); // 3 reaches 11 > deadAge
  deepEqual(events, [{ kind: "dead", id: 3 }]);
  ok(message !== null);
  const ids = message.entries.slice(1).map((e) => e.id);
  ok(!ids.includes(3));
  ok(!ids.includes(message.to));
  ok(!ids.includes(1));
});

Deno.test("ties between equal ages go to the latest arrival", () => {
  const b = board({ window: 1, policy: "uniform", random: () => 0 });
  b.addPeer(9);
  b.receive([entry(2, 3), entry(3, 3)]);
  const { message } = b.tick("x");
  deepEqual(message?.entries.slice(1), [entry(3, 4)]);
});

Deno.test("receive keeps the younger entry per node and ignores entries about self", () => {
  const b = board();
  b.receive([entry(2, 4, "old")]);
  b.receive([entry(2, 6, "older"), entry(1, 0, "not me")]);
  deepEqual(b.get(2), entry(2, 4, "old"));
  b.receive([entry(2, 1, "new")]);
  deepEqual(b.get(2), entry(2, 1, "new"));
  equal(b.get(1), undefined); // no own entry before the first tick
  b.tick("me");
  deepEqual(b.get(1), entry(1, 0, "me"));
  deepEqual(b.get(2), entry(2, 2, "new"));
});

Deno.test("receive reports a join once, for the first entry about a node", () => {
  const b = board();
  deepEqual(b.receive([entry(2, 1), entry(3, 2)]), [
    { kind: "join", id: 2 },
    { kind: "join", id: 3 },
  ]);
  deepEqual(b.receive([entry(2, 0)]), []);
  equal(b.status(2), "up");
  equal(b.status(7), "unknown");
});

Deno.test("a silent node is marked dead after deadAge and dropped after dropAge, each event once", () => {
  const b = board({ deadAge: 3, dropAge: 6 });
  b.addPeer(2);
  b.receive([entry(2, 0)]);
  const seen: string[] = [];
  for (let t = 1; t <= 10; t++) {
    for (const e of b.tick("x").events) seen.push(`${t}:${e.kind}:${e.id}`);
    if (t === 3) equal(b.status(2), "up");
    if (t === 4) equal(b.status(2), "dead");
  }
  deepEqual(seen, ["4:dead:2", "7:drop:2"]);
  equal(b.status(2), "unknown");
  equal(b.get(2), undefined);
});

Deno.test("a large dt can mark dead and drop in the same tick", () => {
  const b = board({ deadAge: 3, dropAge: 6 });
  b.receive([entry(2, 0)]);
  deepEqual(b.tick("x", 7).events, [
    { kind: "dead", id: 2 },
    { kind: "drop", id: 2 },
  ]);
});

Deno.test("a dead node revives only on news produced after the verdict", () => {
  const b = board({ deadAge: 3, dropAge: 20 });
  b.receive([entry(2, 0)]);
  for (let t = 0; t < 4; t++) b.tick("x");
  equal(b.status(2), "dead");
  // Produced 2 units ago: before the verdict of the last tick.
  deepEqual(b.receive([entry(2, 2)]), []);
  equal(b.status(2), "dead");
  b.tick("x");
  deepEqual(b.receive([entry(2, 0, "back")]), [{ kind: "revive", id: 2 }]);
  equal(b.status(2), "up");
  deepEqual(b.get(2), entry(2, 0, "back"));
});

Deno.test("markLeft marks dead at once and older news does not revive the node", () => {
  const b = board({ deadAge: 10, dropAge: 30 });
  b.receive([entry(2, 0), entry(3, 0)]);
  b.tick("x");
  deepEqual(b.markLeft(2), [{ kind: "dead", id: 2 }]);
  deepEqual(b.markLeft(2), []);
  equal(b.status(2), "dead");
  deepEqual(b.receive([entry(2, 0)]), []); // produced at the leave, not after
  b.tick("x");
  deepEqual(b.receive([entry(2, 0)]), [{ kind: "revive", id: 2 }]);
  deepEqual(b.markLeft(1), []);
});

Deno.test("markLeft of an unknown node keeps its stale entries from joining", () => {
  const b = board({ deadAge: 10, dropAge: 30 });
  b.tick("x");
  deepEqual(b.markLeft(5), []);
  deepEqual(b.receive([entry(5, 0)]), []);
  b.tick("x");
  deepEqual(b.receive([entry(5, 0)]), [{ kind: "join", id: 5 }]);
});

Deno.test("a dropped node does not come back through stale news but does through fresh news", () => {
  const b = board({ deadAge: 3, dropAge: 6 });
  b.receive([entry(2, 0)]);
  for (let t = 0; t < 7; t++) b.tick("x");
  equal(b.status(2), "unknown");
  deepEqual(b.receive([entry(2, 5)]), []); // older than deadAge
  deepEqual(b.receive([entry(2, 4)]), []); // produced before the verdict
  deepEqual(b.receive([entry(2, 0)]), [{ kind: "join", id: 2 }]);
});

Deno.test("news about an unknown node older than deadAge is ignored", () => {
  const b = board({ deadAge: 5, dropAge: 10 });
  deepEqual(b.receive([entry(2, 5), entry(3, 4.5)]), [{ kind: "join", id: 3 }]);
  equal(b.status(2), "unknown");
});

Deno.test("a newcomer given a whole board sizes deadAge for it and keeps every entry", () => {
  const b = new GossipBoard<string>({ self: 1, window: 16, random: () => 0 });
  const board200 = Array.from({ length: 200 }, (_, i) => entry(i + 2, i / 4));
  equal(b.receive(board200).length, 200);
  equal(b.entries().length, 200);
  equal(b.deadAge, defaultDeadAge(201, 16));
  ok(b.deadAge > 50);
});

Deno.test("seeds are targets before anything is heard, dead nodes are not", () => {
  const b = board({ deadAge: 2, dropAge: 50 });
  equal(b.tick("x").message, null);
  b.addPeer(7);
  b.addPeer(1); // self is never a peer
  equal(b.tick("x").message?.to, 7);
  deepEqual(b.peers(), [7]);
  b.receive([entry(7, 0)]);
  for (let t = 0; t < 3; t++) b.tick("x");
  equal(b.status(7), "dead");
  equal(b.tick("x").message, null);
  b.removePeer(7);
  deepEqual(b.peers(), []);
});

Deno.test("a static-map seed stays a peer after its entry is dropped", () => {
  const b = board({ deadAge: 2, dropAge: 4 });
  b.addPeer(7);
  b.receive([entry(7, 0)]);
  for (let t = 0; t < 5; t++) b.tick("x");
  equal(b.status(7), "unknown");
  deepEqual(b.peers(), [7]);
  equal(b.tick("x").message?.to, 7);
});

Deno.test("permutation policy sends to every peer once per round", () => {
  const b = board({ policy: "permutation" });
  const peers = [2, 3, 5, 8, 13];
  for (const p of peers) b.addPeer(p);
  for (let round = 0; round < 4; round++) {
    const got = peers.map(() => b.tick("x").message!.to);
    deepEqual([...got].sort((x, y) => x - y), peers);
  }
});

Deno.test("permutation policy skips a peer that died during the round", () => {
  const b = board({ policy: "permutation", deadAge: 100, dropAge: 200 });
  for (const p of [2, 3, 4]) b.addPeer(p);
  const first = b.tick("x").message!.to;
  const rest = [2, 3, 4].filter((p) => p !== first);
  b.receive([entry(rest[0], 0)]);
  b.markLeft(rest[0]);
  equal(b.tick("x").message!.to, rest[1]);
});

Deno.test("uniform policy maps the random draw onto the ascending peer list", () => {
  let r = 0;
  const b = board({ policy: "uniform", random: () => r });
  for (const p of [9, 4, 6]) b.addPeer(p);
  r = 0;
  equal(b.tick("x").message!.to, 4);
  r = 0.5;
  equal(b.tick("x").message!.to, 6);
  r = 0.99;
  equal(b.tick("x").message!.to, 9);
});

Deno.test("the same random source gives the same messages", () => {
  const run = () => {
    const b = board({ random: seededRandom(7), window: 3 });
    for (let p = 2; p < 12; p++) b.addPeer(p);
    const out = [];
    for (let t = 0; t < 30; t++) {
      b.receive([entry(2 + (t % 10), t % 4)]);
      out.push(b.tick(`t${t}`).message);
    }
    return out;
  };
  deepEqual(run(), run());
  const other = board({ random: seededRandom(8), window: 3 });
  for (let p = 2; p < 12; p++) other.addPeer(p);
  const targets = Array.from({ length: 30 }, () => other.tick("x").message!.to);
  notEqual(targets.join(), run().map((m) => m!.to).join());
});

Deno.test("entries lists the own entry first and dead entries too", () => {
  const b = board({ deadAge: 1, dropAge: 10 });
  b.receive([entry(2, 0), entry(3, 0)]);
  b.tick("me");
  b.receive([entry(3, 0)]);
  b.tick("me");
  deepEqual(b.entries(), [entry(1, 0, "me"), entry(2, 2), entry(3, 1)]);
  equal(b.status(2), "dead");
});

Deno.test("the default deadAge follows the most nodes ever known", () => {
  const b = new GossipBoard<string>({ self: 1, window: 4, random: () => 0 });
  equal(b.deadAge, defaultDeadAge(1, 4));
  for (let p = 2; p <= 40; p++) b.addPeer(p);
  equal(b.deadAge, defaultDeadAge(40, 4));
  b.receive([entry(50, 0)]);
  equal(b.deadAge, defaultDeadAge(41, 4));
  for (let p = 2; p <= 40; p++) b.removePeer(p);
  equal(b.deadAge, defaultDeadAge(41, 4)); // never shrinks
  equal(b.dropAge, 4 * b.deadAge);
});

Deno.test("defaultDeadAge grows with n, shrinks with w, and has a floor", () => {
  for (const policy of ["permutation", "uniform"] as const) {
    const { k, l, floor } = DEAD_AGE[policy];
    equal(defaultDeadAge(2, 16, policy), floor);
    ok(defaultDeadAge(64, 16, policy) < defaultDeadAge(256, 16, policy));
    ok(defaultDeadAge(256, 32, policy) < defaultDeadAge(256, 8, policy));
    equal(
      defaultDeadAge(1024, 16, policy),
      Math.ceil(k * expectedMaxAge(1024, 16) + l * 10),
    );
  }
});

Deno.test("the paper's formulas", () => {
  equal(expectedAverageAge(16, 8), 15 / 8);
  ok(Math.abs(expectedMaxAge(16, 8) - 15 * (Math.log(16) + 0.5772) / 8) < 1e-3);
});

Deno.test("shuffle permutes in place", () => {
  const a = [1, 2, 3, 4, 5, 6, 7, 8];
  const s = shuffle(a, seededRandom(3));
  equal(s, a);
  deepEqual([...s].sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8]);
});

Deno.test("the board rejects invalid options and dt", () => {
  throws(() => board({ window: 0 }), RangeError);
  throws(() => board({ window: 1.5 }), RangeError);
  throws(() => board({ deadAge: 0 }), RangeError);
  throws(() => board({ deadAge: 10, dropAge: 10 }), RangeError);
  throws(() => board().tick("x", -1), RangeError);
  throws(() => board().tick("x", Number.NaN), RangeError);
});

Deno.test("a node timed out is revived by news from the verdict's own unit", () => {
  const b = board({ deadAge: 3, dropAge: 30 });
  b.receive([entry(2, 0), entry(3, 0)]);
  let died = false;
  for (let t = 0; t < 5 && !died; t++) {
    b.receive([entry(3, 0)]);
    died = b.tick("x").events.some((e) => e.kind === "dead" && e.id === 2);
  }
  ok(died);
  // The node restarted at once: its announcement arrives before our next tick.
  deepEqual(b.receive([entry(2, 0)]), [{ kind: "revive", id: 2 }]);
});

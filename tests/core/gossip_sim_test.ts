import { deepEqual, equal, ok } from "node:assert/strict";
import {
  expectedAverageAge,
  expectedMaxAge,
  GossipBoard,
} from "../../core/gossip.ts";
import type { GossipEvent, GossipMessage } from "../../core/gossip.ts";
import {
  seededRandom,
  simulate,
  simulateBoards,
} from "../../core/gossip_sim.ts";

Deno.test("the fast engine and real boards give identical statistics", () => {
  for (const policy of ["permutation", "uniform"] as const) {
    for (const loss of [0, 0.1]) {
      const opts = { n: 12, window: 3, policy, units: 80, seed: 5, loss };
      const fast = simulate(opts);
      const ref = simulateBoards(opts);
      deepEqual(
        { ...fast, ageHist: [...fast.ageHist] },
        { ...ref, ageHist: [...ref.ageHist] },
      );
    }
  }
});

Deno.test("every node sends exactly one message per unit", () => {
  for (const policy of ["permutation", "uniform"] as const) {
    const s = simulate({ n: 40, window: 4, policy, units: 100 });
    equal(s.messages, 40 * 100);
    equal(s.msgsPerNodePerUnit, 1);
  }
});

Deno.test("n=16 w=8: max age within the paper's formula, average age above the one-message bound", () => {
  const s = simulate({ n: 16, window: 8, units: 2000, seed: 2 });
  ok(s.maxAge <= expectedMaxAge(16, 8), `max ${s.maxAge}`);
  // News reaches at most 1, 2, 4, 8 more nodes after 0, 1, 2, 3 units.
  ok(s.avgAge >= (0 * 1 + 1 * 2 + 2 * 4 + 3 * 8) / 15, `avg ${s.avgAge}`);
  ok(s.avgAge < 2 * expectedAverageAge(16, 8), `avg ${s.avgAge}`);
  ok(s.maxAgeCluster >= s.maxAge && s.maxAgeAbs >= s.maxAgeCluster);
});

Deno.test("n=256 w=8: average and max age within the paper's formulas", () => {
  const s = simulate({ n: 256, window: 8, units: 300, seed: 3 });
  ok(s.avgAge <= expectedAverageAge(256, 8), `avg ${s.avgAge}`);
  ok(s.maxAge <= expectedMaxAge(256, 8), `max ${s.maxAge}`);
});

Deno.test("the age histogram accounts for every sample and its mean is the average age", () => {
  const s = simulate({ n: 20, window: 4, units: 200 });
  const total = s.ageHist.reduce((a, b) => a + b, 0);
  equal(total, 20 * 19 * 200);
  const mean = s.ageHist.reduce((a, c, age) => a + c * age, 0) / total;
  ok(Math.abs(mean - s.avgAge) < 1e-9);
  equal(s.ageHist.length - 1, s.maxAgeAbs);
});

/** n boards with default dead ages, each seeded only with node 0. */
function cluster(n: number, w: number, seed: number) {
  const random = seededRandom(seed);
  const boards = Array.from(
    { length: n },
    (_, i) => new GossipBoard<number>({ self: i, window: w, random }),
  );
  for (const b of boards.slice(1)) b.addPeer(0);
  const events: { at: number; by: number; ev: GossipEvent }[] = [];
  const alive = new Set(boards.map((b) => b.self));
  let now = 0;
  const step = () => {
    now++;
    const sent: GossipMessage<number>[] = [];
    for (const b of boards) {
      if (!alive.has(b.self)) continue;
      const { message, events: evs } = b.tick(now);
      for (const ev of evs) events.push({ at: now, by: b.self, ev });
      if (message) sent.push(message);
    }
    for (const m of sent) {
      if (!alive.has(m.to)) continue;
      for (const ev of boards[m.to].receive(m.entries)) {
        events.push({ at: now, by: m.to, ev });
      }
    }
  };
  return { boards, events, alive, step, now: () => now };
}

Deno.test("boards that start knowing one seed learn everyone without a false dead", () => {
  const c = cluster(48, 4, 9);
  for (let t = 0; t < 400; t++) c.step();
  for (const b of c.boards) {
    equal(b.entries().length, 48);
  }
  deepEqual(c.events.filter((e) => e.ev.kind !== "join"), []);
  equal(c.events.length, 48 * 47);
});

Deno.test("a killed node is marked dead by every board within deadAge + 1 units, once, then dropped", () => {
  const c = cluster(24, 4, 4);
  for (let t = 0; t < 300; t++) c.step();
  const killedAt = c.now();
  c.alive.delete(7);
  const deadAge = c.boards[0].deadAge;
  const dropAge = c.boards[0].dropAge;
  while (c.now() < killedAt + dropAge + 2) c.step();
  const about7 = c.events.filter((e) => e.ev.id === 7 && e.at > killedAt);
  const dead = about7.filter((e) => e.ev.kind === "dead");
  const drop = about7.filter((e) => e.ev.kind === "drop");
  equal(dead.length, 23);
  equal(drop.length, 23);
  equal(new Set(dead.map((e) => e.by)).size, 23);
  ok(dead.every((e) => e.at - killedAt <= deadAge + 1), `deadAge ${deadAge}`);
  ok(drop.every((e) => e.at - killedAt <= dropAge + 1));
  deepEqual(
    about7.filter((e) => e.ev.kind === "revive" || e.ev.kind === "join"),
    [],
  );
  const others = c.events.filter((e) => e.ev.id !== 7 && e.ev.kind !== "join");
  deepEqual(others, []);
});

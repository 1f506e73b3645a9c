import { deepEqual, equal, ok } from "node:assert/strict";
import { BalancerLoop, parsePlaceRequest } from "../../daemon/balancer_loop.ts";
import type { GuestHost } from "../../daemon/guest_host.ts";
import { memoryLogger } from "../../daemon/log.ts";
import { placeNew } from "../../core/balance.ts";
import type { NodeView } from "../../core/node_info.ts";
import { seededRandom } from "../../core/gossip_sim.ts";
import { listenProcSocket, procSocketPath } from "../../core/proc_socket.ts";

const GiB = 2 ** 30;

function view(id: number, over: Partial<NodeView> = {}): NodeView {
  return {
    id,
    address: `10.0.0.${id}`,
    status: "up",
    load: 0,
    speed: 10000,
    cpus: 0.4,
    memTotal: 8 * GiB,
    memFree: 8 * GiB,
    memRaw: 8 * GiB,
    util: 0,
    age: 1,
    self: id === 1,
    ...over,
  };
}

/** A balancer of node 1 in a 4-node view, with no guests. */
function loop(runDir: string, alive: (pid: number) => boolean = () => true) {
  const lines: string[] = [];
  const b = new BalancerLoop({
    self: () => 1,
    views: () => [1, 2, 3, 4].map((id) => view(id)),
    runDir,
    guests: { guests: () => [], move: () => {} } as unknown as GuestHost,
    log: memoryLogger(lines),
    random: seededRandom(7),
    alive,
  });
  return { b, lines };
}

Deno.test("place spreads processes started together and keeps a share home", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { b, lines } = loop(dir);
    const to = Array.from({ length: 8 }, (_, i) => b.place({ pid: 100 + i }));
    equal(to.filter((t) => t === null).length, 2);
    for (const id of [2, 3, 4]) equal(to.filter((t) => t === id).length, 2);
    equal(lines.filter((l) => /starting \d+ on/.test(l)).length, 6);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("place keeps everything home when balancing is off", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { b } = loop(dir);
    b.enabled = false;
    for (let i = 0; i < 8; i++) equal(b.place({ pid: 100 + i }), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a placement whose mosrun ended before leaving stops counting at the next round", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dead = new Set<number>();
    const { b } = loop(dir, (pid) => !dead.has(pid));
    // Home full (one kept), then one sent to each other node.
    const first = [0, 1, 2, 3].map((i) => b.place({ pid: 100 + i }));
    deepEqual(first.filter((t) => t !== null).sort(), [2, 3, 4]);
    // The mosruns sent to nodes 2 and 3 die before their processes left.
    for (const [i, t] of first.entries()) {
      if (t === 2 || t === 3) dead.add(100 + i);
    }
    await b.round();
    // Nodes 2 and 3 are idle again: the next two starts go there.
    const next = [4, 5].map((i) => b.place({ pid: 100 + i }));
    deepEqual(next.sort(), [2, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a placed process seen at its target counts there until the gossip shows it", async () => {
  const dir = await Deno.makeTempDir();
  const socks = [];
  try {
    const { b } = loop(dir);
    b.place({ pid: 200 });
    const to = b.place({ pid: 201 });
    ok(to !== null);
    // Its mosrun reports it running on the target.
    socks.push(
      await listenProcSocket(procSocketPath(dir, 201), (op) => {
        if (op !== "status") throw new Error("unexpected");
        return Promise.resolve({ pid: 201, where: to, stat: "R" });
      }),
    );
    const t0 = Date.now();
    await b.round(t0);
    // Within the settle time the target still counts it: others go elsewhere.
    const soon = [202, 203].map((pid) => b.place({ pid }, t0 + 500));
    ok(!soon.includes(to), `${soon} vs ${to}`);
    // Much later, with the gossip (load 0 in the view) trusted again, the
    // target is idle like the others.
    const later = new Set(
      Array.from(
        { length: 12 },
        (_, i) => b.place({ pid: 300 + i }, t0 + 50_000),
      ),
    );
    ok(later.has(to));
  } finally {
    for (const s of socks) await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parsePlaceRequest accepts a PID and optional memory, nothing else", () => {
  deepEqual(parsePlaceRequest({ pid: 5 }), { pid: 5, needBytes: undefined });
  deepEqual(parsePlaceRequest({ pid: 5, needBytes: 1024 }), {
    pid: 5,
    needBytes: 1024,
  });
  for (
    const bad of [
      undefined,
      null,
      7,
      { pid: 0 },
      { pid: -3 },
      { pid: 1.5 },
      { pid: "5" },
      { pid: 5, needBytes: -1 },
      { pid: 5, needBytes: "x" },
    ]
  ) equal(parsePlaceRequest(bad), null);
});

Deno.test("when an own process away ends, the next round's placement sees its node free", async () => {
  const dir = await Deno.makeTempDir();
  const socks = new Map<number, { close(): Promise<void> }>();
  try {
    const dead = new Set<number>();
    const lines: string[] = [];
    // Node 2 reports one process (ours), node 3 and 4 two each, home full.
    const loads: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2 };
    const b = new BalancerLoop({
      self: () => 1,
      views: () => [1, 2, 3, 4].map((id) => view(id, { load: loads[id] })),
      runDir: dir,
      guests: { guests: () => [], move: () => {} } as unknown as GuestHost,
      log: memoryLogger(lines),
      random: seededRandom(3),
      alive: (pid) => !dead.has(pid),
    });
    socks.set(
      500,
      await listenProcSocket(
        procSocketPath(dir, 500),
        () => Promise.resolve({ pid: 500, where: 2, stat: "R" }),
      ),
    );
    const t0 = Date.now();
    await b.round(t0);
    // Our process on node 2 ends; the gossip does not know yet.
    await socks.get(500)!.close();
    socks.delete(500);
    dead.add(500);
    await b.round(t0 + 1000);
    // Node 2 is idle now (0 + 1), better than home (1 + 1).
    equal(b.place({ pid: 601 }, t0 + 1100), 2);
    // Had it not ended, node 2 (1 + 1) would be no better than home.
    equal(
      placeNew({
        self: 1,
        now: t0 + 1100,
        nodes: [1, 2, 3, 4].map((id) => view(id, { load: loads[id] })),
        runningHere: 0,
        startingHere: 0,
      }, seededRandom(3)),
      null,
    );
  } finally {
    for (const s of socks.values()) await s.close();
    await Deno.remove(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { seededRandom } from "../../core/gossip_sim.ts";
import {
  ClusterNode,
  type GossipData,
  validEntries,
} from "../../core/cluster_node.ts";
import { DatagramCodec } from "../../core/datagram_codec.ts";
import { MemoryNetwork } from "../../core/memory_transport.ts";
import type { DatagramTransport } from "../../core/transport.ts";
import type { LoadSample } from "../../core/load.ts";
import type { MapNode } from "../../core/map.ts";

const KEY = new TextEncoder().encode("0123456789abcdef0123456789abcdef");
const PORT = 4660;

const SAMPLE: LoadSample = {
  load: 0.5,
  cpus: 2,
  speed: 10000,
  memTotal: 8e9,
  memFree: 4e9,
  memRaw: 1e9,
  util: 0.25,
};

interface SimNode {
  node: ClusterNode;
  codec: DatagramCodec;
  net: DatagramTransport;
  log: string[];
  addr: string;
}

/** n nodes on an in-memory network, driven on a virtual clock. */
class Sim {
  readonly net = new MemoryNetwork();
  readonly nodes: SimNode[] = [];
  now = 1_700_000_000_000;
  #loops: Promise<void>[] = [];

  constructor(n: number, opts: { map?: boolean; deadAfter?: number } = {}) {
    const random = seededRandom(7);
    const map: MapNode[] = Array.from(
      { length: n },
      (_, i) => ({ id: i + 1, ip: `10.0.0.${i + 1}`, aliases: [] }),
    );
    for (let i = 0; i < n; i++) {
      this.add(
        i + 1,
        `10.0.0.${i + 1}`,
        random,
        opts.map ? map : null,
        opts.deadAfter,
      );
    }
  }

  add(
    id: number,
    addr: string,
    random: () => number,
    map: MapNode[] | null,
    deadAfter?: number,
    key = KEY,
  ): SimNode {
    const node = new ClusterNode({
      self: id,
      addr,
      port: PORT,
      window: 4,
      unit: 1,
      random,
      deadAfter,
    });
    if (map) node.setMap(map);
    const codec = new DatagramCodec(key, () => id, id * 1000);
    const sn: SimNode = {
      node,
      codec,
      net: this.net.attach(addr, PORT),
      log: [],
      addr,
    };
    this.nodes.push(sn);
    this.#loops.push((async () => {
      for await (const [bytes, from] of sn.net.receive()) {
        const o = sn.codec.open(bytes, this.now);
        if (!o.ok) {
          sn.log.push(`drop ${o.reason}`);
          continue;
        }
        const step = node.receive(
          o.env.type,
          o.env.from,
          o.env.body,
          from.addr,
        );
        sn.log.push(...step.log);
        this.#send(sn, step.out);
      }
    })());
    return sn;
  }

  #send(sn: SimNode, out: ReturnType<ClusterNode["tick"]>["out"]): void {
    for (const o of out) {
      const bytes = sn.codec.seal(o.type, o.body, this.now);
      if (o.to === "multicast") sn.net.sendMulticast(bytes);
      else sn.net.send(bytes, o.to);
    }
  }

  /** Advance `units` time units, letting every message arrive within its unit. */
  async run(units: number, skip = new Set<number>()): Promise<void> {
    for (let u = 0; u < units; u++) {
      this.now += 1000;
      for (const sn of this.nodes) {
        if (skip.has(sn.node.self)) continue;
        const step = sn.node.tick(SAMPLE);
        sn.log.push(...step.log);
        this.#send(sn, step.out);
      }
      for (let k = 0; k < 5; k++) await new Promise((r) => setTimeout(r, 0));
    }
  }

  live(i: number): number[] {
    return this.nodes[i].node.views().filter((v) => v.status !== "dead").map((
      v,
    ) => v.id);
  }

  async close(): Promise<void> {
    for (const sn of this.nodes) sn.net.close();
    await Promise.all(this.#loops);
  }
}

Deno.test("multicast hellos let 8 nodes know each other within a few units", async () => {
  const sim = new Sim(8);
  await sim.run(3);
  for (let i = 0; i < 8; i++) {
    assert.deepEqual(sim.live(i), [1, 2, 3, 4, 5, 6, 7, 8]);
  }
  const v = sim.nodes[0].node.views().find((x) => x.id === 5)!;
  assert.equal(v.address, "10.0.0.5");
  assert.equal(v.memFree, 4e9);
  assert(v.age <= 3);
  await sim.close();
});

Deno.test("a static map brings nodes together without multicast", async () => {
  const sim = new Sim(6, { map: true });
  await sim.run(12);
  for (let i = 0; i < 6; i++) assert.deepEqual(sim.live(i), [1, 2, 3, 4, 5, 6]);
  await sim.close();
});

Deno.test("map nodes never heard from are listed dead with age -1", () => {
  const n = new ClusterNode({
    self: 1,
    addr: "10.0.0.1",
    port: PORT,
    window: 4,
    unit: 1,
    random: seededRandom(1),
  });
  n.setMap([{ id: 1, ip: "10.0.0.1", aliases: [] }, {
    id: 9,
    ip: "10.0.0.9",
    aliases: [],
  }]);
  const v = n.views();
  assert.deepEqual(v.map((x) => [x.id, x.status, x.age]), [[1, "up", 0], [
    9,
    "dead",
    -1,
  ]]);
});

Deno.test("a silent node is marked dead after the bound, and revives when it speaks", async () => {
  const sim = new Sim(5, { deadAfter: 6 });
  await sim.run(4);
  assert.deepEqual(sim.live(0), [1, 2, 3, 4, 5]);
  sim.net.setCut("10.0.0.5", true);
  await sim.run(12, new Set([5]));
  for (let i = 0; i < 4; i++) assert.deepEqual(sim.live(i), [1, 2, 3, 4]);
  assert(sim.nodes[0].log.some((l) => l.includes("0x0005 is dead")));
  sim.net.setCut("10.0.0.5", false);
  await sim.run(10);
  for (let i = 0; i < 4; i++) assert.deepEqual(sim.live(i), [1, 2, 3, 4, 5]);
  assert(sim.nodes[0].log.some((l) => l.includes("0x0005 is back")));
  await sim.close();
});

Deno.test("a leave is seen at once", async () => {
  const sim = new Sim(4);
  await sim.run(3);
  const step = sim.nodes[3].node.leave();
  for (const o of step.out) {
    const b = sim.nodes[3].codec.seal(o.type, o.body, sim.now);
    if (o.to === "multicast") sim.nodes[3].net.sendMulticast(b);
    else sim.nodes[3].net.send(b, o.to);
  }
  await new Promise((r) => setTimeout(r, 0));
  for (let i = 0; i < 3; i++) assert.deepEqual(sim.live(i), [1, 2, 3]);
  assert(sim.nodes[3].node.isOff);
  await sim.close();
});

Deno.test("a node with another key is never admitted", async () => {
  const sim = new Sim(3);
  const stranger = sim.add(
    40,
    "10.0.0.40",
    seededRandom(3),
    null,
    undefined,
    new TextEncoder().encode("another-key-another-key-another!!"),
  );
  await sim.run(5);
  for (let i = 0; i < 3; i++) assert.deepEqual(sim.live(i), [1, 2, 3]);
  assert.deepEqual(stranger.node.views().map((v) => v.id), [40]);
  assert(sim.nodes[0].log.includes("drop mac"));
  await sim.close();
});

Deno.test("with a map, nodes outside it are ignored and logged once", async () => {
  const sim = new Sim(3, { map: true });
  const outsider = sim.add(77, "10.0.0.77", seededRandom(5), [{
    id: 1,
    ip: "10.0.0.1",
    aliases: [],
  }, { id: 77, ip: "10.0.0.77", aliases: [] }]);
  await sim.run(10);
  assert.deepEqual(sim.live(0), [1, 2, 3]);
  assert.equal(
    sim.nodes[0].log.filter((l) => l.includes("not in the map")).length,
    1,
  );
  assert(outsider.node.views().length >= 1);
  await sim.close();
});

Deno.test("validEntries rejects malformed gossip", () => {
  const d: GossipData = {
    addr: "10.0.0.1",
    port: 4660,
    load: 1,
    speed: 10000,
    cpus: 1,
    memTotal: 1,
    memFree: 1,
    memRaw: 1,
    util: 0.5,
    blocked: false,
  };
  assert.equal(
    validEntries({ entries: [{ id: 1, age: 0, data: d }] })?.length,
    1,
  );
  for (
    const bad of [
      null,
      { entries: "x" },
      { entries: [{ id: 0, age: 0, data: d }] },
      { entries: [{ id: 1, age: -1, data: d }] },
      { entries: [{ id: 1, age: 0, data: { ...d, addr: "nope" } }] },
      { entries: [{ id: 1, age: 0, data: { ...d, util: 2 } }] },
      { entries: [{ id: 1, age: 0, data: { ...d, load: NaN } }] },
      { entries: new Array(5000).fill({ id: 1, age: 0, data: d }) },
    ]
  ) {
    assert.equal(validEntries(bad), null, JSON.stringify(bad)?.slice(0, 80));
  }
});

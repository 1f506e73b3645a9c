/**
 * Routers of several nodes wired by an in-memory network with random
 * delays: messages find receivers that move between nodes, in order and
 * exactly once; homes answer for their processes.
 */

import assert from "node:assert/strict";
import type { DicomAddr } from "../../../core/dicom/address.ts";
import { DicomEndpoint } from "../../../core/dicom/endpoint.ts";
import {
  DEFAULT_LIMITS,
  deliverReplyFrom,
  type DicomMessage,
  messageFromWire,
} from "../../../core/dicom/message.ts";
import { DicomRouter } from "../../../core/dicom/router.ts";
import { seededRandom } from "../../../core/gossip_sim.ts";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nodes 1..n, each with a router; `hints` is what gossip says. */
function network(n: number, seed: number) {
  const rnd = seededRandom(seed);
  const routers = new Map<number, DicomRouter>();
  const hints = new Map<string, number>();
  const sent: { from: number; to: number; type: string }[] = [];
  for (let id = 1; id <= n; id++) {
    routers.set(
      id,
      new DicomRouter({
        self: () => id,
        request: async (node, type, body) => {
          sent.push({ from: id, to: node, type });
          await sleep(Math.floor(rnd() * 3));
          const r = routers.get(node)!;
          if (type === "dicom.locate") return r.locate(Number(body.pid));
          if (type === "dicom.batch") {
            const ms = (body.msgs as unknown[]).map((x) =>
              messageFromWire(x, DEFAULT_LIMITS.maxMessage)!
            );
            const rs = ms.map((m) => r.deliverHere(m));
            const results = await Promise.all(rs);
            await sleep(Math.floor(rnd() * 3));
            return { results };
          }
          const m = messageFromWire(body.msg, DEFAULT_LIMITS.maxMessage)!;
          const reply = await r.deliverHere(m);
          await sleep(Math.floor(rnd() * 3));
          return reply;
        },
        gossipHint: (a) => hints.get(`${a.home}:${a.pid}`),
        sleep,
        now: () => Date.now(),
      }),
    );
  }
  return { routers, hints, sent, rnd };
}

function endpointOn(
  net: ReturnType<typeof network>,
  node: number,
  addr: DicomAddr,
  state?: ReturnType<DicomEndpoint["leave"]>,
) {
  const r = net.routers.get(node)!;
  const ep = new DicomEndpoint(addr, {
    route: (m: DicomMessage) => r.route(m),
    routeMany: (ms: DicomMessage[]) => r.routeMany(ms),
    sleep,
    random: net.rnd,
    limits: DEFAULT_LIMITS,
  }, state);
  r.registerGuest(addr, ep);
  return ep;
}

Deno.test("messages reach a receiver that moves between nodes, in order and exactly once", async () => {
  const net = network(3, 11);
  const S = { home: 1, pid: 100 };
  const R = { home: 1, pid: 200 };
  const home = net.routers.get(1)!;
  const homeSink = { deliver: () => ({ r: "moved" as const }) };
  home.attachHome(100, homeSink);
  home.attachHome(200, homeSink);
  home.setWhere(100, 2);
  home.setWhere(200, 3);
  const s = endpointOn(net, 2, S);
  let r = endpointOn(net, 3, R);
  let rNode = 3;
  const N = 300;
  const got: number[] = [];
  let moving = false;
  let writing = true;
  let movedMidStream = 0;
  const reader = (async () => {
    while (got.length < N) {
      if (moving) {
        await sleep(1);
        continue;
      }
      const res = await r.read("mbox", 0, 16);
      if (res.interrupted) continue;
      assert.equal(res.errno, 0);
      got.push(
        new DataView(res.data!.buffer, res.data!.byteOffset).getUint32(0),
      );
    }
  })();
  const writer = (async () => {
    for (let i = 0; i < N; i++) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, i);
      const w = await s.write("to/1/200", 0, b);
      assert.equal(w.errno, 0);
      if (i % 7 === 0) await sleep(1);
    }
    writing = false;
  })();
  // Move the receiver a few times while the stream runs.
  for (const to of [1, 2, 3, 2, 1, 3]) {
    await sleep(15);
    moving = true;
    home.setWhere(200, "moving");
    r.interruptBlocked();
    const state = r.leave([]);
    net.routers.get(rNode)!.unregisterGuest(R, r);
    await sleep(3);
    r = endpointOn(net, to, R, state);
    rNode = to;
    home.setWhere(200, to);
    moving = false;
    if (writing) movedMidStream++;
  }
  await writer;
  await reader;
  assert.deepEqual(got, Array.from({ length: N }, (_, i) => i));
  assert(movedMidStream >= 2, `only ${movedMidStream} moves during the stream`);
  assert(
    net.sent.some((x) => x.type === "dicom.batch"),
    "no batch was sent: the test shows less than it says",
  );
});

Deno.test("a gossip hint takes a message straight to the receiver's node; a stale one falls back to the home", async () => {
  const net = network(4, 5);
  const R = { home: 1, pid: 7 };
  const home = net.routers.get(1)!;
  home.attachHome(7, { deliver: () => ({ r: "moved" as const }) });
  home.setWhere(7, 3);
  const r = endpointOn(net, 3, R);
  net.hints.set("1:7", 3);
  const m = (seq: number): DicomMessage => ({
    to: R,
    from: { home: 2, pid: 9 },
    chan: 1,
    seq,
    data: new Uint8Array([seq]),
  });
  assert.deepEqual(await net.routers.get(2)!.route(m(1)), { r: "ok" });
  assert.deepEqual(net.sent.map((x) => [x.to, x.type]), [[3, "dicom.msg"]]);
  // Gossip says node 2 hosts it, but it is on 3: node 2 refuses, the home
  // says where.
  net.hints.set("1:7", 2);
  net.sent.length = 0;
  assert.deepEqual(await net.routers.get(4)!.route(m(2)), { r: "ok" });
  assert.deepEqual(net.sent.map((x) => x.to), [2, 1, 3]);
  assert.equal(r.waiting, 2);
  // Learned: the next one goes straight there.
  net.sent.length = 0;
  assert.deepEqual(await net.routers.get(4)!.route(m(3)), { r: "ok" });
  assert.deepEqual(net.sent.map((x) => x.to), [3]);
});

Deno.test("the home answers gone for a process it does not have, and routing says so", async () => {
  const net = network(2, 3);
  const msg: DicomMessage = {
    to: { home: 1, pid: 4242 },
    from: { home: 2, pid: 1 },
    chan: 1,
    seq: 1,
    data: new Uint8Array(100 * 1024),
  };
  assert.deepEqual(net.routers.get(1)!.locate(4242), { gone: true });
  // A large message asks where first: the data never goes to the home.
  assert.deepEqual(await net.routers.get(2)!.route(msg), { r: "gone" });
  assert.deepEqual(net.sent.map((x) => x.type), ["dicom.locate"]);
  assert.deepEqual(
    deliverReplyFrom(await net.routers.get(1)!.deliverHere(msg)),
    { r: "gone" },
  );
});

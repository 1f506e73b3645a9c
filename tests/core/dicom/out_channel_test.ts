import assert from "node:assert/strict";
import { Mailbox } from "../../../core/dicom/mailbox.ts";
import type { DicomMessage, RouteResult } from "../../../core/dicom/message.ts";
import { OutChannel } from "../../../core/dicom/out_channel.ts";
import { seededRandom } from "../../../core/gossip_sim.ts";

const FROM = { home: 1, pid: 10 };
const TO = { home: 2, pid: 20 };
const fresh = { to: TO, chan: 5, nextSeq: 1, pending: [], open: false };
const tick = () => new Promise((r) => setTimeout(r, 0));

function bytes(n: number, fill = 0): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

Deno.test("OutChannel sends a new channel's first message alone, then pipelines", async () => {
  const sent: number[] = [];
  const answers: ((r: RouteResult) => void)[] = [];
  const ch = new OutChannel(FROM, fresh, 1000, {
    route: (m) => {
      sent.push(m.seq);
      return new Promise((r) => answers.push(r));
    },
    sleep: () => Promise.resolve(),
  });
  ch.push(bytes(1));
  ch.push(bytes(1));
  ch.push(bytes(1));
  assert.deepEqual(sent, [1]);
  answers[0]({ r: "ok" });
  await tick();
  assert.deepEqual(sent, [1, 2, 3]);
  assert.equal(ch.open, true);
});

Deno.test("OutChannel window: no room past the window until answers come", async () => {
  const answers: ((r: RouteResult) => void)[] = [];
  const ch = new OutChannel(FROM, { ...fresh, open: true }, 10, {
    route: () => new Promise((r) => answers.push(r)),
    sleep: () => Promise.resolve(),
  });
  ch.push(bytes(6));
  assert.equal(ch.hasRoom(4), true);
  assert.equal(ch.hasRoom(5), false);
  ch.push(bytes(4));
  let room = false;
  ch.whenRoom().then(() => room = true);
  answers[0]({ r: "ok" });
  await tick();
  assert.equal(room, true);
  assert.equal(ch.bytes, 4);
});

Deno.test("OutChannel goes back after a gap and the receiver ends with every message once, in order", async () => {
  const box = new Mailbox(1 << 20);
  const rnd = seededRandom(42);
  let gaps = 0;
  // A path that delays messages at random, so later ones overtake earlier ones.
  const route = async (m: DicomMessage): Promise<RouteResult> => {
    await new Promise((r) => setTimeout(r, Math.floor(rnd() * 4)));
    const r = await box.deliver(m);
    if (r.r === "ok" || r.r === "dup") return { r: "ok" };
    if (r.r === "gap") {
      gaps++;
      return r;
    }
    return { r: "unreachable", why: r.r };
  };
  const ch = new OutChannel(FROM, fresh, 1 << 20, {
    route,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  const results = [];
  for (let i = 1; i <= 40; i++) results.push(ch.push(bytes(1, i), true));
  await Promise.all(results);
  await ch.whenIdle();
  const got: number[] = [];
  for (let l = box.take(); l; l = box.take()) got.push(l.data[0]);
  assert.deepEqual(got, Array.from({ length: 40 }, (_, i) => i + 1));
  assert(gaps > 0, "the path never reordered: the test shows nothing");
});

Deno.test("OutChannel fails every message when the receiver is gone", async () => {
  const ch = new OutChannel(FROM, fresh, 100, {
    route: () => Promise.resolve({ r: "gone" }),
    sleep: () => Promise.resolve(),
  });
  const a = ch.push(bytes(1), true);
  const b = ch.push(bytes(1), true);
  assert.deepEqual(await a, { r: "gone" });
  assert.deepEqual(await b, { r: "gone" });
  assert.equal(ch.failure?.kind, "gone");
  assert.equal(ch.length, 0);
});

Deno.test("OutChannel stop hands over the unanswered messages and ignores late answers", async () => {
  let answer!: (r: RouteResult) => void;
  const ch = new OutChannel(FROM, { ...fresh, open: true }, 100, {
    route: () => new Promise((r) => answer = r),
    sleep: () => Promise.resolve(),
  });
  ch.push(bytes(2, 1));
  ch.push(bytes(2, 2));
  const s = ch.stop();
  assert.deepEqual(s.pending.map((p) => p.seq), [1, 2]);
  assert.equal(s.nextSeq, 3);
  answer({ r: "ok" });
  await tick();
  assert.equal(ch.length, 2);
});

Deno.test("OutChannel sends messages written while sends are under way together, in order", async () => {
  const calls: number[][] = [];
  const answers: (() => void)[] = [];
  const ch = new OutChannel(FROM, { ...fresh, open: true }, 1 << 20, {
    route: (m) => {
      calls.push([m.seq]);
      return new Promise((r) => answers.push(() => r({ r: "ok" })));
    },
    routeMany: (ms) => {
      calls.push(ms.map((m) => m.seq));
      return new Promise((r) =>
        answers.push(() => r(ms.map(() => ({ r: "ok" }))))
      );
    },
    sleep: () => Promise.resolve(),
  });
  for (let i = 0; i < 6; i++) ch.push(bytes(10));
  // Two sends at once; the other four wait and then go as one batch.
  assert.deepEqual(calls, [[1], [2]]);
  answers[0]();
  await tick();
  assert.deepEqual(calls, [[1], [2], [3, 4, 5, 6]]);
  answers[1]();
  answers[2]();
  await ch.whenIdle();
  assert.equal(ch.length, 0);
});

Deno.test("OutChannel releases a message's bytes once accepted elsewhere, not when taken in this process", async () => {
  const released: Uint8Array[] = [];
  const answers: ((r: RouteResult) => void)[] = [];
  const ch = new OutChannel(FROM, { ...fresh, open: true }, 1000, {
    route: () => new Promise((r) => answers.push(r)),
    sleep: () => Promise.resolve(),
    release: (d) => released.push(d),
  });
  const far = bytes(3, 1), near = bytes(3, 2);
  ch.push(far);
  ch.push(near);
  answers[0]({ r: "ok" });
  answers[1]({ r: "ok", local: true });
  await tick();
  assert.equal(ch.length, 0);
  assert.deepEqual(released, [far]);
});

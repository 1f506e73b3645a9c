import assert from "node:assert/strict";
import { DicomEndpoint } from "../../../core/dicom/endpoint.ts";
import type { DicomMessage, RouteResult } from "../../../core/dicom/message.ts";
import { DEFAULT_LIMITS } from "../../../core/dicom/message.ts";
import { Fdflags } from "../../../core/wasi/constants.ts";
import { Errno } from "../../../core/wasi/errno.ts";
import type { DeputyResponse } from "../../../core/wasi/protocol.ts";

const A = { home: 1, pid: 10 };
const B = { home: 2, pid: 20 };
const TO_B = "to/2/20";
const NONBLOCK = Fdflags.NONBLOCK;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const text = (s: string) => new TextEncoder().encode(s);
const str = (r: DeputyResponse) => new TextDecoder().decode(r.data);

/** Two endpoints wired to each other directly (a lossless network). */
function pair(limits = DEFAULT_LIMITS) {
  const eps: Record<number, DicomEndpoint> = {};
  const route = async (m: DicomMessage): Promise<RouteResult> => {
    const r = await eps[m.to.pid].deliver(m);
    if (r.r === "ok" || r.r === "dup") return { r: "ok" };
    if (r.r === "gap") return r;
    return r.r === "gone" ? r : { r: "unreachable", why: r.r };
  };
  const deps = { route, sleep, random: Math.random, limits };
  eps[10] = new DicomEndpoint(A, deps);
  eps[20] = new DicomEndpoint(B, deps);
  return { a: eps[10], b: eps[20], eps, deps };
}

Deno.test("DicomEndpoint: a full mailbox and window block the writer; nothing is dropped", async () => {
  const { a, b } = pair({ maxMessage: 100, mailboxBytes: 30, sendWindow: 30 });
  let written = 0;
  const writer = (async () => {
    for (let i = 0; i < 20; i++) {
      const r = await a.write(TO_B, 0, new Uint8Array(10).fill(i));
      assert.equal(r.errno, 0);
      written++;
    }
  })();
  await sleep(30);
  // The mailbox holds 3, three more wait at it, three more in the window.
  assert(written < 20 && written >= 3, `written ${written}`);
  assert.equal(b.waiting, 3);
  const nb = await a.write(TO_B, NONBLOCK, new Uint8Array(10));
  assert.equal(nb.errno, Errno.AGAIN);
  const got: number[] = [];
  while (got.length < 20) {
    const r = await b.read("mbox", 0, 64);
    assert.equal(r.errno, 0);
    got.push(r.data![0]);
  }
  await writer;
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => i));
});

Deno.test("DicomEndpoint: a blocked read is cut short by a freeze and did nothing", async () => {
  const { a, b } = pair();
  const blocked = b.read("mbox", 0, 64);
  assert(blocked instanceof Promise);
  b.interruptBlocked();
  assert.deepEqual(await blocked, { errno: 0, interrupted: true });
  // Until blocking is allowed again, a read that would block answers at once.
  assert.deepEqual(await b.read("mbox", 0, 64), {
    errno: 0,
    interrupted: true,
  });
  b.allowBlocking();
  await a.write(TO_B, 0, text("hi"));
  assert.equal(str(await b.read("mbox", 0, 64)), "hi");
});

Deno.test("DicomEndpoint: a message larger than one chunk is read in parts with `more`", async () => {
  const { a, b } = pair();
  const big = new Uint8Array(10).map((_, i) => i);
  // Written in two pieces, as guest_imports sends a write larger than a chunk.
  assert.deepEqual(await a.write(TO_B, 0, big.subarray(0, 6), 0, 10), {
    errno: 0,
    n: 6,
  });
  assert.equal((await a.write(TO_B, 0, big.subarray(6), 6, 10)).n, 4);
  assert.equal(b.statSize("mbox"), 10);
  assert.equal((await b.read("mbox", 0, 4, 8)).errno, Errno.MSGSIZE);
  const r1 = await b.read("mbox", 0, 4, 10);
  assert.deepEqual([...r1.data!], [0, 1, 2, 3]);
  assert.equal(r1.more, true);
  const r2 = await b.read("mbox", 0, 4, 6);
  const r3 = await b.read("mbox", 0, 4, 2);
  assert.deepEqual([...r2.data!, ...r3.data!], [4, 5, 6, 7, 8, 9]);
  assert.equal(r3.more, undefined);
  assert.equal(b.waiting, 0);
});

Deno.test("DicomEndpoint: too large a message fails whole with EMSGSIZE; the sender is named by `from`", async () => {
  const { a, b } = pair({ ...DEFAULT_LIMITS, maxMessage: 8 });
  assert.deepEqual(await a.write(TO_B, 0, new Uint8Array(9)), {
    errno: Errno.MSGSIZE,
    whole: true,
  });
  assert.equal(str(await b.read("from", 0, 64)), "");
  await a.write(TO_B, 0, text("x"));
  await b.read("mbox", 0, 64);
  assert.equal(str(await b.read("from", 0, 64)), "1 10\n");
  assert.equal(str(await b.read("self", 0, 64)), "2 20\n");
});

Deno.test("DicomEndpoint: state taken along by leave continues elsewhere in order", async () => {
  const { a, b, eps, deps } = pair();
  await a.write(TO_B, 0, text("one"));
  await a.write(TO_B, 0, text("two"));
  assert.equal(str(await b.read("mbox", 0, 64)), "one");
  // B moves: its mailbox state goes along; messages meanwhile are refused.
  const state = b.leave([]);
  assert.deepEqual(
    await b.deliver({
      to: B,
      from: A,
      chan: 1,
      seq: 1,
      data: text("late"),
    }),
    { r: "moved" },
  );
  const b2 = new DicomEndpoint(B, deps, state);
  eps[20] = b2;
  await a.write(TO_B, 0, text("three"));
  assert.equal(str(await b2.read("mbox", 0, 64)), "two");
  assert.equal(str(await b2.read("mbox", 0, 64)), "three");
  assert.equal(str(await b2.read("from", 0, 64)), "1 10\n");
});

Deno.test("DicomEndpoint: writing to a process that is gone gives ESRCH, now and later", async () => {
  const { a, b } = pair();
  b.close();
  assert.deepEqual(await a.write(TO_B, 0, text("x")), {
    errno: Errno.SRCH,
    whole: true,
  });
  assert.equal((await a.write(TO_B, 0, text("y"))).errno, Errno.SRCH);
});

Deno.test("DicomEndpoint: a process may write to itself", async () => {
  const { a } = pair();
  assert.equal((await a.write("to/1/10", 0, text("me"))).errno, 0);
  assert.equal(str(await a.read("mbox", 0, 64)), "me");
});

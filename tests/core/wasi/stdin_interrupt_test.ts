import assert from "node:assert/strict";
import { BufferedInput } from "../../../core/wasi/buffered_input.ts";
import { Eventtype, Fdflags } from "../../../core/wasi/constants.ts";
import { Deputy } from "../../../core/wasi/deputy.ts";
import { Errno } from "../../../core/wasi/errno.ts";
import type { DeputyResponse } from "../../../core/wasi/protocol.ts";
import { collectOutput, pushInput } from "../../../core/wasi/stdio.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const tick = () => new Promise((r) => setTimeout(r, 5));

function deputyWithPushInput() {
  const input = pushInput();
  const d = new Deputy({
    args: [],
    env: [],
    stdio: { stdin: input, stdout: collectOutput(), stderr: collectOutput() },
  });
  return { input, d };
}

Deno.test("an interrupted stdin read consumes nothing; bytes arriving later are read once", async () => {
  const { input, d } = deputyWithPushInput();
  const blocked = d.handle({ op: "fd_read", fd: 0, len: 100 });
  assert.ok(blocked instanceof Promise, "a read with no data waits");
  await tick();
  d.interruptBlocked();
  assert.deepEqual(await blocked, { errno: 0, interrupted: true });
  // The stream read started before the interrupt completes now: kept, not lost.
  input.push(enc("first line\n"));
  input.push(enc("second line\n"));
  await tick();
  // While a freeze is pending, a read that would block answers at once...
  d.allowBlocking();
  const r1 = await d.handle({ op: "fd_read", fd: 0, len: 6 });
  assert.equal(dec(r1.data), "first ");
  const r2 = await d.handle({ op: "fd_read", fd: 0, len: 100 });
  assert.equal(dec(r2.data), "line\n");
  const r3 = await d.handle({ op: "fd_read", fd: 0, len: 100 });
  assert.equal(dec(r3.data), "second line\n");
  input.end();
  assert.equal(
    (await d.handle({ op: "fd_read", fd: 0, len: 100 })).data?.length,
    0,
  );
});

Deno.test("while an interrupt is pending, calls that would block answer interrupted at once", async () => {
  const { input, d } = deputyWithPushInput();
  d.interruptBlocked();
  assert.deepEqual(await d.handle({ op: "fd_read", fd: 0, len: 10 }), {
    errno: 0,
    interrupted: true,
  });
  assert.deepEqual(
    await d.handle({
      op: "poll_oneoff",
      subs: [{ userdata: 1n, type: Eventtype.CLOCK, timeout: 10_000_000_000n }],
    }),
    { errno: 0, interrupted: true },
  );
  // Data that is already there is still delivered: the call does not block.
  input.push(enc("ready"));
  await tick();
  assert.equal(
    dec((await d.handle({ op: "fd_read", fd: 0, len: 10 })).data),
    "ready",
  );
  d.allowBlocking();
  const t0 = performance.now();
  await d.handle({
    op: "poll_oneoff",
    subs: [{ userdata: 1n, type: Eventtype.CLOCK, timeout: 10_000_000n }],
  });
  assert.ok(performance.now() - t0 >= 5);
  input.end();
});

Deno.test("a poll blocked on stdin and a long clock is interrupted, then sees the data", async () => {
  const { input, d } = deputyWithPushInput();
  const subs = [
    { userdata: 1n, type: Eventtype.CLOCK, timeout: 60_000_000_000n },
    { userdata: 2n, type: Eventtype.FD_READ, fd: 0 },
  ];
  const p = d.handle({ op: "poll_oneoff", subs });
  await tick();
  d.interruptBlocked();
  assert.deepEqual(await p, { errno: 0, interrupted: true });
  d.allowBlocking();
  input.push(enc("abc"));
  const again = (await d.handle({ op: "poll_oneoff", subs })) as DeputyResponse;
  assert.deepEqual(again.events?.map((e) => [e.userdata, e.nbytes]), [[
    2n,
    3n,
  ]]);
  assert.equal(
    dec((await d.handle({ op: "fd_read", fd: 0, len: 10 })).data),
    "abc",
  );
  input.end();
});

Deno.test("a non-blocking stdin read with no data gives EAGAIN and keeps what arrives", async () => {
  const { input, d } = deputyWithPushInput();
  assert.equal(
    (await d.handle({
      op: "fd_fdstat_set_flags",
      fd: 0,
      flags: Fdflags.NONBLOCK,
    })).errno,
    0,
  );
  assert.equal(
    (await d.handle({ op: "fd_read", fd: 0, len: 10 })).errno,
    Errno.AGAIN,
  );
  input.push(enc("late"));
  await tick();
  assert.equal(
    dec((await d.handle({ op: "fd_read", fd: 0, len: 10 })).data),
    "late",
  );
  input.end();
});

Deno.test("pending stdin bytes are part of the saved state and come first after a restore", async () => {
  const { input, d } = deputyWithPushInput();
  input.push(enc("abcdef"));
  assert.equal(
    dec((await d.handle({ op: "fd_read", fd: 0, len: 2 })).data),
    "ab",
  );
  const state = d.saveState();
  assert.equal(dec(state.stdinPending), "cdef");
  const next = pushInput();
  const r = Deputy.restore(state, {
    stdin: next,
    stdout: collectOutput(),
    stderr: collectOutput(),
  });
  next.push(enc("gh"));
  next.end();
  assert.equal(
    dec((await r.handle({ op: "fd_read", fd: 0, len: 100 })).data),
    "cdef",
  );
  assert.equal(
    dec((await r.handle({ op: "fd_read", fd: 0, len: 100 })).data),
    "gh",
  );
  input.end();
});

Deno.test("BufferedInput starts at most one stream read and reports a failed read once", async () => {
  let reads = 0;
  const b = new BufferedInput({
    read() {
      reads++;
      return reads === 1
        ? new Promise((r) => setTimeout(() => r(enc("x")), 5))
        : Promise.reject(new Error("boom"));
    },
  });
  await Promise.all([b.ready(), b.ready(), b.ready()]);
  assert.equal(reads, 1);
  assert.equal(dec(b.take(10)), "x");
  await b.ready();
  assert.equal(b.failed(), true);
  assert.match(String(b.takeError()), /boom/);
  assert.equal(b.failed(), false);
});

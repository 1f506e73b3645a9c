import assert from "node:assert/strict";
import {
  createChannelBuffer,
  serveSyncChannel,
  SyncChannelClient,
} from "../../../core/link/sync_channel.ts";
import { Deputy } from "../../../core/wasi/deputy.ts";
import { Errno } from "../../../core/wasi/errno.ts";
import type {
  DeputyRequest,
  DeputyResponse,
} from "../../../core/wasi/protocol.ts";
import { collectOutput, pushInput } from "../../../core/wasi/stdio.ts";

/** A worker making `calls`; `next()` resolves to each posted answer in turn. */
function startWorker(
  sab: SharedArrayBuffer,
  calls: unknown[],
  repeat?: number,
) {
  const worker = new Worker(
    new URL("./channel_worker.ts", import.meta.url).href,
    { type: "module" },
  );
  const queue: unknown[] = [];
  const waiting: ((v: unknown) => void)[] = [];
  worker.onmessage = (e) => {
    const w = waiting.shift();
    if (w) w(e.data);
    else queue.push(e.data);
  };
  worker.postMessage({ sab, calls, repeat });
  return {
    next: () =>
      queue.length > 0
        ? Promise.resolve(queue.shift())
        : new Promise((r) => waiting.push(r)),
    stop: () => worker.terminate(),
  };
}

Deno.test("sync channel carries requests and responses with bigints and bytes intact", async () => {
  const sab = createChannelBuffer(4096);
  const server = serveSyncChannel<{ n: bigint; b: Uint8Array }, unknown>(
    sab,
    (req) => ({ twice: req.n * 2n, len: req.b.length, back: req.b }),
    () => ({ failed: true }),
  );
  const w = startWorker(sab, [{ n: 2n ** 62n, b: new Uint8Array([1, 2, 3]) }]);
  try {
    assert.deepEqual(await w.next(), {
      ok: { twice: 2n ** 63n, len: 3, back: new Uint8Array([1, 2, 3]) },
    });
  } finally {
    w.stop();
    server.close();
    await server.done;
  }
});

Deno.test("sync channel refuses a message larger than its buffer and answers handler errors with onError", async () => {
  const sab = createChannelBuffer(1024);
  const server = serveSyncChannel<
    { fail?: boolean; big?: Uint8Array },
    unknown
  >(
    sab,
    (req) => {
      if (req.fail) throw new Error("handler broke");
      return { ok: true };
    },
    (err) => ({ errorText: String(err) }),
  );
  const w = startWorker(sab, [
    { big: new Uint8Array(2000) },
    { fail: true },
    {},
  ]);
  try {
    assert.match(
      (await w.next() as { error: string }).error,
      /RangeError: link message of \d+ bytes exceeds the 1024-byte buffer/,
    );
    assert.deepEqual(await w.next(), {
      ok: { errorText: "Error: handler broke" },
    });
    assert.deepEqual(await w.next(), { ok: { ok: true } });
  } finally {
    w.stop();
    server.close();
    await server.done;
  }
});

Deno.test("closing the channel makes a blocked client call fail instead of hanging, and stops the server though its handler never answers", async () => {
  const sab = createChannelBuffer(1024);
  const server = serveSyncChannel<unknown, unknown>(
    sab,
    () => new Promise(() => {}),
    () => null,
  );
  const w = startWorker(sab, [{ op: "never answered" }]);
  try {
    // The call is in the handler's hands (state word: REQUEST).
    const state = new Int32Array(sab, 0, 1);
    for (let i = 0; i < 500 && Atomics.load(state, 0) !== 1; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(Atomics.load(state, 0), 1, "the call never arrived");
    server.close();
    assert.match(
      (await w.next() as { error: string }).error,
      /ChannelClosedError/,
    );
  } finally {
    w.stop();
    await server.done;
  }
  assert.throws(() => new SyncChannelClient(sab).call({}), /closed/);
});

Deno.test("a worker blocked in a stdin read through the link gets 'interrupted', then the data once", async () => {
  const input = pushInput();
  const deputy = new Deputy({
    args: [],
    env: [],
    stdio: { stdin: input, stdout: collectOutput(), stderr: collectOutput() },
  });
  const sab = createChannelBuffer();
  const server = serveSyncChannel<DeputyRequest, DeputyResponse>(
    sab,
    (r) => deputy.handle(r),
    () => ({ errno: Errno.IO }),
  );
  const read: DeputyRequest = { op: "fd_read", fd: 0, len: 64 };
  const w = startWorker(sab, Array(8).fill(read));
  // The worker reads in a loop: a read it issues before allowBlocking() is
  // answered "interrupted" too. Skip those; the data must come exactly once.
  const nextReal = async () => {
    for (;;) {
      const r = await w.next() as { ok: DeputyResponse };
      if (!(r.ok as { interrupted?: boolean }).interrupted) return r;
      assert.equal(r.ok.data, undefined, "an interrupted read delivered data");
    }
  };
  try {
    await new Promise((r) => setTimeout(r, 30));
    deputy.interruptBlocked();
    assert.deepEqual(await w.next(), { ok: { errno: 0, interrupted: true } });
    input.push(new TextEncoder().encode("typed while frozen\n"));
    deputy.allowBlocking();
    const second = await nextReal();
    assert.equal(
      new TextDecoder().decode(second.ok.data),
      "typed while frozen\n",
    );
    input.end();
    const third = await nextReal();
    assert.equal(third.ok.data?.length, 0);
  } finally {
    w.stop();
    server.close();
    await server.done;
  }
});

Deno.test("sync channel round trip of a small call is well under a millisecond", async () => {
  const sab = createChannelBuffer();
  const server = serveSyncChannel<unknown, unknown>(
    sab,
    () => ({ errno: 0, offset: 5n }),
    () => null,
  );
  const w = startWorker(sab, [{ op: "fd_tell", fd: 3 }], 3000);
  try {
    const { us } = await w.next() as { us: number };
    console.log(`sync channel round trip: ${us.toFixed(1)} µs`);
    assert.ok(us < 1000, `round trip ${us} µs`);
  } finally {
    w.stop();
    server.close();
    await server.done;
  }
});

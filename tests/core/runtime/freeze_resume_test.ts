import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import {
  type ContextOptions,
  UserContext,
} from "../../../core/runtime/context.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  type Snapshot,
} from "../../../core/runtime/snapshot.ts";
import type { InstrumentOptions } from "../../../core/runtime/instrument.ts";
import { newOutput, readOutput } from "./wasi_shim.ts";
import { instrumented, SHIM } from "./test_modules.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function options(
  name: string,
  output: SharedArrayBuffer,
  extra: Record<string, unknown> = {},
  instrument: InstrumentOptions = {},
): ContextOptions {
  return {
    wasm: instrumented(name, instrument).wasm,
    importsModule: SHIM,
    importsOptions: { output, ...extra },
  };
}

async function uninterrupted(name: string): Promise<string> {
  const output = newOutput();
  const ctx = await UserContext.start(options(name, output, { stdin: "" }));
  deepEqual(await ctx.done, { kind: "exit", code: 0 });
  return readOutput(output);
}

/** Snapshots travel as bytes between nodes: go through the encoding. */
function viaBytes(s: Snapshot): Snapshot {
  return decodeSnapshot(encodeSnapshot(s));
}

/**
 * Freeze, or null if the program ended meanwhile (checking `running` first
 * still leaves it a moment to exit before the freeze lands).
 */
async function freezeUnlessEnded(ctx: UserContext): Promise<Snapshot | null> {
  try {
    return await ctx.freeze({ timeoutMs: 5000 });
  } catch (e) {
    if (!ctx.running) return null;
    throw e;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(5);
  }
}

Deno.test("a program frozen at random moments and resumed in fresh instances prints the uninterrupted output", async () => {
  const want = await uninterrupted("counter");
  const output = newOutput();
  let ctx = await UserContext.start(options("counter", output, { stdin: "" }));
  let freezes = 0;
  for (let i = 0; i < 4 && ctx.running; i++) {
    await sleep(10 + Math.random() * 40);
    if (!ctx.running) break;
    const snap = await freezeUnlessEnded(ctx);
    if (snap === null) break;
    freezes++;
    ok(
      ctx.lastFreeze!.latencyMs < 250,
      `freeze latency ${ctx.lastFreeze!.latencyMs} ms`,
    );
    ok(snap.frames.length >= 2);
    ctx = await UserContext.resume(
      viaBytes(snap),
      options("counter", output, { stdin: "" }),
    );
  }
  deepEqual(await ctx.done, { kind: "exit", code: 0 });
  ok(freezes >= 2, `only ${freezes} freezes happened`);
  equal(readOutput(output), want);
});

Deno.test("deep recursion frozen mid-way resumes to the same result", async () => {
  const want = await uninterrupted("deep");
  const output = newOutput();
  let ctx = await UserContext.start(options("deep", output));
  await sleep(60);
  const snap = await ctx.freeze({ timeoutMs: 5000 });
  ok(snap.frames.length > 1000, `only ${snap.frames.length} frames`);
  ctx = await UserContext.resume(viaBytes(snap), options("deep", output));
  await sleep(40);
  const again = ctx.running ? await freezeUnlessEnded(ctx) : null;
  if (again !== null) {
    ctx = await UserContext.resume(viaBytes(again), options("deep", output));
  }
  deepEqual(await ctx.done, { kind: "exit", code: 0 });
  equal(readOutput(output), want);
});

Deno.test("Ackermann-style recursion and a loop that rarely recurses freeze within milliseconds and resume to the same output", async () => {
  const want = await uninterrupted("ack");
  const output = newOutput();
  let ctx = await UserContext.start(options("ack", output));
  const freezeAndResume = async () => {
    const inAck = !readOutput(output).includes("ack ");
    const snap = await freezeUnlessEnded(ctx);
    if (snap === null) return;
    const ms = ctx.lastFreeze!.latencyMs;
    ok(ms < 250, `freeze latency ${ms} ms`);
    // Frozen inside the recursion (not yet printed): its frames were saved.
    if (inAck) ok(snap.frames.length > 100, `${snap.frames.length} frames`);
    ctx = await UserContext.resume(viaBytes(snap), options("ack", output));
  };
  await sleep(30);
  if (ctx.running) await freezeAndResume();
  // Then in the loop whose iterations call the recursive function rarely.
  await waitFor(() => readOutput(output).includes("ack "), 10_000);
  await sleep(30);
  if (ctx.running) await freezeAndResume();
  deepEqual(await ctx.done, { kind: "exit", code: 0 });
  equal(readOutput(output), want);
});

Deno.test("a freeze while blocked reading stdin interrupts the read, which happens again after resume", async () => {
  const output = newOutput();
  const ctx = await UserContext.start(
    options("reader", output, { blockMs: 10_000 }),
  );
  await waitFor(() => readOutput(output).includes("before"), 10_000);
  await sleep(20);
  const t0 = performance.now();
  const snap = await ctx.freeze({ timeoutMs: 5000 });
  ok(performance.now() - t0 < 1000);
  equal(ctx.lastFreeze!.cause, "fd_read");
  const resumed = await UserContext.resume(
    viaBytes(snap),
    options("reader", output, { stdin: "hello\n" }),
  );
  deepEqual(await resumed.done, { kind: "exit", code: 0 });
  match(readOutput(output), /^before \d+\ngot hello\nafter \d+\n$/);
});

Deno.test("freeze rejects once the program has exited, and resume refuses another module's snapshot", async () => {
  const output = newOutput();
  const ctx = await UserContext.start(
    options("reader", output, { stdin: "x\n" }),
  );
  await ctx.done;
  await rejects(ctx.freeze(), /not running/);
  const snap: Snapshot = {
    moduleHash: "00".repeat(32),
    memory: { pageCount: 0, pages: new Uint32Array(), data: new Uint8Array() },
    globals: [],
    frames: [],
  };
  await rejects(
    UserContext.resume(snap, options("reader", output)),
    /another module/,
  );
});

Deno.test("the state-check unwind and shared-flag preemption variants freeze and resume too", async () => {
  const want = await uninterrupted("counter");
  for (
    const variant of [{ unwind: "check" }, {
      preemption: "flag",
    }] as InstrumentOptions[]
  ) {
    const output = newOutput();
    let ctx = await UserContext.start(
      options("counter", output, { stdin: "" }, variant),
    );
    for (let i = 0; i < 2 && ctx.running; i++) {
      await sleep(20 + Math.random() * 30);
      if (!ctx.running) break;
      // The program may end on its own between the check and the freeze.
      const snap = await ctx.freeze({ timeoutMs: 5000 }).catch((e) => {
        if (ctx.running) throw e;
        return null;
      });
      if (snap === null) break;
      ctx = await UserContext.resume(
        viaBytes(snap),
        options("counter", output, { stdin: "" }, variant),
      );
    }
    deepEqual(await ctx.done, { kind: "exit", code: 0 });
    equal(readOutput(output), want, JSON.stringify(variant));
  }
});

import { deepEqual, equal, ok } from "node:assert/strict";
import { runContext, warmUp } from "../../../core/runtime/context_run.ts";
import {
  createImports as createWasiContextImports,
  warmOptions,
} from "../../../core/wasi/context_imports.ts";
import { moduleHash, UserContext } from "../../../core/runtime/context.ts";
import { readInstrumentInfo } from "../../../core/runtime/instrument_info.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  type Snapshot,
} from "../../../core/runtime/snapshot.ts";
import { createImports, newOutput, readOutput } from "./wasi_shim.ts";
import { instrumented, SHIM } from "./test_modules.ts";

/** Run `counter` in this thread; `freeze` asks it to unwind at once. */
function run(
  output: SharedArrayBuffer,
  extra: Partial<Parameters<typeof runContext>[0]> = {},
  freeze = false,
) {
  const wasm = instrumented("counter").wasm;
  const control = new Int32Array(4);
  if (freeze) control[0] = 1;
  return runContext({
    wasm,
    moduleHash: moduleHash(wasm),
    factory: createImports,
    options: { output, stdin: "" },
    control,
    ...extra,
  });
}

Deno.test("a resume given the compiled module of an earlier resume from the same place builds and compiles nothing and prints the same", async () => {
  const want = newOutput();
  deepEqual(await run(want), { kind: "exit", code: 0 });
  const out0 = newOutput();
  const frozen = await run(out0, {}, true);
  if (frozen.kind !== "frozen") throw new Error(`not frozen: ${frozen.kind}`);
  // Two independent copies, as two nodes would receive them.
  const copy = (s: Snapshot) => decodeSnapshot(encodeSnapshot(s));
  const [a, b] = [copy(frozen.snapshot), copy(frozen.snapshot)];

  let compiled: WebAssembly.Module | undefined;
  let built = 0;
  const out1 = newOutput();
  deepEqual(
    await run(out1, {
      snapshot: a,
      onResumeModule: () => built++,
      onCompiled: (m) => compiled = m,
    }),
    { kind: "exit", code: 0 },
  );
  equal(built, 1);
  ok(compiled instanceof WebAssembly.Module);

  const wasm = instrumented("counter").wasm;
  const out2 = newOutput();
  deepEqual(
    await run(out2, {
      snapshot: b,
      module: compiled,
      info: readInstrumentInfo(wasm),
      onResumeModule: () => built++,
      onCompiled: () => {
        throw new Error("compiled again");
      },
    }),
    { kind: "exit", code: 0 },
  );
  equal(built, 1, "the second resume built a resume module");
  const expected = readOutput(want);
  equal(readOutput(out0) + readOutput(out1), expected);
  equal(readOutput(out0) + readOutput(out2), expected);
});

Deno.test("prewarm settles once its worker has loaded, also when the imports module cannot load", async () => {
  try {
    // A module that does not exist: the worker reports "ready" all the same
    // (the run that would use it reports the failure), so nobody waits for ever.
    const missing = new URL("./no_such_imports.ts", import.meta.url);
    const t0 = performance.now();
    await UserContext.prewarm(missing, 5000, 20_000);
    ok(performance.now() - t0 < 10_000, "waited for the bound, not the worker");
    UserContext.dropSpare();
    // A real one: the same promise for a second caller while it loads.
    const first = UserContext.prewarm(SHIM, 5000, 20_000);
    const second = UserContext.prewarm(SHIM, 5000, 20_000);
    await Promise.all([first, second]);
    // Taken by a context: it runs the program.
    const output = newOutput();
    const ctx = await UserContext.start({
      wasm: instrumented("counter").wasm,
      importsModule: SHIM,
      importsOptions: { output, stdin: "" },
    });
    deepEqual(await ctx.done, { kind: "exit", code: 0 });
    ok(readOutput(output).includes("final "));
  } finally {
    UserContext.dropSpare();
  }
});

Deno.test("a warm-up runs the WASI imports' setup on an empty module, and a failing factory does not make it throw", async () => {
  let built = 0;
  await warmUp((ctx) => {
    built++;
    return createWasiContextImports(ctx);
  }, warmOptions());
  equal(built, 1);
  await warmUp(() => {
    throw new Error("broken imports module");
  }, undefined);
});

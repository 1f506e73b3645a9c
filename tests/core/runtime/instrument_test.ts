import { deepEqual, match, ok, throws } from "node:assert/strict";
import binaryen from "binaryen";
import { instrument } from "../../../core/runtime/instrument.ts";
import { InstrumentError } from "../../../core/runtime/instrument_error.ts";
import { readInstrumentInfo } from "../../../core/runtime/instrument_info.ts";
import { runContext } from "../../../core/runtime/context_run.ts";
import { moduleHash } from "../../../core/runtime/context.ts";
import { createImports, newOutput, readOutput } from "./wasi_shim.ts";
import { instrumented, plainModule } from "./test_modules.ts";

function kindOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InstrumentError) return e.kind;
    throw e;
  }
  return "none";
}

function moduleWithout(withStart: boolean, withMemory: boolean): Uint8Array {
  const m = new binaryen.Module();
  m.addFunction("_start", binaryen.none, binaryen.none, [], m.nop());
  if (withStart) m.addFunctionExport("_start", "_start");
  if (withMemory) m.setMemory(1, 1, "memory");
  const out = m.emitBinary();
  m.dispose();
  return out;
}

Deno.test("instrument refuses bytes that are not wasm", () => {
  deepEqual(
    kindOf(() => instrument(new TextEncoder().encode("#!/bin/sh\necho hi\n"))),
    "not-wasm",
  );
  deepEqual(
    kindOf(() =>
      instrument(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 99]))
    ),
    "not-wasm",
  );
});

Deno.test("instrument refuses a module that is not a WASI command", () => {
  deepEqual(
    kindOf(() => instrument(moduleWithout(false, true))),
    "not-wasi-command",
  );
  deepEqual(
    kindOf(() => instrument(moduleWithout(true, false))),
    "not-wasi-command",
  );
  throws(() => instrument(moduleWithout(true, false)), /no memory export/);
});

Deno.test("instrument finds _start by its export when the function has another name (a module stripped of names)", () => {
  const m = new binaryen.Module();
  m.addFunction("f0", binaryen.none, binaryen.none, [], m.nop());
  m.addFunctionExport("f0", "_start");
  m.setMemory(1, 1, "memory");
  const wasm = m.emitBinary();
  m.dispose();
  deepEqual(kindOf(() => instrument(wasm)), "none");
});

Deno.test("instrument records the unwinding imports, counts and snapshot globals", () => {
  const { wasm, info } = instrumented("reader");
  deepEqual(readInstrumentInfo(wasm), info);
  ok(info.unwindImports.includes("wasi_snapshot_preview1.fd_read"));
  ok(info.unwindImports.includes("wasi_snapshot_preview1.fd_write"));
  ok(!info.unwindImports.includes("wasi_snapshot_preview1.proc_exit"));
  ok(
    info.counts.loops > 0 && info.counts.sites > 0 &&
      info.counts.instrumented > 0,
  );
  ok(
    info.globals.some((g) => g.name === "__stack_pointer" && g.type === "i32"),
  );
  match(info.functions.join(","), /__original_main|main/);
});

Deno.test("instrument gives recursive functions an entry check", () => {
  ok(instrumented("deep").info.counts.entryChecks >= 1);
});

Deno.test("an instrumented program prints what the original prints", async () => {
  const run = async (wasm: Uint8Array, raw: boolean) => {
    const output = newOutput();
    if (raw) {
      const inst: WebAssembly.Instance = await WebAssembly.instantiate(
        await WebAssembly.compile(wasm as Uint8Array<ArrayBuffer>),
        createImports({
          hooks: { enter() {}, interrupt: () => 0 },
          memory: (): WebAssembly.Memory =>
            inst.exports.memory as WebAssembly.Memory,
          options: { output, stdin: "" },
          control: new Int32Array(4),
          freezeRequested: () => false,
          module: undefined as unknown as WebAssembly.Module,
          resuming: false,
        }),
      );
      (inst.exports._start as () => void)();
    } else {
      const r = await runContext({
        wasm,
        moduleHash: moduleHash(wasm),
        factory: createImports,
        options: { output, stdin: "" },
        control: new Int32Array(4),
      });
      deepEqual(r, { kind: "exit", code: 0 });
    }
    return readOutput(output);
  };
  const want = await run(plainModule("reader"), true);
  match(want, /got \(eof\)/);
  deepEqual(await run(instrumented("reader").wasm, false), want);
});

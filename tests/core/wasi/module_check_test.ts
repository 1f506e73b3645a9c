import assert from "node:assert/strict";
import {
  checkWasiModule,
  WasiModuleError,
} from "../../../core/wasi/module_check.ts";
import { runWasi, TRAP_STATUS } from "../../../core/wasi/plain_runner.ts";
import { collectOutput, inputFromText } from "../../../core/wasi/stdio.ts";
import {
  buildModule,
  call,
  I32,
  i32Const,
  I64,
  UNREACHABLE,
} from "./wasm_builder.ts";

const WASI = "wasi_snapshot_preview1";

/** A command whose _start is `body`, with the given imports (types 0..). */
function command(
  imports: {
    name: string;
    module?: string;
    params: number[];
    results: number[];
  }[],
  body: number[],
) {
  return buildModule({
    types: [...imports.map((i) => ({ params: i.params, results: i.results })), {
      params: [],
      results: [],
    }],
    imports: imports.map((i, t) => ({
      module: i.module ?? WASI,
      name: i.name,
      type: t,
    })),
    funcs: [{ type: imports.length, body }],
    memory: true,
    exports: [
      { name: "_start", kind: "func", index: imports.length },
      { name: "memory", kind: "memory", index: 0 },
    ],
  });
}

async function rejectsWith(bytes: Uint8Array<ArrayBuffer>, pattern: RegExp) {
  await assert.rejects(
    () => checkWasiModule(bytes, "prog.wasm"),
    (err: Error) => {
      assert.equal(err instanceof WasiModuleError, true);
      assert.match(err.message, pattern);
      assert.equal(err.message.includes("\n"), false);
      return true;
    },
  );
}

Deno.test("checkWasiModule rejects a file that is not wasm with a bad magic message", async () => {
  await rejectsWith(
    new TextEncoder().encode("#!/bin/sh\necho hi\n"),
    /^prog\.wasm: not a WebAssembly module \(bad magic\)$/,
  );
});

Deno.test("checkWasiModule reports invalid wasm on one line", async () => {
  const bytes = new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    0x01,
    0x05,
    0xff,
  ]);
  await rejectsWith(bytes, /^prog\.wasm: invalid WebAssembly: /);
});

Deno.test("checkWasiModule says a module without _start or memory is not a WASI command", async () => {
  const bytes = buildModule({
    types: [{ params: [], results: [] }],
    funcs: [{ type: 0, body: [] }],
    exports: [{ name: "_initialize", kind: "func", index: 0 }],
  });
  await rejectsWith(
    bytes,
    /not a WASI command: needs exports _start and memory \(it is a reactor/,
  );
});

Deno.test("checkWasiModule names an import from another module", async () => {
  await rejectsWith(
    command([{ module: "env", name: "foo", params: [], results: [] }], []),
    /imports env\.foo \(a function\), which is not provided/,
  );
});

Deno.test("checkWasiModule names a WASI import declared with the wrong type", async () => {
  await rejectsWith(
    command([{ name: "fd_write", params: [I32], results: [I32] }], []),
    /imports wasi_snapshot_preview1\.fd_write with type \(i32\)->i32, expected \(i32,i32,i32,i32\)->i32/,
  );
});

Deno.test("checkWasiModule accepts unknown WASI functions and records their type", async () => {
  const checked = await checkWasiModule(
    command([{ name: "made_up", params: [I64], results: [I32] }], []),
    "p",
  );
  assert.deepEqual(checked.unknown, {
    made_up: { params: ["i64"], results: ["i32"] },
  });
});

function io() {
  return {
    stdin: inputFromText(""),
    stdout: collectOutput(),
    stderr: collectOutput(),
  };
}

Deno.test("runWasi: an unknown WASI function returns ENOSYS (52)", async () => {
  const bytes = command(
    [{ name: "made_up", params: [], results: [I32] }, {
      name: "proc_exit",
      params: [I32],
      results: [],
    }],
    [...call(0), ...call(1)],
  );
  const s = io();
  assert.equal(await runWasi(bytes, { args: ["p"], env: [], ...s }), 52);
});

Deno.test("runWasi: returning from _start is exit status 0, proc_exit(N) is N", async () => {
  const s = io();
  assert.equal(
    await runWasi(command([], []), { args: ["p"], env: [], ...s }),
    0,
  );
  const exit7 = command([{ name: "proc_exit", params: [I32], results: [] }], [
    ...i32Const(7),
    ...call(0),
  ]);
  assert.equal(await runWasi(exit7, { args: ["p"], env: [], ...s }), 7);
});

Deno.test("runWasi: a trap prints one line to stderr and gives status 134", async () => {
  const s = io();
  const code = await runWasi(command([], UNREACHABLE), {
    args: ["p"],
    env: [],
    name: "trapper",
    ...s,
  });
  assert.equal(code, TRAP_STATUS);
  assert.match(s.stderr.text(), /^trapper: wasm trap: .*unreachable.*\n$/);
});

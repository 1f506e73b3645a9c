import { deepEqual, equal, ok, throws } from "node:assert/strict";
import binaryen from "binaryen";
import {
  appendSharedPageMemory,
  importFirstMemory,
  MAX_MEMORY_PAGES,
  MEMORY_IMPORT,
  shareFirstMemory,
} from "../../../core/runtime/wasm_sections.ts";

/** One page of memory, "hello" at 16 (active), "xy" passive, `peek(i)`. */
function moduleWithData(): Uint8Array {
  const m = new binaryen.Module();
  try {
    m.setFeatures(binaryen.Features.All);
    m.setMemory(2, 10, "memory", [
      {
        offset: m.i32.const(16),
        data: new TextEncoder().encode("hello"),
        passive: false,
      },
      { data: new TextEncoder().encode("xy"), passive: true, offset: 0 },
    ]);
    m.addFunction(
      "peek",
      binaryen.createType([binaryen.i32]),
      binaryen.i32,
      [],
      m.i32.load8_u(0, 1, m.local.get(0, binaryen.i32)),
    );
    m.addFunctionExport("peek", "peek");
    ok(m.validate());
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

Deno.test("shareFirstMemory makes memory 0 shared with the largest maximum, data kept", () => {
  const wasm = shareFirstMemory(moduleWithData());
  const inst = new WebAssembly.Instance(
    new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
  );
  const mem = inst.exports.memory as WebAssembly.Memory;
  ok(mem.buffer instanceof SharedArrayBuffer);
  equal(mem.buffer.byteLength, 2 * 65536);
  equal((inst.exports.peek as (i: number) => number)(16), "h".charCodeAt(0));
  mem.grow(20); // beyond the module's own maximum of 10
  equal(mem.buffer.byteLength, 22 * 65536);
});

Deno.test("importFirstMemory adopts a memory as it is: active data is not written", () => {
  const wasm = importFirstMemory(shareFirstMemory(moduleWithData()));
  const mod = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
  deepEqual(
    WebAssembly.Module.imports(mod),
    [{
      module: MEMORY_IMPORT.module,
      name: MEMORY_IMPORT.name,
      kind: "memory",
    }],
  );
  const memory = new WebAssembly.Memory({
    initial: 3,
    maximum: MAX_MEMORY_PAGES,
    shared: true,
  });
  new Uint8Array(memory.buffer).set([7, 7, 7, 7, 7], 16);
  const inst = new WebAssembly.Instance(mod, {
    [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory },
  });
  equal(inst.exports.memory, memory);
  equal((inst.exports.peek as (i: number) => number)(16), 7);
  equal(memory.buffer.byteLength, 3 * 65536);
});

Deno.test("importFirstMemory keeps a second memory at index 1 (the flags page)", () => {
  const wasm = importFirstMemory(
    shareFirstMemory(appendSharedPageMemory(moduleWithData())),
  );
  const memory = new WebAssembly.Memory({
    initial: 2,
    maximum: MAX_MEMORY_PAGES,
    shared: true,
  });
  new Uint8Array(memory.buffer)[16] = 9;
  const inst = new WebAssembly.Instance(
    new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
    {
      [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory },
    },
  );
  equal((inst.exports.peek as (i: number) => number)(16), 9);
});

Deno.test("importFirstMemory refuses a module without a memory of its own", () => {
  const m = new binaryen.Module();
  const bytes = m.emitBinary();
  m.dispose();
  throws(() => importFirstMemory(bytes), RangeError);
  throws(() => shareFirstMemory(bytes), RangeError);
});

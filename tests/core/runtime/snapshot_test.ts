import { deepEqual, ok, throws } from "node:assert/strict";
import {
  decodeSnapshot,
  encodeSnapshot,
  PAGE_SIZE,
  type Snapshot,
  SnapshotFormatError,
  snapshotLength,
} from "../../../core/runtime/snapshot.ts";
import {
  liveMemory,
  memoryFor,
  newProcessMemory,
} from "../../../core/runtime/memory_pages.ts";

function sample(): Snapshot {
  const memory = newProcessMemory(6);
  const bytes = new Uint8Array(memory.buffer);
  bytes[0] = 1;
  bytes[3 * PAGE_SIZE + 17] = 0xab;
  bytes[6 * PAGE_SIZE - 1] = 0xcd;
  return {
    moduleHash: "ab".repeat(32),
    memory: liveMemory(memory),
    globals: [
      { name: "__stack_pointer", type: "i32", bits: -16 },
      { name: "big", type: "i64", bits: -(2n ** 63n) },
      { name: "pi", type: "f64", bits: 0x400921fb54442d18n },
      { name: "h", type: "f32", bits: 0x7fc00001 },
    ],
    frames: [
      { fid: 3, site: 1, values: [1, -2, 2n ** 62n, -1n] },
      { fid: 0, site: 0, values: [] },
    ],
  };
}

Deno.test("liveMemory lists the non-zero pages of a memory it does not copy; a resume adopts it", () => {
  const s = sample();
  deepEqual([...s.memory.pages], [0, 3, 5]);
  deepEqual(s.memory.pageCount, 6);
  ok(s.memory.data.buffer === s.memory.memory!.buffer);
  ok(memoryFor(s.memory) === s.memory.memory);
});

Deno.test("memoryFor builds a memory from a compact snapshot, the other pages zero", () => {
  const d = decodeSnapshot(encodeSnapshot(sample()));
  deepEqual(d.memory.memory, undefined);
  deepEqual(d.memory.data.length, 3 * PAGE_SIZE);
  const m = memoryFor(d.memory);
  ok(m.buffer instanceof SharedArrayBuffer);
  const b = new Uint8Array(m.buffer);
  deepEqual(m.buffer.byteLength, 6 * PAGE_SIZE);
  deepEqual([
    b[0],
    b[PAGE_SIZE + 5],
    b[3 * PAGE_SIZE + 17],
    b[6 * PAGE_SIZE - 1],
  ], [1, 0, 0xab, 0xcd]);
  deepEqual(b.reduce((n, v) => n + (v ? 1 : 0), 0), 3);
});

Deno.test("memoryFor refuses a whole memory that grew after the freeze", () => {
  const s = sample();
  s.memory.memory!.grow(1);
  throws(() => memoryFor(s.memory), RangeError);
});

Deno.test("a snapshot survives encode and decode exactly", () => {
  const s = sample();
  const d = decodeSnapshot(encodeSnapshot(s));
  deepEqual(d.moduleHash, s.moduleHash);
  deepEqual(d.globals, s.globals);
  deepEqual(d.frames, s.frames);
  deepEqual([...d.memory.pages], [...s.memory.pages]);
  deepEqual(d.memory.pageCount, 6);
  // Compact after decoding: the present pages only, in order.
  const pages = [...s.memory.pages].map((p) =>
    s.memory.data.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE)
  );
  pages.forEach((page, i) =>
    ok(page.every((v, k) => v === d.memory.data[i * PAGE_SIZE + k]))
  );
});

Deno.test("an encoded snapshot can be embedded and found by its length", () => {
  const enc = encodeSnapshot(sample());
  const file = new Uint8Array(enc.length + 10);
  file.set(enc, 3);
  const inner = file.subarray(3);
  deepEqual(snapshotLength(inner), enc.length);
  deepEqual(decodeSnapshot(inner).frames.length, 2);
});

Deno.test("decodeSnapshot rejects truncated buffers with a clear error", () => {
  const enc = encodeSnapshot(sample());
  for (const n of [0, 7, 20, 80, 100, enc.length - 33, enc.length - 1]) {
    throws(() => decodeSnapshot(enc.subarray(0, n)), SnapshotFormatError);
  }
});

Deno.test("decodeSnapshot rejects any altered byte", () => {
  const enc = encodeSnapshot(sample());
  for (const at of [30, 60, 80, 200, enc.length - 40, enc.length - 5]) {
    const bad = enc.slice();
    bad[at] ^= 0x10;
    throws(() => decodeSnapshot(bad), SnapshotFormatError);
  }
  const magic = enc.slice();
  magic[0] = 0;
  throws(() => decodeSnapshot(magic), /bad magic/);
  const version = enc.slice();
  version[8] = 99;
  throws(() => decodeSnapshot(version), /unsupported version 99/);
  throws(() => decodeSnapshot(enc.slice(0, enc.length - 1)), /truncated/);
});

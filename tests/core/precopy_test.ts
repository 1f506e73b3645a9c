import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  BlobAssembler,
  changedPages,
  PRECOPY_BLOB,
} from "../../core/guest_protocol.ts";
import {
  liveMemory,
  newProcessMemory,
  presentPages,
} from "../../core/runtime/memory_pages.ts";
import { PAGE_SIZE } from "../../core/runtime/snapshot.ts";

/** A whole copy of `memory`, as sendPrecopy keeps it. */
function copyOf(memory: WebAssembly.Memory) {
  const data = new Uint8Array(memory.buffer).slice();
  return {
    pageCount: data.length / PAGE_SIZE,
    pages: presentPages(data.buffer),
    data,
  };
}

Deno.test("changedPages finds the pages written, zeroed or added since the pre-copy", () => {
  const memory = newProcessMemory(6);
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(1, 0, 3 * PAGE_SIZE); // pages 0-2
  const pre = copyOf(memory);
  bytes[PAGE_SIZE + 100] = 2; // page 1 written
  bytes.fill(0, 2 * PAGE_SIZE, 3 * PAGE_SIZE); // page 2 zeroed
  memory.grow(2);
  new Uint8Array(memory.buffer)[7 * PAGE_SIZE - 1] = 3; // page 6, new
  deepEqual([...changedPages(liveMemory(memory), pre)], [1, 2, 6]);
});

Deno.test("changedPages of an untouched memory is empty", () => {
  const memory = newProcessMemory(4);
  new Uint8Array(memory.buffer).fill(9);
  deepEqual([...changedPages(liveMemory(memory), copyOf(memory))], []);
});

Deno.test("changedPages compares bytes: a page of NaN bit patterns is unchanged, one flipped bit is found", () => {
  const memory = newProcessMemory(3);
  const words = new Float64Array(memory.buffer);
  // NaN !== NaN: a comparison of doubles would report these pages.
  words.fill(NaN, 0, (2 * PAGE_SIZE) / 8);
  const pre = copyOf(memory);
  new Uint8Array(memory.buffer)[PAGE_SIZE + 77] ^= 0x10;
  deepEqual([...changedPages(liveMemory(memory), pre)], [1]);
});

Deno.test("a memory update lands on its pre-copy, grown, and needs it complete", () => {
  const blobs = new BlobAssembler();
  const page = (v: number) => new Uint8Array(PAGE_SIZE).fill(v);
  const head = { id: PRECOPY_BLOB, total: 3 * PAGE_SIZE, memory: PAGE_SIZE };
  // The update cannot come before its pre-copy is complete.
  throws(
    () =>
      blobs.add({
        id: 2,
        base: PRECOPY_BLOB,
        at: 0,
        total: 3 * PAGE_SIZE,
        memory: 0,
        bulk: new Uint8Array(0),
      }),
    /without its pre-copy/,
  );
  blobs.add({ ...head, at: PAGE_SIZE, bulk: page(5) });
  blobs.add({
    id: 4,
    base: PRECOPY_BLOB,
    total: 4 * PAGE_SIZE,
    memory: 2 * PAGE_SIZE,
    at: 0,
    bulk: page(6),
  });
  // Chunks of an update are copied by add(), not placed by the link.
  equal(blobs.place({ id: 4, base: PRECOPY_BLOB, at: 0, bulk: 1 }), undefined);
  blobs.add({
    id: 4,
    base: PRECOPY_BLOB,
    total: 4 * PAGE_SIZE,
    memory: 2 * PAGE_SIZE,
    at: 3 * PAGE_SIZE,
    bulk: page(7),
  });
  const { memory, data } = blobs.takeMemory(4);
  equal(memory.buffer.byteLength, 4 * PAGE_SIZE);
  deepEqual([
    data[0],
    data[PAGE_SIZE],
    data[2 * PAGE_SIZE],
    data[3 * PAGE_SIZE],
  ], [
    6,
    5,
    0,
    7,
  ]);
  // The pre-copy was taken over.
  throws(() => blobs.takeMemory(PRECOPY_BLOB), /missing/);
  ok(memory.buffer instanceof SharedArrayBuffer);
});

Deno.test("a memory update may not shrink its pre-copy", () => {
  const blobs = new BlobAssembler();
  blobs.add({
    id: PRECOPY_BLOB,
    total: 2 * PAGE_SIZE,
    memory: 0,
    at: 0,
    bulk: new Uint8Array(0),
  });
  throws(
    () =>
      blobs.add({
        id: 3,
        base: PRECOPY_BLOB,
        total: PAGE_SIZE,
        memory: 0,
        at: 0,
        bulk: new Uint8Array(0),
      }),
    /malformed memory update/,
  );
});

/**
 * A frozen program's linear memory, and the memory a resume runs in.
 *
 * A program's memory is shared (instrument.ts makes it so), so a freeze
 * hands it over whole, without a copy, with the list of its pages that are
 * not all zero (only those are sent or written). A resume adopts such a
 * memory as it is, or builds one from a compact copy (a checkpoint file).
 *
 * @module
 */

import { MAX_MEMORY_PAGES } from "./wasm_sections.ts";
import {
  PAGE_SIZE,
  pageRuns,
  runBytes,
  type SnapshotMemory,
} from "./snapshot.ts";

const WORDS = PAGE_SIZE / 4;

/** True when page `page` of `words` (the memory as Int32Array) is all zero. */
function pageIsZero(words: Int32Array, page: number): boolean {
  let i = page * WORDS;
  const end = i + WORDS;
  for (; i < end; i += 8) {
    if (
      (words[i] | words[i + 1] | words[i + 2] | words[i + 3] | words[i + 4] |
        words[i + 5] |
        words[i + 6] | words[i + 7]) !== 0
    ) return false;
  }
  return true;
}

/** Indexes of the pages of `buffer` that are not all zero. */
export function presentPages(buffer: ArrayBufferLike): Uint32Array {
  const pageCount = buffer.byteLength / PAGE_SIZE;
  const words = new Int32Array(buffer);
  const present: number[] = [];
  for (let p = 0; p < pageCount; p++) {
    if (!pageIsZero(words, p)) present.push(p);
  }
  return Uint32Array.from(present);
}

/**
 * A frozen program's `memory` as a snapshot's, whole: no byte is copied.
 * The program must not run in it any more.
 */
export function liveMemory(memory: WebAssembly.Memory): SnapshotMemory {
  const buffer = memory.buffer;
  return {
    pageCount: buffer.byteLength / PAGE_SIZE,
    pages: presentPages(buffer),
    data: new Uint8Array(buffer),
    memory,
  };
}

/** A new shared memory of `pages` pages, as a program's memory is. */
export function newProcessMemory(pages: number): WebAssembly.Memory {
  return new WebAssembly.Memory({
    initial: pages,
    maximum: MAX_MEMORY_PAGES,
    shared: true,
  });
}

/**
 * The memory a resume of `m` runs in: the snapshot's own when it holds one
 * whole, else a new one with the present pages copied in.
 */
export function memoryFor(m: SnapshotMemory): WebAssembly.Memory {
  if (m.memory) {
    if (m.memory.buffer.byteLength !== m.pageCount * PAGE_SIZE) {
      throw new RangeError("snapshot memory changed size since the freeze");
    }
    return m.memory;
  }
  if (!(m.pageCount <= MAX_MEMORY_PAGES)) {
    throw new RangeError(`snapshot memory of ${m.pageCount} pages`);
  }
  const memory = newProcessMemory(m.pageCount);
  const bytes = new Uint8Array(memory.buffer);
  for (const [i, j] of pageRuns(m)) {
    bytes.set(runBytes(m, i, j), m.pages[i] * PAGE_SIZE);
  }
  return memory;
}

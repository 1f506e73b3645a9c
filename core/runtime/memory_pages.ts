/**
 * Copy linear memory into a snapshot with all-zero pages left out, and
 * back into a fresh instance's memory.
 *
 * @module
 */

import { PAGE_SIZE, type SnapshotMemory } from "./snapshot.ts";

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

/**
 * The non-zero pages of `buffer`, copied into a buffer from `alloc` (plain
 * by default; shared_pages.ts passes shared memory).
 */
export function capturePages(
  buffer: ArrayBuffer,
  alloc: (bytes: number) => Uint8Array = (n) => new Uint8Array(n),
): SnapshotMemory {
  const pageCount = buffer.byteLength / PAGE_SIZE;
  const words = new Int32Array(buffer);
  const present: number[] = [];
  for (let p = 0; p < pageCount; p++) {
    if (!pageIsZero(words, p)) present.push(p);
  }
  const data = alloc(present.length * PAGE_SIZE);
  // One copy per run of consecutive present pages.
  for (let i = 0; i < present.length;) {
    let j = i + 1;
    while (j < present.length && present[j] === present[j - 1] + 1) j++;
    data.set(
      new Uint8Array(buffer, present[i] * PAGE_SIZE, (j - i) * PAGE_SIZE),
      i * PAGE_SIZE,
    );
    i = j;
  }
  return { pageCount, pages: Uint32Array.from(present), data };
}

/**
 * Make `memory` equal to the snapshot: grow it to the snapshot's size,
 * zero the pages the snapshot leaves out (data segments wrote some) and
 * copy the present ones.
 */
export function restorePages(
  memory: WebAssembly.Memory,
  m: SnapshotMemory,
): void {
  const have = memory.buffer.byteLength / PAGE_SIZE;
  if (m.pageCount < have) {
    throw new RangeError(
      `snapshot memory (${m.pageCount} pages) is smaller than the module's initial memory (${have})`,
    );
  }
  if (m.pageCount > have) memory.grow(m.pageCount - have);
  const bytes = new Uint8Array(memory.buffer);
  const words = new Int32Array(memory.buffer);
  let next = 0;
  for (let p = 0; p < have; p++) {
    if (next < m.pages.length && m.pages[next] === p) {
      next++;
      continue;
    }
    if (!pageIsZero(words, p)) {
      bytes.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    }
  }
  m.pages.forEach((p, i) => {
    bytes.set(
      m.data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE),
      p * PAGE_SIZE,
    );
  });
}

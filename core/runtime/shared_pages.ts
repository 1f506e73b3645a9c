/**
 * Capture linear memory like memory_pages.ts's capturePages, into a
 * SharedArrayBuffer: the snapshot then goes to the thread that sends or
 * resumes it, and on to the Worker resuming it, without a copy (workers
 * share it instead of cloning it), and stays valid for a retry.
 *
 * @module
 */

import { PAGE_SIZE, type SnapshotMemory } from "./snapshot.ts";

const WORDS = PAGE_SIZE / 4;

function pageIsZero(words: Int32Array, page: number): boolean {
  let i = page * WORDS;
  const end = i + WORDS;
  for (; i < end; i += 8) {
    if (
      (words[i] | words[i + 1] | words[i + 2] | words[i + 3] | words[i + 4] |
        words[i + 5] | words[i + 6] | words[i + 7]) !== 0
    ) return false;
  }
  return true;
}

/** The non-zero pages of `buffer`, copied into shared memory. */
export function captureSharedPages(buffer: ArrayBuffer): SnapshotMemory {
  const pageCount = buffer.byteLength / PAGE_SIZE;
  const words = new Int32Array(buffer);
  const present: number[] = [];
  for (let p = 0; p < pageCount; p++) {
    if (!pageIsZero(words, p)) present.push(p);
  }
  const data = new Uint8Array(
    new SharedArrayBuffer(present.length * PAGE_SIZE),
  );
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

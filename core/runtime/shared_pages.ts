/**
 * Capture linear memory like memory_pages.ts's capturePages, into a
 * SharedArrayBuffer: the snapshot then goes to the thread that sends or
 * resumes it, and on to the Worker resuming it, without a copy (workers
 * share it instead of cloning it), and stays valid for a retry.
 *
 * @module
 */

import { capturePages } from "./memory_pages.ts";
import type { SnapshotMemory } from "./snapshot.ts";

/** The non-zero pages of `buffer`, copied into shared memory. */
export function captureSharedPages(buffer: ArrayBuffer): SnapshotMemory {
  return capturePages(buffer, (n) => new Uint8Array(new SharedArrayBuffer(n)));
}

/**
 * Worker entry of the hand-over measurement in bench/dicom_bench.ts: makes
 * `n` calls on a sync channel (as a user context's system calls do), each
 * after `gapMs` asleep (0: back to back), and posts the median round trip
 * in µs.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { SyncChannelClient } from "../core/link/sync_channel.ts";

self.onmessage = (
  e: MessageEvent<{ sab: SharedArrayBuffer; n: number; gapMs: number }>,
) => {
  const { sab, n, gapMs } = e.data;
  const client = new SyncChannelClient<unknown, unknown>(sab);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  const req = { op: "fd_write", fd: 3, n: 0 };
  for (let i = 0; i < 200; i++) client.call(req); // warm
  const rts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (gapMs > 0) Atomics.wait(nap, 0, 0, gapMs);
    const t0 = performance.now();
    client.call(req);
    rts.push((performance.now() - t0) * 1000);
  }
  rts.sort((a, b) => a - b);
  self.postMessage(rts[rts.length >> 1]);
  self.close();
};

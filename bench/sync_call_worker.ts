/**
 * Worker entry of the hand-over measurement in bench/dicom_bench.ts: makes
 * `n` calls on a sync channel (as a user context's system calls do) and
 * posts the mean round trip in µs.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { SyncChannelClient } from "../core/link/sync_channel.ts";

self.onmessage = (e: MessageEvent<{ sab: SharedArrayBuffer; n: number }>) => {
  const client = new SyncChannelClient<unknown, unknown>(e.data.sab);
  const req = { op: "fd_write", fd: 3, n: 0 };
  for (let i = 0; i < 200; i++) client.call(req); // warm
  const t0 = performance.now();
  for (let i = 0; i < e.data.n; i++) client.call(req);
  self.postMessage((performance.now() - t0) / e.data.n * 1000);
  self.close();
};

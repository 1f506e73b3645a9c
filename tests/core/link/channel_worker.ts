/**
 * Test worker: makes the calls it is sent over a sync channel, one after
 * another, and posts each answer (or the error) back.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { SyncChannelClient } from "../../../core/link/sync_channel.ts";

self.onmessage = (
  e: MessageEvent<
    { sab: SharedArrayBuffer; calls: unknown[]; repeat?: number }
  >,
) => {
  const client = new SyncChannelClient<unknown, unknown>(e.data.sab);
  if (e.data.repeat) {
    const t0 = performance.now();
    for (let i = 0; i < e.data.repeat; i++) client.call(e.data.calls[0]);
    self.postMessage({ us: ((performance.now() - t0) * 1000) / e.data.repeat });
    return;
  }
  for (const req of e.data.calls) {
    try {
      self.postMessage({ ok: client.call(req) });
    } catch (err) {
      self.postMessage({
        error: `${(err as Error).name}: ${(err as Error).message}`,
      });
    }
  }
};

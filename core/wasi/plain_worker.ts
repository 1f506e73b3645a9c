/**
 * Worker entry of the plain runner: runs an uninstrumented WASI command's
 * `_start` with imports that reach the deputy through the sync channel.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { SyncChannelClient } from "../link/sync_channel.ts";
import { createWasiImports } from "./guest_imports.ts";
import { ProcExit } from "./proc_exit.ts";
import type { PlainWorkerResult, PlainWorkerStart } from "./plain_runner.ts";
import type { DeputyRequest, DeputyResponse } from "./protocol.ts";

function describe(err: unknown): string {
  if (err instanceof WebAssembly.RuntimeError) {
    return `wasm trap: ${err.message}`;
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return "wasm trap: call stack exhausted";
  }
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Run the program described by `start`; never throws. */
export function runStart(start: PlainWorkerStart): PlainWorkerResult {
  const client = new SyncChannelClient<DeputyRequest, DeputyResponse>(
    start.sab,
  );
  let memory: WebAssembly.Memory | null = null;
  const imports = createWasiImports({
    memory: () => memory!,
    call: (req) => client.call(req),
    local: { args: start.args, env: start.env },
    unknown: start.unknown,
    maxChunk: client.capacity - 4096,
  });
  try {
    const instance = new WebAssembly.Instance(start.module, {
      wasi_snapshot_preview1: imports as unknown as WebAssembly.ModuleImports,
    });
    memory = instance.exports.memory as WebAssembly.Memory;
    (instance.exports._start as () => void)();
    return { kind: "exit", code: 0 };
  } catch (err) {
    if (err instanceof ProcExit) return { kind: "exit", code: err.code };
    return { kind: "trap", message: describe(err) };
  }
}

self.onmessage = (e: MessageEvent<PlainWorkerStart>) => {
  self.postMessage(runStart(e.data));
};

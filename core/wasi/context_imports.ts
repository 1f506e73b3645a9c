/**
 * The imports module the runtime loads in a user context's Worker
 * (core/runtime/imports_factory.ts): WASI preview1 imports whose calls go
 * through a sync channel to a deputy — in this process when the context runs
 * at home, or to the hosting daemon's thread (which forwards over the
 * network) when it runs away from home.
 *
 * @module
 */

import type { ImportsFactory } from "../runtime/imports_factory.ts";
import {
  createChannelBuffer,
  SyncChannelClient,
} from "../link/sync_channel.ts";
import { createWasiImports } from "./guest_imports.ts";
import type { DeputyRequest, DeputyResponse } from "./protocol.ts";
import type { Signature } from "./signatures.ts";

/** Structured-cloneable options of {@linkcode createImports}. */
export interface WasiContextOptions {
  /** The channel to the deputy (createChannelBuffer). */
  sab: SharedArrayBuffer;
  /** argv, answered locally. */
  args: string[];
  /** Environment "K=V", answered locally. */
  env: string[];
  /** wasi imports that are not preview1 functions (ENOSYS stubs). */
  unknown: Record<string, Signature>;
}

/**
 * Options for a warm-up of {@linkcode createImports} in a spare worker
 * (core/runtime/context_run.ts warmUp): a channel nobody serves, no calls.
 */
export function warmOptions(): WasiContextOptions {
  return {
    sab: createChannelBuffer(65536),
    args: [],
    env: [],
    unknown: {},
  };
}

/** URL of this module, for ContextOptions.importsModule. */
export const CONTEXT_IMPORTS_URL: string = import.meta.url;

/** Build the `wasi_snapshot_preview1` imports of one instance. */
export const createImports: ImportsFactory = (ctx) => {
  const o = ctx.options as WasiContextOptions;
  const client = new SyncChannelClient<DeputyRequest, DeputyResponse>(o.sab);
  const wasi = createWasiImports({
    memory: ctx.memory,
    call: (req) => client.call(req),
    hooks: ctx.hooks,
    local: { args: o.args, env: o.env },
    unknown: o.unknown,
    maxChunk: client.capacity - 4096,
  });
  return {
    wasi_snapshot_preview1: wasi as unknown as WebAssembly.ModuleImports,
  };
};

/**
 * The seam between the runtime and whoever provides a context's imports
 * (the WASI host, or a test shim).
 *
 * Imports are made inside the context's Worker, so they cannot be passed
 * as objects: the runtime is given the URL of a module exporting
 * `createImports` (an {@linkcode ImportsFactory}) plus structured-cloneable
 * options (SharedArrayBuffers included, for a link channel). The worker
 * imports that module, calls `createImports` once per instance, and adds
 * the runtime's own `dmosix` imports.
 *
 * Rules for the factory's imports:
 * - a call that may block (fd_read on a terminal, poll_oneoff, ...) must
 *   call `hooks.enter(name)` first and, when it is interrupted by a freeze,
 *   `return hooks.interrupt(name)` without having done anything;
 * - a blocked call learns about a freeze either through its own channel
 *   (ContextOptions.onFreezeRequest runs on the main thread and can tell
 *   the deputy to answer "interrupted"), or by waiting on
 *   `control[CONTROL_FREEZE]` with Atomics.wait: the runtime sets it to 1
 *   and notifies it;
 * - proc_exit throws {@linkcode WasiExit}.
 *
 * @module
 */

import type { UnwindHooks } from "./unwind_hooks.ts";

/** Index in the control array of the freeze flag (0 running, 1 freeze requested). */
export const CONTROL_FREEZE = 0;
/**
 * Index of the kill flag: when non-zero the next preemption point throws
 * (Worker.terminate alone does not stop a Worker spinning in wasm).
 */
export const CONTROL_KILL = 1;
/** Int32 cells in the control array. */
export const CONTROL_CELLS = 4;

/** What a factory gets to build one instance's imports. */
export interface ImportContext {
  /** Hooks for imports that may block (see the module doc). */
  hooks: UnwindHooks;
  /** The instance's memory; throws before instantiation. */
  memory(): WebAssembly.Memory;
  /** ContextOptions.importsOptions, structured-cloned into the worker. */
  options: unknown;
  /** Shared control cells; control[CONTROL_FREEZE] is the freeze flag. */
  control: Int32Array;
  /** True once a freeze was requested. */
  freezeRequested(): boolean;
  /** The module being instantiated (to look at its imports). */
  module: WebAssembly.Module;
  /** True when the instance continues a snapshot rather than starting. */
  resuming: boolean;
}

/** The function an imports module exports as `createImports`. */
export type ImportsFactory = (
  ctx: ImportContext,
) => WebAssembly.Imports | Promise<WebAssembly.Imports>;

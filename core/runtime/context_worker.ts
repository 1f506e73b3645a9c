/**
 * Worker entry of a user context: imports the imports-factory module it is
 * told about, runs the instance (context_run.ts) and posts the result.
 *
 * Messages in: {@linkcode WorkerRun}. Out: `{type: "started", flags}` once
 * the program runs (flags: the module's shared flags memory, if any), then
 * `{type: "result", result}`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { ImportsFactory } from "./imports_factory.ts";
import type { RunResult } from "./context_run.ts";
import type { Snapshot } from "./snapshot.ts";

/** The message starting a context. */
export interface WorkerRun {
  /** Discriminator. */
  type: "run";
  /** Instrumented module. */
  wasm: Uint8Array;
  /** Its hex SHA-256. */
  moduleHash: string;
  /** URL of a module exporting `createImports`. */
  importsModule: string;
  /** Passed to createImports. */
  importsOptions?: unknown;
  /** Control cells (freeze flag). */
  control: SharedArrayBuffer;
  /** Snapshot to continue. */
  snapshot?: Snapshot;
}

// Only type imports above: a worker whose module graph is still loading
// can drop messages, so everything is loaded from the handler.
self.onmessage = async (e: MessageEvent<WorkerRun>) => {
  const m = e.data;
  let result: RunResult;
  try {
    const { runContext } = await import("./context_run.ts");
    const mod = await import(m.importsModule);
    const factory = mod.createImports as ImportsFactory | undefined;
    if (typeof factory !== "function") {
      throw new Error(`${m.importsModule} does not export createImports`);
    }
    result = await runContext({
      wasm: m.wasm,
      moduleHash: m.moduleHash,
      factory,
      options: m.importsOptions,
      control: new Int32Array(m.control),
      snapshot: m.snapshot,
      onStarted: (flags) => self.postMessage({ type: "started", flags }),
    });
  } catch (err) {
    result = { kind: "error", message: (err as Error)?.message ?? String(err) };
  }
  const transfer = result.kind === "frozen"
    ? [result.snapshot.memory.data.buffer as ArrayBuffer]
    : [];
  self.postMessage({ type: "result", result }, transfer);
  self.close();
};

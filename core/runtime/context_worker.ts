/**
 * Worker entry of a user context: imports the imports-factory module it is
 * told about, runs the instance (context_run.ts) and posts the result.
 *
 * Messages in: {@linkcode WorkerRun}. Out: `{type: "started"}` once the
 * program runs, then `{type: "result", result}`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { ImportsFactory } from "./imports_factory.ts";
import { runContext, type RunResult } from "./context_run.ts";
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

self.onmessage = async (e: MessageEvent<WorkerRun>) => {
  const m = e.data;
  let result: RunResult;
  try {
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
      onStarted: () => self.postMessage({ type: "started" }),
    });
  } catch (err) {
    result = { kind: "error", message: (err as Error)?.message ?? String(err) };
  }
  const transfer = result.kind === "frozen" ? [result.snapshot.memory.data.buffer as ArrayBuffer] : [];
  self.postMessage({ type: "result", result }, transfer);
  self.close();
};

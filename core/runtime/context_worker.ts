/**
 * Worker entry of a user context: imports the imports-factory module it is
 * told about, runs the instance (context_run.ts) and posts the result.
 *
 * Messages in: optionally {@linkcode WorkerPrepare} (a spare worker loads
 * its code before it is needed; it posts `{type: "ready"}` when loaded),
 * then {@linkcode WorkerRun}. Out: `{type: "resumeModule", wasm}`
 * when it had to build a resume module, `{type: "compiled", module}` when
 * it had to compile what it runs, `{type: "started", flags}` once
 * the program runs (flags: the module's shared flags memory, if any), then
 * `{type: "result", result}`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type { ImportsFactory } from "./imports_factory.ts";
import type { RunResult } from "./context_run.ts";
import type { Snapshot } from "./snapshot.ts";
import type { InstrumentInfo } from "./runtime_abi.ts";

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
  /** Its resume module, when cached; else the worker builds it and posts `{type: "resumeModule", wasm}`. */
  resumeWasm?: Uint8Array;
  /** What `wasm` (or the resume module) compiles to, when the host has it. */
  module?: WebAssembly.Module;
  /** The instrumenter's record in `wasm`, when the host has read it. */
  info?: InstrumentInfo;
}

/** Load the runner and an imports module ahead of a run (a spare worker). */
export interface WorkerPrepare {
  /** Discriminator. */
  type: "prepare";
  /** URL of a module exporting `createImports`. */
  importsModule: string;
  /** Post `{type: "idle"}` if no run came within this many ms. */
  idleMs: number;
}

interface Loaded {
  runContext: typeof import("./context_run.ts").runContext;
  warmUp: typeof import("./context_run.ts").warmUp;
  factory: ImportsFactory;
  /** The imports module's sample options for a warm-up, if it has them. */
  warmOptions?: () => unknown;
}

let idle: ReturnType<typeof setTimeout> | undefined;
const loading = new Map<string, Promise<Loaded>>();

function load(url: string): Promise<Loaded> {
  let p = loading.get(url);
  if (p === undefined) {
    p = (async () => {
      const { runContext, warmUp } = await import("./context_run.ts");
      const mod = await import(url);
      const factory = mod.createImports as ImportsFactory | undefined;
      if (typeof factory !== "function") {
        throw new Error(`${url} does not export createImports`);
      }
      const warmOptions = typeof mod.warmOptions === "function"
        ? mod.warmOptions as () => unknown
        : undefined;
      return { runContext, warmUp, factory, warmOptions };
    })();
    loading.set(url, p);
  }
  return p;
}

// Only type imports above: a worker whose module graph is still loading
// can drop messages, so everything is loaded from the handler.
self.onmessage = async (e: MessageEvent<WorkerRun | WorkerPrepare>) => {
  const m = e.data;
  if (m.type === "prepare") {
    // "ready" either way: a failure is reported by the run. Loaded, it
    // runs a context's setup once, so the first context finds it compiled.
    const ready = () => self.postMessage({ type: "ready" });
    load(m.importsModule).then(async (l) => {
      if (l.warmOptions) await l.warmUp(l.factory, l.warmOptions());
    }).then(ready, ready);
    idle = setTimeout(() => self.postMessage({ type: "idle" }), m.idleMs);
    return;
  }
  clearTimeout(idle);
  let result: RunResult;
  try {
    const { runContext, factory } = await load(m.importsModule);
    result = await runContext({
      wasm: m.wasm,
      moduleHash: m.moduleHash,
      factory,
      options: m.importsOptions,
      control: new Int32Array(m.control),
      snapshot: m.snapshot,
      resumeWasm: m.resumeWasm,
      module: m.module,
      info: m.info,
      onResumeModule: (wasm) =>
        self.postMessage({ type: "resumeModule", wasm }),
      onCompiled: (module) => self.postMessage({ type: "compiled", module }),
      onStarted: (flags, memory) =>
        self.postMessage({ type: "started", flags, memory }),
    });
  } catch (err) {
    result = { kind: "error", message: (err as Error)?.message ?? String(err) };
  }
  // A transfer list, even empty, takes a path that costs a fresh worker
  // over a millisecond: only a copied memory needs one.
  const copied = result.kind === "frozen" &&
      !(result.snapshot.memory.data.buffer instanceof SharedArrayBuffer)
    ? result.snapshot.memory.data.buffer as ArrayBuffer
    : null;
  if (copied) self.postMessage({ type: "result", result }, [copied]);
  else self.postMessage({ type: "result", result });
  self.close();
};

/**
 * Run one instance of an instrumented module to its end: it exits, fails,
 * or unwinds because a freeze was requested, in which case the result is
 * a Snapshot. Used by the context worker; callable in-process too (tests).
 *
 * @module
 */

import type { ImportsFactory } from "./imports_factory.ts";
import { liveMemory, memoryFor } from "./memory_pages.ts";
import { MEMORY_IMPORT } from "./wasm_sections.ts";
import { readInstrumentInfo } from "./instrument_info.ts";
import type { InstrumentInfo } from "./runtime_abi.ts";
import { continuationIds } from "./resume_cache.ts";
import { FLAGS_EXPORT, RESUME_EXPORT, RUNTIME_MODULE } from "./runtime_abi.ts";
import type { SavedFrame, Snapshot, SnapshotGlobal } from "./snapshot.ts";
import { UnwindRuntime } from "./unwind_runtime.ts";
import { WasiExit } from "./wasi_exit.ts";

/** What to run. */
export interface RunRequest {
  /** The instrumented module. */
  wasm: Uint8Array;
  /** Hex SHA-256 of `wasm` (recorded in snapshots, checked on resume). */
  moduleHash: string;
  /** Builds the non-runtime imports. */
  factory: ImportsFactory;
  /** Passed to the factory. */
  options?: unknown;
  /** Shared control cells (freeze flag). */
  control: Int32Array;
  /** Continue this snapshot instead of starting. */
  snapshot?: Snapshot;
  /** The resume module of `snapshot`, when already built (resume_cache.ts). */
  resumeWasm?: Uint8Array;
  /** Given the resume module this run had to build (to cache it). */
  onResumeModule?: (wasm: Uint8Array) => void;
  /**
   * What runs (the resume module when resuming) compiled already: a
   * Module compiled once is shared by every instance, with its compiled
   * code, so a resume neither compiles nor warms it up again.
   */
  module?: WebAssembly.Module;
  /** Given what this run had to compile (to pass as `module` next time). */
  onCompiled?: (module: WebAssembly.Module) => void;
  /** `wasm`'s instrument info, read already (else read here). */
  info?: InstrumentInfo;
  /**
   * Called once the program runs (after instantiation and restore), with
   * the flags memory if any and the program's (shared) memory.
   */
  onStarted?: (
    flags: SharedArrayBuffer | undefined,
    memory: WebAssembly.Memory,
  ) => void;
  /** Clock in ms (default performance.now + timeOrigin, comparable across threads). */
  now?: () => number;
}

/** Timestamps (ms, `now` clock) of a freeze. */
export interface FreezeTimes {
  /** The unwind started (flag seen at a preemption point, or import interrupted). */
  unwindStartedAt: number;
  /** The stack was unwound back to the runner. */
  unwoundAt: number;
  /** Memory and globals were captured. */
  capturedAt: number;
  /** What started the unwind: "preempt" or an import name. */
  cause: string;
}

/** How a run ended. */
export type RunResult =
  | { kind: "exit"; code: number }
  | { kind: "frozen"; snapshot: Snapshot; times: FreezeTimes }
  | { kind: "error"; message: string };

/** Clock shared by threads: ms since the epoch, sub-ms precision. */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}

/** WebAssembly.Exception (missing from Deno's lib types). */
const WasmException =
  (WebAssembly as unknown as { Exception: new (...a: never[]) => object })
    .Exception;

type Setter = (v: number | bigint) => void;
type Getter = () => number | bigint;

/** Run `req` (see the module doc); never throws for program failures. */
export async function runContext(req: RunRequest): Promise<RunResult> {
  const now = req.now ?? sharedNow;
  const info = req.info ?? readInstrumentInfo(req.wasm);
  let bytes = req.wasm;
  let contIds: number[] = [];
  if (req.snapshot) {
    if (req.snapshot.moduleHash !== req.moduleHash) {
      return {
        kind: "error",
        message: "resume: snapshot belongs to another module",
      };
    }
    if (req.module || req.resumeWasm) {
      bytes = req.resumeWasm ?? bytes;
      contIds = continuationIds(req.snapshot.frames);
    } else {
      // Binaryen is large: load it only when the module is not cached.
      const { buildResumeModule } = await import("./resume_module.ts");
      const r = buildResumeModule(req.wasm, req.snapshot.frames);
      bytes = r.wasm;
      contIds = r.contIds;
      req.onResumeModule?.(r.wasm);
    }
  }
  let module = req.module;
  if (!module) {
    module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    req.onCompiled?.(module);
  }
  const rt = new UnwindRuntime(
    req.control,
    info.unwindImports,
    info.interval,
    now,
  );
  let instance: WebAssembly.Instance | undefined;
  const memory = () => {
    if (!instance) throw new Error("memory used before instantiation");
    return instance.exports.memory as WebAssembly.Memory;
  };
  const imports = await importsFor(
    req.factory,
    req.options,
    rt,
    module,
    memory,
    req.snapshot !== undefined,
  );
  if (req.snapshot) {
    // The resume module imports its memory: the snapshot's own, adopted
    // as it is (or one built from a compact copy).
    try {
      imports[MEMORY_IMPORT.module] = {
        [MEMORY_IMPORT.name]: memoryFor(req.snapshot.memory),
      };
    } catch (e) {
      return { kind: "error", message: `resume: ${(e as Error).message}` };
    }
  }
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (e) {
    return { kind: "error", message: `instantiate: ${(e as Error).message}` };
  }
  rt.attach(instance);
  const ex = instance.exports;
  if (req.snapshot) {
    try {
      restoreGlobals(ex, info.globals, req.snapshot.globals);
    } catch (e) {
      return { kind: "error", message: `resume: ${(e as Error).message}` };
    }
    rt.beginResume(req.snapshot.frames, contIds);
  }
  const flagsMem = ex[FLAGS_EXPORT] as WebAssembly.Memory | undefined;
  const flags = flagsMem?.buffer as SharedArrayBuffer | undefined;
  // A freeze requested before the flags were visible must still stop the program.
  if (flags && Atomics.load(req.control, 0) !== 0) {
    Atomics.store(new Int32Array(flags), 0, 1);
  }
  req.onStarted?.(flags, memory());
  try {
    (ex[req.snapshot ? RESUME_EXPORT : info.entry] as () => void)();
  } catch (e) {
    if (e instanceof WasiExit) return { kind: "exit", code: e.code };
    // Unwinding by exception ends with the runtime's exception reaching here.
    if (!(rt.unwinding && e instanceof WasmException)) {
      return { kind: "error", message: (e as Error)?.message ?? String(e) };
    }
  }
  if (!rt.unwinding) return { kind: "exit", code: 0 };
  const unwoundAt = now();
  const snapshot: Snapshot = {
    moduleHash: req.moduleHash,
    // Handed over whole, not copied: nothing runs in it any more.
    memory: liveMemory(memory()),
    globals: info.globals.map((g) => ({
      name: g.name,
      type: g.type as SnapshotGlobal["type"],
      bits: (ex[g.getter] as Getter)(),
    })),
    frames: rt.frames as SavedFrame[],
  };
  return {
    kind: "frozen",
    snapshot,
    times: {
      unwindStartedAt: rt.unwindStartedAt ?? unwoundAt,
      unwoundAt,
      capturedAt: now(),
      cause: rt.cause ?? "unknown",
    },
  };
}

/** An instance's imports: the factory's, and the runtime's for `module`. */
async function importsFor(
  factory: ImportsFactory,
  options: unknown,
  rt: UnwindRuntime,
  module: WebAssembly.Module,
  memory: () => WebAssembly.Memory,
  resuming: boolean,
): Promise<WebAssembly.Imports> {
  const imports = await factory({
    hooks: rt.hooks,
    memory,
    options,
    control: rt.control,
    freezeRequested: () => Atomics.load(rt.control, 0) !== 0,
    module,
    resuming,
  });
  imports[RUNTIME_MODULE] = rt.imports(module);
  return imports;
}

function restoreGlobals(
  ex: WebAssembly.Exports,
  infos: { name: string; setter: string }[],
  values: SnapshotGlobal[],
): void {
  const byName = new Map(values.map((g) => [g.name, g]));
  for (const g of infos) {
    const v = byName.get(g.name);
    if (v === undefined) {
      throw new Error(`resume: snapshot lacks global ${g.name}`);
    }
    (ex[g.setter] as Setter)(v.bits);
  }
}

/** The smallest module: nothing imported, nothing exported. */
const EMPTY_MODULE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

/**
 * Run the setup a context goes through (runtime, imports, instantiation)
 * once on an empty module, with `options` for `factory`: a spare worker
 * does this ahead, so the first context it runs finds that code compiled
 * (about a millisecond less standing still at a resume). Never throws.
 */
export async function warmUp(
  factory: ImportsFactory,
  options: unknown,
): Promise<void> {
  try {
    const module = await WebAssembly.compile(EMPTY_MODULE);
    const rt = new UnwindRuntime(new Int32Array(4), [], 1000);
    const imports = await importsFor(factory, options, rt, module, () => {
      throw new Error("no memory in a warm-up");
    }, false);
    await WebAssembly.instantiate(module, imports);
  } catch {
    // Only a warm-up: the real run reports real failures.
  }
}

/**
 * The names shared by the instrumenter, the resume-module builder and the
 * runtime in the worker: the `dmosix` imports an instrumented module calls,
 * the exports it adds, and its custom sections.
 *
 * How a frozen stack is represented: to freeze, the runtime sets the state
 * global to 1 (through `__dmosix_unwind`) from inside an import (preempt,
 * or a blocking import via UnwindHooks.interrupt); the call site of that
 * import then throws the module's own exception (or, in "check" mode,
 * returns). Every instrumented call site catches it, calls
 * `frame_<sig>(functionId, siteIndex, ...liveLocals)` (floats as their
 * bits, v128 as two i64; `sig` spells the value types, i = i32, I = i64;
 * one call keeps the cold path small) and rethrows, so frames arrive
 * innermost first. To resume, a module with continuation functions (one
 * per saved (function, site)) is built, and `__dmosix_resume` rebuilds the
 * frames outermost first, asking `resume_next` which continuation comes
 * next and `load_*` for the locals.
 *
 * @module
 */

/** Bumped whenever the instrumented code or frame format changes. */
export const INSTRUMENTER_VERSION = "dmosix-instrument-3";

/** Import module of the runtime's functions. */
export const RUNTIME_MODULE = "dmosix";

/** Imports of an instrumented module (and of a resume module). */
export const RT = {
  /** () -> i32: called every `interval` loop iterations; returns the next interval. */
  preempt: "preempt",
  /** Prefix of (i32 functionId, i32 site, ...values) -> (): saves one frame. */
  framePrefix: "frame_",
  /** () -> i32: next saved value while resuming. */
  loadI32: "load_i32",
  /** () -> i64: next saved value while resuming. */
  loadI64: "load_i64",
  /** () -> i32: continuation index of the next frame while resuming. */
  resumeNext: "resume_next",
} as const;

/**
 * Exported functions around the internal state global (0 running, 1
 * unwinding). The state, like every mutable global, is reached through
 * functions rather than exported: V8 reads an exported mutable global
 * through an extra indirection, which would slow every check.
 */
export const UNWIND_EXPORT = "__dmosix_unwind";
/** () -> i32: the state global. */
export const STATE_EXPORT = "__dmosix_state";

/** Prefixes of the getter (() -> bits) and setter ((bits) -> ()) of global i. */
export const GLOBAL_GET_PREFIX = "__dmosix_get_global_";
/** See {@linkcode GLOBAL_GET_PREFIX}. */
export const GLOBAL_SET_PREFIX = "__dmosix_set_global_";

/** Exported one-page shared memory; int32 0 is the freeze flag (preemption "flag"). */
export const FLAGS_EXPORT = "__dmosix_flags";

/** Export of a resume module that rebuilds the saved stack and continues. */
export const RESUME_EXPORT = "__dmosix_resume";

/** Custom section holding the flat (unoptimised) instrumented module. */
export const FLAT_SECTION = "dmosix.flat";

/** Custom section holding the JSON {@linkcode InstrumentInfo}. */
export const INFO_SECTION = "dmosix.info";

/** WASI imports that may block and therefore may unwind (besides preempt). */
export const DEFAULT_UNWIND_IMPORTS: readonly string[] = [
  "wasi_snapshot_preview1.fd_read",
  "wasi_snapshot_preview1.fd_write",
  "wasi_snapshot_preview1.fd_pread",
  "wasi_snapshot_preview1.fd_pwrite",
  "wasi_snapshot_preview1.poll_oneoff",
  "wasi_snapshot_preview1.sock_accept",
  "wasi_snapshot_preview1.sock_recv",
  "wasi_snapshot_preview1.sock_send",
];

/** A value type the runtime can save. */
export type WasmValType = "i32" | "i64" | "f32" | "f64" | "v128";

/**
 * One mutable global made reachable for snapshots, through a getter and a
 * setter that carry its bits (i32 for i32/f32, i64 as bigint for i64/f64;
 * v128 globals are refused).
 */
export interface GlobalInfo {
  /** Getter export (() -> i32 | i64). */
  getter: string;
  /** Setter export ((i32 | i64) -> ()). */
  setter: string;
  /** Name in the original module (debug name or index). */
  name: string;
  /** Value type. */
  type: WasmValType;
}

/** What the instrumenter did, stored in the module's info section. */
export interface InstrumentInfo {
  /** {@linkcode INSTRUMENTER_VERSION} that produced the module. */
  version: string;
  /** How preemption points learn of a freeze (see InstrumentOptions). */
  preemption: "flag" | "countdown";
  /** How frames learn of an unwind (see InstrumentOptions). */
  unwind: "exception" | "check";
  /** Initial loop countdown (countdown mode). */
  interval: number;
  /** "module.name" of the module's imports that can unwind. */
  unwindImports: string[];
  /** Function id -> function name (ids appear in saved frames). */
  functions: string[];
  /** Mutable globals exported for snapshots (the state global excluded). */
  globals: GlobalInfo[];
  /** Export called to run the program. */
  entry: string;
  /** Counts, for reports and tests. */
  counts: {
    /** Defined functions. */
    functions: number;
    /** Functions given unwind support. */
    instrumented: number;
    /** Loops given a countdown. */
    loops: number;
    /** Functions in call-graph cycles given an entry check. */
    entryChecks: number;
    /** Call sites that can unwind. */
    sites: number;
  };
}

/**
 * The runtime side of an instrumented instance: the `dmosix` imports
 * (preempt, frame savers, resume loaders) and the UnwindHooks given to
 * blocking imports. It collects frames while the stack unwinds and feeds
 * them back while a resume module rebuilds it.
 *
 * @module
 */

import type { UnwindHooks } from "./unwind_hooks.ts";
import { CONTROL_FREEZE, CONTROL_KILL } from "./imports_factory.ts";
import { RT, STATE_EXPORT, UNWIND_EXPORT } from "./runtime_abi.ts";
import type { SavedFrame } from "./snapshot.ts";

/** Why the stack unwound: "preempt" or the interrupted import's name. */
export type UnwindCause = string;

/** Collects and replays frames for one instance. */
export class UnwindRuntime {
  /** Frames saved by the last unwind, innermost first. */
  readonly frames: SavedFrame[] = [];
  /** What started the unwind, once it started. */
  cause: UnwindCause | undefined;
  /** now() when the unwind started. */
  unwindStartedAt: number | undefined;
  #exports: { unwind: () => void; state: () => number } | undefined;
  #replay: SavedFrame[] = [];
  #contIds: number[] = [];
  #next = 0;
  #values: (number | bigint)[] = [];
  #vi = 0;
  readonly #unwindable: Set<string>;

  /**
   * `unwindImports` are "module.name" of the imports instrumented to
   * unwind; `interval` is what preempt returns (the next countdown).
   */
  constructor(
    readonly control: Int32Array,
    unwindImports: readonly string[],
    readonly interval: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#unwindable = new Set(
      unwindImports.flatMap((q) => [q, q.slice(q.indexOf(".") + 1)]),
    );
  }

  /** Connect to the instance (its unwind/state exports). */
  attach(instance: WebAssembly.Instance): void {
    const e = instance.exports;
    this.#exports = {
      unwind: e[UNWIND_EXPORT] as () => void,
      state: e[STATE_EXPORT] as () => number,
    };
  }

  /** True while (or after) the stack unwinds. */
  get unwinding(): boolean {
    return this.#exports !== undefined && this.#exports.state() === 1;
  }

  #startUnwind(cause: UnwindCause): void {
    if (this.#exports === undefined) {
      throw new Error("unwind before the instance was attached");
    }
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.unwindStartedAt = this.now();
    this.#exports.unwind();
  }

  /** Replay `frames` (innermost first) with continuation ids from the resume module. */
  beginResume(frames: SavedFrame[], contIds: number[]): void {
    this.#replay = frames;
    this.#contIds = contIds;
    this.#next = frames.length - 1;
  }

  /** Hooks for blocking imports (UnwindHooks contract). */
  readonly hooks: UnwindHooks = {
    // No rewind runs inside an import here: a resumed frame performs the
    // interrupted call again as a fresh call.
    enter: () => {},
    interrupt: (importName: string): number => {
      if (!this.#unwindable.has(importName)) {
        throw new Error(
          `${importName} interrupted but the module was not instrumented to unwind there`,
        );
      }
      this.#startUnwind(importName);
      return 0;
    },
  };

  /** The `dmosix` import object for `module` (frame savers per its imports). */
  imports(
    module: WebAssembly.Module,
  ): Record<string, (...a: never[]) => unknown> {
    const save = (
      fid: number,
      site: number,
      ...values: (number | bigint)[]
    ) => {
      this.frames.push({ fid, site, values });
    };
    const out: Record<string, (...a: never[]) => unknown> = {
      [RT.preempt]: (): number => {
        if (Atomics.load(this.control, CONTROL_KILL) !== 0) {
          throw new Error("context terminated");
        }
        if (Atomics.load(this.control, CONTROL_FREEZE) !== 0) {
          this.#startUnwind("preempt");
        }
        return this.interval;
      },
      [RT.resumeNext]: (): number => {
        if (this.#next < 0) {
          throw new Error("resume asked for more frames than saved");
        }
        const f = this.#replay[this.#next];
        const id = this.#contIds[this.#next--];
        this.#values = f.values;
        this.#vi = 0;
        return id;
      },
      [RT.loadI32]: (): number => this.#load() as number,
      [RT.loadI64]: (): bigint => this.#load() as bigint,
    };
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.module === "dmosix" && imp.name.startsWith(RT.framePrefix)) {
        out[imp.name] = save as (...a: never[]) => unknown;
      }
    }
    return out;
  }

  #load(): number | bigint {
    if (this.#vi >= this.#values.length) {
      throw new Error("resume read past a saved frame");
    }
    return this.#values[this.#vi++];
  }
}

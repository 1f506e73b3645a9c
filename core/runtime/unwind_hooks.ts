/**
 * The contract between WASI imports that may block and the runtime that
 * freezes a running user context.
 *
 * An instrumented module can unwind its stack (Asyncify-style) from inside
 * an import that may block (fd_read on a terminal, poll_oneoff, ...). When a
 * freeze is requested while such a call is blocked, the link answers the
 * call with "interrupted"; the import then calls {@linkcode UnwindHooks.interrupt}
 * which starts the unwind. After a resume the import is entered again in
 * rewind mode; {@linkcode UnwindHooks.enter} stops the rewind and the import
 * performs its call again, for real. A call is therefore executed once: an
 * interrupted call has done nothing at the deputy.
 *
 * @module
 */

/** Hooks a blocking import calls; supplied by the runtime. */
export interface UnwindHooks {
  /** Called first in every import that may block (stops a rewind in progress). */
  enter(importName: string): void;
  /** Start unwinding because the call was interrupted by a freeze. Returns the value the import returns (ignored). */
  interrupt(importName: string): number;
}

/** Hooks for modules run without instrumentation: an interrupt is fatal. */
export const NO_UNWIND: UnwindHooks = {
  enter() {},
  interrupt(importName: string): number {
    throw new Error(`${importName} interrupted but the module cannot unwind`);
  },
};

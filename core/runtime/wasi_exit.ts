/**
 * The exception a WASI `proc_exit` import throws to end the program; the
 * context runner catches it and reports the exit code.
 *
 * @module
 */

/** Thrown by proc_exit; `code` is the exit status. */
export class WasiExit extends Error {
  /** Make the exit signal for status `code`. */
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = "WasiExit";
  }
}

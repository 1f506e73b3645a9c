/**
 * The exception proc_exit throws to unwind the whole wasm stack; the runner
 * catches it and reports the exit code.
 *
 * @module
 */

/** Thrown by the proc_exit import; `code` is the program's exit status. */
export class ProcExit extends Error {
  /** The u32 the program passed to proc_exit. */
  readonly code: number;
  /** Make the exception for exit status `code`. */
  constructor(code: number) {
    super(`proc_exit(${code})`);
    this.name = "ProcExit";
    this.code = code;
  }
}

/** The exit status a shell sees for a proc_exit code (low 8 bits). */
export function shellStatus(code: number): number {
  return code & 0xff;
}

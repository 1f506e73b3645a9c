/**
 * The exception a WASI `proc_exit` import throws to end the program; the
 * context runner catches it and reports the exit code. It is the WASI
 * host's ProcExit, so the host's imports and the runtime agree on it.
 *
 * @module
 */

export { ProcExit as WasiExit } from "../wasi/proc_exit.ts";

/**
 * The error the instrumenter throws for an input it cannot make
 * freezable: not a wasm module, not a WASI command, or a construct it does
 * not support.
 *
 * @module
 */

/** Why a module was refused. */
export type InstrumentErrorKind =
  | "not-wasm"
  | "not-wasi-command"
  | "unsupported";

/** A module the instrumenter refuses, with a one-line reason. */
export class InstrumentError extends Error {
  /** Make an error of `kind` with a one-line message. */
  constructor(readonly kind: InstrumentErrorKind, message: string) {
    super(message);
    this.name = "InstrumentError";
  }
}

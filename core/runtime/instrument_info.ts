/**
 * Read what the instrumenter recorded in a module (its `dmosix.info`
 * section) without loading binaryen: the runtime needs it on every start.
 *
 * @module
 */

import { InstrumentError } from "./instrument_error.ts";
import {
  INFO_SECTION,
  INSTRUMENTER_VERSION,
  type InstrumentInfo,
} from "./runtime_abi.ts";
import { getCustomSection, hasWasmHeader } from "./wasm_sections.ts";

/** Read the info section of an instrumented module. */
export function readInstrumentInfo(wasm: Uint8Array): InstrumentInfo {
  let s: Uint8Array | undefined;
  try {
    s = hasWasmHeader(wasm) ? getCustomSection(wasm, INFO_SECTION) : undefined;
  } catch {
    s = undefined;
  }
  if (s === undefined) {
    throw new InstrumentError(
      "not-wasm",
      "not an instrumented module (no dmosix.info section)",
    );
  }
  const info = JSON.parse(new TextDecoder().decode(s)) as InstrumentInfo;
  if (info.version !== INSTRUMENTER_VERSION) {
    throw new InstrumentError(
      "unsupported",
      `instrumented by ${info.version}, this runtime is ${INSTRUMENTER_VERSION} (instrument again)`,
    );
  }
  return info;
}

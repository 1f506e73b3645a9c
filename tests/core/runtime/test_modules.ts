/**
 * TEST HARNESS: the runtime test programs (C sources beside this file,
 * built .wasm committed), instrumented once per test process.
 *
 * @module
 */

import {
  instrument,
  type InstrumentedModule,
  type InstrumentOptions,
} from "../../../core/runtime/instrument.ts";

const memo = new Map<string, InstrumentedModule>();

/** The plain module of test program `name` (counter, deep, reader, ack). */
export function plainModule(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`./${name}.wasm`, import.meta.url));
}

/** The instrumented module of test program `name`. */
export function instrumented(
  name: string,
  opts: InstrumentOptions = {},
): InstrumentedModule {
  const key = `${name} ${JSON.stringify(opts)}`;
  let m = memo.get(key);
  if (m === undefined) {
    m = instrument(plainModule(name), opts);
    memo.set(key, m);
  }
  return m;
}

/** URL of the test WASI shim (an imports module). */
export const SHIM = new URL("./wasi_shim.ts", import.meta.url);

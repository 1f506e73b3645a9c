/**
 * Imported first by mosrun, before anything loads cbor-x: cbor-x then does
 * not load its optional native extension (cbor-extract, a Node add-on that
 * only speeds up decoding strings). Loading it costs a mosrun start about
 * 20 ms of CPU, and as much again in the Worker that runs the program,
 * which reads the same variable; a busy home starting many processes pays
 * that for each. The variable is ours, not the user's: mosrun keeps it out
 * of the program's environment ({@linkcode withoutCborSwitch}).
 *
 * @module
 */

/** The variable cbor-x reads when it loads. */
export const CBOR_SWITCH = "CBOR_NATIVE_ACCELERATION_DISABLED";

function set(): boolean {
  try {
    if (Deno.env.get(CBOR_SWITCH) !== undefined) return false;
    Deno.env.set(CBOR_SWITCH, "true");
    return true;
  } catch {
    return false; // no env permission: cbor-x loads as it would anyway
  }
}

/** True when this module set the variable (the user had not). */
export const setByUs: boolean = set();

/** The environment without the variable, if we set it. */
export function withoutCborSwitch(
  env: Record<string, string>,
): Record<string, string> {
  if (!setByUs) return env;
  const { [CBOR_SWITCH]: _, ...rest } = env;
  return rest;
}

/** Remove the variable again, if we set it (before starting programs). */
export function clearCborSwitch(): void {
  if (!setByUs) return;
  try {
    Deno.env.delete(CBOR_SWITCH);
  } catch {
    // nothing to undo
  }
}

/**
 * What every command shares: argument parsing that turns mistakes into
 * usage errors, and a main wrapper that maps errors to the exit codes and
 * one-line messages of the command contract (0 ok, 1 failure, 2 bad usage,
 * `cmd: what went wrong (what to do)` on stderr).
 *
 * @module
 */

import { parseArgs, type ParseArgsConfig } from "node:util";
import { VERSION } from "./version.ts";

/** Bad usage: the command line itself is wrong (exit status 2). */
export class UsageError extends Error {
  /** Create a usage error with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** An expected failure with a message meant for the user (exit status 1). */
export class CliError extends Error {
  /** Create a user-facing failure with a one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** Errors whose message is written for users; anything else is a bug. */
function isUserError(e: unknown): e is Error {
  return e instanceof Error &&
    (e instanceof CliError || e.name.endsWith("Error") &&
        !(e instanceof TypeError || e instanceof ReferenceError ||
          e instanceof SyntaxError));
}

/** Squeeze a message to one line. */
export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, "; ").trim();
}

/**
 * Run a command's body and exit with its status. Usage errors exit 2 with a
 * hint to `--help`, other errors exit 1 with one line; a stack trace is shown
 * only with DMOSIX_DEBUG=1.
 */
export async function cliMain(
  name: string,
  body: (args: string[]) => Promise<number>,
  args: string[] = Deno.args,
): Promise<never> {
  let code: number;
  try {
    code = await body(args);
  } catch (e) {
    if (Deno.env.get("DMOSIX_DEBUG") === "1") console.error(e);
    if (e instanceof UsageError) {
      console.error(`${name}: ${oneLine(e.message)} (see '${name} --help')`);
      code = 2;
    } else if (isUserError(e)) {
      console.error(`${name}: ${oneLine(e.message)}`);
      code = 1;
    } else {
      const msg = e instanceof Error ? e.message : String(e);
      console.error(
        `${name}: internal error: ${
          oneLine(msg)
        } (rerun with DMOSIX_DEBUG=1 and report it)`,
      );
      code = 1;
    }
  }
  Deno.exit(code);
}

/**
 * node:util parseArgs with strict checking, turning its errors into
 * {@linkcode UsageError}s.
 */
export function parseCli<T extends ParseArgsConfig["options"]>(
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // parseArgs messages are long and mention internals; keep the first sentence.
    throw new UsageError(msg.split(". ")[0].replace(/\.$/, ""));
  }
}

/** Print `text` for `--help` or the version line for `--version`; true when done. */
export function handleInfoFlags(
  name: string,
  values: { help?: boolean; version?: boolean },
  help: string,
): boolean {
  if (values.help) {
    console.log(help.trimEnd());
    return true;
  }
  if (values.version) {
    console.log(`${name} (dmosix) ${VERSION}`);
    return true;
  }
  return false;
}

/** Parse a positive finite number option, or throw a usage error naming it. */
export function positiveNumber(
  value: string | undefined,
  flag: string,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} needs a positive number, got '${value}'`);
  }
  return n;
}

/** Print a value as one JSON document on stdout. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

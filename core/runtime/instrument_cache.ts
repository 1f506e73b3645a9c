/**
 * Instrument a module once: results are cached on disk under the SHA-256
 * of (instrumenter version, options, input module). Writes are atomic
 * (temporary file + rename), so concurrent users never read half a file;
 * an unreadable or stale entry is simply instrumented again.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { InstrumentedModule, InstrumentOptions } from "./instrument.ts";
import { readInstrumentInfo } from "./instrument_info.ts";
import { INSTRUMENTER_VERSION } from "./runtime_abi.ts";

/** Where and how to cache. */
export interface InstrumentCacheOptions {
  /** Cache directory (default {@linkcode defaultCacheDir}). */
  dir?: string;
  /** Passed to instrument(); part of the key. */
  instrument?: InstrumentOptions;
}

/** An instrumented module, and whether it came from the cache. */
export interface CachedModule extends InstrumentedModule {
  /** True when read from the cache. */
  cached: boolean;
  /** Cache key (hex SHA-256). */
  key: string;
}

/** $XDG_CACHE_HOME/dmosix/instrumented, else ~/.cache/dmosix/instrumented. */
export function defaultCacheDir(
  env: (k: string) => string | undefined = Deno.env.get,
): string {
  const base = env("XDG_CACHE_HOME") || join(env("HOME") ?? "/tmp", ".cache");
  return join(base, "dmosix", "instrumented");
}

/** Cache key of `wasm` instrumented with `opts`. */
export function cacheKey(
  wasm: Uint8Array,
  opts: InstrumentOptions = {},
): string {
  return createHash("sha256")
    .update(INSTRUMENTER_VERSION)
    .update("\0")
    .update(JSON.stringify(opts))
    .update("\0")
    .update(wasm)
    .digest("hex");
}

/** instrument() through the cache. */
export async function instrumentCached(
  wasm: Uint8Array,
  opts: InstrumentCacheOptions = {},
): Promise<CachedModule> {
  const dir = opts.dir ?? defaultCacheDir();
  const key = cacheKey(wasm, opts.instrument);
  const path = join(dir, `${key}.wasm`);
  try {
    const bytes = await Deno.readFile(path);
    return { wasm: bytes, info: readInstrumentInfo(bytes), cached: true, key };
  } catch {
    // Missing, unreadable or stale: instrument again below.
  }
  // Binaryen is large: load it only on a cache miss, so a cached start is quick.
  const { instrument } = await import("./instrument.ts");
  const made = instrument(wasm, opts.instrument);
  await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID()}`;
  try {
    await Deno.writeFile(tmp, made.wasm);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  return { ...made, cached: false, key };
}

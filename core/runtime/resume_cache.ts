/**
 * Resume modules, kept by (instrumented module, frozen frame sites): in
 * memory, and on disk beside the instrumentation cache, so a resume only
 * instantiates instead of loading binaryen and building continuations.
 * A resume module depends only on the instrumented bytes and the sites of
 * the saved frames, and the same program is usually frozen at the same few
 * places. Disk writes are atomic; an unreadable entry is a miss.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { defaultCacheDir } from "./instrument_cache.ts";
import { INSTRUMENTER_VERSION } from "./runtime_abi.ts";

/** Where a saved frame stopped (see resume_module.ts). */
export interface SiteOf {
  /** Function id. */
  fid: number;
  /** Site index. */
  site: number;
}

/** Most modules kept in memory. */
export const RESUME_CACHE_ENTRIES = 32;

/** Cache key (hex) of the resume module of `moduleHash` for `frames`. */
export function resumeKey(moduleHash: string, frames: SiteOf[]): string {
  return createHash("sha256")
    .update(`${INSTRUMENTER_VERSION}\0${moduleHash}\0`)
    .update(frames.map((f) => `${f.fid}:${f.site}`).join(","))
    .digest("hex");
}

/**
 * Continuation index of every frame (innermost first): one continuation
 * per distinct (function, site, innermost), numbered in first-seen order,
 * as buildResumeModule numbers them.
 */
export function continuationIds(frames: SiteOf[]): number[] {
  const keys = new Map<string, number>();
  return frames.map((f, i) => {
    const key = `${f.fid}:${f.site}:${i === 0 ? 1 : 0}`;
    let id = keys.get(key);
    if (id === undefined) {
      id = keys.size;
      keys.set(key, id);
    }
    return id;
  });
}

/** $XDG_CACHE_HOME/dmosix/resume (beside the instrumentation cache). */
export function defaultResumeCacheDir(): string {
  return join(dirname(defaultCacheDir()), "resume");
}

/** Resume modules by key: memory first (LRU), then disk. */
export class ResumeCache {
  #mem = new Map<string, Uint8Array>();
  #dir: string | null;

  /** A cache on `dir` (null: memory only). */
  constructor(dir: string | null = defaultResumeCacheDir()) {
    this.#dir = dir;
  }

  /** The module stored under `key`, or undefined. */
  async get(key: string): Promise<Uint8Array | undefined> {
    const hit = this.#mem.get(key);
    if (hit !== undefined) {
      this.#mem.delete(key);
      this.#mem.set(key, hit);
      return hit;
    }
    if (this.#dir === null) return undefined;
    try {
      const bytes = await Deno.readFile(join(this.#dir, `${key}.wasm`));
      this.#remember(key, bytes);
      return bytes;
    } catch {
      return undefined;
    }
  }

  /** Store `wasm` under `key` (the disk write is best effort). */
  async set(key: string, wasm: Uint8Array): Promise<void> {
    this.#remember(key, wasm);
    if (this.#dir === null) return;
    const path = join(this.#dir, `${key}.wasm`);
    const tmp = `${path}.tmp-${Deno.pid}-${crypto.randomUUID()}`;
    try {
      await Deno.mkdir(this.#dir, { recursive: true });
      await Deno.writeFile(tmp, wasm);
      await Deno.rename(tmp, path);
    } catch {
      await Deno.remove(tmp).catch(() => {});
    }
  }

  #remember(key: string, wasm: Uint8Array): void {
    this.#mem.delete(key);
    this.#mem.set(key, wasm);
    while (this.#mem.size > RESUME_CACHE_ENTRIES) {
      this.#mem.delete(this.#mem.keys().next().value!);
    }
  }
}

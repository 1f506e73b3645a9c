import { deepEqual, notDeepEqual, ok } from "node:assert/strict";
import {
  cacheKey,
  defaultCacheDir,
  instrumentCached,
} from "../../../core/runtime/instrument_cache.ts";
import { plainModule } from "./test_modules.ts";

Deno.test("instrumentCached instruments once and then reads the cache", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const wasm = plainModule("reader");
    const a = await instrumentCached(wasm, { dir });
    const b = await instrumentCached(wasm, { dir });
    deepEqual([a.cached, b.cached], [false, true]);
    deepEqual(b.wasm, a.wasm);
    deepEqual(b.info, a.info);
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    deepEqual(files, [`${a.key}.wasm`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("instrumentCached replaces a corrupt cache entry", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const wasm = plainModule("reader");
    await Deno.writeTextFile(`${dir}/${cacheKey(wasm)}.wasm`, "garbage");
    const r = await instrumentCached(wasm, { dir });
    ok(!r.cached);
    deepEqual((await instrumentCached(wasm, { dir })).cached, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the cache key depends on module and options; the default dir follows XDG", () => {
  const wasm = plainModule("reader");
  notDeepEqual(cacheKey(wasm, { interval: 5 }), cacheKey(wasm));
  notDeepEqual(cacheKey(wasm.subarray(1)), cacheKey(wasm));
  const env = (m: Record<string, string>) => (k: string) => m[k];
  deepEqual(
    defaultCacheDir(env({ XDG_CACHE_HOME: "/x" })),
    "/x/dmosix/instrumented",
  );
  deepEqual(
    defaultCacheDir(env({ HOME: "/home/u" })),
    "/home/u/.cache/dmosix/instrumented",
  );
});

import { deepEqual, equal, notEqual } from "node:assert/strict";
import {
  continuationIds,
  ResumeCache,
  resumeKey,
} from "../../../core/runtime/resume_cache.ts";
import { buildResumeModule } from "../../../core/runtime/resume_module.ts";
import { UserContext } from "../../../core/runtime/context.ts";
import { newOutput } from "./wasi_shim.ts";
import { instrumented, SHIM } from "./test_modules.ts";

Deno.test("continuationIds numbers frames as buildResumeModule does", async () => {
  const wasm = instrumented("deep").wasm;
  const output = newOutput();
  const ctx = await UserContext.start({
    wasm,
    importsModule: SHIM,
    importsOptions: { output },
  });
  await new Promise((r) => setTimeout(r, 60));
  const snap = await ctx.freeze({ timeoutMs: 5000, prewarm: false });
  const built = buildResumeModule(wasm, snap.frames);
  deepEqual(continuationIds(snap.frames), built.contIds);
});

Deno.test("resumeKey depends on the module and on every frame site", () => {
  const a = resumeKey("aa", [{ fid: 1, site: 2 }, { fid: 3, site: 0 }]);
  equal(a, resumeKey("aa", [{ fid: 1, site: 2 }, { fid: 3, site: 0 }]));
  notEqual(a, resumeKey("ab", [{ fid: 1, site: 2 }, { fid: 3, site: 0 }]));
  notEqual(a, resumeKey("aa", [{ fid: 1, site: 2 }, { fid: 3, site: 1 }]));
  notEqual(a, resumeKey("aa", [{ fid: 1, site: 2 }]));
});

Deno.test("ResumeCache returns what was stored, from disk in a new cache", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    const c = new ResumeCache(dir);
    equal(await c.get("k1"), undefined);
    await c.set("k1", bytes);
    deepEqual(await c.get("k1"), bytes);
    deepEqual(await new ResumeCache(dir).get("k1"), bytes);
    equal(await new ResumeCache(null).get("k1"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

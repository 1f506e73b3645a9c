/**
 * A malicious WASI module (hostile_wasi.c beside this file) calling the
 * WASI imports directly with out-of-bounds and wrapping pointers, huge
 * lengths, bad fds, whence values, flags and clocks, and paths that climb
 * out of its preopen; then thousands of random calls. Run by the plain
 * WASI runner and by the migratable runtime (mosrun's path). Properties:
 * the program sees the expected errno for every case, survives the random
 * calls, and nothing outside its directory changes.
 */

import { equal, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { HomeProcess } from "../../core/home_process.ts";
import { UserContext } from "../../core/runtime/context.ts";
import { runWasi } from "../../core/wasi/plain_runner.ts";
import { collectOutput, inputFromText } from "../../core/wasi/stdio.ts";
import { fuzzConfig } from "../../tools/fuzz.ts";

const WASM = Deno.readFileSync(new URL("./hostile_wasi.wasm", import.meta.url));

/** Entries (name, size, content) of a directory tree, to compare. */
function snapshotTree(dir: string): string {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of Deno.readDirSync(join(dir, rel))) {
      const p = join(rel, e.name);
      if (e.isDirectory) walk(p);
      else out.push(`${p}:${Deno.readTextFileSync(join(dir, p))}`);
    }
  };
  walk("");
  return out.sort().join("\n");
}

async function layout(): Promise<
  { root: string; box: string; before: string }
> {
  const root = await Deno.makeTempDir({ prefix: "dmosix-hostile-" });
  const box = join(root, "box");
  await Deno.mkdir(box);
  await Deno.mkdir(join(root, "etc"));
  await Deno.writeTextFile(join(root, "etc", "passwd"), "root:x:0:0");
  await Deno.writeTextFile(join(root, "x"), "keep");
  return { root, box, before: snapshotTree(root).replace(/^box.*$/gm, "") };
}

function checkOutput(out: string, calls: number): void {
  const fails = out.split("\n").filter((l) => l.startsWith("FAIL"));
  equal(fails.length, 0, fails.join("\n"));
  match(out, new RegExp(`survived ${calls} random calls`));
  match(out, /^\d+ cases, 0 failures$/m);
  ok(Number(out.match(/^(\d+) cases/m)![1]) >= 50, "too few cases ran");
}

Deno.test("a hostile module gets an errno for every bad call from the WASI host and cannot touch files outside", async () => {
  const { iters, seed } = fuzzConfig(3000);
  const { root, box, before } = await layout();
  try {
    const stdout = collectOutput();
    const stderr = collectOutput();
    const code = await runWasi(WASM as Uint8Array<ArrayBuffer>, {
      args: ["hostile", String(iters), String(seed)],
      env: ["A=1"],
      cwd: box,
      stdin: inputFromText(""),
      stdout,
      stderr,
    });
    equal(stderr.text(), "");
    checkOutput(stdout.text(), iters);
    equal(code, 0);
    equal(snapshotTree(root).replace(/^box.*$/gm, ""), before);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a hostile module gets the same errnos under the migratable runtime", async () => {
  const { iters, seed } = fuzzConfig(1000);
  const { root, box, before } = await layout();
  try {
    const stdout = collectOutput();
    const stderr = collectOutput();
    const p = await HomeProcess.start({
      module: WASM,
      name: "hostile",
      args: ["hostile", String(iters), String(seed)],
      env: ["A=1"],
      cwd: box,
      stdio: { stdin: inputFromText(""), stdout, stderr },
      cacheDir: join(root, ".cache"),
    });
    const code = await p.wait();
    equal(stderr.text(), "");
    checkOutput(stdout.text(), iters);
    equal(code, 0);
    await Deno.remove(join(root, ".cache"), { recursive: true });
    equal(snapshotTree(root).replace(/^box.*$/gm, ""), before);
  } finally {
    UserContext.dropSpare();
    await Deno.remove(root, { recursive: true });
  }
});

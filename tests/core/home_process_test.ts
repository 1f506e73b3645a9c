/**
 * The migratable runtime at home: every fixture behaves under the
 * instrumented runtime as its native build; checkpoints taken mid-loop or
 * while blocked on stdin resume to the same output and files as an
 * uninterrupted run.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { HomeProcess } from "../../core/home_process.ts";
import {
  collectOutput,
  inputFromText,
  pushInput,
} from "../../core/wasi/stdio.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import {
  caseLabel,
  CASES,
  CC,
  cleanNative,
  ENV,
  native,
  runNative,
  tree,
} from "../fixtures/conformance.ts";

const cacheDir = Deno.makeTempDirSync({ prefix: "dmosix-cache-" });
const fixture = (name: string) =>
  Deno.readFileSync(join(FIXTURES_DIR, `${name}.wasm`));

async function startFixture(
  name: string,
  args: string[],
  cwd: string,
  stdin = inputFromText(""),
  checkpointBase?: string,
) {
  const stdout = collectOutput();
  const stderr = collectOutput();
  const p = await HomeProcess.start({
    module: fixture(name),
    name,
    args: [name, ...args],
    env: ENV,
    cwd,
    stdio: { stdin, stdout, stderr },
    checkpoint: checkpointBase
      ? { base: checkpointBase, everyMs: 0 }
      : undefined,
    cacheDir,
  });
  return { p, stdout, stderr };
}

for (const c of CASES) {
  Deno.test({
    name: `fixture ${
      caseLabel(c)
    } behaves the same natively and under the migratable runtime`,
    ignore: !CC,
    async fn() {
      const exe = await native(c.name);
      const a = Deno.makeTempDirSync({ prefix: "hp_native_" });
      const b = Deno.makeTempDirSync({ prefix: "hp_wasm_" });
      try {
        const n = await runNative(exe, c, a);
        const { p, stdout, stderr } = await startFixture(
          c.name,
          c.args ?? [],
          b,
          inputFromText(c.stdin ?? ""),
        );
        const code = await p.wait();
        assert.equal(stdout.text(), n.stdout, "stdout");
        assert.equal(stderr.text(), n.stderr, "stderr");
        assert.equal(code, n.code, "exit status");
        assert.deepEqual(tree(b), tree(a), "files left in the cwd");
      } finally {
        Deno.removeSync(a, { recursive: true });
        Deno.removeSync(b, { recursive: true });
      }
    },
  });
}

/** The uninterrupted run of file_loop, for comparisons. */
async function reference(args: string[]) {
  const dir = Deno.makeTempDirSync({ prefix: "hp_ref_" });
  const { p, stdout } = await startFixture("file_loop", args, dir);
  const code = await p.wait();
  const log = Deno.readTextFileSync(join(dir, "log.txt"));
  Deno.removeSync(dir, { recursive: true });
  return { code, stdout: stdout.text(), log };
}

Deno.test("many checkpoints in one run change nothing; a killed run resumes from each to the same end", async () => {
  const args = ["30", "5000000"];
  const ref = await reference(args);
  const dir = Deno.makeTempDirSync({ prefix: "hp_ck_" });
  try {
    const base = join(dir, "ck");
    const { p, stdout } = await startFixture(
      "file_loop",
      args,
      dir,
      inputFromText(""),
      base,
    );
    const cut: { path: string; printed: number }[] = [];
    // Checkpoint repeatedly while it runs, at whatever point it has reached.
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 30));
      try {
        const path = await p.checkpoint();
        cut.push({ path, printed: stdout.text().length });
      } catch {
        break; // it finished
      }
    }
    assert.equal(await p.wait(), ref.code);
    assert.equal(stdout.text(), ref.stdout, "checkpointing changed the output");
    assert(cut.length >= 3, `only ${cut.length} checkpoints before the end`);
    assert.deepEqual(
      cut.map((c) => c.path),
      cut.map((_, i) => `${base}.${i + 1}`),
    );

    // Resume the middle checkpoint as if mosrun had been killed right after it.
    const mid = cut[Math.floor(cut.length / 2)];
    const out2 = collectOutput();
    const q = await HomeProcess.resume(mid.path, {
      stdio: {
        stdin: inputFromText(""),
        stdout: out2,
        stderr: collectOutput(),
      },
      cacheDir,
    });
    assert.equal(await q.wait(), ref.code);
    assert.equal(ref.stdout.slice(0, mid.printed) + out2.text(), ref.stdout);
    assert.equal(Deno.readTextFileSync(join(dir, "log.txt")), ref.log);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a process blocked reading stdin is checkpointed, and resumes reading what follows", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hp_stdin_" });
  try {
    const input = pushInput();
    const base = join(dir, "ck");
    const { p, stdout } = await startFixture(
      "stdin_echo",
      [],
      dir,
      input,
      base,
    );
    input.push(new TextEncoder().encode("alpha\nbeta\n"));
    // It reads both lines (its stdout is a pipe: fully buffered, in its
    // memory) and blocks for more.
    await new Promise((r) => setTimeout(r, 300));
    const path = await p.checkpoint(); // blocked in fd_read now
    const before = stdout.text();
    p.kill(137);
    assert.equal(await p.wait(), 137);

    const out2 = collectOutput();
    const q = await HomeProcess.resume(path, {
      stdio: {
        stdin: inputFromText("gamma\n"),
        stdout: out2,
        stderr: collectOutput(),
      },
      cacheDir,
    });
    assert.equal(await q.wait(), 0);
    assert.equal(
      before + out2.text(),
      "   1: alpha\n   2: beta\n   3: gamma\nlines=3 bytes=17\n",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("a freeze in a loop without system calls takes effect within milliseconds", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "hp_freeze_" });
  try {
    const { p } = await startFixture(
      "cpu_loop",
      ["4000000000"],
      dir,
      inputFromText(""),
      join(dir, "ck"),
    );
    await new Promise((r) => setTimeout(r, 100));
    await p.checkpoint();
    const ms = p.lastFreezeMs;
    assert(ms !== undefined && ms < 100, `freeze took ${ms} ms`);
    p.kill(0);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("native builds and the instrumentation cache are cleaned up", () => {
  cleanNative();
  Deno.removeSync(cacheDir, { recursive: true });
});

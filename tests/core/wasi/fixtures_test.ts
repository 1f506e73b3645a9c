/**
 * Conformance: every C fixture prints the same stdout and stderr, exits with
 * the same status and leaves the same files when run natively (built with
 * cc at test time) and as wasm under runWasi, with the same args, env and
 * stdin, each in a fresh temporary cwd.
 */
import assert from "node:assert/strict";
import { runWasi } from "../../../core/wasi/plain_runner.ts";
import { collectOutput, inputFromText } from "../../../core/wasi/stdio.ts";
import { FIXTURES_DIR, listFixtures } from "../../../tools/build_fixtures.ts";
import {
  type Case,
  caseLabel,
  CASES,
  CC,
  cleanNative,
  ENV,
  native,
  runNative,
  tree,
} from "../../fixtures/conformance.ts";

if (!CC) console.log("fixtures_test: cc not found, native comparisons skipped");

async function runWasm(c: Case, cwd: string) {
  const stdout = collectOutput();
  const stderr = collectOutput();
  const code = await runWasi(
    Deno.readFileSync(`${FIXTURES_DIR}${c.name}.wasm`),
    {
      args: [c.name, ...(c.args ?? [])],
      env: ENV,
      cwd,
      stdin: inputFromText(c.stdin ?? ""),
      stdout,
      stderr,
    },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

Deno.test("every fixture source has a built .wasm and a conformance case", () => {
  const names = listFixtures().map((f) => f.name);
  assert.ok(names.length >= 10);
  for (const n of names) {
    assert.ok(
      Deno.statSync(`${FIXTURES_DIR}${n}.wasm`).isFile,
      `${n}.wasm missing: deno task fixtures`,
    );
    assert.ok(CASES.some((c) => c.name === n), `no case for fixture ${n}`);
  }
});

for (const c of CASES) {
  const label = caseLabel(c);
  Deno.test({
    name: `fixture ${label} behaves the same natively and under runWasi`,
    ignore: !CC,
    async fn() {
      const exe = await native(c.name);
      const a = Deno.makeTempDirSync({ prefix: "fx_native_" });
      const b = Deno.makeTempDirSync({ prefix: "fx_wasm_" });
      try {
        const n = await runNative(exe, c, a);
        const w = await runWasm(c, b);
        assert.equal(w.stdout, n.stdout, "stdout");
        assert.equal(w.stderr, n.stderr, "stderr");
        assert.equal(w.code, n.code, "exit status");
        assert.deepEqual(tree(b), tree(a), "files left in the cwd");
      } finally {
        Deno.removeSync(a, { recursive: true });
        Deno.removeSync(b, { recursive: true });
      }
    },
  });
}

Deno.test({
  name: "fixture native builds are cleaned up",
  ignore: !CC,
  fn() {
    cleanNative();
  },
});

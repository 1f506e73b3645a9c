/**
 * Conformance: every C fixture prints the same stdout and stderr, exits with
 * the same status and leaves the same files when run natively (built with
 * cc at test time) and as wasm under runWasi, with the same args, env and
 * stdin, each in a fresh temporary cwd.
 */
import assert from "node:assert/strict";
import { runWasi } from "../../../core/wasi/plain_runner.ts";
import { collectOutput, inputFromText } from "../../../core/wasi/stdio.ts";
import {
  buildNative,
  FIXTURES_DIR,
  listFixtures,
} from "../../../tools/build_fixtures.ts";

interface Case {
  name: string;
  args?: string[];
  stdin?: string;
}

const bigInput = Array.from(
  { length: 30000 },
  (_, i) => `line ${i} ${"x".repeat(i % 50)}\n`,
).join("");

const CASES: Case[] = [
  { name: "args_env", args: ["one", "two words", "", "ünïcödé", "--flag=1"] },
  { name: "big_output", stdin: bigInput },
  { name: "clocks" },
  { name: "cpu_loop", args: ["20000000"] },
  { name: "errno_paths" },
  { name: "exit_code", args: ["0"] },
  { name: "exit_code", args: ["42"] },
  { name: "exit_code", args: ["300"] },
  { name: "file_io" },
  { name: "malloc_heavy", args: ["100000"] },
  { name: "random" },
  { name: "recursion" },
  { name: "sleep_poll", stdin: "ping\n" },
  { name: "stat_times" },
  { name: "stdin_echo", stdin: "first\n\nthird line\nno newline at end" },
  { name: "stdin_echo", stdin: "" },
  { name: "symlinks" },
];

const ENV = [
  "DMOSIX_A=alpha",
  "DMOSIX_B=two words = three",
  "DMOSIX_EMPTY=",
  "OTHER=1",
];

function haveCc(): boolean {
  try {
    return new Deno.Command("cc", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}
const CC = haveCc();
if (!CC) console.log("fixtures_test: cc not found, native comparisons skipped");

const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Every entry under `dir`: path, kind and content (file bytes as text, link target). */
function tree(dir: string, sub = ""): string[] {
  const out: string[] = [];
  for (
    const e of [...Deno.readDirSync(`${dir}/${sub}`)].sort((a, b) =>
      a.name.localeCompare(b.name)
    )
  ) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    const full = `${dir}/${rel}`;
    if (e.isSymlink) out.push(`${rel} -> ${Deno.readLinkSync(full)}`);
    else if (e.isDirectory) out.push(`${rel}/`, ...tree(dir, rel));
    else {
      const data = Deno.readFileSync(full);
      let h = 0;
      for (const b of data) h = (h * 31 + b) >>> 0;
      out.push(`${rel} (${data.length} bytes, hash ${h})`);
    }
  }
  return out;
}

async function runNative(exe: string, c: Case, cwd: string) {
  const child = new Deno.Command(exe, {
    args: c.args ?? [],
    cwd,
    env: Object.fromEntries(
      ENV.map((
        kv,
      ) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    ),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const feed = (async () => {
    const w = child.stdin.getWriter();
    try {
      await w.write(new TextEncoder().encode(c.stdin ?? ""));
      await w.close();
    } catch {
      // The program may exit without reading all of stdin.
    }
  })();
  const [out] = await Promise.all([child.output(), feed]);
  return { code: out.code, stdout: dec(out.stdout), stderr: dec(out.stderr) };
}

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

const binDir = CC ? Deno.makeTempDirSync({ prefix: "fixtures_native_" }) : "";
const built = new Map<string, Promise<string>>();
function native(name: string): Promise<string> {
  if (!built.has(name)) {
    const f = listFixtures().find((x) => x.name === name)!;
    built.set(
      name,
      buildNative(f, `${binDir}/${name}`).then(() => `${binDir}/${name}`),
    );
  }
  return built.get(name)!;
}

for (const c of CASES) {
  const label = [
    c.name,
    ...(c.args ?? []).map((a) => JSON.stringify(a)),
    ...(c.stdin === undefined ? [] : [`< ${c.stdin.length} bytes`]),
  ].join(" ");
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
    Deno.removeSync(binDir, { recursive: true });
  },
});

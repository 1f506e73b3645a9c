/**
 * Isolation of a user context (core/runtime/context.ts): its Worker runs
 * without permissions but reading its own code, so even a compromised
 * import layer cannot read or write the host's files, open connections,
 * read the environment, run programs or load native code; the program
 * reaches the host only through its deputy. And a module that imports
 * anything besides the WASI functions is refused at load, with a message
 * naming the import.
 */

import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { join } from "node:path";
import binaryen from "binaryen";
import { UserContext, workerPermissions } from "../../core/runtime/context.ts";
import { instrument } from "../../core/runtime/instrument.ts";
import { HomeProcess } from "../../core/home_process.ts";
import { WasiModuleError } from "../../core/wasi/module_check.ts";
import { collectOutput, inputFromText } from "../../core/wasi/stdio.ts";
import type { EscapeOptions, EscapeReport } from "./escape_imports.ts";

const ESCAPE = new URL("./escape_imports.ts", import.meta.url);

/** A module from WebAssembly text. */
function wat(text: string): Uint8Array {
  const m = binaryen.parseText(text);
  try {
    return m.emitBinary();
  } finally {
    m.dispose();
  }
}

// clang-built (see the C sources): the instrumenter needs a name section.
const EXIT_7 = Deno.readFileSync(new URL("./exit7.wasm", import.meta.url));
const EVIL_IMPORT = Deno.readFileSync(
  new URL("./evil_import.wasm", import.meta.url),
);

Deno.test("a user context's worker has no permission beyond reading its own code", () => {
  const p = workerPermissions(ESCAPE.href);
  for (const k of ["net", "write", "run", "ffi", "sys", "import"] as const) {
    equal(p[k], false, `${k} is allowed`);
  }
  deepEqual(p.env, ["CBOR_NATIVE_ACCELERATION_DISABLED"]);
  const read = (p.read as URL[]).map((u) => u.href);
  deepEqual(read, [
    new URL("../../core/", import.meta.url).href,
    new URL("./", import.meta.url).href,
  ]);
});

Deno.test("a compromised import layer inside a user context cannot reach files, network, environment or programs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-sandbox-" });
  const secretFile = join(dir, "secret.txt");
  await Deno.writeTextFile(secretFile, "do not read");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const accepting = (async () => {
    for await (const c of listener) {
      connections++;
      c.close();
    }
  })();
  try {
    const report = new SharedArrayBuffer(64 * 1024);
    const opts: EscapeOptions = {
      report,
      secretFile,
      writeDir: dir,
      port: (listener.addr as Deno.NetAddr).port,
    };
    const ctx = await UserContext.start({
      wasm: instrument(EXIT_7).wasm,
      importsModule: ESCAPE,
      importsOptions: opts,
    });
    // It still runs: the sandbox takes nothing a program needs.
    deepEqual(await ctx.done, { kind: "exit", code: 7 });
    const len = new DataView(report).getUint32(0, true);
    const got = JSON.parse(
      new TextDecoder().decode(new Uint8Array(report, 4, len)),
    ) as EscapeReport;
    equal(Object.keys(got).length, 16);
    for (const [what, outcome] of Object.entries(got)) {
      match(outcome, /^denied: /, `${what} was ${outcome}`);
    }
    equal(connections, 0, "the worker reached the listener");
    deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      ["secret.txt"],
      "the worker wrote a file",
    );
  } finally {
    listener.close();
    await accepting;
    UserContext.dropSpare();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Start `module` as a cluster process at home; resolves to its exit code. */
async function startHome(module: Uint8Array, cwd: string): Promise<number> {
  const p = await HomeProcess.start({
    module,
    name: "evil",
    args: ["evil"],
    env: [],
    cwd,
    stdio: {
      stdin: inputFromText(""),
      stdout: collectOutput(),
      stderr: collectOutput(),
    },
    cacheDir: join(cwd, ".cache"),
  });
  return await p.wait();
}

Deno.test("a module importing anything but WASI functions is refused at load, naming the import", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-evil-" });
  const cases: [string, string, RegExp][] = [
    [
      "another module's function",
      `(import "env" "evil" (func $e))`,
      /imports env\.evil \(a function\), which is not provided/,
    ],
    [
      "the runtime's own imports",
      `(import "dmosix" "preempt" (func $e))`,
      /imports dmosix\.preempt/,
    ],
    [
      "a host memory",
      `(import "wasi_snapshot_preview1" "mem" (memory $m 1))
        (export "memory" (memory $m))`,
      /imports wasi_snapshot_preview1\.mem as a memory; only functions/,
    ],
    [
      "a WASI function with another type",
      `(import "wasi_snapshot_preview1" "fd_write" (func $e (param i64)))`,
      /imports wasi_snapshot_preview1\.fd_write with type \(i64\)->\(\), expected/,
    ],
  ];
  try {
    for (const [what, imp, message] of cases) {
      const mem = imp.includes("(memory") ? "" : `(memory (export "memory") 1)`;
      const module = wat(`(module ${imp} ${mem}
        (func (export "_start")))`);
      await rejects(startHome(module, dir), (e) => {
        ok(e instanceof WasiModuleError, `${what}: ${e}`);
        match((e as Error).message, message, what);
        ok(!(e as Error).message.includes("\n"));
        return true;
      });
    }
    // The plain exit module is fine: the check refuses only what it must.
    equal(await startHome(EXIT_7, dir), 7);
  } finally {
    UserContext.dropSpare();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an instrumented module importing something else fails to start in a context, naming the import", async () => {
  // What a guest node gets is instrumented at home; a forged one is still
  // only linked against the WASI and runtime imports.
  const module = instrument(EVIL_IMPORT).wasm;
  const report = new SharedArrayBuffer(64 * 1024);
  const ctx = await UserContext.start({
    wasm: module,
    importsModule: ESCAPE,
    importsOptions: { report, secretFile: "/x", writeDir: "/x", port: 1 },
  });
  const end = await ctx.done;
  equal(end.kind, "error");
  match((end as { message: string }).message, /Import #0 "env"/);
  UserContext.dropSpare();
});

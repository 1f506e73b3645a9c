/**
 * mosrun and migrate as a user runs them: exit status, checkpoints of a
 * killed run resumed with -R, migrate PID checkpoint, and bad input.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { commandArgs, runCommand, waitFor } from "../../tools/local_cluster.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { encodeCheckpoint } from "../../core/checkpoint_file.ts";

const FIX = (n: string) => join(FIXTURES_DIR, `${n}.wasm`);

function oneLine(stderr: string, cmd: string): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, stderr);
  assert.match(lines[0], new RegExp(`^${cmd}: `));
}

async function inDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-mosrun-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Run a command with cwd and env of our choosing. */
async function run(cwd: string, cmd: string, args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: commandArgs(cmd, args),
    cwd,
    env: { DMOSIX_DIR: cwd },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return {
    code: out.code,
    stdout: d.decode(out.stdout),
    stderr: d.decode(out.stderr),
  };
}

Deno.test("mosrun passes the program's arguments and exit status", async () => {
  await inDir(async (dir) => {
    const r = await run(dir, "mosrun", [FIX("exit_code"), "42"]);
    assert.equal(r.code, 42, r.stderr);
    const a = await run(dir, "mosrun", ["-h", FIX("args_env"), "x y", "-h"]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /x y/);
  });
});

Deno.test("a killed mosrun resumes from its last checkpoint to the uninterrupted output and file", async () => {
  await inDir(async (dir) => {
    const args = [FIX("file_loop"), "20", "120000000"];
    const ref = await run(dir, "mosrun", args);
    assert.equal(ref.code, 3, ref.stderr);
    const refLog = await Deno.readTextFile(join(dir, "log.txt"));
    await Deno.remove(join(dir, "log.txt"));

    const child = new Deno.Command(Deno.execPath(), {
      args: commandArgs("mosrun", ["-C", "ck", "-A", "0.004", ...args]),
      cwd: dir,
      env: { DMOSIX_DIR: dir },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const seen = await waitFor(
      async () => {
        try {
          await Deno.stat(join(dir, "ck.3"));
          return true;
        } catch {
          return false;
        }
      },
      20000,
      20,
    );
    try {
      child.kill("SIGKILL");
    } catch {
      // already finished: the test below then fails on its own terms
    }
    const first = await child.output();
    assert(seen >= 0, "no third checkpoint within 20 s");
    const files = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      /^ck\.\d+$/.test(n)
    );
    const last = files.sort((a, b) =>
      Number(a.split(".")[1]) - Number(b.split(".")[1])
    ).at(-1)!;
    assert(
      !files.some((n) => n.includes("tmp")),
      "half-written checkpoint left behind",
    );

    const resumed = await run(dir, "mosrun", ["-R", last]);
    assert.equal(resumed.code, 3, resumed.stderr);
    // What ran after the last checkpoint ran again: the resumed output is a
    // suffix of the reference, and joins the first run's output.
    assert(ref.stdout.endsWith(resumed.stdout));
    const before = ref.stdout.slice(
      0,
      ref.stdout.length - resumed.stdout.length,
    );
    assert(new TextDecoder().decode(first.stdout).startsWith(before));
    assert.equal(await Deno.readTextFile(join(dir, "log.txt")), refLog);
  });
});

Deno.test("migrate PID checkpoint writes the next checkpoint of a running process", async () => {
  await inDir(async (dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: commandArgs("mosrun", [
        "-C",
        "run.ck",
        FIX("cpu_loop"),
        "3000000000",
      ]),
      cwd: dir,
      env: { DMOSIX_DIR: dir },
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const sock = join(dir, "procs", `${child.pid}.sock`);
      assert(
        await waitFor(
          () => Deno.stat(sock).then(() => true, () => false),
          20000,
          50,
        ) >= 0,
      );
      const r = await run(dir, "migrate", [String(child.pid), "checkpoint"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), "run.ck.1");
      const j = await run(dir, "migrate", [
        String(child.pid),
        "checkpoint",
        "--json",
      ]);
      assert.deepEqual(JSON.parse(j.stdout), {
        pid: child.pid,
        checkpoint: "run.ck.2",
      });
      assert((await Deno.stat(join(dir, "run.ck.2"))).size > 1000);
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
    const none = await run(dir, "migrate", ["999999", "checkpoint"]);
    assert.equal(none.code, 1);
    oneLine(none.stderr, "migrate");
  });
});

Deno.test("bad programs and bad checkpoints get one-line errors and nothing is written", async () => {
  await inDir(async (dir) => {
    await Deno.writeTextFile(join(dir, "script.sh"), "#!/bin/sh\necho hi\n");
    // A valid module that exports nothing: not a WASI command.
    await Deno.writeFile(
      join(dir, "empty.wasm"),
      new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    );
    const good = await Deno.readFile(FIX("file_loop"));
    const ck = encodeCheckpoint({
      runtime: "dmosix-instrument-0",
      created: 0,
      name: "file_loop",
      module: good,
      snapshot: new Uint8Array(10),
      deputy: {},
      seq: 1,
    });
    await Deno.writeFile(join(dir, "old.ck.1"), ck);
    await Deno.writeFile(
      join(dir, "cut.ck.1"),
      ck.subarray(0, ck.length - 100),
    );
    const tampered = ck.slice();
    tampered[ck.length >> 1] ^= 1;
    await Deno.writeFile(join(dir, "bad.ck.1"), tampered);
    const cases: [string[], RegExp][] = [
      [["missing.wasm"], /cannot read missing\.wasm: no such file/],
      [["script.sh"], /not a WebAssembly module/],
      [["empty.wasm"], /not a WASI command/],
      [["-R", "old.ck.1"], /made by runtime dmosix-instrument-0/],
      [["-R", "cut.ck.1"], /damaged or truncated/],
      [["-R", "bad.ck.1"], /damaged or truncated/],
      [["-R", "nope.ck"], /cannot read checkpoint: no such file/],
    ];
    const before = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    for (const [args, re] of cases) {
      const r = await run(dir, "mosrun", ["-C", "new.ck", ...args]);
      assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
      oneLine(r.stderr, "mosrun");
      assert.match(r.stderr, re);
    }
    const after = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      n !== "procs"
    ).sort();
    assert.deepEqual(after, before);
    const usage = await runCommand("mosrun", ["-A", "1", "x.wasm"]);
    assert.equal(usage.code, 2);
    oneLine(usage.stderr, "mosrun");
  });
});

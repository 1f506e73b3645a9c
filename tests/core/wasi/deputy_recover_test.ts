import assert from "node:assert/strict";
import { Deputy } from "../../../core/wasi/deputy.ts";
import { Fdflags, Oflags, Rights } from "../../../core/wasi/constants.ts";
import type { DeputyResponse } from "../../../core/wasi/protocol.ts";
import {
  collectOutput,
  inputFromText,
  type Stdio,
} from "../../../core/wasi/stdio.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const WRITE = Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK |
  Rights.FD_TELL;
const DOT = 3;

/** A deputy in a fresh directory with stdin `input`; stdout collected. */
function start(input: string) {
  const dir = Deno.realPathSync(Deno.makeTempDirSync({ prefix: "recover_" }));
  const stdio: Stdio = {
    stdin: inputFromText(input),
    stdout: collectOutput(),
    stderr: collectOutput(),
  };
  const d = new Deputy({ args: ["p"], env: [], cwd: dir, stdio });
  return { dir, stdio, d };
}

async function call(d: Deputy, req: Parameters<Deputy["handle"]>[0]) {
  return (await d.handle(req)) as DeputyResponse;
}

function openAt(d: Deputy, path: string, fdflags = 0): number {
  const r = d.handle({
    op: "path_open",
    fd: DOT,
    dirflags: 0,
    path,
    oflags: Oflags.CREAT,
    base: WRITE,
    inheriting: 0,
    fdflags,
  }) as DeputyResponse;
  assert.equal(r.errno, 0);
  return r.n!;
}

Deno.test("Deputy.recover does not repeat output already delivered and rereads stdin since the checkpoint", async () => {
  const { dir, stdio, d } = start("abcdef");
  try {
    assert.equal(
      dec.decode((await call(d, { op: "fd_read", fd: 0, len: 2 })).data),
      "ab",
    );
    await call(d, { op: "fd_write", fd: 1, data: enc.encode("one\n") });
    const state = d.saveState();
    d.markCheckpoint();
    // After the checkpoint: read "cd", wrote "two\n", then the node died.
    assert.equal(
      dec.decode((await call(d, { op: "fd_read", fd: 0, len: 2 })).data),
      "cd",
    );
    await call(d, { op: "fd_write", fd: 1, data: enc.encode("two\n") });
    const r = Deputy.recover(state, d, stdio);
    // The replay: the same read and write, then new work.
    assert.equal(
      dec.decode((await call(r, { op: "fd_read", fd: 0, len: 2 })).data),
      "cd",
    );
    assert.equal(
      (await call(r, { op: "fd_write", fd: 1, data: enc.encode("tw") })).n,
      2,
    );
    assert.equal(
      (await call(r, { op: "fd_write", fd: 1, data: enc.encode("o\nthree\n") }))
        .n,
      8,
    );
    assert.equal(
      dec.decode((await call(r, { op: "fd_read", fd: 0, len: 9 })).data),
      "ef",
    );
    assert.equal(
      (stdio.stdout as ReturnType<typeof collectOutput>).text(),
      "one\ntwo\nthree\n",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("Deputy.recover cuts an append-mode file back to its checkpoint size and redoes writes at their offsets", async () => {
  const { dir, stdio, d } = start("");
  try {
    const log = openAt(d, "log", Fdflags.APPEND);
    const data = openAt(d, "data");
    await call(d, { op: "fd_write", fd: log, data: enc.encode("a\n") });
    await call(d, { op: "fd_write", fd: data, data: enc.encode("1234") });
    const state = d.saveState();
    d.markCheckpoint();
    await call(d, { op: "fd_write", fd: log, data: enc.encode("b\n") });
    await call(d, { op: "fd_write", fd: data, data: enc.encode("5678") });
    const r = Deputy.recover(state, d, stdio);
    assert.equal(Deno.readTextFileSync(`${dir}/log`), "a\n");
    await call(r, { op: "fd_write", fd: log, data: enc.encode("b\n") });
    await call(r, { op: "fd_write", fd: data, data: enc.encode("5678") });
    assert.equal(Deno.readTextFileSync(`${dir}/log`), "a\nb\n");
    assert.equal(Deno.readTextFileSync(`${dir}/data`), "12345678");
    r.closeAll();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type Checkpoint,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpointFile,
  writeCheckpointFile,
} from "../../core/checkpoint_file.ts";

const sample: Checkpoint = {
  runtime: "rt-1",
  created: 1_700_000_000_000,
  name: "counter.wasm",
  module: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 9, 9, 9]),
  snapshot: crypto.getRandomValues(new Uint8Array(5000)),
  deputy: {
    cwd: "/tmp",
    fds: [{ fd: 3, path: "out.txt", offset: 12 }],
    stdin: new Uint8Array([1, 2]),
  },
  seq: 3,
};

Deno.test("a checkpoint round-trips through its file layout", () => {
  const back = decodeCheckpoint(encodeCheckpoint(sample), "c.1", "rt-1");
  assert.deepEqual(back, sample);
});

Deno.test("every truncation and every single-byte change is refused with one line", () => {
  const bytes = encodeCheckpoint(sample);
  for (const len of [0, 7, 16, 100, bytes.length - 33, bytes.length - 1]) {
    assert.throws(
      () => decodeCheckpoint(bytes.subarray(0, len), "c.1", "rt-1"),
      CheckpointError,
    );
  }
  for (let at = 0; at < bytes.length; at += 97) {
    const t = bytes.slice();
    t[at] ^= 0x40;
    assert.throws(
      () => decodeCheckpoint(t, "c.1", "rt-1"),
      (e: Error) =>
        e instanceof CheckpointError && !e.message.includes("\n") &&
        e.message.startsWith("c.1: "),
    );
  }
});

Deno.test("a checkpoint of another runtime version is refused by name", () => {
  assert.throws(
    () => decodeCheckpoint(encodeCheckpoint(sample), "c.1", "rt-2"),
    /made by runtime rt-1, this dmosix resumes rt-2/,
  );
});

Deno.test("writeCheckpointFile leaves no temp file and a readable checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "ck.1");
    const n = await writeCheckpointFile(path, sample);
    assert.equal((await Deno.stat(path)).size, n);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["ck.1"]);
    assert.deepEqual(await readCheckpointFile(path, "rt-1"), sample);
    await assert.rejects(
      readCheckpointFile(join(dir, "nope"), "rt-1"),
      /nope: cannot read checkpoint: no such file/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

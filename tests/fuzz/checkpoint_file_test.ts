/**
 * Fuzzing checkpoint loading: decodeCheckpoint (core/checkpoint_file.ts),
 * the snapshot inside it (decodeSnapshot) and the deputy state it carries
 * (Deputy.restore). A checkpoint's checksum is not a secret, so the fuzzer
 * also re-seals what it mutates to reach the parsers behind it. Properties:
 * each throws only its documented error, with a one-line message, and
 * nothing it accepts is inconsistent.
 */

import { equal, ok } from "node:assert/strict";
import { createHash } from "node:crypto";
import { Encoder } from "cbor-x";
import {
  type Checkpoint,
  CHECKPOINT_MAGIC,
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
} from "../../core/checkpoint_file.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  PAGE_SIZE,
  type Snapshot,
  SnapshotFormatError,
} from "../../core/runtime/snapshot.ts";
import { Deputy } from "../../core/wasi/deputy.ts";
import {
  DeputyRestoreError,
  type DeputyState,
} from "../../core/wasi/deputy_state.ts";
import { collectOutput, inputFromText } from "../../core/wasi/stdio.ts";
import {
  concat,
  EDGE_U32,
  expectOnly,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutate,
  randomCbor,
  type Rng,
} from "../../tools/fuzz.ts";

const RUNTIME = "fuzz-runtime-1";
const FIXED = CHECKPOINT_MAGIC.length + 8;
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });

function snapshot(): Snapshot {
  const data = new Uint8Array(2 * PAGE_SIZE).fill(9);
  return {
    moduleHash: "ab".repeat(32),
    memory: { pageCount: 4, pages: Uint32Array.of(1, 3), data },
    globals: [{ name: "sp", type: "i32", bits: 1024 }, {
      name: "g",
      type: "i64",
      bits: -5n,
    }],
    frames: [{ fid: 1, site: 2, values: [1, 2n] }],
  };
}

function deputyState(dir: string): DeputyState {
  return {
    version: 1,
    args: ["prog", "a"],
    env: ["A=1"],
    cwd: dir,
    preopens: [{ hostDir: dir, guestPath: "." }],
    fds: [
      {
        fd: 0,
        kind: "stream",
        role: 0,
        fdflags: 0,
        rightsBase: 1,
        rightsInheriting: 0,
      },
      {
        fd: 1,
        kind: "stream",
        role: 1,
        fdflags: 0,
        rightsBase: 1,
        rightsInheriting: 0,
      },
      {
        fd: 3,
        kind: "dir",
        root: 0,
        path: "",
        preopen: true,
        fdflags: 0,
        rightsBase: 1,
        rightsInheriting: 1,
      },
      {
        fd: 4,
        kind: "file",
        root: 0,
        path: "data.txt",
        readable: true,
        writable: false,
        append: false,
        offset: 2n,
        filetype: 4,
        vanished: false,
        fdflags: 0,
        rightsBase: 2,
        rightsInheriting: 0,
      },
    ],
    stdinPending: new Uint8Array([1, 2]),
  };
}

function checkpoint(dir: string): Checkpoint {
  return {
    runtime: RUNTIME,
    created: 1_700_000_000_000,
    name: "prog",
    module: Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0),
    snapshot: encodeSnapshot(snapshot()),
    deputy: deputyState(dir),
    seq: 3,
  };
}

/** Recompute the trailing SHA-256 (anyone can: it is not a MAC). */
function reseal(body: Uint8Array): Uint8Array {
  return concat(body, createHash("sha256").update(body).digest());
}

/** A checkpoint whose header is `header` (any CBOR), resealed. */
function withHeader(header: Uint8Array, rest: Uint8Array): Uint8Array {
  const fixed = new Uint8Array(FIXED);
  fixed.set(CHECKPOINT_MAGIC);
  const dv = new DataView(fixed.buffer);
  dv.setUint16(8, 1);
  dv.setUint32(12, header.length);
  return reseal(concat(fixed, header, rest));
}

/** Header values chosen to confuse: wrong types, objects that cannot be printed. */
function hostileHeaderValue(r: Rng): unknown {
  return r.pick<unknown>([
    null,
    -1,
    2 ** 60,
    "x",
    [],
    { toString: 1, valueOf: 2 },
    { __proto__: { runtime: RUNTIME } },
    new Uint8Array(3),
    new Date(0),
    1.5,
    NaN,
  ]);
}

const isCheckpointError = (e: unknown) => e instanceof CheckpointError;

Deno.test("decodeCheckpoint throws only CheckpointError on damaged, forged and confusing files", async () => {
  const cfg = fuzzConfig(2000);
  const stats = new FuzzStats();
  const dir = await Deno.makeTempDir({ prefix: "dmosix-fuzz-ckpt-" });
  try {
    const good = encodeCheckpoint(checkpoint(dir));
    const ck = checkpoint(dir);
    const rest = concat(ck.module, ck.snapshot);
    const header = (over: Record<string, unknown>) => ({
      runtime: RUNTIME,
      created: 1,
      name: "prog",
      moduleHash: createHash("sha256").update(ck.module).digest("hex"),
      moduleBytes: ck.module.length,
      snapshotBytes: ck.snapshot.length,
      deputy: ck.deputy,
      seq: 1,
      ...over,
    });
    await fuzzLoop("checkpoint", cfg, (r) => {
      let bytes: Uint8Array;
      const kind = r.int(5);
      if (kind === 0) bytes = mutate(r, good); // damaged
      else if (kind === 1) { // damaged, then resealed
        bytes = reseal(mutate(r, good.subarray(0, good.length - 32)));
      } else if (kind === 2) { // random CBOR as the header
        bytes = withHeader(randomCbor(r), rest);
      } else if (kind === 3) { // one field of a good header made hostile
        const field = r.pick([
          "runtime",
          "created",
          "name",
          "moduleHash",
          "moduleBytes",
          "snapshotBytes",
          "seq",
          "deputy",
        ]);
        bytes = withHeader(
          cbor.encode(header({ [field]: hostileHeaderValue(r) })),
          rest,
        );
      } else { // sizes that overflow or lie
        bytes = withHeader(
          cbor.encode(header({
            moduleBytes: r.pick([...EDGE_U32, 2 ** 53, -8]),
            snapshotBytes: r.pick([...EDGE_U32, 2 ** 53 - 1]),
          })),
          rest,
        );
        if (r.chance(0.5)) {
          new DataView(bytes.buffer).setUint32(12, r.pick([...EDGE_U32]));
          bytes = reseal(bytes.subarray(0, bytes.length - 32));
        }
      }
      const out = expectOnly(
        "decodeCheckpoint",
        () => decodeCheckpoint(bytes, "f.ckpt", RUNTIME),
        isCheckpointError,
      );
      if (!out.ok) {
        ok(out.error.message.startsWith("f.ckpt: "), out.error.message);
        stats.add(`refused-${kind}`);
        return;
      }
      const c = out.value;
      equal(typeof c.name, "string");
      ok(Number.isFinite(c.created) || Number.isNaN(c.created));
      equal(
        FIXED + c.module.length + c.snapshot.length < bytes.length,
        true,
        "sizes do not add up",
      );
      stats.add(`accepted-${kind}`);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  for (let k = 0; k < 5; k++) {
    ok(stats.get(`refused-${k}`) > 0, `kind ${k} never refused: ${stats}`);
  }
  ok(stats.get("accepted-3") > 0, `no hostile header accepted: ${stats}`);
});

Deno.test("decodeSnapshot throws only SnapshotFormatError on damaged or resealed snapshots", async () => {
  const cfg = fuzzConfig(2000);
  const stats = new FuzzStats();
  const good = encodeSnapshot(snapshot());
  await fuzzLoop("snapshot", cfg, (r) => {
    let bytes = mutate(r, good, { maxLength: good.length + 64 });
    if (r.chance(0.6) && bytes.length > 32) {
      // Reseal, and keep the total length field honest half of the time.
      const body = bytes.slice(0, bytes.length - 32);
      if (r.chance(0.5) && body.length >= 24) {
        new DataView(body.buffer).setBigUint64(16, BigInt(bytes.length), true);
      }
      bytes = reseal(body);
    }
    const out = expectOnly(
      "decodeSnapshot",
      () => decodeSnapshot(bytes),
      (e) => e instanceof SnapshotFormatError,
    );
    if (!out.ok) {
      stats.add("refused");
      return;
    }
    const s = out.value;
    equal(s.memory.data.length, s.memory.pages.length * PAGE_SIZE);
    s.memory.pages.forEach((p, i) => {
      ok(p < s.memory.pageCount);
      ok(i === 0 || p > s.memory.pages[i - 1]);
    });
    stats.add("accepted");
  });
  ok(stats.get("refused") > 0 && stats.get("accepted") > 0, stats.toString());
});

/** A deputy state with one part replaced by something hostile. */
function hostileState(r: Rng, dir: string): unknown {
  const s = deputyState(dir) as unknown as Record<string, unknown>;
  const fds = s.fds as Record<string, unknown>[];
  const junk = () =>
    r.pick<unknown>([
      null,
      undefined,
      -1,
      2 ** 32,
      1.5,
      "x",
      [],
      {},
      { length: 2 ** 31 },
      "../../../../etc/passwd",
      "/etc/passwd",
      new Uint8Array(2),
      10n ** 30n,
    ]);
  switch (r.int(4)) {
    case 0:
      s[r.pick(Object.keys(s))] = junk();
      break;
    case 1: {
      const fd = r.pick(fds);
      fd[r.pick(Object.keys(fd))] = junk();
      break;
    }
    case 2:
      fds.push({ ...r.pick(fds), fd: r.pick([0, 3, 4, -1, 2 ** 31, 1.5]) });
      break;
    default:
      return junk();
  }
  return s;
}

Deno.test("Deputy.restore of a hostile deputy state throws only DeputyRestoreError", async () => {
  const cfg = fuzzConfig(600);
  const stats = new FuzzStats();
  const dir = await Deno.makeTempDir({ prefix: "dmosix-fuzz-deputy-" });
  await Deno.writeTextFile(`${dir}/data.txt`, "hello");
  try {
    await fuzzLoop("deputy restore", cfg, (r) => {
      const state = hostileState(r, dir);
      const stdio = {
        stdin: inputFromText(""),
        stdout: collectOutput(),
        stderr: collectOutput(),
      };
      const out = expectOnly(
        "Deputy.restore",
        () => Deputy.restore(state as DeputyState, stdio),
        (e) => e instanceof DeputyRestoreError,
      );
      if (out.ok) {
        // What it accepted must serve requests without throwing.
        const d = out.value;
        for (const fd of [0, 1, 3, 4, 5]) {
          const res = d.handle({ op: "fd_fdstat_get", fd });
          ok(typeof (res as { errno: number }).errno === "number");
        }
        d.closeAll();
        stats.add("accepted");
      } else stats.add("refused");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  ok(stats.get("refused") > 0 && stats.get("accepted") > 0, stats.toString());
});

/**
 * Fuzzing the `wasi_snapshot_preview1` imports a user context gets
 * (core/wasi/guest_imports.ts), called directly as a malicious module
 * would: out-of-bounds and wrapping pointers, huge lengths and counts,
 * negative and odd values, wrong argument types, random memory contents,
 * and a deputy answering with surprising (well-typed) values.
 * Properties: every call returns an errno (an integer 0..76 when the
 * deputy is honest) and throws only ProcExit from proc_exit; EFAULT means
 * nothing was asked of the deputy and memory is untouched; requests sent
 * are well formed and bounded; every call ends after a bounded number of
 * deputy requests.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import {
  createWasiImports,
  MAX_PATH_BYTES,
  MAX_POLL_SUBSCRIPTIONS,
} from "../../core/wasi/guest_imports.ts";
import { Errno, ERRNO_NAMES } from "../../core/wasi/errno.ts";
import { ProcExit } from "../../core/wasi/proc_exit.ts";
import type {
  DeputyRequest,
  DeputyResponse,
} from "../../core/wasi/protocol.ts";
import { type Signature, WASI_SIGNATURES } from "../../core/wasi/signatures.ts";
import {
  EDGE_U32,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  type Rng,
} from "../../tools/fuzz.ts";

const PAGE = 65536;
const MAX_CHUNK = 4096;
const MAX_CALLS = 10_000;
const NAMES = Object.keys(WASI_SIGNATURES);

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;

/** An i32 argument as wasm passes it: a signed 32-bit number. */
function i32(r: Rng, memBytes: number): number {
  const v = r.pick([
    () => r.pick(EDGE_U32),
    () => memBytes - r.int(64), // just inside or across the end
    () => memBytes + r.int(64),
    () => r.int(memBytes),
    () => r.int(16), // small: fds, counts
    () => -r.int(64),
  ])();
  return v | 0;
}

function i64(r: Rng): bigint {
  return r.pick([
    0n,
    1n,
    -1n,
    2n ** 63n - 1n,
    -(2n ** 63n),
    2n ** 32n,
    BigInt(r.int(2 ** 31)),
  ]);
}

/** Arguments for `sig`, or, sometimes, of the wrong types and count. */
function args(r: Rng, sig: Signature, memBytes: number): unknown[] {
  if (r.chance(0.05)) {
    return Array.from(
      { length: r.int(10) },
      () => r.pick<unknown>([undefined, NaN, 1.5, -0, 2 ** 40, 7n, Infinity]),
    );
  }
  return sig.params.map((t) => t === "i64" ? i64(r) : i32(r, memBytes));
}

/** Fill memory with random bytes and a few plausible structures. */
function scribble(r: Rng, bytes: Uint8Array): void {
  crypto.getRandomValues(bytes.subarray(0, Math.min(bytes.length, 65536)));
  const view = new DataView(bytes.buffer);
  // iovecs and subscriptions at small addresses pointing at small buffers.
  for (let at = 0; at < 256; at += 8) {
    view.setUint32(
      at,
      r.chance(0.8) ? 1024 + r.int(4096) : r.int(2 ** 32),
      true,
    );
    view.setUint32(
      at + 4,
      r.chance(0.8) ? r.int(2 * MAX_CHUNK) : r.pick(EDGE_U32),
      true,
    );
  }
  for (let at = 1024; at < 1024 + 48 * 4; at += 48) {
    bytes[at + 8] = r.int(4); // event type
    view.setUint32(at + 16, r.int(3), true); // clock id or fd
    view.setBigUint64(at + 24, BigInt(r.int(1000)), true);
  }
}

/** Answers of a deputy: well typed, honest or surprising. */
function answer(r: Rng, req: DeputyRequest, honest: boolean): DeputyResponse {
  const errno = honest
    ? r.pick([0, 0, 0, Errno.BADF, Errno.INVAL, Errno.NOENT])
    : r.int(80);
  const len = "len" in req && typeof req.len === "number" ? req.len : 0;
  const dataLen = honest
    ? r.int(len + 1)
    : r.pick([0, len, len + 1, 3 * MAX_CHUNK]);
  return {
    errno,
    n: honest ? r.int(8) : r.pick([0, 1, 2 ** 31, -1, 2 ** 40]),
    offset: BigInt(r.int(2 ** 31)),
    data: r.bytes(Math.max(0, dataLen)),
    name: r.pick(["", ".", "/", "x".repeat(r.int(300))]),
    stat: {
      dev: 1n,
      ino: BigInt(r.int(1000)),
      filetype: r.int(8),
      nlink: 1n,
      size: BigInt(r.int(1e6)),
      atim: 0n,
      mtim: 0n,
      ctim: 0n,
    },
    fdstat: {
      filetype: r.int(8),
      flags: r.int(32),
      rightsBase: 0,
      rightsInheriting: 0,
    },
    events: Array.from({ length: honest ? r.int(3) : r.int(40) }, () => ({
      userdata: BigInt(r.int(100)),
      error: 0,
      type: r.int(3),
      nbytes: 0n,
      flags: 0,
    })),
    args: ["a"],
    env: ["B=1"],
  };
}

/** Check a request is one a deputy can serve without trusting its sizes. */
function checkRequest(req: DeputyRequest): void {
  const r = req as Record<string, unknown>;
  for (
    const k of [
      "fd",
      "to",
      "newFd",
      "whence",
      "flags",
      "fdflags",
      "oflags",
      "dirflags",
      "fstflags",
      "advice",
    ]
  ) {
    if (k in r) {
      ok(
        Number.isInteger(r[k]) && (r[k] as number) >= 0 &&
          (r[k] as number) <= 0xffffffff,
        `${req.op}.${k} = ${r[k]}`,
      );
    }
  }
  if ("len" in r && typeof r.len === "number") {
    ok(r.len >= 0 && r.len <= MAX_CHUNK, `${req.op}.len = ${r.len}`);
  }
  if ("data" in r) {
    ok((r.data as Uint8Array).length <= MAX_CHUNK, `${req.op} data too big`);
  }
  for (const k of ["path", "newPath", "target"]) {
    if (k in r) {
      ok(typeof r[k] === "string", `${req.op}.${k} not a string`);
      ok(new TextEncoder().encode(r[k] as string).length <= MAX_PATH_BYTES);
    }
  }
  if (req.op === "poll_oneoff") {
    ok(req.subs.length >= 1 && req.subs.length <= MAX_POLL_SUBSCRIPTIONS);
  }
}

Deno.test("WASI imports called with hostile arguments return an errno and never reach the deputy with bad pointers", async () => {
  const cfg = fuzzConfig(3000);
  const stats = new FuzzStats();
  await fuzzLoop("wasi imports", cfg, (r) => {
    const memory = new WebAssembly.Memory({ initial: 1 + r.int(2) });
    const bytes = new Uint8Array(memory.buffer);
    scribble(r, bytes);
    const honest = r.chance(0.7);
    const requests: DeputyRequest[] = [];
    const imports = createWasiImports({
      memory: () => memory,
      call: (req) => {
        requests.push(req);
        if (requests.length > MAX_CALLS) {
          throw new Error("too many deputy requests: a loop");
        }
        checkRequest(req);
        return answer(r, req, honest);
      },
      hooks: { enter() {}, interrupt: () => Errno.INTR },
      local: r.chance(0.5) ? { args: ["p", "é"], env: ["A=1"] } : undefined,
      maxChunk: MAX_CHUNK,
      unknown: { made_up: { params: ["i32"], results: ["i64"] } },
    });
    const name = r.chance(0.98) ? r.pick(NAMES) : "made_up";
    const sig = WASI_SIGNATURES[name] ?? { params: ["i32"], results: ["i64"] };
    const a = args(r, sig, bytes.length);
    const before = bytes.slice();
    let result: unknown;
    try {
      result = (imports[name] as Fn)(...a);
    } catch (e) {
      ok(
        name === "proc_exit" && e instanceof ProcExit,
        `${name}(${a.join(", ")}) threw ${e}`,
      );
      stats.add("exit");
      return;
    }
    if (name === "made_up") {
      equal(result, BigInt(Errno.NOSYS));
      return;
    }
    ok(Number.isInteger(result), `${name} returned ${String(result)}`);
    if (honest) {
      ok(
        (result as number) >= 0 && (result as number) < ERRNO_NAMES.length,
        `${name} returned errno ${result}`,
      );
    }
    if (result === Errno.FAULT && (honest || requests.length === 0)) {
      // A fault is found before anything is asked or written. (A
      // surprising deputy may itself answer EFAULT.)
      equal(
        requests.filter((q) => q.op !== "context_info").length,
        0,
        `${name} asked the deputy, then faulted`,
      );
      ok(
        bytes.every((b, i) => b === before[i]),
        `${name} wrote memory, then faulted`,
      );
    }
    stats.add(result === 0 ? "ok" : ERRNO_NAMES[result as number] ?? "other");
  });
  for (const k of ["ok", "FAULT", "INVAL"]) {
    ok(stats.get(k) > 0, `${k} never returned: ${stats}`);
  }
});

Deno.test("WASI imports write results only inside memory even at its very end", () => {
  // Every out-pointer import with the pointer at each of the last 16 bytes.
  const memory = new WebAssembly.Memory({ initial: 1 });
  const imports = createWasiImports({
    memory: () => memory,
    call: () => ({
      errno: 0,
      n: 3,
      offset: 5n,
      data: new Uint8Array(8),
      name: "ab",
      fdstat: { filetype: 1, flags: 0, rightsBase: 0, rightsInheriting: 0 },
      stat: {
        dev: 0n,
        ino: 0n,
        filetype: 4,
        nlink: 1n,
        size: 0n,
        atim: 0n,
        mtim: 0n,
        ctim: 0n,
      },
    }),
    local: { args: ["p"], env: [] },
  }) as Record<string, Fn>;
  const cases: [string, (p: number) => unknown[], number][] = [
    ["fd_fdstat_get", (p) => [1, p], 24],
    ["fd_filestat_get", (p) => [3, p], 64],
    ["fd_prestat_get", (p) => [3, p], 8],
    ["fd_seek", (p) => [3, 0n, 0, p], 8],
    ["fd_tell", (p) => [3, p], 8],
    ["clock_time_get", (p) => [0, 0n, p], 8],
    ["clock_res_get", (p) => [0, p], 8],
    ["args_sizes_get", (p) => [p, p], 4],
    ["random_get", (p) => [p, 16], 16],
  ];
  for (const [name, mk, size] of cases) {
    for (let p = PAGE - 16; p <= PAGE; p++) {
      const res = imports[name](...mk(p));
      deepEqual(res, p + size <= PAGE ? 0 : Errno.FAULT, `${name} at ${p}`);
    }
  }
});

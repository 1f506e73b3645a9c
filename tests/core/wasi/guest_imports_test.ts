import assert from "node:assert/strict";
import type { UnwindHooks } from "../../../core/runtime/unwind_hooks.ts";
import {
  Eventtype,
  Sizes,
  Subclockflags,
} from "../../../core/wasi/constants.ts";
import { Errno } from "../../../core/wasi/errno.ts";
import {
  createWasiImports,
  type GuestClock,
} from "../../../core/wasi/guest_imports.ts";
import { ProcExit } from "../../../core/wasi/proc_exit.ts";
import type {
  DeputyRequest,
  DeputyResponse,
} from "../../../core/wasi/protocol.ts";

const PAGE = 65536;

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;

function fixture(
  answer: (req: DeputyRequest) => DeputyResponse = () => ({ errno: 0 }),
  extra: {
    maxChunk?: number;
    hooks?: UnwindHooks;
    clock?: GuestClock;
  } = {},
) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const calls: DeputyRequest[] = [];
  const imports = createWasiImports({
    memory: () => memory,
    call: (req) => {
      calls.push(req);
      return answer(req);
    },
    local: {
      args: ["prog", "héllo"],
      env: ["A=1", "B=two"],
      clock: extra.clock,
    },
    maxChunk: extra.maxChunk,
    hooks: extra.hooks,
    unknown: { made_up: { params: ["i32"], results: ["i32"] } },
  });
  const view = new DataView(memory.buffer);
  const bytes = new Uint8Array(memory.buffer);
  const fn = (name: string) => imports[name] as Fn;
  const iovec = (at: number, ptr: number, len: number) => {
    view.setUint32(at, ptr, true);
    view.setUint32(at + 4, len, true);
  };
  return { memory, calls, fn, view, bytes, iovec };
}

Deno.test("fd_write with an iovec array or buffer out of memory gives EFAULT and sends nothing", () => {
  const f = fixture();
  const write = f.fn("fd_write");
  assert.equal(write(1, PAGE - 4, 1, 0), Errno.FAULT); // iovec array crosses the end
  assert.equal(write(1, 0, 0x7fffffff, 8), Errno.FAULT); // huge iovec count
  assert.equal(write(1, 0, -1, 8), Errno.FAULT); // count as a negative i32
  f.iovec(0, PAGE - 10, 100); // buffer crosses the end
  assert.equal(write(1, 0, 1, 16), Errno.FAULT);
  f.iovec(0, 100, 0xffffffff); // huge length
  assert.equal(write(1, 0, 1, 16), Errno.FAULT);
  f.iovec(0, 100, 4);
  assert.equal(write(1, 0, 1, PAGE), Errno.FAULT); // result pointer outside
  assert.equal(write(1, 0, 1, -4), Errno.FAULT);
  assert.equal(f.calls.length, 0);
});

Deno.test("fd_read checks every pointer before asking the deputy, so no input is consumed", () => {
  const f = fixture(() => ({
    errno: 0,
    data: new TextEncoder().encode("data"),
  }));
  const read = f.fn("fd_read");
  f.iovec(0, 100, 8);
  assert.equal(read(0, 0, 1, PAGE + 4), Errno.FAULT);
  f.iovec(0, PAGE - 2, 8);
  assert.equal(read(0, 0, 1, 16), Errno.FAULT);
  assert.equal(f.calls.length, 0);
  f.iovec(0, 100, 2);
  f.iovec(8, 200, 10);
  assert.equal(read(0, 0, 2, 32), 0);
  assert.equal(f.view.getUint32(32, true), 4);
  assert.equal(new TextDecoder().decode(f.bytes.subarray(100, 102)), "da");
  assert.equal(new TextDecoder().decode(f.bytes.subarray(200, 202)), "ta");
  assert.deepEqual(f.calls, [{ op: "fd_read", fd: 0, len: 12 }]);
});

Deno.test("large writes go in chunks of maxChunk; a short write stops the loop", () => {
  let budget = 2500;
  const f = fixture((req) => {
    if (req.op !== "fd_write") return { errno: Errno.INVAL };
    const n = Math.min(req.data.length, budget);
    budget -= n;
    return { errno: 0, n };
  }, { maxChunk: 1000 });
  f.iovec(0, 1000, 1500);
  f.iovec(8, 5000, 1500);
  assert.equal(f.fn("fd_write")(1, 0, 2, 64), 0);
  assert.deepEqual(
    f.calls.map((c) => c.op === "fd_write" ? c.data.length : -1),
    [1000, 1000, 1000],
  );
  assert.equal(f.view.getUint32(64, true), 2500);
});

Deno.test("a stream read asks for one chunk at most; pread loops until the iovecs are full", () => {
  const f = fixture((req) => {
    const len = req.op === "fd_read" || req.op === "fd_pread" ? req.len : 0;
    return { errno: 0, data: new Uint8Array(len).fill(7) };
  }, { maxChunk: 100 });
  f.iovec(0, 1000, 250);
  assert.equal(f.fn("fd_read")(0, 0, 1, 64), 0);
  assert.equal(f.view.getUint32(64, true), 100);
  assert.equal(f.fn("fd_pread")(5, 0, 1, 10n, 64), 0);
  assert.equal(f.view.getUint32(64, true), 250);
  assert.deepEqual(
    f.calls.slice(1).map((c) => c.op === "fd_pread" ? [c.len, c.offset] : null),
    [[100, 10n], [100, 110n], [50, 210n]],
  );
});

Deno.test("blocking imports call hooks.enter and, when interrupted, return hooks.interrupt", () => {
  const seen: string[] = [];
  const hooks: UnwindHooks = {
    enter: (n) => void seen.push(`enter ${n}`),
    interrupt: (n) => {
      seen.push(`interrupt ${n}`);
      return 1234;
    },
  };
  const f = fixture(() => ({ errno: 0, interrupted: true }), { hooks });
  f.iovec(0, 100, 8);
  assert.equal(f.fn("fd_read")(0, 0, 1, 16), 1234);
  // One clock subscription at 0.
  f.view.setUint8(64 + 8, Eventtype.CLOCK); // subscription at 64: tag
  assert.equal(f.fn("poll_oneoff")(64, 512, 1, 1024), 1234);
  assert.deepEqual(seen, [
    "enter fd_read",
    "interrupt fd_read",
    "enter poll_oneoff",
    "interrupt poll_oneoff",
  ]);
});

Deno.test("paths out of bounds give EFAULT, invalid UTF-8 gives EILSEQ", () => {
  const f = fixture();
  const open = f.fn("path_open");
  assert.equal(open(3, 0, PAGE - 2, 10, 0, 0n, 0n, 0, 0), Errno.FAULT);
  f.bytes.set([0x66, 0xff, 0x66], 100);
  assert.equal(open(3, 0, 100, 3, 0, 0n, 0n, 0, 0), Errno.ILSEQ);
  f.bytes.set(new TextEncoder().encode("ok.txt"), 100);
  assert.equal(open(3, 0, 100, 6, 0, 0n, 0n, 0, PAGE), Errno.FAULT); // result pointer
  assert.equal(f.calls.length, 0);
  assert.equal(f.fn("path_unlink_file")(3, -100, 4), Errno.FAULT);
  assert.equal(f.fn("path_unlink_file")(3, 0, 40000), Errno.NAMETOOLONG);
  assert.equal(f.fn("path_symlink")(100, 6, 3, PAGE, 1), Errno.FAULT);
  assert.equal(f.calls.length, 0);
});

Deno.test("args and environ are answered locally, with bounds checks", () => {
  const f = fixture();
  assert.equal(f.fn("args_sizes_get")(0, 4), 0);
  assert.equal(f.view.getUint32(0, true), 2);
  assert.equal(
    f.view.getUint32(4, true),
    "prog\0".length + new TextEncoder().encode("héllo\0").length,
  );
  assert.equal(f.fn("args_get")(16, 100), 0);
  const second = f.view.getUint32(20, true);
  assert.equal(
    new TextDecoder().decode(f.bytes.subarray(second, second + 6)),
    "héllo",
  );
  assert.equal(f.fn("args_get")(16, PAGE - 3), Errno.FAULT);
  assert.equal(f.fn("environ_sizes_get")(PAGE, 4), Errno.FAULT);
  assert.equal(f.fn("environ_get")(16, 200), 0);
  const b = f.view.getUint32(20, true);
  assert.equal(new TextDecoder().decode(f.bytes.subarray(b, b + 5)), "B=two");
  assert.equal(f.calls.length, 0);
});

Deno.test("clocks and random are local; bad clock ids give EINVAL, bad buffers EFAULT", () => {
  const clock = {
    realtime: () => 111n,
    monotonic: () => 222n,
    cputime: () => 333n,
  };
  const f = fixture(undefined, { clock });
  assert.equal(f.fn("clock_time_get")(1, 0n, 8), 0);
  assert.equal(f.view.getBigUint64(8, true), 222n);
  assert.equal(f.fn("clock_time_get")(9, 0n, 8), Errno.INVAL);
  assert.equal(f.fn("clock_time_get")(0, 0n, PAGE - 4), Errno.FAULT);
  assert.equal(f.fn("clock_res_get")(0, 16), 0);
  assert.ok(f.view.getBigUint64(16, true) > 0n);
  assert.equal(f.fn("random_get")(PAGE - 10, 11), Errno.FAULT);
  assert.equal(f.fn("random_get")(0, 0xffffffff), Errno.FAULT);
  assert.equal(
    f.fn("random_get")(1000, 64000),
    0,
  );
  assert.ok(f.bytes.subarray(1000, 65000).some((b) => b !== 0));
  assert.equal(f.fn("sched_yield")(), 0);
  assert.equal(f.calls.length, 0);
});

Deno.test("poll_oneoff converts absolute clocks to relative timeouts and writes the events", () => {
  const clock = {
    realtime: () => 5_000n,
    monotonic: () => 1_000n,
    cputime: () => 0n,
  };
  const f = fixture((req) => {
    if (req.op !== "poll_oneoff") return { errno: Errno.INVAL };
    return {
      errno: 0,
      events: req.subs.map((s) => ({
        userdata: s.userdata,
        error: 0,
        type: s.type,
        nbytes: 3n,
        flags: 0,
      })),
    };
  }, { clock });
  const sub = (i: number, userdata: bigint, type: number) => {
    const at = 64 + i * Sizes.SUBSCRIPTION;
    f.view.setBigUint64(at, userdata, true);
    f.view.setUint8(at + 8, type);
    return at;
  };
  let at = sub(0, 10n, Eventtype.CLOCK);
  f.view.setUint32(at + 16, 1, true); // monotonic
  f.view.setBigUint64(at + 24, 4_000n, true);
  f.view.setUint16(at + 40, Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME, true);
  at = sub(1, 11n, Eventtype.FD_READ);
  f.view.setUint32(at + 16, 0, true);
  assert.equal(f.fn("poll_oneoff")(64, 1024, 2, 2048), 0);
  assert.deepEqual(f.calls, [{
    op: "poll_oneoff",
    subs: [{ userdata: 10n, type: Eventtype.CLOCK, timeout: 3_000n }, {
      userdata: 11n,
      type: Eventtype.FD_READ,
      fd: 0,
    }],
  }]);
  assert.equal(f.view.getUint32(2048, true), 2);
  assert.equal(f.view.getBigUint64(1024 + Sizes.EVENT, true), 11n);
  assert.equal(f.view.getBigUint64(1024 + Sizes.EVENT + 16, true), 3n);
  assert.equal(f.fn("poll_oneoff")(64, 1024, 0, 2048), Errno.INVAL);
  assert.equal(f.fn("poll_oneoff")(64, 1024, 0x10000000, 2048), Errno.INVAL);
  assert.equal(f.fn("poll_oneoff")(64, 1024, 2000, 2048), Errno.FAULT);
});

Deno.test("fd_readdir fills a buffer bigger than a chunk with whole records from successive cookies", () => {
  // A deputy that serves 10 entries named e0..e9 (each record 24 + 2 bytes).
  const records = Array.from({ length: 10 }, (_, i) => {
    const r = new Uint8Array(26);
    const v = new DataView(r.buffer);
    v.setBigUint64(0, BigInt(i + 1), true);
    v.setUint32(16, 2, true);
    r.set(new TextEncoder().encode(`e${i}`), 24);
    return r;
  });
  const f = fixture((req) => {
    if (req.op !== "fd_readdir") return { errno: Errno.INVAL };
    const all = new Uint8Array(
      records.slice(Number(req.cookie)).flatMap((r) => [...r]),
    );
    return { errno: 0, data: all.subarray(0, req.len) };
  }, { maxChunk: 60 });
  assert.equal(f.fn("fd_readdir")(3, 1000, 4000, 0n, 8), 0);
  assert.equal(f.view.getUint32(8, true), 260);
  const names = Array.from(
    { length: 10 },
    (_, i) =>
      new TextDecoder().decode(
        f.bytes.subarray(1000 + i * 26 + 24, 1000 + i * 26 + 26),
      ),
  );
  assert.deepEqual(names, records.map((_, i) => `e${i}`));
});

Deno.test("i64 arguments passed as numbers (a module with a wrong signature) do not throw", () => {
  const f = fixture(() => ({ errno: 0, offset: 9n }));
  assert.equal(f.fn("fd_seek")(3, 5, 0, 8), 0);
  assert.equal(f.fn("fd_seek")(3, undefined, 0, 8), 0);
  assert.deepEqual(f.calls.map((c) => c.op === "fd_seek" ? c.offset : null), [
    5n,
    0n,
  ]);
  assert.equal(f.view.getBigUint64(8, true), 9n);
});

Deno.test("proc_exit throws ProcExit with the code; unknown and socket calls answer errors", () => {
  const f = fixture((req) =>
    req.op === "fd_fdstat_get" && req.fd === 9
      ? { errno: Errno.BADF }
      : { errno: 0 }
  );
  assert.throws(
    () => f.fn("proc_exit")(3),
    (e: unknown) => e instanceof ProcExit && e.code === 3,
  );
  assert.equal(f.fn("made_up")(1), Errno.NOSYS);
  assert.equal(f.fn("sock_recv")(1, 0, 0, 0, 0, 0), Errno.NOTSOCK);
  assert.equal(f.fn("sock_accept")(9, 0, 0), Errno.BADF);
  assert.equal(f.fn("proc_raise")(6), Errno.NOSYS);
});

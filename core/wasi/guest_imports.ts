/**
 * The `wasi_snapshot_preview1` imports of a user context. Each import reads
 * its pointers and iovecs out of wasm memory (every access bounds-checked:
 * a bad pointer gives EFAULT, never a host exception), sends a value
 * request through `call` (synchronous from the context's point of view),
 * and writes the answer back. Large reads and writes go in chunks that fit
 * the link's buffer.
 *
 * Site-independent calls (clocks, random, args, environ, sched_yield) are
 * answered here, where the context runs. fd_read and poll_oneoff may block:
 * they call `hooks.enter` first and, when the deputy answers "interrupted",
 * return `hooks.interrupt(name)` (see core/runtime/unwind_hooks.ts).
 * proc_exit throws {@linkcode ProcExit}.
 *
 * @module
 */

import { NO_UNWIND, type UnwindHooks } from "../runtime/unwind_hooks.ts";
import {
  ClockId,
  Eventtype,
  PREOPENTYPE_DIR,
  RIGHTS_ALL,
  Sizes,
  Subclockflags,
} from "./constants.ts";
import { Errno } from "./errno.ts";
import {
  gather,
  GuestMemory,
  type Iovec,
  scatter,
  totalLength,
} from "./guest_memory.ts";
import { ProcExit } from "./proc_exit.ts";
import type {
  DeputyRequest,
  DeputyResponse,
  Filestat,
  PollSubscription,
} from "./protocol.ts";
import type { Signature } from "./signatures.ts";

/** The clocks a context reads locally, in ns. */
export interface GuestClock {
  realtime(): bigint;
  /** Must never go backwards, also across migrations. */
  monotonic(): bigint;
  /** CPU time of the process (an approximation is fine). */
  cputime(): bigint;
}

/** What the context answers without the deputy. */
export interface LocalAnswers {
  args: string[];
  env: string[];
  clock?: GuestClock;
  /** Fill with random bytes (default crypto.getRandomValues). */
  random?: (buf: Uint8Array) => void;
}

/** Options of {@linkcode createWasiImports}. */
export interface WasiImportOptions {
  /** The instance's memory (looked up on every call: it may grow). */
  memory: () => WebAssembly.Memory;
  /** Send a request to the deputy and wait for its answer. */
  call: (req: DeputyRequest) => DeputyResponse;
  /** Unwind hooks for blocking calls (default: an interrupt is fatal). */
  hooks?: UnwindHooks;
  /** args/env (and clock, random) answered locally; asked of the deputy once if absent. */
  local?: LocalAnswers;
  /** Largest data payload of one request (default 1 MiB - 4 KiB). */
  maxChunk?: number;
  /** Imports of the wasi module that are not preview1 functions: ENOSYS stubs. */
  unknown?: Record<string, Signature>;
}

/** Longest path or link target accepted (bytes). */
export const MAX_PATH_BYTES = 32768;

/** Most subscriptions in one poll_oneoff (its request must fit the link). */
export const MAX_POLL_SUBSCRIPTIONS = 16384;

/** The default chunk: a 1 MiB link buffer less room for the envelope. */
export const DEFAULT_MAX_CHUNK = (1 << 20) - 4096;

/** Clocks from `performance`: comparable across Workers of one process. */
export function defaultClock(): GuestClock {
  const start = performance.now();
  const nowNs = () =>
    BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
  return {
    realtime: nowNs,
    monotonic: nowNs,
    cputime: () => BigInt(Math.round((performance.now() - start) * 1e6)),
  };
}

function defaultRandom(buf: Uint8Array): void {
  for (let at = 0; at < buf.length; at += 65536) {
    crypto.getRandomValues(buf.subarray(at, Math.min(at + 65536, buf.length)));
  }
}

// Import arguments arrive as JS numbers (i32, possibly negative) or bigints
// (i64); a module that declares a wrong signature can pass anything.
const u32 = (x: unknown): number => {
  try {
    return Number(x) >>> 0;
  } catch {
    return 0;
  }
};
const u64 = (x: unknown): bigint => {
  if (typeof x === "bigint") return BigInt.asUintN(64, x);
  const n = Math.trunc(Number(x));
  return Number.isFinite(n) ? BigInt.asUintN(64, BigInt(n)) : 0n;
};
const s64 = (x: unknown): bigint => BigInt.asIntN(64, u64(x));
const rights = (x: unknown): number => Number(u64(x) & BigInt(RIGHTS_ALL));

/** An ENOSYS import matching `sig` (its result type decides the zero). */
export function enosysStub(sig: Signature): (...args: unknown[]) => unknown {
  const r = sig.results[0];
  if (r === undefined) return () => undefined;
  if (r === "i64") return () => BigInt(Errno.NOSYS);
  return () => Errno.NOSYS;
}

function writeFilestat(m: GuestMemory, ptr: number, s: Filestat): void {
  m.u64(ptr, s.dev);
  m.u64(ptr + 8, s.ino);
  m.view.setUint8(ptr + 16, s.filetype);
  for (let i = 17; i < 24; i++) m.view.setUint8(ptr + i, 0);
  m.u64(ptr + 24, s.nlink);
  m.u64(ptr + 32, s.size);
  m.u64(ptr + 40, s.atim);
  m.u64(ptr + 48, s.mtim);
  m.u64(ptr + 56, s.ctim);
}

function encodeStrings(list: string[]): { bufs: Uint8Array[]; size: number } {
  const enc = new TextEncoder();
  const bufs = list.map((s) => {
    const b = enc.encode(s);
    const z = new Uint8Array(b.length + 1);
    z.set(b);
    return z;
  });
  return { bufs, size: bufs.reduce((n, b) => n + b.length, 0) };
}

type ImportFn = (...args: never[]) => unknown;

/**
 * Up to `max` bytes of iovecs from byte `skip`: a view of wasm memory when
 * one iovec holds them (`call` copies a request before it returns), else
 * gathered (a fresh large buffer costs its page faults).
 */
function chunkOf(
  m: GuestMemory,
  iovs: Iovec[],
  skip: number,
  max: number,
): Uint8Array {
  let left = skip;
  for (let i = 0; i < iovs.length; i++) {
    const v = iovs[i];
    if (left >= v.len) {
      left -= v.len;
      continue;
    }
    if (v.len - left < max && i < iovs.length - 1) break;
    const at = v.ptr + left;
    return m.bytes.subarray(at, at + Math.min(v.len - left, max));
  }
  return gather(m, iovs, skip, max);
}

/** Build the `wasi_snapshot_preview1` import object of one instance. */
export function createWasiImports(
  opts: WasiImportOptions,
): Record<string, ImportFn> {
  const hooks = opts.hooks ?? NO_UNWIND;
  const maxChunk = opts.maxChunk ?? DEFAULT_MAX_CHUNK;
  const call = opts.call;
  const mem = () => new GuestMemory(opts.memory());
  const clock = opts.local?.clock ?? defaultClock();
  const random = opts.local?.random ?? defaultRandom;
  let local: {
    args: ReturnType<typeof encodeStrings>;
    env: ReturnType<typeof encodeStrings>;
  } | null = null;
  const answers = () => {
    if (local === null) {
      let args = opts.local?.args;
      let env = opts.local?.env;
      if (args === undefined || env === undefined) {
        const r = call({ op: "context_info" });
        args ??= r.args ?? [];
        env ??= r.env ?? [];
      }
      local = { args: encodeStrings(args), env: encodeStrings(env) };
    }
    return local;
  };

  const sizes =
    (which: "args" | "env") => (countPtr: number, sizePtr: number) => {
      const m = mem();
      const c = u32(countPtr), s = u32(sizePtr);
      if (!m.ok(c, 4) || !m.ok(s, 4)) return Errno.FAULT;
      const l = answers()[which];
      m.u32(c, l.bufs.length);
      m.u32(s, l.size);
      return 0;
    };
  const strings =
    (which: "args" | "env") => (listPtr: number, bufPtr: number) => {
      const m = mem();
      const l = answers()[which];
      const lp = u32(listPtr), bp = u32(bufPtr);
      if (!m.ok(lp, 4 * l.bufs.length) || !m.ok(bp, l.size)) return Errno.FAULT;
      let at = bp;
      l.bufs.forEach((b, i) => {
        m.u32(lp + 4 * i, at);
        m.bytes.set(b, at);
        at += b.length;
      });
      return 0;
    };

  const clockNow = (id: number): bigint | null => {
    switch (id) {
      case ClockId.REALTIME:
        return clock.realtime();
      case ClockId.MONOTONIC:
        return clock.monotonic();
      case ClockId.PROCESS_CPUTIME_ID:
      case ClockId.THREAD_CPUTIME_ID:
        return clock.cputime();
      default:
        return null;
    }
  };

  /** Call, and give back the errno and the response. */
  const simple = (req: DeputyRequest): number => call(req).errno;

  /** Read a path argument, or an errno. */
  const path = (m: GuestMemory, ptr: number, len: number) => {
    const p = u32(ptr), l = u32(len);
    if (!m.ok(p, l)) return Errno.FAULT;
    // Far beyond any host's PATH_MAX, and it keeps requests small.
    return l > MAX_PATH_BYTES ? Errno.NAMETOOLONG : m.string(p, l);
  };

  const readInto = (
    name: string,
    fd: number,
    iovsPtr: number,
    iovsLen: number,
    outPtr: number,
    offset: bigint | null,
  ): number => {
    if (offset === null) hooks.enter(name);
    const m = mem();
    const iovs = m.iovecs(u32(iovsPtr), u32(iovsLen));
    if (typeof iovs === "number") return iovs;
    const out = u32(outPtr);
    if (!m.ok(out, 4)) return Errno.FAULT;
    const total = totalLength(iovs);
    let done = 0;
    let more = false;
    // A stream read returns what is there: one chunk (or one message, in
    // as many chunks as it takes: `more`). pread loops to fill.
    do {
      const len = Math.min(total - done, maxChunk);
      const r = offset === null
        ? call(
          total > len
            ? { op: "fd_read", fd: u32(fd), len, max: total - done }
            : { op: "fd_read", fd: u32(fd), len },
        )
        : call({
          op: "fd_pread",
          fd: u32(fd),
          len,
          offset: offset + BigInt(done),
        });
      if (r.interrupted) return hooks.interrupt(name);
      if (r.errno !== 0) {
        if (done > 0) break;
        return r.errno;
      }
      const data = r.data ?? new Uint8Array(0);
      const m2 = mem();
      done += scatter(m2, iovs, done, data.subarray(0, len));
      more = r.more === true;
      if (data.length < len && !more) break;
    } while ((offset !== null || more) && done < total);
    mem().u32(out, done);
    return 0;
  };

  const writeFrom = (
    fd: number,
    iovsPtr: number,
    iovsLen: number,
    outPtr: number,
    offset: bigint | null,
  ): number => {
    // A write to a message device may wait for room at the receiver.
    if (offset === null) hooks.enter("fd_write");
    const m = mem();
    const iovs = m.iovecs(u32(iovsPtr), u32(iovsLen));
    if (typeof iovs === "number") return iovs;
    const out = u32(outPtr);
    if (!m.ok(out, 4)) return Errno.FAULT;
    const total = totalLength(iovs);
    let done = 0;
    do {
      const data = chunkOf(m, iovs, done, maxChunk);
      // In chunks, each says where it goes, so a message device gets one
      // message per write.
      const r = offset === null
        ? call(
          total > data.length || done > 0
            ? { op: "fd_write", fd: u32(fd), data, at: done, total }
            : { op: "fd_write", fd: u32(fd), data },
        )
        : call({
          op: "fd_pwrite",
          fd: u32(fd),
          data,
          offset: offset + BigInt(done),
        });
      if (r.interrupted) return hooks.interrupt("fd_write");
      if (r.errno !== 0) {
        if (done > 0 && !r.whole) break;
        return r.errno;
      }
      const n = Math.min(r.n ?? 0, data.length);
      done += n;
      if (n < data.length) break;
    } while (done < total);
    m.u32(out, done);
    return 0;
  };

  const readdir = (
    fd: number,
    bufPtr: number,
    bufLen: number,
    cookie: bigint,
    usedPtr: number,
  ): number => {
    const m = mem();
    const buf = u32(bufPtr), len = u32(bufLen), used = u32(usedPtr);
    if (!m.ok(buf, len) || !m.ok(used, 4)) return Errno.FAULT;
    let at = 0;
    let next = cookie;
    while (at < len) {
      const want = Math.min(len - at, maxChunk);
      const r = call({
        op: "fd_readdir",
        fd: u32(fd),
        len: want,
        cookie: next,
      });
      if (r.errno !== 0) return r.errno;
      const data = (r.data ?? new Uint8Array(0)).subarray(0, want);
      if (data.length < want || want === len - at) {
        m.bytes.set(data, buf + at);
        at += data.length;
        break;
      }
      // A full chunk but room left: keep whole records, continue after them.
      const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
      let whole = 0;
      while (whole + Sizes.DIRENT <= data.length) {
        const recLen = Sizes.DIRENT + v.getUint32(whole + 16, true);
        if (whole + recLen > data.length) break;
        next = v.getBigUint64(whole, true);
        whole += recLen;
      }
      if (whole === 0) {
        m.bytes.set(data, buf + at);
        at += data.length;
        break;
      }
      m.bytes.set(data.subarray(0, whole), buf + at);
      at += whole;
    }
    m.u32(used, at);
    return 0;
  };

  const poll = (
    inPtr: number,
    outPtr: number,
    nsubs: number,
    neventsPtr: number,
  ): number => {
    hooks.enter("poll_oneoff");
    const m = mem();
    const ip = u32(inPtr),
      op = u32(outPtr),
      n = u32(nsubs),
      np = u32(neventsPtr);
    if (n === 0 || n > MAX_POLL_SUBSCRIPTIONS) return Errno.INVAL;
    if (
      !m.ok(ip, n * Sizes.SUBSCRIPTION) || !m.ok(op, n * Sizes.EVENT) ||
      !m.ok(np, 4)
    ) {
      return Errno.FAULT;
    }
    const subs: PollSubscription[] = [];
    for (let i = 0; i < n; i++) {
      const at = ip + i * Sizes.SUBSCRIPTION;
      const userdata = m.view.getBigUint64(at, true);
      const type = m.view.getUint8(at + 8);
      if (type === Eventtype.CLOCK) {
        const id = m.view.getUint32(at + 16, true);
        const timeout = m.view.getBigUint64(at + 24, true);
        const flags = m.view.getUint16(at + 40, true);
        const now = clockNow(id);
        if (now === null) return Errno.INVAL;
        const rel = flags & Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME
          ? timeout - now
          : timeout;
        subs.push({ userdata, type, timeout: rel < 0n ? 0n : rel });
      } else if (type === Eventtype.FD_READ || type === Eventtype.FD_WRITE) {
        subs.push({ userdata, type, fd: m.view.getUint32(at + 16, true) });
      } else return Errno.INVAL;
    }
    const r = call({ op: "poll_oneoff", subs });
    if (r.interrupted) return hooks.interrupt("poll_oneoff");
    if (r.errno !== 0) return r.errno;
    const events = (r.events ?? []).slice(0, n);
    const m2 = mem();
    if (!m2.ok(op, n * Sizes.EVENT) || !m2.ok(np, 4)) return Errno.FAULT;
    events.forEach((e, i) => {
      const at = op + i * Sizes.EVENT;
      m2.bytes.fill(0, at, at + Sizes.EVENT);
      m2.u64(at, e.userdata);
      m2.view.setUint16(at + 8, e.error, true);
      m2.view.setUint8(at + 10, e.type);
      m2.u64(at + 16, e.nbytes);
      m2.view.setUint16(at + 24, e.flags, true);
    });
    m2.u32(np, events.length);
    return 0;
  };

  const sockCall = (fd: number): number => {
    const r = call({ op: "fd_fdstat_get", fd: u32(fd) });
    return r.errno !== 0 ? r.errno : Errno.NOTSOCK;
  };

  const imports: Record<string, ImportFn> = {
    args_sizes_get: sizes("args"),
    args_get: strings("args"),
    environ_sizes_get: sizes("env"),
    environ_get: strings("env"),

    clock_res_get: (id: number, ptr: number) => {
      const m = mem();
      const p = u32(ptr);
      if (clockNow(u32(id)) === null) return Errno.INVAL;
      if (!m.ok(p, 8)) return Errno.FAULT;
      m.u64(p, 1000n);
      return 0;
    },
    clock_time_get: (id: number, _precision: bigint, ptr: number) => {
      const m = mem();
      const p = u32(ptr);
      const now = clockNow(u32(id));
      if (now === null) return Errno.INVAL;
      if (!m.ok(p, 8)) return Errno.FAULT;
      m.u64(p, now);
      return 0;
    },
    random_get: (ptr: number, len: number) => {
      const m = mem();
      const p = u32(ptr), l = u32(len);
      if (!m.ok(p, l)) return Errno.FAULT;
      const buf = new Uint8Array(l);
      random(buf);
      m.bytes.set(buf, p);
      return 0;
    },
    sched_yield: () => 0,
    proc_exit: (code: number) => {
      throw new ProcExit(u32(code));
    },
    proc_raise: () => Errno.NOSYS,

    fd_advise: (fd: number, offset: bigint, len: bigint, advice: number) =>
      simple({
        op: "fd_advise",
        fd: u32(fd),
        offset: s64(offset),
        len: s64(len),
        advice: u32(advice) & 0xff,
      }),
    fd_allocate: (fd: number, offset: bigint, len: bigint) =>
      simple({
        op: "fd_allocate",
        fd: u32(fd),
        offset: s64(offset),
        len: s64(len),
      }),
    fd_close: (fd: number) => simple({ op: "fd_close", fd: u32(fd) }),
    fd_datasync: (fd: number) => simple({ op: "fd_datasync", fd: u32(fd) }),
    fd_sync: (fd: number) => simple({ op: "fd_sync", fd: u32(fd) }),
    fd_fdstat_get: (fd: number, ptr: number) => {
      const m = mem();
      const p = u32(ptr);
      if (!m.ok(p, Sizes.FDSTAT)) return Errno.FAULT;
      const r = call({ op: "fd_fdstat_get", fd: u32(fd) });
      if (r.errno !== 0 || !r.fdstat) return r.errno || Errno.IO;
      const m2 = mem();
      m2.bytes.fill(0, p, p + Sizes.FDSTAT);
      m2.view.setUint8(p, r.fdstat.filetype);
      m2.view.setUint16(p + 2, r.fdstat.flags, true);
      m2.u64(p + 8, BigInt(r.fdstat.rightsBase));
      m2.u64(p + 16, BigInt(r.fdstat.rightsInheriting));
      return 0;
    },
    fd_fdstat_set_flags: (fd: number, flags: number) =>
      simple({
        op: "fd_fdstat_set_flags",
        fd: u32(fd),
        flags: u32(flags) & 0xffff,
      }),
    fd_fdstat_set_rights: (fd: number, base: bigint, inheriting: bigint) =>
      simple({
        op: "fd_fdstat_set_rights",
        fd: u32(fd),
        base: rights(base),
        inheriting: rights(inheriting),
      }),
    fd_filestat_get: (fd: number, ptr: number) => {
      const p = u32(ptr);
      if (!mem().ok(p, Sizes.FILESTAT)) return Errno.FAULT;
      const r = call({ op: "fd_filestat_get", fd: u32(fd) });
      if (r.errno !== 0 || !r.stat) return r.errno || Errno.IO;
      writeFilestat(mem(), p, r.stat);
      return 0;
    },
    fd_filestat_set_size: (fd: number, size: bigint) =>
      simple({ op: "fd_filestat_set_size", fd: u32(fd), size: u64(size) }),
    fd_filestat_set_times: (
      fd: number,
      atim: bigint,
      mtim: bigint,
      fst: number,
    ) =>
      simple({
        op: "fd_filestat_set_times",
        fd: u32(fd),
        atim: u64(atim),
        mtim: u64(mtim),
        fstflags: u32(fst) & 0xffff,
      }),
    fd_pread: (
      fd: number,
      iovs: number,
      n: number,
      offset: bigint,
      out: number,
    ) => readInto("fd_pread", fd, iovs, n, out, u64(offset)),
    fd_pwrite: (
      fd: number,
      iovs: number,
      n: number,
      offset: bigint,
      out: number,
    ) => writeFrom(fd, iovs, n, out, u64(offset)),
    fd_read: (fd: number, iovs: number, n: number, out: number) =>
      readInto("fd_read", fd, iovs, n, out, null),
    fd_write: (fd: number, iovs: number, n: number, out: number) =>
      writeFrom(fd, iovs, n, out, null),
    fd_prestat_get: (fd: number, ptr: number) => {
      const p = u32(ptr);
      if (!mem().ok(p, Sizes.PRESTAT)) return Errno.FAULT;
      const r = call({ op: "fd_prestat_get", fd: u32(fd) });
      if (r.errno !== 0) return r.errno;
      const m = mem();
      m.bytes.fill(0, p, p + Sizes.PRESTAT);
      m.view.setUint8(p, PREOPENTYPE_DIR);
      m.u32(p + 4, r.n ?? 0);
      return 0;
    },
    fd_prestat_dir_name: (fd: number, ptr: number, len: number) => {
      const p = u32(ptr), l = u32(len);
      if (!mem().ok(p, l)) return Errno.FAULT;
      const r = call({ op: "fd_prestat_get", fd: u32(fd) });
      if (r.errno !== 0) return r.errno;
      const name = new TextEncoder().encode(r.name ?? "");
      if (l < name.length) return Errno.NAMETOOLONG;
      mem().bytes.set(name, p);
      return 0;
    },
    fd_readdir: (
      fd: number,
      buf: number,
      len: number,
      cookie: bigint,
      used: number,
    ) => readdir(fd, buf, len, u64(cookie), used),
    fd_renumber: (fd: number, to: number) =>
      simple({ op: "fd_renumber", fd: u32(fd), to: u32(to) }),
    fd_seek: (fd: number, offset: bigint, whence: number, ptr: number) => {
      const p = u32(ptr);
      if (!mem().ok(p, 8)) return Errno.FAULT;
      const r = call({
        op: "fd_seek",
        fd: u32(fd),
        offset: s64(offset),
        whence: u32(whence) & 0xff,
      });
      if (r.errno !== 0) return r.errno;
      mem().u64(p, r.offset ?? 0n);
      return 0;
    },
    fd_tell: (fd: number, ptr: number) => {
      const p = u32(ptr);
      if (!mem().ok(p, 8)) return Errno.FAULT;
      const r = call({ op: "fd_tell", fd: u32(fd) });
      if (r.errno !== 0) return r.errno;
      mem().u64(p, r.offset ?? 0n);
      return 0;
    },

    path_create_directory: (fd: number, ptr: number, len: number) => {
      const p = path(mem(), ptr, len);
      return typeof p === "number"
        ? p
        : simple({ op: "path_create_directory", fd: u32(fd), path: p });
    },
    path_remove_directory: (fd: number, ptr: number, len: number) => {
      const p = path(mem(), ptr, len);
      return typeof p === "number"
        ? p
        : simple({ op: "path_remove_directory", fd: u32(fd), path: p });
    },
    path_unlink_file: (fd: number, ptr: number, len: number) => {
      const p = path(mem(), ptr, len);
      return typeof p === "number"
        ? p
        : simple({ op: "path_unlink_file", fd: u32(fd), path: p });
    },
    path_filestat_get: (
      fd: number,
      flags: number,
      ptr: number,
      len: number,
      buf: number,
    ) => {
      const m = mem();
      const p = path(m, ptr, len);
      if (typeof p === "number") return p;
      const b = u32(buf);
      if (!m.ok(b, Sizes.FILESTAT)) return Errno.FAULT;
      const r = call({
        op: "path_filestat_get",
        fd: u32(fd),
        dirflags: u32(flags),
        path: p,
      });
      if (r.errno !== 0 || !r.stat) return r.errno || Errno.IO;
      writeFilestat(mem(), b, r.stat);
      return 0;
    },
    path_filestat_set_times: (
      fd: number,
      flags: number,
      ptr: number,
      len: number,
      atim: bigint,
      mtim: bigint,
      fst: number,
    ) => {
      const p = path(mem(), ptr, len);
      if (typeof p === "number") return p;
      return simple({
        op: "path_filestat_set_times",
        fd: u32(fd),
        dirflags: u32(flags),
        path: p,
        atim: u64(atim),
        mtim: u64(mtim),
        fstflags: u32(fst) & 0xffff,
      });
    },
    path_link: (
      fd: number,
      flags: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ) => {
      const m = mem();
      const a = path(m, oldPtr, oldLen);
      if (typeof a === "number") return a;
      const b = path(m, newPtr, newLen);
      if (typeof b === "number") return b;
      return simple({
        op: "path_link",
        fd: u32(fd),
        dirflags: u32(flags),
        path: a,
        newFd: u32(newFd),
        newPath: b,
      });
    },
    path_open: (
      fd: number,
      dirflags: number,
      ptr: number,
      len: number,
      oflags: number,
      base: bigint,
      inheriting: bigint,
      fdflags: number,
      fdPtr: number,
    ) => {
      const m = mem();
      const p = path(m, ptr, len);
      if (typeof p === "number") return p;
      const out = u32(fdPtr);
      if (!m.ok(out, 4)) return Errno.FAULT;
      const r = call({
        op: "path_open",
        fd: u32(fd),
        dirflags: u32(dirflags),
        path: p,
        oflags: u32(oflags) & 0xffff,
        base: rights(base),
        inheriting: rights(inheriting),
        fdflags: u32(fdflags) & 0xffff,
      });
      if (r.errno !== 0) return r.errno;
      mem().u32(out, r.n ?? 0);
      return 0;
    },
    path_readlink: (
      fd: number,
      ptr: number,
      len: number,
      buf: number,
      bufLen: number,
      used: number,
    ) => {
      const m = mem();
      const p = path(m, ptr, len);
      if (typeof p === "number") return p;
      const b = u32(buf), bl = u32(bufLen), u = u32(used);
      if (!m.ok(b, bl) || !m.ok(u, 4)) return Errno.FAULT;
      const r = call({ op: "path_readlink", fd: u32(fd), path: p });
      if (r.errno !== 0) return r.errno;
      const data = (r.data ?? new Uint8Array(0)).subarray(0, bl);
      const m2 = mem();
      m2.bytes.set(data, b);
      m2.u32(u, data.length);
      return 0;
    },
    path_rename: (
      fd: number,
      oldPtr: number,
      oldLen: number,
      newFd: number,
      newPtr: number,
      newLen: number,
    ) => {
      const m = mem();
      const a = path(m, oldPtr, oldLen);
      if (typeof a === "number") return a;
      const b = path(m, newPtr, newLen);
      if (typeof b === "number") return b;
      return simple({
        op: "path_rename",
        fd: u32(fd),
        path: a,
        newFd: u32(newFd),
        newPath: b,
      });
    },
    path_symlink: (
      oldPtr: number,
      oldLen: number,
      fd: number,
      newPtr: number,
      newLen: number,
    ) => {
      const m = mem();
      const target = path(m, oldPtr, oldLen);
      if (typeof target === "number") return target;
      const p = path(m, newPtr, newLen);
      if (typeof p === "number") return p;
      return simple({ op: "path_symlink", target, fd: u32(fd), path: p });
    },

    poll_oneoff: poll,

    sock_accept: (fd: number) => sockCall(fd),
    sock_recv: (fd: number) => sockCall(fd),
    sock_send: (fd: number) => sockCall(fd),
    sock_shutdown: (fd: number) => sockCall(fd),
  };
  for (const [name, sig] of Object.entries(opts.unknown ?? {})) {
    if (!(name in imports)) imports[name] = enosysStub(sig);
  }
  return imports;
}

/**
 * TEST HARNESS ONLY: a minimal WASI preview1 shim for runtime tests, not
 * the real WASI host (core/wasi). It is an imports module for
 * UserContext: stdout/stderr go to a SharedArrayBuffer the test reads,
 * stdin blocks until a freeze is requested (then the call is interrupted)
 * or `stdin` data is given, proc_exit throws WasiExit.
 *
 * @module
 */

import process from "node:process";
import {
  CONTROL_FREEZE,
  type ImportContext,
} from "../../../core/runtime/imports_factory.ts";
import { WasiExit } from "../../../core/runtime/wasi_exit.ts";

/** Options of the shim (structured-cloned into the worker). */
export interface ShimOptions {
  /** Output buffer from {@linkcode newOutput}. */
  output: SharedArrayBuffer;
  /** Bytes fd_read returns; absent: fd_read blocks until a freeze (max blockMs). */
  stdin?: string;
  /** Longest a blocking fd_read waits (default 5000 ms). */
  blockMs?: number;
}

const HEAD = 8;

/** A shared output buffer of `size` bytes. */
export function newOutput(size = 1 << 20): SharedArrayBuffer {
  return new SharedArrayBuffer(HEAD + size);
}

/** Text written so far to an output buffer. */
export function readOutput(sab: SharedArrayBuffer): string {
  const used = Atomics.load(new Int32Array(sab), 0);
  return new TextDecoder().decode(new Uint8Array(sab, HEAD, used).slice());
}

function append(sab: SharedArrayBuffer, bytes: Uint8Array): void {
  const head = new Int32Array(sab);
  const used = Atomics.load(head, 0);
  const room = sab.byteLength - HEAD - used;
  if (bytes.length > room) throw new Error("test shim output buffer full");
  new Uint8Array(sab, HEAD + used).set(bytes);
  Atomics.store(head, 0, used + bytes.length);
}

const ERRNO_BADF = 8;

/** The imports module entry (see core/runtime/imports_factory.ts). */
export function createImports(ctx: ImportContext): WebAssembly.Imports {
  const opts = ctx.options as ShimOptions;
  const dv = () => new DataView(ctx.memory().buffer);
  const mem = () => new Uint8Array(ctx.memory().buffer);
  let stdinPos = 0;
  const stdin = opts.stdin === undefined
    ? undefined
    : new TextEncoder().encode(opts.stdin);
  const wasi = {
    fd_write(fd: number, iovs: number, n: number, nwritten: number): number {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = dv().getUint32(iovs + 8 * i, true);
        const l = dv().getUint32(iovs + 8 * i + 4, true);
        append(opts.output, mem().slice(p, p + l));
        total += l;
      }
      dv().setUint32(nwritten, total, true);
      return 0;
    },
    fd_read(fd: number, iovs: number, n: number, nread: number): number {
      ctx.hooks.enter("fd_read");
      if (fd !== 0) return ERRNO_BADF;
      if (stdin === undefined) {
        Atomics.wait(ctx.control, CONTROL_FREEZE, 0, opts.blockMs ?? 5000);
        if (ctx.freezeRequested()) return ctx.hooks.interrupt("fd_read");
        dv().setUint32(nread, 0, true);
        return 0;
      }
      let total = 0;
      for (let i = 0; i < n && stdinPos < stdin.length; i++) {
        const p = dv().getUint32(iovs + 8 * i, true);
        const l = dv().getUint32(iovs + 8 * i + 4, true);
        const chunk = stdin.subarray(stdinPos, stdinPos + l);
        mem().set(chunk, p);
        stdinPos += chunk.length;
        total += chunk.length;
      }
      dv().setUint32(nread, total, true);
      return 0;
    },
    proc_exit(code: number): never {
      throw new WasiExit(code);
    },
    clock_time_get(id: number, _precision: bigint, out: number): number {
      let ns: bigint;
      if (id >= 2) {
        const u = process.cpuUsage();
        ns = BigInt(u.user + u.system) * 1000n;
      } else {
        ns = BigInt(
          Math.round((performance.timeOrigin + performance.now()) * 1e6),
        );
      }
      dv().setBigUint64(out, ns, true);
      return 0;
    },
    random_get(buf: number, len: number): number {
      crypto.getRandomValues(mem().subarray(buf, buf + len));
      return 0;
    },
    args_sizes_get(argc: number, size: number): number {
      dv().setUint32(argc, 0, true);
      dv().setUint32(size, 0, true);
      return 0;
    },
    args_get(): number {
      return 0;
    },
    environ_sizes_get(count: number, size: number): number {
      dv().setUint32(count, 0, true);
      dv().setUint32(size, 0, true);
      return 0;
    },
    environ_get(): number {
      return 0;
    },
    fd_fdstat_get(): number {
      return ERRNO_BADF;
    },
    fd_seek(): number {
      return ERRNO_BADF;
    },
    fd_close(): number {
      return 0;
    },
  };
  return { wasi_snapshot_preview1: wasi };
}

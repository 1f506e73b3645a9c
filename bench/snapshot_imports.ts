/**
 * The imports of the snapshot bench's program (a minimal WASI: stdout to a
 * shared buffer, argv, exit), in a file of its own: a context's Worker may
 * read only core/ and its imports module's directory, so this file imports
 * nothing beyond core/runtime.
 *
 * @module
 */

import type { ImportContext } from "../core/runtime/imports_factory.ts";
import { WasiExit } from "../core/runtime/wasi_exit.ts";

/** What the bench passes to {@linkcode createImports}. */
export interface BenchImportOptions {
  output: SharedArrayBuffer;
  args: string[];
}

/** Imports of the bench program (bench harness, not the WASI host). */
export function createImports(ctx: ImportContext): WebAssembly.Imports {
  const o = ctx.options as BenchImportOptions;
  const dv = () => new DataView(ctx.memory().buffer);
  const argv = o.args.map((a) => new TextEncoder().encode(`${a}\0`));
  const wasi: Record<string, (...a: number[]) => number> = {
    fd_write(_fd, iovs, n, nw) {
      const head = new Int32Array(o.output, 0, 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = dv().getUint32(iovs + 8 * i, true);
        const l = dv().getUint32(iovs + 8 * i + 4, true);
        const used = Atomics.load(head, 0);
        const room = o.output.byteLength - 8 - used;
        new Uint8Array(o.output, 8 + used, Math.min(l, room)).set(
          new Uint8Array(ctx.memory().buffer, p, Math.min(l, room)),
        );
        Atomics.store(head, 0, used + Math.min(l, room));
        total += l;
      }
      dv().setUint32(nw, total, true);
      return 0;
    },
    args_sizes_get(argc, size) {
      dv().setUint32(argc, argv.length, true);
      dv().setUint32(size, argv.reduce((n, a) => n + a.length, 0), true);
      return 0;
    },
    args_get(ptrs, buf) {
      argv.forEach((a, i) => {
        dv().setUint32(ptrs + 4 * i, buf, true);
        new Uint8Array(ctx.memory().buffer, buf, a.length).set(a);
        buf += a.length;
      });
      return 0;
    },
    proc_exit(code) {
      throw new WasiExit(code);
    },
  };
  return {
    wasi_snapshot_preview1: new Proxy(wasi, {
      get: (t, k: string) =>
        t[k] ?? (() => (k === "fd_fdstat_get" || k === "fd_seek" ? 8 : 0)),
    }),
  };
}

/** What the program has written to stdout so far. */
export function outputText(sab: SharedArrayBuffer): string {
  const used = Atomics.load(new Int32Array(sab, 0, 1), 0);
  return new TextDecoder().decode(new Uint8Array(sab, 8, used).slice());
}

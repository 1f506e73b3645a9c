/**
 * TEST HARNESS: an imports module (core/runtime/imports_factory.ts) that
 * plays a compromised import layer. Inside the user context's Worker it
 * tries to reach the host: read and write files, open and accept network
 * connections, read the environment, run a program, load native code,
 * import code from elsewhere, start a worker. It reports what happened to
 * each attempt as JSON in a SharedArrayBuffer, then gives the program a
 * `proc_exit` so it ends normally.
 *
 * @module
 */

import type { ImportsFactory } from "../../core/runtime/imports_factory.ts";
import { WasiExit } from "../../core/runtime/wasi_exit.ts";

/** Options (structured-cloned into the worker). */
export interface EscapeOptions {
  /** Where the JSON report goes: u32 length, then UTF-8. */
  report: SharedArrayBuffer;
  /** A file the test made outside the worker's code directories. */
  secretFile: string;
  /** A directory the worker must not write to. */
  writeDir: string;
  /** A loopback port the test listens on. */
  port: number;
}

/** What each attempt did: "denied: ..." or "allowed". */
export type EscapeReport = Record<string, string>;

async function attempt(f: () => unknown): Promise<string> {
  try {
    await f();
    return "allowed";
  } catch (e) {
    return `denied: ${e instanceof Error ? e.name : String(e)}`;
  }
}

/** Try every way out, report, and give the program its imports. */
export const createImports: ImportsFactory = async (ctx) => {
  const o = ctx.options as EscapeOptions;
  const report: EscapeReport = {
    readFile: await attempt(() => Deno.readTextFileSync(o.secretFile)),
    readEtc: await attempt(() => Deno.readTextFileSync("/etc/passwd")),
    statFile: await attempt(() => Deno.statSync(o.secretFile)),
    writeFile: await attempt(() =>
      Deno.writeTextFileSync(`${o.writeDir}/planted.txt`, "x")
    ),
    connect: await attempt(async () =>
      (await Deno.connect({ hostname: "127.0.0.1", port: o.port })).close()
    ),
    listen: await attempt(() =>
      Deno.listen({ hostname: "127.0.0.1", port: 0 }).close()
    ),
    udp: await attempt(() =>
      Deno.listenDatagram({
        transport: "udp",
        hostname: "127.0.0.1",
        port: 0,
      }).close()
    ),
    fetch: await attempt(async () =>
      await (await fetch(`http://127.0.0.1:${o.port}/`)).text()
    ),
    env: await attempt(() => Deno.env.get("HOME")),
    envAll: await attempt(() => Deno.env.toObject()),
    run: await attempt(() => new Deno.Command("true").outputSync()),
    ffi: await attempt(() => Deno.dlopen("libc.so.6", {})),
    sys: await attempt(() => Deno.hostname()),
    importFile: await attempt(() => import(`file://${o.secretFile}`)),
    importRemote: await attempt(() =>
      import(`http://127.0.0.1:${o.port}/x.js`)
    ),
    chdir: await attempt(() => Deno.chdir("/")),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(report));
  const view = new Uint8Array(o.report);
  new DataView(o.report).setUint32(0, bytes.length, true);
  view.set(bytes.subarray(0, view.length - 4), 4);
  return {
    wasi_snapshot_preview1: {
      proc_exit: (code: number) => {
        throw new WasiExit(code);
      },
    },
  };
};

/**
 * Runs an uninstrumented WASI command: the user context in a Worker, the
 * deputy in this thread, joined by the sync channel. It proves the WASI host;
 * the migratable runtime replaces the worker but keeps the deputy, the
 * channel and the import construction.
 *
 * @module
 */

import {
  createChannelBuffer,
  DEFAULT_CHANNEL_BYTES,
  serveSyncChannel,
} from "../link/sync_channel.ts";
import { Deputy } from "./deputy.ts";
import { Errno } from "./errno.ts";
import { checkWasiModule } from "./module_check.ts";
import type { Preopen } from "./preopen.ts";
import { shellStatus } from "./proc_exit.ts";
import type { DeputyRequest, DeputyResponse } from "./protocol.ts";
import type { Signature } from "./signatures.ts";
import { denoStdio, type InputStream, type OutputStream } from "./stdio.ts";

/** Options of {@linkcode runWasi}. */
export interface RunWasiOptions {
  /** argv, argv[0] included. */
  args: string[];
  /** Environment as "KEY=VALUE". */
  env: string[];
  /** Default: the cwd as "." and "/". */
  preopens?: Preopen[];
  /** Home cwd (default Deno.cwd()). */
  cwd?: string;
  stdin?: InputStream;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Name used in messages (default args[0]). */
  name?: string;
  /** Link buffer size (default 1 MiB). */
  channelBytes?: number;
}

/** What the runner sends to start the program. */
export interface PlainWorkerStart {
  module: WebAssembly.Module;
  sab: SharedArrayBuffer;
  args: string[];
  env: string[];
  unknown: Record<string, Signature>;
}

/** What the worker sends back when the program ends. */
export type PlainWorkerResult =
  | { kind: "exit"; code: number }
  | { kind: "trap"; message: string };

/** Exit status reported for a trapped program (128 + SIGABRT, as a shell shows abort). */
export const TRAP_STATUS = 134;

/**
 * Run `wasmBytes` to completion and resolve to its exit status (0-255). An
 * unusable module rejects with a one-line WasiModuleError; a trap writes
 * one line to stderr and resolves to {@linkcode TRAP_STATUS}.
 */
export async function runWasi(
  wasmBytes: Uint8Array<ArrayBuffer>,
  opts: RunWasiOptions,
): Promise<number> {
  const name = opts.name ?? opts.args[0] ?? "program";
  const { module, unknown } = await checkWasiModule(wasmBytes, name);
  const std = opts.stdin && opts.stdout && opts.stderr ? null : denoStdio();
  const stderr = opts.stderr ?? std!.stderr;
  const deputy = new Deputy({
    args: opts.args,
    env: opts.env,
    cwd: opts.cwd,
    preopens: opts.preopens,
    stdio: {
      stdin: opts.stdin ?? std!.stdin,
      stdout: opts.stdout ?? std!.stdout,
      stderr,
    },
  });
  const sab = createChannelBuffer(opts.channelBytes ?? DEFAULT_CHANNEL_BYTES);
  const server = serveSyncChannel<DeputyRequest, DeputyResponse>(
    sab,
    (req) => deputy.handle(req),
    () => ({ errno: Errno.IO }),
  );
  const worker = new Worker(
    new URL("./plain_worker.ts", import.meta.url).href,
    { type: "module" },
  );
  try {
    const result = await new Promise<PlainWorkerResult>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<PlainWorkerResult>) =>
        resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`${name}: worker failed: ${e.message}`));
      };
      const start: PlainWorkerStart = {
        module,
        sab,
        args: opts.args,
        env: opts.env,
        unknown,
      };
      worker.postMessage(start);
    });
    if (result.kind === "exit") return shellStatus(result.code);
    await stderr.write(
      new TextEncoder().encode(`${name}: ${result.message}\n`),
    );
    return TRAP_STATUS;
  } finally {
    worker.terminate();
    server.close();
    await server.done;
    deputy.closeAll();
  }
}

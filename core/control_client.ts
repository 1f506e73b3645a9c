/**
 * Client side of the control protocol (core/control_protocol.ts): what the
 * commands use to talk to the local omdiscd.
 *
 * @module
 */

import { FrameDecoder, writeAll } from "./frame_decoder.ts";
import { encodeFrame } from "./wire.ts";
import { deriveKey, loadSecret } from "./secret.ts";
import { CliError } from "./cli_util.ts";
import { resolveDirs } from "./node_dirs.ts";
import {
  controlAuth,
  type ControlOp,
  type ControlResponse,
  type Hello,
  isAdminOp,
} from "./control_protocol.ts";

/** Largest control frame accepted (node lists, maps). */
const MAX_CONTROL_FRAME = 16 * 1024 * 1024;

/** A connection to the local daemon. */
export class ControlClient {
  #conn: Deno.UnixConn;
  #decoder = new FrameDecoder({ key: null, maxFrame: MAX_CONTROL_FRAME });
  #pending: unknown[] = [];
  #buf = new Uint8Array(64 * 1024);
  #nextId = 1;
  #hello!: Hello;
  #auth: Uint8Array | null = null;
  #secretPath: string | undefined;

  private constructor(conn: Deno.UnixConn, secretPath: string | undefined) {
    this.#conn = conn;
    this.#secretPath = secretPath;
  }

  /**
   * Connect to the daemon at `socketPath`. `secretPath` is read only when an
   * admin operation is called. Fails with a one-line {@linkcode CliError}.
   */
  static async connect(
    socketPath: string,
    opts: { secretPath?: string; timeoutMs?: number } = {},
  ): Promise<ControlClient> {
    let conn: Deno.UnixConn;
    try {
      conn = await Deno.connect({ transport: "unix", path: socketPath });
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "no daemon socket"
        : e instanceof Deno.errors.PermissionDenied
        ? "permission denied"
        : e instanceof Deno.errors.ConnectionRefused
        ? "daemon not running"
        : (e as Error).message;
      throw new CliError(
        `cannot reach omdiscd at ${socketPath}: ${why} (start it with 'omdiscd', or pass the node's --dir)`,
      );
    }
    const c = new ControlClient(conn, opts.secretPath);
    const hello = await c.#next(opts.timeoutMs ?? 5000) as Hello;
    if (hello?.hello !== "omdiscd" || !(hello.nonce instanceof Uint8Array)) {
      conn.close();
      throw new CliError(
        `${socketPath} is not an omdiscd control socket (check --dir)`,
      );
    }
    c.#hello = hello;
    return c;
  }

  /** Version string the daemon reported. */
  get daemonVersion(): string {
    return this.#hello.version;
  }

  /** Call one operation and return its result, or throw a CliError. */
  async call<T = unknown>(
    op: ControlOp,
    args: Record<string, unknown> = {},
    timeoutMs = 10000,
  ): Promise<T> {
    const id = this.#nextId++;
    const req: Record<string, unknown> = { id, op, args };
    if (isAdminOp(op)) req.auth = await this.#authTag();
    await writeAll(this.#conn, encodeFrame(null, req));
    const res = await this.#next(timeoutMs) as ControlResponse;
    if (res?.id !== id) {
      throw new CliError("omdiscd sent an unexpected answer (restart it)");
    }
    if (!res.ok) throw new CliError(res.error);
    return res.result as T;
  }

  /** Close the connection. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }

  async #authTag(): Promise<Uint8Array> {
    if (this.#auth) return this.#auth;
    if (!this.#secretPath) {
      throw new CliError("this operation needs the cluster secret");
    }
    let secret: Uint8Array;
    try {
      secret = await loadSecret(this.#secretPath);
    } catch (e) {
      const msg = e instanceof Deno.errors.PermissionDenied
        ? `cannot read the cluster secret ${this.#secretPath} (run as its owner or root)`
        : (e as Error).message;
      throw new CliError(msg);
    }
    this.#auth = controlAuth(deriveKey(secret, "control"), this.#hello.nonce);
    return this.#auth;
  }

  async #next(timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (this.#pending.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new CliError(
          "omdiscd did not answer in time (is it overloaded?)",
        );
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        this.#conn.read(this.#buf),
        new Promise<"timeout">((r) =>
          timer = setTimeout(() => r("timeout"), left)
        ),
      ]).finally(() => clearTimeout(timer));
      if (n === "timeout") continue;
      if (n === null) {
        throw new CliError("omdiscd closed the connection (see its log)");
      }
      try {
        this.#pending.push(...this.#decoder.push(this.#buf.subarray(0, n)));
      } catch (e) {
        throw new CliError(`bad answer from omdiscd: ${(e as Error).message}`);
      }
    }
    return this.#pending.shift();
  }
}

/** Connect to the daemon of the node directory chosen by `--dir` / DMOSIX_DIR. */
export function connectNode(dir?: string): Promise<ControlClient> {
  const dirs = resolveDirs({ dir });
  return ControlClient.connect(dirs.socketPath, {
    secretPath: dirs.secretPath,
  });
}

/** Call one operation on the local daemon and close the connection. */
export async function callNode<T = unknown>(
  dir: string | undefined,
  op: ControlOp,
  args: Record<string, unknown> = {},
): Promise<T> {
  const c = await connectNode(dir);
  try {
    return await c.call<T>(op, args);
  } finally {
    c.close();
  }
}

/**
 * The daemon end of the control socket (core/control_protocol.ts): accepts
 * connections on the Unix socket, greets each with a nonce, checks admin
 * requests against the secret and hands requests to a handler. A bad frame
 * closes that connection only; the daemon keeps serving.
 *
 * @module
 */

import { FrameDecoder, writeAll } from "../core/frame_decoder.ts";
import { encodeFrame } from "../core/wire.ts";
import {
  controlAuth,
  type ControlOp,
  type ControlResponse,
  isAdminOp,
  isControlOp,
  sameTag,
} from "../core/control_protocol.ts";
import { VERSION } from "../core/version.ts";
import type { Logger } from "./log.ts";

/** Largest request frame accepted from a command. */
export const MAX_REQUEST_FRAME = 4 * 1024 * 1024;
/** Connections served at once. */
export const MAX_CONNECTIONS = 64;

/** Handles one validated request; throws an Error whose message is sent back. */
export type ControlHandler = (
  op: ControlOp,
  args: Record<string, unknown>,
) => Promise<unknown> | unknown;

/** A running control socket server. */
export class ControlServer {
  #listener: Deno.Listener;
  #key: Uint8Array;
  #handler: ControlHandler;
  #log: Logger;
  #conns = new Set<Deno.Conn>();
  #done: Promise<void>;

  private constructor(
    listener: Deno.Listener,
    key: Uint8Array,
    handler: ControlHandler,
    log: Logger,
  ) {
    this.#listener = listener;
    this.#key = key;
    this.#handler = handler;
    this.#log = log;
    this.#done = this.#acceptLoop();
  }

  /** Listen on `path` (mode 0666: anyone may look, admin needs the secret). */
  static async listen(
    path: string,
    controlKey: Uint8Array,
    handler: ControlHandler,
    log: Logger,
  ): Promise<ControlServer> {
    const listener = Deno.listen({ transport: "unix", path });
    await Deno.chmod(path, 0o666);
    return new ControlServer(listener, controlKey, handler, log);
  }

  /** Stop accepting and close every connection. */
  async close(): Promise<void> {
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
    await this.#done;
  }

  async #acceptLoop(): Promise<void> {
    while (true) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return; // listener closed
      }
      if (this.#conns.size >= MAX_CONNECTIONS) {
        conn.close();
        continue;
      }
      this.#conns.add(conn);
      this.#serve(conn).finally(() => {
        this.#conns.delete(conn);
        try {
          conn.close();
        } catch {
          // already closed
        }
      });
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    const nonce = crypto.getRandomValues(new Uint8Array(16));
    const expected = controlAuth(this.#key, nonce);
    const dec = new FrameDecoder({ key: null, maxFrame: MAX_REQUEST_FRAME });
    const buf = new Uint8Array(64 * 1024);
    try {
      await writeAll(
        conn,
        encodeFrame(null, { hello: "omdiscd", version: VERSION, nonce }),
      );
      while (true) {
        const n = await conn.read(buf);
        if (n === null) return;
        for (const req of dec.push(buf.subarray(0, n))) {
          const res = await this.#answer(req, expected);
          await writeAll(conn, encodeFrame(null, res));
        }
      }
    } catch (e) {
      // Garbage or an oversized frame from a local client: drop the client.
      if (!(e instanceof Deno.errors.BadResource)) {
        this.#log.warn(`control connection dropped: ${(e as Error).message}`);
      }
    }
  }

  async #answer(req: unknown, expected: Uint8Array): Promise<ControlResponse> {
    const r = req as Record<string, unknown> | null;
    const id = typeof r?.id === "number" ? r.id : 0;
    if (typeof r !== "object" || r === null || !isControlOp(r.op)) {
      return {
        id,
        ok: false,
        error: "unknown request (update the command or the daemon)",
      };
    }
    const args = typeof r.args === "object" && r.args !== null
      ? r.args as Record<string, unknown>
      : {};
    if (isAdminOp(r.op)) {
      const auth = r.auth;
      if (!(auth instanceof Uint8Array) || !sameTag(auth, expected)) {
        return {
          id,
          ok: false,
          error:
            "not authorized (the cluster secret is needed: run as its owner or root)",
        };
      }
    }
    try {
      return { id, ok: true, result: await this.#handler(r.op, args) };
    } catch (e) {
      return { id, ok: false, error: (e as Error).message };
    }
  }
}

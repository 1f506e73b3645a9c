/**
 * Each running `mosrun` answers on a Unix socket of its own,
 * `RUNDIR/procs/PID.sock` (mode 0600, so only its owner and root may talk to
 * it): `migrate PID checkpoint` and, later, `mps` and the daemon reach the
 * process there. Keyless frames (core/wire.ts), one request, one answer.
 *
 * @module
 */

import { join } from "node:path";
import { FrameDecoder, writeAll } from "./frame_decoder.ts";
import { encodeFrame } from "./wire.ts";
import { CliError } from "./cli_util.ts";

/** Largest request or answer on a process socket. */
const MAX_FRAME = 4 * 1024 * 1024;

/** Directory holding the process sockets of a node directory's run dir. */
export function procsDir(runDir: string): string {
  return join(runDir, "procs");
}

/** PIDs of the processes with a socket in the run directory (none if it has none yet). */
export function listProcPids(runDir: string): number[] {
  const pids: number[] = [];
  try {
    for (const e of Deno.readDirSync(procsDir(runDir))) {
      const m = /^(\d+)\.sock$/.exec(e.name);
      if (m) pids.push(Number(m[1]));
    }
  } catch {
    // no process has run here yet
  }
  return pids;
}

/** The socket path of process `pid`. */
export function procSocketPath(runDir: string, pid: number): string {
  return join(procsDir(runDir), `${pid}.sock`);
}

/** Handles one request; a thrown Error's message is sent back. */
export type ProcHandler = (
  op: string,
  args: Record<string, unknown>,
) => Promise<unknown>;

/** A listening process socket. */
export interface ProcSocket {
  /** Stop listening and remove the socket file. */
  close(): Promise<void>;
}

/** Listen for requests to this process. */
export async function listenProcSocket(
  path: string,
  handler: ProcHandler,
): Promise<ProcSocket> {
  await Deno.mkdir(join(path, ".."), { recursive: true, mode: 0o755 });
  await Deno.remove(path).catch(() => {});
  const listener = Deno.listen({ transport: "unix", path });
  await Deno.chmod(path, 0o600);
  const conns = new Set<Deno.Conn>();
  const loop = (async () => {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
      conns.add(conn);
      serve(conn, handler).finally(() => {
        conns.delete(conn);
        try {
          conn.close();
        } catch {
          // closed
        }
      });
    }
  })();
  return {
    async close() {
      try {
        listener.close();
      } catch {
        // closed
      }
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // closed
        }
      }
      await loop;
      await Deno.remove(path).catch(() => {});
    },
  };
}

async function serve(conn: Deno.Conn, handler: ProcHandler): Promise<void> {
  const dec = new FrameDecoder({ key: null, maxFrame: MAX_FRAME });
  const buf = new Uint8Array(65536);
  try {
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) return;
      for (const req of dec.push(buf.slice(0, n))) {
        const r = req as { op?: unknown; args?: unknown } | null;
        let res: unknown;
        if (typeof r?.op !== "string") {
          res = { ok: false, error: "bad request" };
        } else {
          try {
            const args = typeof r.args === "object" && r.args !== null
              ? r.args as Record<string, unknown>
              : {};
            res = { ok: true, result: await handler(r.op, args) };
          } catch (e) {
            res = { ok: false, error: (e as Error).message };
          }
        }
        await writeAll(conn, encodeFrame(null, res));
      }
    }
  } catch {
    // a bad client: drop it
  }
}

/** Ask process `pid` to do `op`; one-line CliError on failure. */
export async function callProc<T = unknown>(
  runDir: string,
  pid: number,
  op: string,
  args: Record<string, unknown> = {},
  timeoutMs = 60000,
): Promise<T> {
  const path = procSocketPath(runDir, pid);
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path });
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new CliError(
        `process ${pid} belongs to another user (only its owner or root may do that)`,
      );
    }
    throw new CliError(
      `no cluster process ${pid} on this node (see 'mps'; or give the node's --dir)`,
    );
  }
  try {
    await writeAll(conn, encodeFrame(null, { op, args }));
    const dec = new FrameDecoder({ key: null, maxFrame: MAX_FRAME });
    const buf = new Uint8Array(65536);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        conn.read(buf),
        new Promise<"timeout">((r) =>
          timer = setTimeout(
            () => r("timeout"),
            Math.max(0, deadline - Date.now()),
          )
        ),
      ]).finally(() => clearTimeout(timer));
      if (n === "timeout") {
        throw new CliError(`process ${pid} did not answer in time`);
      }
      if (n === null) {
        throw new CliError(`process ${pid} ended before answering`);
      }
      const got = dec.push(buf.slice(0, n));
      if (got.length > 0) {
        const res = got[0] as {
          ok?: boolean;
          result?: unknown;
          error?: string;
        };
        if (res?.ok) return res.result as T;
        throw new CliError(`process ${pid}: ${res?.error ?? "bad answer"}`);
      }
    }
  } finally {
    try {
      conn.close();
    } catch {
      // closed
    }
  }
}

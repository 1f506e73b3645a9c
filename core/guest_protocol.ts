/**
 * The link between a process's home (its deputy, in mosrun) and the node
 * hosting its user context as a guest (omdiscd), over one authenticated
 * FrameConn (core/link/frame_conn.ts) opened by the home:
 *
 * - home -> guest node: `blob` {id, at, data} chunks, then the request
 *   `guest.start` {pid, name, args, env, unknown, module: blob id,
 *   snapshot: blob id}; the reply comes once the context runs;
 * - guest node -> home: the request `call` {req} for every system call the
 *   deputy must execute; the reply carries the DeputyResponse;
 * - home -> guest node: the request `guest.freeze` {}; the reply is
 *   {snapshot: blob id} after the snapshot's `blob` chunks; the guest is gone;
 * - guest node -> home: `guest.exit` {kind: "exit", code} or
 *   {kind: "error", message} when the program ends there.
 *
 * Large byte strings travel as chunks so no frame exceeds the link's limit.
 *
 * @module
 */

import type { FrameConn } from "./link/frame_conn.ts";

/** Largest chunk of a blob in one frame. */
export const BLOB_CHUNK = 8 * 1024 * 1024;
/** Largest blob accepted (a snapshot of a 4 GiB memory plus headers). */
export const MAX_BLOB = 4 * 1024 * 1024 * 1024 + 1024 * 1024;

/** Send `bytes` as blob `id` in chunks. */
export async function sendBlob(
  fc: FrameConn,
  id: number,
  bytes: Uint8Array,
): Promise<void> {
  if (bytes.length === 0) {
    await fc.send("blob", { id, at: 0, total: 0, data: new Uint8Array(0) });
    return;
  }
  for (let at = 0; at < bytes.length; at += BLOB_CHUNK) {
    const data = bytes.subarray(at, Math.min(at + BLOB_CHUNK, bytes.length));
    await fc.send("blob", { id, at, total: bytes.length, data });
  }
}

/** Assembles blobs from `blob` messages. */
export class BlobAssembler {
  #parts = new Map<number, { buf: Uint8Array; got: number }>();

  /** Take one `blob` body; throws on a malformed or oversized chunk. */
  add(body: unknown): void {
    const b = body as {
      id?: unknown;
      at?: unknown;
      total?: unknown;
      data?: unknown;
    };
    if (
      !Number.isSafeInteger(b?.id) || !Number.isSafeInteger(b.at) ||
      !Number.isSafeInteger(b.total) ||
      !(b.data instanceof Uint8Array) || (b.total as number) > MAX_BLOB ||
      (b.at as number) < 0 ||
      (b.at as number) + b.data.length > (b.total as number)
    ) {
      throw new Error("malformed blob chunk");
    }
    let p = this.#parts.get(b.id as number);
    if (!p) {
      p = { buf: new Uint8Array(b.total as number), got: 0 };
      this.#parts.set(b.id as number, p);
    }
    if (p.buf.length !== b.total) throw new Error("blob chunk of another size");
    p.buf.set(b.data, b.at as number);
    p.got += b.data.length;
  }

  /** Take a complete blob out; throws when it is missing or incomplete. */
  take(id: unknown): Uint8Array {
    const p = typeof id === "number" ? this.#parts.get(id) : undefined;
    if (!p || p.got !== p.buf.length) {
      throw new Error("blob missing or incomplete");
    }
    this.#parts.delete(id as number);
    return p.buf;
  }
}

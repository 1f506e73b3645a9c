/**
 * The link between a process's home (its deputy, in mosrun) and the node
 * hosting its user context as a guest (omdiscd), over one authenticated
 * FrameConn (core/link/frame_conn.ts) opened by the home:
 *
 * - home -> guest node: `blob` {id, at, data} chunks, then the request
 *   `guest.start` {pid, name, args, env, unknown, module: blob id,
 *   snapshot: blob ids, a hand-off token, or null to start the program from
 *   its beginning}; the reply comes once the context runs;
 * - guest node -> home: the request `call` {req} for every system call the
 *   deputy must execute; the reply carries the DeputyResponse;
 * - home -> guest node: the request `guest.freeze` {}; the reply is
 *   {snapshot: blob id} after the snapshot's `blob` chunks; the guest is gone;
 * - guest node -> home: `guest.exit` {kind: "exit", code} or
 *   {kind: "error", message} when the program ends there.
 *
 * Large byte strings travel as chunks of bulk bytes (FrameConn.sendBulk)
 * so no frame exceeds the link's limit. A snapshot travels as three blobs
 * (encoded header, page list, memory data): the memory goes from the
 * snapshot's buffer to the socket and from the socket straight into shared
 * memory at the other end (the link's bulk sink, see
 * {@linkcode BlobAssembler.attach}), with no encoding, checksum or copy of
 * its own (the link MACs every byte already).
 *
 * @module
 */

import type { FrameConn } from "./link/frame_conn.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  PAGE_SIZE,
  type Snapshot,
} from "./runtime/snapshot.ts";

/**
 * A guest's link ticks when idle this often (ms). The bounds below are
 * generous: a home's mosrun starved of CPU (hundreds of processes starting
 * at once) must not be taken for a cut-off node.
 */
export const LINK_TICK_MS = 1000;
/**
 * The guest's node stops a guest whose home fell silent this long (ms)...
 */
export const GUEST_GIVES_UP_MS = 20_000;
/**
 * ...before the home gives the node up (ms) and resumes the process from
 * its checkpoint: the two never run at once.
 */
export const HOME_GIVES_UP_MS = 30_000;

/** Largest chunk of a blob (the peer verifies one while the next is sent). */
export const BLOB_CHUNK = 4 * 1024 * 1024;
/** Largest blob accepted (a snapshot of a 4 GiB memory plus headers). */
export const MAX_BLOB = 4 * 1024 * 1024 * 1024 + 1024 * 1024;

/**
 * Send `bytes` as blob `id` in chunks; `shared` asks the receiver to
 * assemble it in a SharedArrayBuffer (memory data, handed to a Worker).
 */
export async function sendBlob(
  fc: FrameConn,
  id: number,
  bytes: Uint8Array,
  shared = false,
): Promise<void> {
  const extra = shared ? { shared: true } : {};
  const total = bytes.length;
  // Two chunks in flight: the next one's MAC is computed while the peer
  // reads the last.
  let last: Promise<void> = Promise.resolve();
  for (let at = 0; at === 0 || at < total; at += BLOB_CHUNK) {
    const data = bytes.subarray(at, Math.min(at + BLOB_CHUNK, total));
    const sent = fc.sendBulk("blob", { id, at, total, ...extra }, data);
    sent.catch(() => {}); // awaited below or in the next round
    await last;
    last = sent;
  }
  await last;
}

/** Blob ids of a snapshot sent with {@linkcode sendSnapshot}. */
export interface SnapshotRef {
  /** encodeSnapshot of the snapshot without its memory pages. */
  header: number;
  /** Present page indexes, u32 little-endian. */
  pages: number;
  /** The present pages' bytes. */
  data: number;
}

/** Send `s` as blobs `id`, `id + 1`, `id + 2`; returns their ref. */
export async function sendSnapshot(
  fc: FrameConn,
  id: number,
  s: Snapshot,
): Promise<SnapshotRef> {
  const ref = { header: id, pages: id + 1, data: id + 2 };
  const m = s.memory;
  const header = encodeSnapshot({
    ...s,
    memory: {
      pageCount: m.pageCount,
      pages: new Uint32Array(0),
      data: new Uint8Array(0),
    },
  });
  const pages = new Uint8Array(m.pages.length * 4);
  const dv = new DataView(pages.buffer);
  m.pages.forEach((p, i) => dv.setUint32(i * 4, p, true));
  await sendBlob(fc, ref.header, header);
  await sendBlob(fc, ref.pages, pages);
  await sendBlob(fc, ref.data, m.data, true);
  return ref;
}

/** Take the snapshot `ref` names out of `blobs`; throws on anything malformed. */
export function takeSnapshot(blobs: BlobAssembler, ref: unknown): Snapshot {
  const r = ref as Partial<SnapshotRef> | undefined;
  const header = decodeSnapshot(blobs.take(r?.header));
  const pageBytes = blobs.take(r?.pages);
  const data = blobs.take(r?.data);
  if (pageBytes.length % 4 !== 0) throw new Error("malformed page list");
  const n = pageBytes.length / 4;
  const dv = new DataView(
    pageBytes.buffer,
    pageBytes.byteOffset,
    pageBytes.byteLength,
  );
  const pages = new Uint32Array(n);
  const pageCount = header.memory.pageCount;
  for (let i = 0; i < n; i++) {
    pages[i] = dv.getUint32(i * 4, true);
    if (pages[i] >= pageCount || (i > 0 && pages[i] <= pages[i - 1])) {
      throw new Error("snapshot page index out of order or range");
    }
  }
  if (data.length !== n * PAGE_SIZE) {
    throw new Error("snapshot memory does not match its page list");
  }
  return { ...header, memory: { pageCount, pages, data } };
}

/** Most blobs being assembled at once on one link (a move sends four). */
export const MAX_PENDING_BLOBS = 8;
/** Most bytes of blobs being assembled at once on one link. */
export const MAX_PENDING_BYTES = MAX_BLOB + 256 * 1024 * 1024;

/**
 * Assembles blobs from `blob` messages. A peer cannot make it hold more
 * than {@linkcode MAX_PENDING_BLOBS} blobs or {@linkcode MAX_PENDING_BYTES}
 * bytes, and chunks must come in order (sendBlob's), so a complete blob
 * has every byte sent.
 */
export class BlobAssembler {
  #parts = new Map<number, { buf: Uint8Array; got: number; placed: number }>();
  #pendingBytes = 0;

  /**
   * Have `fc`'s blob chunks read straight into their blob (no copy): the
   * link asks {@linkcode place} on its reader, before the chunk's message
   * is queued for {@linkcode add}.
   */
  attach(fc: FrameConn): void {
    fc.bulkSink = (type, body) =>
      type === "blob" ? this.place(body) : undefined;
  }

  /**
   * Where the chunk announced by `body` (its `bulk` length) goes: its
   * place in the blob, which is made on the first chunk. Throws on a
   * malformed, oversized or out-of-order chunk.
   */
  place(body: unknown): Uint8Array {
    const b = body as { id?: unknown; at?: unknown; bulk?: unknown };
    const p = this.#part(body, b?.bulk);
    // Beyond `placed`: chunks read before this sink was attached are
    // queued for add(), which checks the order.
    if ((b.at as number) < p.placed) throw new Error("blob chunk out of order");
    const at = b.at as number;
    p.placed = at + (b.bulk as number);
    return p.buf.subarray(at, p.placed);
  }

  #part(body: unknown, length: unknown) {
    const b = body as {
      id?: unknown;
      at?: unknown;
      total?: unknown;
      shared?: unknown;
    };
    if (
      !Number.isSafeInteger(b?.id) || !Number.isSafeInteger(b.at) ||
      !Number.isSafeInteger(b.total) || !Number.isSafeInteger(length) ||
      (b.total as number) > MAX_BLOB || (b.at as number) < 0 ||
      (b.at as number) + (length as number) > (b.total as number)
    ) {
      throw new Error("malformed blob chunk");
    }
    let p = this.#parts.get(b.id as number);
    if (!p) {
      const total = b.total as number;
      if (
        this.#parts.size >= MAX_PENDING_BLOBS ||
        this.#pendingBytes + total > MAX_PENDING_BYTES
      ) {
        throw new Error("too many blobs pending on this link");
      }
      this.#pendingBytes += total;
      p = {
        buf: b.shared === true
          ? new Uint8Array(new SharedArrayBuffer(total))
          : new Uint8Array(total),
        got: 0,
        placed: 0,
      };
      this.#parts.set(b.id as number, p);
    }
    if (p.buf.length !== b.total) throw new Error("blob chunk of another size");
    return p;
  }

  /** Take one `blob` body (its bytes in `bulk`); throws on a malformed or oversized chunk. */
  add(body: unknown): void {
    const b = body as { at?: unknown; bulk?: unknown };
    const data = b?.bulk;
    if (!(data instanceof Uint8Array)) throw new Error("malformed blob chunk");
    const p = this.#part(body, data.length);
    if (b.at !== p.got) throw new Error("blob chunk out of order");
    const at = b.at as number;
    // Placed by the link's sink already, or copied here.
    if (data.buffer !== p.buf.buffer || data.byteOffset !== at) {
      p.buf.set(data, at);
    }
    p.got += data.length;
    p.placed = Math.max(p.placed, p.got);
  }

  /** Take a complete blob out; throws when it is missing or incomplete. */
  take(id: unknown): Uint8Array {
    const p = typeof id === "number" ? this.#parts.get(id) : undefined;
    if (!p || p.got !== p.buf.length) {
      throw new Error("blob missing or incomplete");
    }
    this.#parts.delete(id as number);
    this.#pendingBytes -= p.buf.length;
    return p.buf;
  }
}

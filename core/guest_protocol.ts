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
 * (encoded header, page list, memory): the memory's present pages go from
 * the frozen program's own memory to the socket, and from the socket
 * straight to their place in a new process memory at the other end (the
 * link's bulk sink, see {@linkcode BlobAssembler.attach}), which the resume
 * adopts: no encoding, checksum or copy of its own (the link MACs every
 * byte already).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { FrameConn } from "./link/frame_conn.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  isWholeMemory,
  PAGE_SIZE,
  pageRuns,
  runBytes,
  type Snapshot,
  type SnapshotMemory,
} from "./runtime/snapshot.ts";
import { newProcessMemory, presentPages } from "./runtime/memory_pages.ts";
import { MAX_MEMORY_PAGES } from "./runtime/wasm_sections.ts";

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

/** Send `bytes` as blob `id` in chunks. */
export async function sendBlob(
  fc: FrameConn,
  id: number,
  bytes: Uint8Array,
): Promise<void> {
  const total = bytes.length;
  const chunks = [];
  for (let at = 0; at === 0 || at < total; at += BLOB_CHUNK) {
    chunks.push({
      at,
      data: bytes.subarray(at, Math.min(at + BLOB_CHUNK, total)),
    });
  }
  await sendChunks(fc, { id, total }, chunks);
}

/** Send blob chunks, two in flight (the next one's MAC is computed while the peer reads the last). */
async function sendChunks(
  fc: FrameConn,
  head: Record<string, unknown>,
  chunks: Iterable<{ at: number; data: Uint8Array }>,
): Promise<void> {
  let last: Promise<void> = Promise.resolve();
  for (const { at, data } of chunks) {
    const sent = fc.sendBulk("blob", { ...head, at }, data);
    sent.catch(() => {}); // awaited below or in the next round
    await last;
    last = sent;
  }
  await last;
}

/**
 * Send memory `m` as blob `id`: its present pages, each run at its place
 * in the memory (the receiver assembles it in a new process memory of
 * `m.pageCount` pages; the pages not sent are zero there).
 */
export async function sendMemory(
  fc: FrameConn,
  id: number,
  m: SnapshotMemory,
  base?: number,
): Promise<void> {
  function* chunks() {
    for (const [i, j] of pageRuns(m, BLOB_CHUNK / PAGE_SIZE)) {
      yield { at: m.pages[i] * PAGE_SIZE, data: runBytes(m, i, j) };
    }
  }
  const head = {
    id,
    total: m.pageCount * PAGE_SIZE,
    memory: m.pages.length * PAGE_SIZE,
    ...(base === undefined ? {} : { base }),
  };
  // A memory of no present pages still announces itself (one empty chunk).
  await sendChunks(
    fc,
    head,
    m.pages.length ? chunks() : [{ at: 0, data: new Uint8Array(0) }],
  );
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

/** Blob id of a pre-copy (sendPrecopy) on a link. */
export const PRECOPY_BLOB = 8;

/** What {@linkcode sendPrecopy} sent: the memory as it was sent. */
export interface Precopy {
  /** Its blob id. */
  id: number;
  /** The copy that was sent: its pages, whole. */
  copy: SnapshotMemory;
}

/**
 * Send a running program's `memory` ahead of its freeze (live migration's
 * pre-copy), as memory blob `id`: a copy of it now, its present pages
 * sent. After the freeze, {@linkcode sendSnapshot} with this pre-copy
 * sends only the pages that changed since, onto the same memory at the
 * other end, so the program stands still only for those.
 */
export async function sendPrecopy(
  fc: FrameConn,
  id: number,
  memory: WebAssembly.Memory,
): Promise<Precopy> {
  // A copy: the program goes on writing its memory meanwhile, and what
  // was sent must be known exactly to find what changed.
  const data = new Uint8Array(memory.buffer).slice();
  const copy = {
    pageCount: data.length / PAGE_SIZE,
    pages: presentPages(data.buffer),
    data,
  };
  await sendMemory(fc, id, copy);
  return { id, copy };
}

/**
 * The pages of the frozen memory `m` (whole) that differ from the
 * pre-copy `pre`, or are new since and not zero: what is left to send.
 */
export function changedPages(
  m: SnapshotMemory,
  pre: SnapshotMemory,
): Uint32Array {
  if (!isWholeMemory(m)) {
    throw new RangeError("changedPages needs a whole memory");
  }
  // memcmp, page by page: 13 GB/s here, where a typed-array loop did
  // 3 GB/s, or 0.4 when V8 deoptimized it (150 ms for 64 MiB, frozen).
  const out: number[] = [];
  for (let p = 0, at = 0; p < pre.pageCount; p++, at += PAGE_SIZE) {
    const now = m.data.subarray(at, at + PAGE_SIZE);
    const was = pre.data.subarray(at, at + PAGE_SIZE);
    if (Buffer.compare(now, was) !== 0) out.push(p);
  }
  // Pages added since: those not zero (the memory grows zeroed there).
  for (const p of m.pages) if (p >= pre.pageCount) out.push(p);
  return Uint32Array.from(out);
}

/**
 * Send `s` as blobs `id`, `id + 1`, `id + 2`; returns their ref. After a
 * pre-copy `pre` on this link, only the pages that changed since go (the
 * other end updates the pre-copied memory).
 */
export async function sendSnapshot(
  fc: FrameConn,
  id: number,
  s: Snapshot,
  pre?: Precopy,
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
  if (pre && isWholeMemory(m)) {
    // Pages that became zero are among the changed ones: sent as zeros.
    const changed = changedPages(m, pre.copy);
    await sendMemory(fc, ref.data, { ...m, pages: changed }, pre.id);
  } else await sendMemory(fc, ref.data, m);
  return ref;
}

/** Take the snapshot `ref` names out of `blobs`; throws on anything malformed. */
export function takeSnapshot(blobs: BlobAssembler, ref: unknown): Snapshot {
  const r = ref as Partial<SnapshotRef> | undefined;
  const header = decodeSnapshot(blobs.take(r?.header));
  const pageBytes = blobs.take(r?.pages);
  const { data, memory } = blobs.takeMemory(r?.data);
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
  if (data.length !== pageCount * PAGE_SIZE) {
    throw new Error("snapshot memory does not match its page count");
  }
  return { ...header, memory: { pageCount, pages, data, memory } };
}

/** Most blobs being assembled at once on one link (a move sends four). */
export const MAX_PENDING_BLOBS = 8;
/** Most bytes of blobs being assembled at once on one link. */
export const MAX_PENDING_BYTES = MAX_BLOB + 256 * 1024 * 1024;

/** A blob being assembled. */
interface Part {
  /** Where its bytes go (a memory blob: the whole new memory). */
  buf: Uint8Array;
  /** Bytes received. */
  got: number;
  /** End of the last chunk placed by the link's sink (see place). */
  placed: number;
  /** End of the last chunk received (see add). */
  lastEnd: number;
  /** Bytes it is complete with (a memory blob: its present pages). */
  expect: number;
  /** A memory blob's process memory (buf is its buffer). */
  memory?: WebAssembly.Memory;
}

/**
 * Assembles blobs from `blob` messages. A peer cannot make it hold more
 * than {@linkcode MAX_PENDING_BLOBS} blobs or {@linkcode MAX_PENDING_BYTES}
 * bytes, and chunks must come in order (sendBlob's), so a complete blob
 * has every byte sent. A memory blob (`memory`: the bytes it will carry)
 * is assembled in a new process memory of `total` bytes, each chunk at its
 * place; the gaps between chunks stay zero.
 */
export class BlobAssembler {
  #parts = new Map<number, Part>();
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
   * malformed, oversized or out-of-order chunk; undefined for a chunk that
   * add() copies (an update of a pre-copy).
   */
  place(body: unknown): Uint8Array | undefined {
    const b = body as { at?: unknown; bulk?: unknown; base?: unknown };
    // An update of a pre-copy is applied by add(), in order: its pre-copy
    // may still be arriving. (Only changed pages: a small copy.)
    if (b?.base !== undefined) return undefined;
    const p = this.#part(body, b?.bulk);
    // Beyond `placed`: chunks read before this sink was attached are
    // queued for add(), which checks the order.
    const at = b.at as number;
    if (at < p.placed) throw new Error("blob chunk out of order");
    p.placed = at + (b.bulk as number);
    return p.buf.subarray(at, p.placed);
  }

  #part(body: unknown, length: unknown): Part {
    const b = body as {
      id?: unknown;
      at?: unknown;
      total?: unknown;
      memory?: unknown;
      base?: unknown;
    };
    if (
      !Number.isSafeInteger(b?.id) || !Number.isSafeInteger(b.at) ||
      !Number.isSafeInteger(b.total) || !Number.isSafeInteger(length) ||
      (b.total as number) > MAX_BLOB || (b.at as number) < 0 ||
      (b.at as number) + (length as number) > (b.total as number) ||
      (b.memory !== undefined && !Number.isSafeInteger(b.memory)) ||
      (b.base !== undefined &&
        (b.memory === undefined || !Number.isSafeInteger(b.base)))
    ) {
      throw new Error("malformed blob chunk");
    }
    let p = this.#parts.get(b.id as number);
    if (!p) {
      const total = b.total as number;
      // An update replaces its pre-copy: only its growth is more.
      const base = b.base === undefined
        ? undefined
        : this.#parts.get(b.base as number);
      if (
        this.#parts.size >= MAX_PENDING_BLOBS + (base ? 1 : 0) ||
        this.#pendingBytes - (base?.buf.length ?? 0) + total > MAX_PENDING_BYTES
      ) {
        throw new Error("too many blobs pending on this link");
      }
      p = b.base !== undefined
        ? this.#update(b.base as number, base, total, b.memory as number)
        : b.memory === undefined
        ? {
          buf: new Uint8Array(total),
          got: 0,
          placed: 0,
          lastEnd: 0,
          expect: total,
        }
        : newMemoryPart(total, b.memory as number);
      this.#pendingBytes += total;
      this.#parts.set(b.id as number, p);
    }
    if (
      p.buf.length !== b.total ||
      (p.memory !== undefined) !== (b.memory !== undefined)
    ) throw new Error("blob chunk of another size or kind");
    return p;
  }

  /** Take one `blob` body (its bytes in `bulk`); throws on a malformed or oversized chunk. */
  add(body: unknown): void {
    const b = body as { at?: unknown; bulk?: unknown };
    const data = b?.bulk;
    if (!(data instanceof Uint8Array)) throw new Error("malformed blob chunk");
    const p = this.#part(body, data.length);
    const at = b.at as number;
    // In order: contiguous, or (memory) past the last chunk.
    if (p.memory ? at < p.lastEnd : at !== p.got) {
      throw new Error("blob chunk out of order");
    }
    if (p.got + data.length > p.expect) {
      throw new Error("blob longer than announced");
    }
    // Placed by the link's sink already, or copied here.
    if (data.buffer !== p.buf.buffer || data.byteOffset !== at) {
      p.buf.set(data, at);
    }
    p.got += data.length;
    p.lastEnd = at + data.length;
    p.placed = Math.max(p.placed, p.lastEnd);
  }

  /** Take a complete blob out; throws when it is missing or incomplete. */
  take(id: unknown): Uint8Array {
    const p = this.#done(id);
    if (p.memory) throw new Error("blob missing or incomplete");
    return p.buf;
  }

  /** Take a complete memory blob out: the memory and its bytes. */
  takeMemory(id: unknown): { memory: WebAssembly.Memory; data: Uint8Array } {
    const p = this.#done(id);
    if (!p.memory) throw new Error("memory blob missing or incomplete");
    return { memory: p.memory, data: p.buf };
  }

  /**
   * A memory blob that updates the complete memory blob `base` (a
   * pre-copy, whose part is `b`): it takes over that memory, grown to
   * `total` bytes.
   */
  #update(
    base: number,
    b: Part | undefined,
    total: number,
    expect: number,
  ): Part {
    if (!b?.memory || b.got !== b.expect) {
      throw new Error("memory update without its pre-copy");
    }
    const have = b.buf.length;
    if (
      total < have || total % PAGE_SIZE !== 0 ||
      total / PAGE_SIZE > MAX_MEMORY_PAGES || expect < 0 || expect > total
    ) throw new Error("malformed memory update");
    this.#parts.delete(base);
    this.#pendingBytes -= have;
    if (total > have) b.memory.grow((total - have) / PAGE_SIZE);
    return {
      buf: new Uint8Array(b.memory.buffer),
      got: 0,
      placed: 0,
      lastEnd: 0,
      expect,
      memory: b.memory,
    };
  }

  #done(id: unknown): Part {
    const p = typeof id === "number" ? this.#parts.get(id) : undefined;
    if (!p || p.got !== p.expect) {
      throw new Error("blob missing or incomplete");
    }
    this.#parts.delete(id as number);
    this.#pendingBytes -= p.buf.length;
    return p;
  }
}

/** A memory blob's part: a new process memory of `total` bytes. */
function newMemoryPart(total: number, expect: number): Part {
  if (
    total % PAGE_SIZE !== 0 || total / PAGE_SIZE > MAX_MEMORY_PAGES ||
    expect < 0 || expect > total
  ) throw new Error("malformed memory blob");
  const memory = newProcessMemory(total / PAGE_SIZE);
  return {
    buf: new Uint8Array(memory.buffer),
    got: 0,
    placed: 0,
    lastEnd: 0,
    expect,
    memory,
  };
}

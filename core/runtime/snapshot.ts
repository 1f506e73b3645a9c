/**
 * A frozen user context and its binary encoding.
 *
 * A snapshot holds what the wasm instance had: linear memory (pages that
 * are all zero are left out), every mutable global, and the saved stack
 * frames. It names the instrumented module by its SHA-256, since frames
 * only make sense with that exact module.
 *
 * Encoding (little endian), self-delimiting so it can sit inside a larger
 * file (a checkpoint):
 *
 * ```
 * "DMSNAP\r\n"  u32 version  u32 flags  u64 totalLength  [32] moduleHash
 * u32 pageCount  u32 presentPages  u32 globals  u32 frames
 * u32[presentPages] page indexes (strictly increasing, < pageCount)
 * globals: u8 type  u16 nameLength  name  u64 bits
 * frames:  u32 fid  u32 site  u32 values  (u8 tag (0 i32, 1 i64)  u64 bits)*
 * extra (flags bit 0): u32 length  bytes
 * zero padding to a multiple of 8, then presentPages x 65536 bytes
 * [32] SHA-256 of everything before it
 * ```
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { WasmValType } from "./runtime_abi.ts";

/** Bytes in a wasm page. */
export const PAGE_SIZE = 65536;

/**
 * Linear memory: the pages that are not all zero, either copied out
 * (compact) or, for a frozen program, its memory itself (whole).
 */
export interface SnapshotMemory {
  /** Size of the memory in pages. */
  pageCount: number;
  /** Indexes of the pages that are not all zero, increasing. */
  pages: Uint32Array;
  /**
   * Compact: the present pages, PAGE_SIZE bytes each, in `pages` order.
   * Whole (`pageCount` pages long, e.g. `memory`'s buffer): page p at
   * p * PAGE_SIZE. (With every page present the two are the same.)
   */
  data: Uint8Array;
  /**
   * The program's own (shared) memory, when the snapshot holds it whole
   * rather than a copy: a resume adopts it as it is (context_run.ts), so
   * it must not change while the snapshot is in use.
   */
  memory?: WebAssembly.Memory;
}

/**
 * Runs of consecutive present pages: [i, j) ranges of indexes into
 * `m.pages`, at most `maxPages` long.
 */
export function* pageRuns(
  m: SnapshotMemory,
  maxPages = Infinity,
): Generator<[number, number]> {
  const n = m.pages.length;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (
      j < n && j - i < maxPages && m.pages[j] === m.pages[j - 1] + 1
    ) j++;
    yield [i, j];
    i = j;
  }
}

/** True when `m.data` holds the whole memory (page p at p * PAGE_SIZE). */
export function isWholeMemory(m: SnapshotMemory): boolean {
  return m.data.length === m.pageCount * PAGE_SIZE;
}

/** The bytes of present pages i..j-1 (consecutive pages, see pageRuns). */
export function runBytes(m: SnapshotMemory, i: number, j: number): Uint8Array {
  const at = isWholeMemory(m) ? m.pages[i] : i;
  return m.data.subarray(at * PAGE_SIZE, (at + j - i) * PAGE_SIZE);
}

/** One mutable global, as bits (f32 in an i32, f64 in an i64). */
export interface SnapshotGlobal {
  /** The global's name in the module. */
  name: string;
  /** Its value type. */
  type: Exclude<WasmValType, "v128">;
  /** i32/f32 bits as a number, i64/f64 bits as a bigint. */
  bits: number | bigint;
}

/** One saved stack frame: where it stopped and its live locals. */
export interface SavedFrame {
  /** Function id (see InstrumentInfo.functions). */
  fid: number;
  /** Call site within the function. */
  site: number;
  /** Saved values: i32 as number, i64 as bigint. */
  values: (number | bigint)[];
}

/** A frozen user context. */
export interface Snapshot {
  /** Hex SHA-256 of the instrumented module the state belongs to. */
  moduleHash: string;
  /** Linear memory. */
  memory: SnapshotMemory;
  /** Mutable globals (the stack pointer among them). */
  globals: SnapshotGlobal[];
  /** Saved frames, innermost first. */
  frames: SavedFrame[];
  /**
   * State of host-side services that travels with the context (the
   * direct-communication mailbox, core/dicom/state.ts), opaque here.
   */
  extra?: Uint8Array;
}

/** A snapshot buffer that is truncated, tampered with or of another version. */
export class SnapshotFormatError extends Error {
  /** Make an error with a one-line reason. */
  constructor(message: string) {
    super(`snapshot: ${message}`);
    this.name = "SnapshotFormatError";
  }
}

const MAGIC = new TextEncoder().encode("DMSNAP\r\n");
/** Format version written by encodeSnapshot. */
export const SNAPSHOT_VERSION = 1;
const HEADER = 8 + 4 + 4 + 8 + 32 + 16;
/** Flags bit: an `extra` section follows the frames. */
const FLAG_EXTRA = 1;
const GTYPES: SnapshotGlobal["type"][] = ["i32", "i64", "f32", "f64"];

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

function hexToBytes(hex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new RangeError("moduleHash must be 64 hex digits");
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

function bytesToHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** Encode a snapshot (see the module doc for the layout). */
export function encodeSnapshot(s: Snapshot): Uint8Array {
  const enc = new TextEncoder();
  const names = s.globals.map((g) => enc.encode(g.name));
  const nPages = s.memory.pages.length;
  const dataBytes = nPages * PAGE_SIZE;
  if (
    !isWholeMemory(s.memory) && s.memory.data.length !== dataBytes
  ) {
    throw new RangeError("memory data length does not match the page list");
  }
  let meta = 4 * nPages;
  names.forEach((n) => (meta += 1 + 2 + n.length + 8));
  for (const f of s.frames) meta += 12 + 9 * f.values.length;
  if (s.extra) meta += 4 + s.extra.length;
  const dataStart = Math.ceil((HEADER + meta) / 8) * 8;
  const total = dataStart + dataBytes + 32;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(MAGIC, 0);
  dv.setUint32(8, SNAPSHOT_VERSION, true);
  dv.setUint32(12, s.extra ? FLAG_EXTRA : 0, true);
  dv.setBigUint64(16, BigInt(total), true);
  out.set(hexToBytes(s.moduleHash), 24);
  dv.setUint32(56, s.memory.pageCount, true);
  dv.setUint32(60, nPages, true);
  dv.setUint32(64, s.globals.length, true);
  dv.setUint32(68, s.frames.length, true);
  let p = HEADER;
  for (const page of s.memory.pages) {
    dv.setUint32(p, page, true);
    p += 4;
  }
  s.globals.forEach((g, i) => {
    out[p] = GTYPES.indexOf(g.type);
    dv.setUint16(p + 1, names[i].length, true);
    out.set(names[i], p + 3);
    p += 3 + names[i].length;
    dv.setBigUint64(p, BigInt.asUintN(64, BigInt(g.bits)), true);
    p += 8;
  });
  for (const f of s.frames) {
    dv.setUint32(p, f.fid, true);
    dv.setUint32(p + 4, f.site, true);
    dv.setUint32(p + 8, f.values.length, true);
    p += 12;
    for (const v of f.values) {
      out[p] = typeof v === "bigint" ? 1 : 0;
      dv.setBigUint64(p + 1, BigInt.asUintN(64, BigInt(v)), true);
      p += 9;
    }
  }
  if (s.extra) {
    dv.setUint32(p, s.extra.length, true);
    out.set(s.extra, p + 4);
  }
  for (const [i, j] of pageRuns(s.memory)) {
    out.set(runBytes(s.memory, i, j), dataStart + i * PAGE_SIZE);
  }
  out.set(sha256(out.subarray(0, total - 32)), total - 32);
  return out;
}

/** Total length of the snapshot at the start of `buf` (to skip it in a larger file). */
export function snapshotLength(buf: Uint8Array): number {
  if (buf.length < HEADER) throw new SnapshotFormatError("truncated header");
  checkMagic(buf);
  const total = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    .getBigUint64(16, true);
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new SnapshotFormatError("bad length");
  }
  return Number(total);
}

function checkMagic(buf: Uint8Array): void {
  if (!MAGIC.every((b, i) => buf[i] === b)) {
    throw new SnapshotFormatError("bad magic (not a snapshot)");
  }
}

/**
 * Decode a snapshot at the start of `buf`; memory data is a view into
 * `buf`. Throws SnapshotFormatError for anything truncated or altered.
 */
export function decodeSnapshot(buf: Uint8Array): Snapshot {
  const total = snapshotLength(buf);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(
      `unsupported version ${version} (this build reads ${SNAPSHOT_VERSION})`,
    );
  }
  if (total < HEADER + 32) throw new SnapshotFormatError("bad length");
  if (buf.length < total) {
    throw new SnapshotFormatError(
      `truncated (${buf.length} of ${total} bytes)`,
    );
  }
  const body = buf.subarray(0, total - 32);
  const want = buf.subarray(total - 32, total);
  const got = sha256(body);
  if (!got.every((b, i) => b === want[i])) {
    throw new SnapshotFormatError("checksum mismatch (corrupted or altered)");
  }

  const need = (p: number, n: number) => {
    if (p + n > total - 32) {
      throw new SnapshotFormatError("inconsistent lengths");
    }
  };
  const pageCount = dv.getUint32(56, true);
  const nPages = dv.getUint32(60, true);
  const nGlobals = dv.getUint32(64, true);
  const nFrames = dv.getUint32(68, true);
  let p = HEADER;
  need(p, 4 * nPages);
  const pages = new Uint32Array(nPages);
  for (let i = 0; i < nPages; i++, p += 4) {
    pages[i] = dv.getUint32(p, true);
    if (pages[i] >= pageCount || (i > 0 && pages[i] <= pages[i - 1])) {
      throw new SnapshotFormatError("page index out of order or range");
    }
  }
  const dec = new TextDecoder("utf-8", { fatal: true });
  const globals: SnapshotGlobal[] = [];
  for (let i = 0; i < nGlobals; i++) {
    need(p, 3);
    const type = GTYPES[buf[p]];
    const len = dv.getUint16(p + 1, true);
    if (type === undefined) throw new SnapshotFormatError("bad global type");
    need(p + 3, len + 8);
    let name: string;
    try {
      name = dec.decode(buf.subarray(p + 3, p + 3 + len));
    } catch {
      throw new SnapshotFormatError("global name is not UTF-8");
    }
    p += 3 + len;
    const raw = dv.getBigUint64(p, true);
    p += 8;
    const bits = type === "i32" || type === "f32"
      ? Number(BigInt.asIntN(32, raw))
      : BigInt.asIntN(64, raw);
    globals.push({ name, type, bits });
  }
  const frames: SavedFrame[] = [];
  for (let i = 0; i < nFrames; i++) {
    need(p, 12);
    const fid = dv.getUint32(p, true);
    const site = dv.getUint32(p + 4, true);
    const n = dv.getUint32(p + 8, true);
    p += 12;
    need(p, 9 * n);
    const values: (number | bigint)[] = [];
    for (let k = 0; k < n; k++, p += 9) {
      const raw = dv.getBigUint64(p + 1, true);
      if (buf[p] === 0) values.push(Number(BigInt.asIntN(32, raw)));
      else if (buf[p] === 1) values.push(BigInt.asIntN(64, raw));
      else throw new SnapshotFormatError("bad value tag");
    }
    frames.push({ fid, site, values });
  }
  let extra: Uint8Array | undefined;
  if (dv.getUint32(12, true) & FLAG_EXTRA) {
    need(p, 4);
    const n = dv.getUint32(p, true);
    need(p + 4, n);
    extra = buf.slice(p + 4, p + 4 + n);
    p += 4 + n;
  }
  const dataStart = Math.ceil(p / 8) * 8;
  if (dataStart + nPages * PAGE_SIZE !== total - 32) {
    throw new SnapshotFormatError("inconsistent lengths");
  }
  const data = buf.subarray(dataStart, dataStart + nPages * PAGE_SIZE);
  return {
    moduleHash: bytesToHex(buf.subarray(24, 56)),
    memory: { pageCount, pages, data },
    globals,
    frames,
    ...(extra ? { extra } : {}),
  };
}

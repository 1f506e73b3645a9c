/**
 * A minimal reader of the WebAssembly binary's section layout: enough to
 * check the header, and to read, add or strip custom sections without a
 * full parse (the instrumented module carries its rewind source and its
 * info in custom sections).
 *
 * @module
 */

import { concatBytes } from "../bytes.ts";

/** One section of a module: its id, payload bounds and (custom) name. */
export interface WasmSection {
  /** Section id (0 = custom). */
  id: number;
  /** Offset of the section's id byte. */
  start: number;
  /** Offset just past the section. */
  end: number;
  /** Offset of the payload (after the name, for custom sections). */
  payloadStart: number;
  /** Custom section name ("" for other sections). */
  name: string;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** True when `bytes` starts with the wasm magic and version 1. */
export function hasWasmHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && MAGIC.every((b, i) => bytes[i] === b) &&
    bytes[4] === 1 && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0;
}

function readU32Leb(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 5; i++) {
    if (pos >= bytes.length) throw new RangeError("truncated LEB128");
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
    shift += 7;
  }
  throw new RangeError("LEB128 too long");
}

/** List the sections of a module; throws RangeError when the layout is broken. */
export function listSections(bytes: Uint8Array): WasmSection[] {
  if (!hasWasmHeader(bytes)) throw new RangeError("no wasm header");
  const out: WasmSection[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++];
    const [size, afterSize] = readU32Leb(bytes, pos);
    const end = afterSize + size;
    if (end > bytes.length) throw new RangeError("truncated section");
    let payloadStart = afterSize;
    let name = "";
    if (id === 0) {
      const [len, afterLen] = readU32Leb(bytes, afterSize);
      if (afterLen + len > end) throw new RangeError("bad custom section name");
      name = new TextDecoder().decode(bytes.subarray(afterLen, afterLen + len));
      payloadStart = afterLen + len;
    }
    out.push({ id, start, end, payloadStart, name });
    pos = end;
  }
  return out;
}

/** The payload of the first custom section called `name`, or undefined. */
export function getCustomSection(
  bytes: Uint8Array,
  name: string,
): Uint8Array | undefined {
  const s = listSections(bytes).find((x) => x.id === 0 && x.name === name);
  return s && bytes.subarray(s.payloadStart, s.end);
}

/** A copy of `bytes` without the custom sections whose name `drop` accepts. */
export function stripCustomSections(
  bytes: Uint8Array,
  drop: (name: string) => boolean,
): Uint8Array {
  const keep = listSections(bytes).filter((s) => !(s.id === 0 && drop(s.name)));
  const size = 8 + keep.reduce((n, s) => n + s.end - s.start, 0);
  const out = new Uint8Array(size);
  out.set(bytes.subarray(0, 8));
  let pos = 8;
  for (const s of keep) {
    out.set(bytes.subarray(s.start, s.end), pos);
    pos += s.end - s.start;
  }
  return out;
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** `bytes` with a custom section appended. */
export function appendCustomSection(
  bytes: Uint8Array,
  name: string,
  payload: Uint8Array,
): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...leb(nameBytes.length), ...nameBytes];
  const sizeBytes = leb(body.length + payload.length);
  const out = new Uint8Array(
    bytes.length + 1 + sizeBytes.length + body.length + payload.length,
  );
  out.set(bytes);
  let pos = bytes.length;
  out[pos++] = 0;
  out.set(sizeBytes, pos);
  pos += sizeBytes.length;
  out.set(body, pos);
  pos += body.length;
  out.set(payload, pos);
  return out;
}

/**
 * `bytes` with one more memory defined after the module's single memory:
 * one page, shared (so another thread can write it). Its index is 1.
 */
export function appendSharedPageMemory(bytes: Uint8Array): Uint8Array {
  const secs = listSections(bytes);
  const mem = secs.find((s) => s.id === 5);
  if (mem === undefined) throw new RangeError("module defines no memory");
  const [count, afterCount] = readU32Leb(bytes, mem.payloadStart);
  if (count !== 1) throw new RangeError(`module defines ${count} memories`);
  const entries = bytes.subarray(afterCount, mem.end);
  const payload = [...leb(2), ...entries, 0x03, 0x01, 0x01];
  const section = [5, ...leb(payload.length), ...payload];
  const out = new Uint8Array(
    bytes.length - (mem.end - mem.start) + section.length,
  );
  out.set(bytes.subarray(0, mem.start));
  out.set(section, mem.start);
  out.set(bytes.subarray(mem.end), mem.start + section.length);
  return out;
}

/** Where the resume module imports the process's memory from. */
export const MEMORY_IMPORT = { module: "dmosix:memory", name: "memory" };

/** Largest memory of a process, in 64 KiB pages (a wasm32 memory's limit). */
export const MAX_MEMORY_PAGES = 65536;

/** A memory type (limits): shared, `min` pages, max {@linkcode MAX_MEMORY_PAGES}. */
function sharedLimits(min: number): number[] {
  return [0x03, ...leb(min), ...leb(MAX_MEMORY_PAGES)];
}

/** Read a memory type (limits) at `pos`: its minimum and the end. */
function readLimits(bytes: Uint8Array, pos: number): [number, number] {
  const flags = bytes[pos++];
  if (flags > 0x03) {
    throw new RangeError("unsupported memory limits (memory64?)");
  }
  const [min, afterMin] = readU32Leb(bytes, pos);
  pos = afterMin;
  if (flags & 0x01) pos = readU32Leb(bytes, pos)[1];
  return [min, pos];
}

/** `bytes` with the range `s` replaced by a section `id` of `payload` (nothing if null). */
function replaceSection(
  bytes: Uint8Array,
  s: { start: number; end: number },
  id: number,
  payload: Uint8Array | null,
): Uint8Array {
  return concatBytes([
    bytes.subarray(0, s.start),
    ...(payload === null ? [] : [[id, ...leb(payload.length)], payload]),
    bytes.subarray(s.end),
  ]);
}

/** The memory section and its first memory's minimum and bounds. */
function firstMemory(bytes: Uint8Array) {
  const mem = listSections(bytes).find((s) => s.id === 5);
  if (mem === undefined) throw new RangeError("module defines no memory");
  const [count, afterCount] = readU32Leb(bytes, mem.payloadStart);
  if (count < 1) throw new RangeError("module defines no memory");
  const [min, afterFirst] = readLimits(bytes, afterCount);
  return { mem, count, min, rest: bytes.subarray(afterFirst, mem.end) };
}

/**
 * `bytes` with its first memory (index 0) made shared, with the largest
 * maximum: the thread that runs the program can then hand its memory to
 * another without copying it.
 */
export function shareFirstMemory(bytes: Uint8Array): Uint8Array {
  const { mem, count, min, rest } = firstMemory(bytes);
  return replaceSection(
    bytes,
    mem,
    5,
    concatBytes([leb(count), sharedLimits(min), rest]),
  );
}

/**
 * `bytes` with its first memory imported (as {@linkcode MEMORY_IMPORT},
 * shared) instead of defined, and its active data segments made passive:
 * instantiating it then adopts a memory that holds a process's state
 * already, and writes nothing into it. Other memories keep their indices
 * (imported memories come first).
 */
export function importFirstMemory(bytes: Uint8Array): Uint8Array {
  const { mem, count, min, rest } = firstMemory(bytes);
  let out = replaceSection(
    bytes,
    mem,
    5,
    count === 1 ? null : concatBytes([leb(count - 1), rest]),
  );
  const enc = new TextEncoder();
  const mod = enc.encode(MEMORY_IMPORT.module);
  const name = enc.encode(MEMORY_IMPORT.name);
  const entry = concatBytes([
    leb(mod.length),
    mod,
    leb(name.length),
    name,
    [0x02],
    sharedLimits(min),
  ]);
  const secs = listSections(out);
  const imp = secs.find((s) => s.id === 2);
  if (imp) {
    const [n, afterN] = readU32Leb(out, imp.payloadStart);
    out = replaceSection(
      out,
      imp,
      2,
      concatBytes([leb(n + 1), out.subarray(afterN, imp.end), entry]),
    );
  } else {
    // The import section follows the type section (or comes first).
    const at = secs.find((s) => s.id === 1)?.end ?? 8;
    out = replaceSection(
      out,
      { start: at, end: at },
      2,
      concatBytes([leb(1), entry]),
    );
  }
  return passiveData(out);
}

/** Skip a constant expression (a data segment's offset) at `pos`; its end. */
function skipConstExpr(bytes: Uint8Array, pos: number): number {
  for (;;) {
    if (pos >= bytes.length) throw new RangeError("truncated expression");
    const op = bytes[pos++];
    if (op === 0x0b) return pos; // end
    if (op === 0x41 || op === 0x42 || op === 0x23) {
      // i32.const, i64.const, global.get: one LEB128 immediate
      do {
        if (pos >= bytes.length) throw new RangeError("truncated LEB128");
      } while (bytes[pos++] & 0x80);
    } else if (!(op >= 0x6a && op <= 0x6c) && !(op >= 0x7c && op <= 0x7e)) {
      // Only add, sub and mul besides (extended constant expressions).
      throw new RangeError(`unsupported data segment offset (opcode ${op})`);
    }
  }
}

/** `bytes` with every active data segment of memory 0 made passive. */
function passiveData(bytes: Uint8Array): Uint8Array {
  const data = listSections(bytes).find((s) => s.id === 11);
  if (data === undefined) return bytes;
  let [n, pos] = readU32Leb(bytes, data.payloadStart);
  const parts: (Uint8Array | number[])[] = [leb(n)];
  for (; n > 0; n--) {
    const start = pos;
    const [flag, afterFlag] = readU32Leb(bytes, pos);
    let body = afterFlag;
    let memidx = 0;
    if (flag === 0) body = skipConstExpr(bytes, afterFlag);
    else if (flag === 2) {
      const [idx, afterIdx] = readU32Leb(bytes, afterFlag);
      memidx = idx;
      body = skipConstExpr(bytes, afterIdx);
    } else if (flag !== 1) {
      throw new RangeError(`unknown data segment kind ${flag}`);
    }
    const [len, afterLen] = readU32Leb(bytes, body);
    pos = afterLen + len;
    if (pos > data.end) throw new RangeError("truncated data segment");
    // Passive: flag 1, then the bytes; another memory's segment as it was.
    parts.push(
      flag === 1 || memidx !== 0
        ? bytes.subarray(start, pos)
        : concatBytes([[0x01], bytes.subarray(body, pos)]),
    );
  }
  return replaceSection(bytes, data, 11, concatBytes(parts));
}

/**
 * A minimal reader of the WebAssembly binary's section layout: enough to
 * check the header, and to read, add or strip custom sections without a
 * full parse (the instrumented module carries its rewind source and its
 * info in custom sections).
 *
 * @module
 */

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

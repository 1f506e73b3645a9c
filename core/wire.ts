/**
 * The dmosix wire format: CBOR messages, authenticated with HMAC-SHA256.
 *
 * Datagram (UDP, at most {@linkcode MAX_DATAGRAM} bytes):
 *
 *     MAGIC(4) | CBOR(envelope) | TAG(32)
 *
 * Frame (TCP link, Unix control socket), `LEN` = payload bytes:
 *
 *     LEN(u32 big-endian) | PAYLOAD
 *     keyed frame:    PAYLOAD = MAGIC | CBOR(envelope) | TAG(32)
 *     keyless frame:  PAYLOAD = MAGIC | CBOR(any wire value)
 *
 * - `MAGIC` is `"DMX"` plus the version byte 1.
 * - `envelope` is the CBOR array `[type, from, boot, seq, ts, body]`.
 * - `TAG = HMAC-SHA256(key, CTX | MAGIC | CBOR)`, where the context byte
 *   `CTX` (not sent) is `0x44` ("D") for datagrams and `0x46` ("F") for
 *   frames, so a captured datagram can never be replayed into a stream.
 * - Keyed frames are for links between nodes; keyless frames for the local
 *   control socket, which the file system protects.
 * - Bulk bytes (links only): a keyed frame whose body has `bulk: N` is
 *   followed on the stream by N raw bytes and their own 32-byte tag,
 *   `HMAC-SHA256(key, 0x42 | the frame's TAG | bytes)`. The receiver can
 *   read them straight into their destination (a snapshot's memory).
 *
 * Decoding checks length, magic, version and the tag (in constant time)
 * before it parses any CBOR, then checks the shape of what it parsed. A wire
 * value is `null`, `undefined`, a boolean, a number, a string, a
 * `Uint8Array`, an array or a plain object of wire values, nested at most
 * {@linkcode MAX_DEPTH} levels. Everything else a CBOR decoder can build
 * (dates, maps, sets, bignums, other typed arrays, records, shared
 * references, unknown tags) is refused with reason `"shape"`. Decoders throw
 * nothing but {@linkcode WireError}, whatever the input.
 *
 * Byte strings decode as views into the input (no copy): do not reuse an
 * input buffer while decoded values are in use.
 *
 * @module
 */

import { createHmac } from "node:crypto";
import { Decoder, Encoder } from "cbor-x";
import { MAX_NODE_ID } from "./ids.ts";

/** What every datagram and keyed frame carries. */
export interface Envelope {
  /** Message type, 1..64 characters, e.g. `"gossip"`. */
  type: string;
  /** Sender's node ID, 1..65535. */
  from: number;
  /** Sender's boot instance ID, a safe integer >= 0 chosen at daemon start. */
  boot: number;
  /** Per-boot counter of the sender, starting at 1. */
  seq: number;
  /** Sender's wall clock when sent, ms since the epoch. */
  ts: number;
  /** The message itself: a wire value. */
  body: unknown;
}

/** Reasons a {@linkcode WireError} gives. */
export type WireErrorReason =
  | "short"
  | "magic"
  | "version"
  | "mac"
  | "cbor"
  | "shape"
  | "size"
  | "replay";

/** The only error the wire decoders throw. */
export class WireError extends Error {
  /** Why the message was refused. */
  readonly reason: WireErrorReason;

  /** Make an error with a reason and a one-line message. */
  constructor(reason: WireErrorReason, message: string) {
    super(message);
    this.name = "WireError";
    this.reason = reason;
  }
}

/** Wire format version carried in the fourth magic byte. */
export const VERSION = 1;

/** First four bytes of every datagram and frame payload: "DMX" + version. */
export const MAGIC: Uint8Array = new Uint8Array([0x44, 0x4d, 0x58, VERSION]);

/** Largest datagram on the wire, in bytes (fits a UDP/IPv4 datagram). */
export const MAX_DATAGRAM = 65000;

/** Default largest frame payload, in bytes. */
export const DEFAULT_MAX_FRAME = 64 * 1024 * 1024;

/** Length of the HMAC-SHA256 tag. */
export const TAG_BYTES = 32;

/** Length of a frame's length prefix. */
export const FRAME_HEADER_BYTES = 4;

/** Deepest nesting of arrays and objects allowed in a wire value. */
export const MAX_DEPTH = 64;

/** Longest envelope `type`. */
export const MAX_TYPE_LENGTH = 64;

const CTX_DATAGRAM = 0x44;
const CTX_FRAME = 0x46;
const CTX_BULK = 0x42;
const MIN_KEY_BYTES = 16;
const ENVELOPE_FIELDS = 6;

// Plain standard CBOR both ways: maps, untagged byte strings, no records.
const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  tagUint8Array: false,
  variableMapSize: true,
});
const decoder = new Decoder(
  {
    useRecords: false,
    mapsAsObjects: true,
    int64AsNumber: true,
  } as ConstructorParameters<typeof Decoder>[0],
);

/** Encode an envelope as one datagram. Throws WireError ("size", "shape"). */
export function encodeDatagram(key: Uint8Array, env: Envelope): Uint8Array {
  checkKey(key);
  const cbor = encodeCbor(sealable(env));
  const total = MAGIC.length + cbor.length + TAG_BYTES;
  if (total > MAX_DATAGRAM) {
    throw new WireError(
      "size",
      `wire: datagram of ${total} bytes exceeds ${MAX_DATAGRAM} (send it over a link)`,
    );
  }
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out.set(cbor, MAGIC.length);
  out.set(
    tag(key, CTX_DATAGRAM, out.subarray(0, total - TAG_BYTES)),
    total - TAG_BYTES,
  );
  return out;
}

/**
 * Decode and authenticate one datagram. Throws WireError, and only that, for
 * anything but a well-formed datagram sealed with `key`.
 */
export function decodeDatagram(key: Uint8Array, bytes: Uint8Array): Envelope {
  checkKey(key);
  checkBytes(bytes);
  if (bytes.length > MAX_DATAGRAM) {
    throw new WireError(
      "size",
      `wire: datagram of ${bytes.length} bytes exceeds ${MAX_DATAGRAM}`,
    );
  }
  return openSealed(key, CTX_DATAGRAM, bytes, "datagram");
}

/**
 * Encode one frame: length prefix and payload. With a key the value must be
 * an {@linkcode Envelope} and is sealed; without one (local control socket)
 * any wire value goes. Throws WireError ("size", "shape").
 */
export function encodeFrame(
  key: Uint8Array,
  env: Envelope,
  maxFrame?: number,
): Uint8Array;
export function encodeFrame(
  key: null,
  value: unknown,
  maxFrame?: number,
): Uint8Array;
export function encodeFrame(
  key: Uint8Array | null,
  value: unknown,
  maxFrame?: number,
): Uint8Array;
export function encodeFrame(
  key: Uint8Array | null,
  value: unknown,
  maxFrame = DEFAULT_MAX_FRAME,
): Uint8Array {
  if (key !== null) checkKey(key);
  const cbor = key === null
    ? encodeCbor(checkWireValue(value, "frame", false))
    : encodeCbor(sealable(value));
  const payload = MAGIC.length + cbor.length + (key === null ? 0 : TAG_BYTES);
  const limit = Math.min(maxFrame, 0xffffffff);
  if (payload > limit) {
    throw new WireError(
      "size",
      `wire: frame of ${payload} bytes exceeds ${limit}`,
    );
  }
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload);
  new DataView(out.buffer).setUint32(0, payload);
  out.set(MAGIC, FRAME_HEADER_BYTES);
  out.set(cbor, FRAME_HEADER_BYTES + MAGIC.length);
  if (key !== null) {
    const end = out.length - TAG_BYTES;
    out.set(tag(key, CTX_FRAME, out.subarray(FRAME_HEADER_BYTES, end)), end);
  }
  return out;
}

/**
 * Byte strings at least this long are not copied into a frame by
 * {@linkcode encodeFrameParts}: they are written from the caller's memory.
 */
export const BULK_MIN_BYTES = 64 * 1024;

/**
 * Encode one keyed frame as the list of byte arrays to write in order: the
 * same bytes as {@linkcode encodeFrame}, but every byte string of
 * {@linkcode BULK_MIN_BYTES} or more in the body is a view of the caller's
 * array, not a copy (the MAC is computed over it now, in one pass). Keep
 * such arrays unchanged until they are written. Throws WireError ("size",
 * "shape").
 */
export function encodeFrameParts(
  key: Uint8Array,
  env: Envelope,
  maxFrame = DEFAULT_MAX_FRAME,
): Uint8Array[] {
  checkKey(key);
  if (!hasBig(env.body, 0)) return [encodeFrame(key, env, maxFrame)];
  const big = new Map<Uint8Array, Uint8Array>();
  const body = withMarkers(env.body, big, 0);
  if (big.size === 0) return [encodeFrame(key, env, maxFrame)];
  const cbor = encodeCbor(sealable({ ...env, body }));
  // Where each marker landed in the (small) CBOR, in order.
  const at: { pos: number; data: Uint8Array }[] = [];
  for (const [data, m] of big) {
    const pos = indexOf(cbor, m);
    if (pos < 0) throw shape("byte string lost while encoding");
    at.push({ pos, data });
  }
  at.sort((a, b) => a.pos - b.pos);
  let payload = MAGIC.length + cbor.length + TAG_BYTES;
  for (const { data } of at) payload += 5 + data.length - (MARKER_BYTES + 1);
  const limit = Math.min(maxFrame, 0xffffffff);
  if (payload > limit) {
    throw new WireError(
      "size",
      `wire: frame of ${payload} bytes exceeds ${limit}`,
    );
  }
  const h = createHmac("sha256", key);
  const parts: Uint8Array[] = [];
  let from = 0;
  const head = (bytes: Uint8Array, first: boolean, len: number) => {
    const pre = first ? FRAME_HEADER_BYTES + MAGIC.length : 0;
    const out = new Uint8Array(pre + bytes.length + (len >= 0 ? 5 : 0));
    if (first) {
      new DataView(out.buffer).setUint32(0, payload);
      out.set(MAGIC, FRAME_HEADER_BYTES);
    }
    out.set(bytes, pre);
    if (len >= 0) {
      out[pre + bytes.length] = 0x5a; // byte string, u32 length
      new DataView(out.buffer).setUint32(pre + bytes.length + 1, len);
    }
    return out;
  };
  h.update(Uint8Array.of(CTX_FRAME));
  at.forEach(({ pos, data }, i) => {
    const p = head(cbor.subarray(from, pos), i === 0, data.length);
    h.update(i === 0 ? p.subarray(FRAME_HEADER_BYTES) : p);
    h.update(data);
    parts.push(p, data);
    from = pos + MARKER_BYTES + 1;
  });
  const rest = cbor.subarray(from);
  h.update(rest);
  const last = new Uint8Array(rest.length + TAG_BYTES);
  last.set(rest);
  last.set(h.digest(), rest.length);
  parts.push(last);
  return parts;
}

/**
 * The tag of bulk bytes sent after a keyed frame (FrameConn.sendBulk):
 * HMAC-SHA256(key, 0x42 | the frame's own tag | bytes), so they cannot be
 * moved to another frame or stream.
 */
export function bulkTag(
  key: Uint8Array,
  frameTag: Uint8Array,
  bytes: Uint8Array,
): Uint8Array {
  checkKey(key);
  const h = createHmac("sha256", key);
  const head = new Uint8Array(1 + frameTag.length);
  head[0] = CTX_BULK;
  head.set(frameTag, 1);
  return h.update(head).update(bytes).digest();
}

/** A MAC computed over pieces as they are sent or received. */
export interface IncrementalMac {
  /** Add the next bytes. */
  update(bytes: Uint8Array): void;
  /** The tag of everything added. */
  digest(): Uint8Array;
}

/**
 * {@linkcode bulkTag} over bytes given piece by piece, so a sender can
 * write each piece as soon as it is hashed and a receiver hash each as it
 * arrives (the two ends then work at the same time).
 */
export function bulkMac(key: Uint8Array, frameTag: Uint8Array): IncrementalMac {
  checkKey(key);
  const h = createHmac("sha256", key);
  const head = new Uint8Array(1 + frameTag.length);
  head[0] = CTX_BULK;
  head.set(frameTag, 1);
  h.update(head);
  return {
    update(bytes) {
      if (bytes.length > 0) h.update(bytes);
    },
    digest: () => new Uint8Array(h.digest()),
  };
}

/** Constant-time comparison of two tags. */
export function sameTag(a: Uint8Array, b: Uint8Array): boolean {
  return equalTags(a, b);
}

/** A marker is a random 16-byte string: CBOR 0x50 then the bytes. */
const MARKER_BYTES = 16;

/** Whether `v` holds a byte string {@linkcode withMarkers} would replace. */
function hasBig(v: unknown, depth: number): boolean {
  if (typeof v !== "object" || v === null || depth > MAX_DEPTH) return false;
  if (v instanceof Uint8Array) return v.length >= BULK_MIN_BYTES;
  if (Array.isArray(v)) return v.some((x) => hasBig(x, depth + 1));
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k in v) {
    if (hasBig((v as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

/**
 * `v` with every big byte string replaced by a fresh random marker; `big`
 * maps each big one to its marker's CBOR form. Objects on the way are
 * copied, the caller's are never changed.
 */
function withMarkers(
  v: unknown,
  big: Map<Uint8Array, Uint8Array>,
  depth: number,
): unknown {
  if (typeof v !== "object" || v === null || depth > MAX_DEPTH) return v;
  if (v instanceof Uint8Array) {
    if (v.length < BULK_MIN_BYTES || big.has(v)) return v;
    const m = crypto.getRandomValues(new Uint8Array(MARKER_BYTES));
    const cborForm = new Uint8Array(MARKER_BYTES + 1);
    cborForm[0] = 0x40 + MARKER_BYTES;
    cborForm.set(m, 1);
    big.set(v, cborForm);
    return m;
  }
  if (Array.isArray(v)) return v.map((x) => withMarkers(x, big, depth + 1));
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = withMarkers(x, big, depth + 1);
  }
  return out;
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) {
      if (hay[i + j] !== needle[j]) continue outer;
    }
    return i;
  }
  return -1;
}

/**
 * Decode a frame payload (the bytes after the length prefix). With a key it
 * is authenticated and must hold an {@linkcode Envelope}; without one it may
 * hold any wire value. Throws WireError, and only that, on bad input.
 */
export function decodeFramePayload(
  key: Uint8Array,
  payload: Uint8Array,
): Envelope;
export function decodeFramePayload(key: null, payload: Uint8Array): unknown;
export function decodeFramePayload(
  key: Uint8Array | null,
  payload: Uint8Array,
): unknown;
export function decodeFramePayload(
  key: Uint8Array | null,
  payload: Uint8Array,
): unknown {
  checkBytes(payload);
  if (key !== null) {
    checkKey(key);
    return openSealed(key, CTX_FRAME, payload, "frame");
  }
  checkHeader(payload, MAGIC.length + 1, "frame");
  const value = decodeCbor(payload.subarray(MAGIC.length));
  return checkWireValue(value, "frame", true);
}

/**
 * Check that `value` is a well-formed envelope (field types and ranges, a
 * wire value as body) and return it typed. Throws WireError("shape").
 */
export function checkEnvelope(value: unknown): Envelope {
  return envelopeFromArray(envelopeToArray(value), false);
}

function openSealed(
  key: Uint8Array,
  ctx: number,
  bytes: Uint8Array,
  what: string,
): Envelope {
  const macStart = bytes.length - TAG_BYTES;
  checkHeader(bytes, MAGIC.length + 1 + TAG_BYTES, what);
  const expected = tag(key, ctx, bytes.subarray(0, macStart));
  if (!equalTags(expected, bytes.subarray(macStart))) {
    throw new WireError(
      "mac",
      `wire: ${what} failed authentication (wrong cluster secret or tampered)`,
    );
  }
  const value = decodeCbor(bytes.subarray(MAGIC.length, macStart));
  if (!Array.isArray(value)) throw shape(`${what} does not hold an envelope`);
  return envelopeFromArray(value, true);
}

function checkHeader(bytes: Uint8Array, min: number, what: string): void {
  if (bytes.length < min) {
    throw new WireError(
      "short",
      `wire: ${what} of ${bytes.length} bytes is shorter than ${min}`,
    );
  }
  if (
    bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1] || bytes[2] !== MAGIC[2]
  ) {
    throw new WireError("magic", `wire: ${what} is not a dmosix message`);
  }
  if (bytes[3] !== VERSION) {
    throw new WireError(
      "version",
      `wire: ${what} has wire version ${
        bytes[3]
      }, this node speaks ${VERSION} (upgrade the older node)`,
    );
  }
}

/**
 * Inputs shorter than this are MAC'ed in JavaScript: node:crypto's HMAC
 * costs about 10 µs per call whatever the size (most of a small frame's
 * cost), the JavaScript one about 8 ns per byte.
 */
const JS_MAC_BYTES = 1536;

// Context byte and data in one update: each update call into node:crypto
// costs about as much as hashing a small datagram.
const scratch = new Uint8Array(MAX_DATAGRAM + 1);

function tag(key: Uint8Array, ctx: number, data: Uint8Array): Uint8Array {
  if (data.length < JS_MAC_BYTES) return jsTag(key, ctx, data);
  const h = createHmac("sha256", key);
  if (data.length < scratch.length) {
    scratch[0] = ctx;
    scratch.set(data, 1);
    h.update(scratch.subarray(0, data.length + 1));
  } else {
    h.update(Uint8Array.of(ctx)).update(data);
  }
  return h.digest();
}

/** Constant-time equality of two tags of the same length. */
function equalTags(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let x = 0;
  for (let i = 0; i < a.length; i++) x |= a[i] ^ b[i];
  return x === 0;
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES) {
    throw new RangeError(
      `wire: key must be a Uint8Array of at least ${MIN_KEY_BYTES} bytes`,
    );
  }
}

function checkBytes(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new WireError("shape", "wire: input is not a Uint8Array");
  }
}

function encodeCbor(value: unknown): Uint8Array {
  try {
    // The encoder returns a view of a buffer it reuses: callers copy it out
    // before the next encode.
    return encoder.encode(value);
  } catch (e) {
    throw new WireError("shape", `wire: cannot encode value: ${errText(e)}`);
  }
}

function decodeCbor(bytes: Uint8Array): unknown {
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new WireError("cbor", `wire: bad CBOR: ${errText(e)}`);
  }
}

function errText(e: unknown): string {
  try {
    const s = e instanceof Error ? e.message : String(e);
    return s.split("\n")[0].slice(0, 200);
  } catch {
    return "unknown error";
  }
}

function shape(msg: string): WireError {
  return new WireError("shape", `wire: ${msg}`);
}

function envelopeToArray(env: unknown): unknown[] {
  if (typeof env !== "object" || env === null) {
    throw shape("envelope is not an object");
  }
  const e = env as Record<string, unknown>;
  return [e.type, e.from, e.boot, e.seq, e.ts, e.body];
}

function sealable(env: unknown): unknown[] {
  const a = envelopeToArray(env);
  envelopeFromArray(a, false);
  return a;
}

function envelopeFromArray(a: unknown[], fromWire: boolean): Envelope {
  if (a.length !== ENVELOPE_FIELDS) {
    throw shape(`envelope has ${a.length} fields, expected ${ENVELOPE_FIELDS}`);
  }
  const [type, from, boot, seq, ts] = a;
  if (
    typeof type !== "string" || type.length === 0 ||
    type.length > MAX_TYPE_LENGTH
  ) {
    throw shape(`envelope type must be a string of 1..${MAX_TYPE_LENGTH}`);
  }
  checkInt("from", from, 1, MAX_NODE_ID);
  checkInt("boot", boot, 0, Number.MAX_SAFE_INTEGER);
  checkInt("seq", seq, 1, Number.MAX_SAFE_INTEGER);
  checkInt("ts", ts, 0, Number.MAX_SAFE_INTEGER);
  const body = checkWireValue(a[5], "envelope body", fromWire);
  return {
    type,
    from: from as number,
    boot: boot as number,
    seq: seq as number,
    ts: ts as number,
    body,
  };
}

function checkInt(name: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    throw shape(`envelope ${name} must be an integer in ${min}..${max}`);
  }
}

/**
 * Check that `v` is a wire value. Decoding (`fromWire`) also turns byte
 * strings into plain `Uint8Array` views (the CBOR decoder makes Node
 * Buffers) and refuses any object seen twice: a decoded tree never shares
 * one, and refusing keeps the walk linear against shared-reference tricks.
 * Encoding only refuses loops (a shared object is simply written twice).
 */
function checkWireValue(v: unknown, what: string, fromWire: boolean): unknown {
  const seen = new Set<object>();
  const walk = (x: unknown, depth: number): unknown => {
    switch (typeof x) {
      case "string":
      case "number":
      case "boolean":
      case "undefined":
        return x;
      case "object":
        break;
      default:
        throw shape(`${what} holds a ${typeof x}, not a wire value`);
    }
    if (x === null) return x;
    if (x instanceof Uint8Array) {
      return !fromWire || Object.getPrototypeOf(x) === Uint8Array.prototype
        ? x
        : new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    }
    if (depth >= MAX_DEPTH) {
      throw shape(`${what} is nested deeper than ${MAX_DEPTH}`);
    }
    if (seen.has(x)) throw shape(`${what} shares or loops a reference`);
    seen.add(x);
    if (Array.isArray(x)) {
      if (Object.getPrototypeOf(x) !== Array.prototype) {
        throw shape(`${what} holds an unusual array`);
      }
      for (let i = 0; i < x.length; i++) {
        const y = walk(x[i], depth + 1);
        if (y !== x[i]) x[i] = y;
      }
    } else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) {
        throw shape(`${what} holds a ${typeName(proto)}, not a wire value`);
      }
      const o = x as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        const y = walk(o[k], depth + 1);
        if (y !== o[k]) o[k] = y;
      }
    }
    if (!fromWire) seen.delete(x);
    return x;
  };
  return walk(v, 0);
}

function typeName(proto: { constructor?: { name?: unknown } }): string {
  const name = proto.constructor?.name;
  return typeof name === "string" && name !== "" ? name : "class instance";
}

// ---- HMAC-SHA256 in JavaScript, for small inputs (tag) ----

const K256 = new Int32Array([
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
]);
const IV256 = new Int32Array([
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
]);
const W256 = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes of `b` at `off` into `st`. */
function compress(st: Int32Array, b: Uint8Array, off: number): void {
  const w = W256;
  for (let i = 0; i < 16; i++, off += 4) {
    w[i] = (b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) |
      b[off + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15], y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^
      (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = st[0], b1 = st[1], c = st[2], d = st[3];
  let e = st[4], f = st[5], g = st[6], h = st[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^
      ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^
      ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b1) ^ (a & c) ^ (b1 & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b1;
    b1 = a;
    a = (t1 + t2) | 0;
  }
  st[0] = (st[0] + a) | 0;
  st[1] = (st[1] + b1) | 0;
  st[2] = (st[2] + c) | 0;
  st[3] = (st[3] + d) | 0;
  st[4] = (st[4] + e) | 0;
  st[5] = (st[5] + f) | 0;
  st[6] = (st[6] + g) | 0;
  st[7] = (st[7] + h) | 0;
}

/** A SHA-256 over pieces, continuing from `start` after `done` bytes. */
class Sha256 {
  readonly #st = new Int32Array(8);
  readonly #blk = new Uint8Array(64);
  #fill = 0;
  #total = 0;

  reset(start: Int32Array, done: number): this {
    this.#st.set(start);
    this.#fill = 0;
    this.#total = done;
    return this;
  }

  update(d: Uint8Array): this {
    let off = 0;
    const n = d.length;
    this.#total += n;
    if (this.#fill > 0) {
      const k = Math.min(64 - this.#fill, n);
      this.#blk.set(d.subarray(0, k), this.#fill);
      this.#fill += k;
      off = k;
      if (this.#fill < 64) return this;
      compress(this.#st, this.#blk, 0);
      this.#fill = 0;
    }
    for (; off + 64 <= n; off += 64) compress(this.#st, d, off);
    if (off < n) {
      this.#blk.set(d.subarray(off), 0);
      this.#fill = n - off;
    }
    return this;
  }

  byte(x: number): this {
    this.#blk[this.#fill++] = x;
    this.#total++;
    if (this.#fill === 64) {
      compress(this.#st, this.#blk, 0);
      this.#fill = 0;
    }
    return this;
  }

  /** The digest into `out` at `at`. */
  digest(out: Uint8Array, at: number): void {
    const blk = this.#blk;
    const bits = this.#total * 8;
    blk[this.#fill++] = 0x80;
    if (this.#fill > 56) {
      blk.fill(0, this.#fill);
      compress(this.#st, blk, 0);
      this.#fill = 0;
    }
    blk.fill(0, this.#fill, 56);
    const hi = Math.floor(bits / 0x100000000);
    blk[56] = hi >>> 24;
    blk[57] = hi >>> 16;
    blk[58] = hi >>> 8;
    blk[59] = hi;
    blk[60] = bits >>> 24;
    blk[61] = bits >>> 16;
    blk[62] = bits >>> 8;
    blk[63] = bits;
    compress(this.#st, blk, 0);
    for (let i = 0; i < 8; i++) {
      const v = this.#st[i];
      out[at++] = v >>> 24;
      out[at++] = v >>> 16;
      out[at++] = v >>> 8;
      out[at++] = v;
    }
  }
}

/** A key's HMAC pads, hashed once. */
interface MacKey {
  bytes: Uint8Array;
  inner: Int32Array;
  outer: Int32Array;
}

const macKeys = new WeakMap<Uint8Array, MacKey>();
const sha = new Sha256();
const innerDigest = new Uint8Array(32);

function macKey(key: Uint8Array): MacKey {
  const k = macKeys.get(key);
  if (
    k && k.bytes.length === key.length && k.bytes.every((x, i) => x === key[i])
  ) return k;
  let kb = key;
  if (kb.length > 64) {
    kb = new Uint8Array(32);
    sha.reset(IV256, 0).update(key).digest(kb, 0);
  }
  const pad = new Uint8Array(64);
  const state = (x: number) => {
    pad.fill(x);
    for (let i = 0; i < kb.length; i++) pad[i] ^= kb[i];
    const st = IV256.slice();
    compress(st, pad, 0);
    return st;
  };
  const m = { bytes: key.slice(), inner: state(0x36), outer: state(0x5c) };
  macKeys.set(key, m);
  return m;
}

/** HMAC-SHA256(key, ctx | data) computed in JavaScript. */
function jsTag(key: Uint8Array, ctx: number, data: Uint8Array): Uint8Array {
  const k = macKey(key);
  sha.reset(k.inner, 64).byte(ctx).update(data).digest(innerDigest, 0);
  const out = new Uint8Array(32);
  sha.reset(k.outer, 64).update(innerDigest).digest(out, 0);
  return out;
}

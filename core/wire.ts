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

import { createHmac, timingSafeEqual } from "node:crypto";
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
  if (!timingSafeEqual(expected, bytes.subarray(macStart))) {
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

// Context byte and data in one update: each update call into node:crypto
// costs about as much as hashing a small datagram.
const scratch = new Uint8Array(MAX_DATAGRAM + 1);

function tag(key: Uint8Array, ctx: number, data: Uint8Array): Uint8Array {
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

/**
 * The home link: a synchronous request/response channel between a Worker
 * (the user context, which blocks in Atomics.wait) and the main thread (the
 * deputy, served with Atomics.waitAsync so the main thread stays free for
 * timers, signals and other I/O). One request is in flight at a time.
 *
 * Layout of the SharedArrayBuffer: a 16-byte header of Int32 words
 * [state, length, flags, raw], then the data area holding one
 * CBOR-encoded message of `length` bytes, followed by `raw` bytes: a big
 * `data` byte string of the message goes there as it is, not through CBOR
 * (one copy each way instead of three). A message larger than the data
 * area is refused with a RangeError: callers chunk their payloads (see
 * guest_imports.ts).
 *
 * `flags` is a word either side may use for out-of-band signals; bit 0 is
 * set by {@linkcode SyncChannelServer.requestFreeze} so a context can see
 * a freeze request without a round trip.
 *
 * @module
 */

import { Decoder, Encoder } from "cbor-x";

/** Default data area: 1 MiB. */
export const DEFAULT_CHANNEL_BYTES = 1 << 20;

const HEADER = 16;
const STATE = 0;
const LENGTH = 1;
const FLAGS = 2;
const RAW = 3;
/** A `data` byte string at least this long travels raw, after the CBOR. */
const RAW_MIN = 256;
const IDLE = 0;
const REQUEST = 1;
const RESPONSE = 2;
const CLOSED = 3;

/** Bit of the flags word: a freeze was requested. */
export const FLAG_FREEZE = 1;

/** A call on a closed channel. */
export class ChannelClosedError extends Error {
  /** Make the error. */
  constructor() {
    super("link to the deputy is closed");
    this.name = "ChannelClosedError";
  }
}

/** A SharedArrayBuffer laid out for a channel with `bytes` of data area. */
export function createChannelBuffer(
  bytes = DEFAULT_CHANNEL_BYTES,
): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + bytes);
}

function codec() {
  const opts = { useRecords: false, mapsAsObjects: true } as const;
  return { enc: new Encoder(opts), dec: new Decoder(opts) };
}

/** Where raw bytes start: 8-aligned (unaligned copies to or from shared memory are 8x slower). */
function rawAt(headLength: number): number {
  return (headLength + 7) & ~7;
}

/** The message's big `data` byte string, to travel raw, if it has one. */
function rawData(msg: unknown): Uint8Array | null {
  const d = (msg as { data?: unknown })?.data;
  return d instanceof Uint8Array && d.length >= RAW_MIN ? d : null;
}

/**
 * Put `msg` in the data area (its raw `data` after the CBOR); when it does
 * not fit, nothing is written and the size it needs is returned. Sets the
 * length and raw words.
 */
function put(
  enc: Encoder,
  ctl: Int32Array,
  data: Uint8Array,
  msg: unknown,
): number | null {
  const raw = rawData(msg);
  let head: Uint8Array;
  if (raw) {
    const { data: _, ...rest } = msg as Record<string, unknown>;
    head = enc.encode(rest);
  } else head = enc.encode(msg);
  const n = raw?.length ?? 0;
  if (rawAt(head.length) + n > data.length) return rawAt(head.length) + n;
  data.set(head, 0);
  if (raw) data.set(raw, rawAt(head.length));
  Atomics.store(ctl, LENGTH, head.length);
  Atomics.store(ctl, RAW, n);
  return null;
}

/** The message in the data area; its raw `data` a view when `view`, else a copy. */
function take<T>(
  dec: Decoder,
  ctl: Int32Array,
  data: Uint8Array,
  view: boolean,
): T {
  const len = Atomics.load(ctl, LENGTH);
  const n = Atomics.load(ctl, RAW);
  const msg = dec.decode(data.slice(0, len));
  if (n > 0) {
    const raw = data.subarray(rawAt(len), rawAt(len) + n);
    msg.data = view ? raw : raw.slice();
  }
  return msg as T;
}

/** The Worker side: blocking calls. */
export class SyncChannelClient<Req, Res> {
  #ctl: Int32Array;
  #data: Uint8Array;
  #codec = codec();

  /** Use a buffer made by {@linkcode createChannelBuffer}. */
  constructor(sab: SharedArrayBuffer) {
    this.#ctl = new Int32Array(sab, 0, 4);
    this.#data = new Uint8Array(sab, HEADER);
  }

  /** Bytes a message may take. */
  get capacity(): number {
    return this.#data.length;
  }

  /** The flags word (see {@linkcode FLAG_FREEZE}). */
  flags(): number {
    return Atomics.load(this.#ctl, FLAGS);
  }

  /**
   * Send `req` and block until the answer arrives. A `data` byte string in
   * the answer is a view of the channel's buffer, valid until the next call.
   */
  call(req: Req): Res {
    const ctl = this.#ctl;
    if (Atomics.load(ctl, STATE) === CLOSED) throw new ChannelClosedError();
    const need = put(this.#codec.enc, ctl, this.#data, req);
    if (need !== null) {
      throw new RangeError(
        `link message of ${need} bytes exceeds the ${this.#data.length}-byte buffer`,
      );
    }
    // Only from IDLE: a close that came since the check above stays seen
    // (a plain store would overwrite it and wait for an answer for ever).
    if (Atomics.compareExchange(ctl, STATE, IDLE, REQUEST) !== IDLE) {
      throw new ChannelClosedError();
    }
    Atomics.notify(ctl, STATE);
    for (;;) {
      const s = Atomics.load(ctl, STATE);
      if (s === RESPONSE) break;
      if (s === CLOSED) throw new ChannelClosedError();
      Atomics.wait(ctl, STATE, s);
    }
    const res = take<Res>(this.#codec.dec, ctl, this.#data, true);
    // Back to IDLE unless it was closed meanwhile.
    Atomics.compareExchange(ctl, STATE, RESPONSE, IDLE);
    return res;
  }
}

/** The main-thread side. */
export interface SyncChannelServer {
  /** Resolves when the server stopped (closed). */
  readonly done: Promise<void>;
  /** Stop serving; a blocked or later client call throws ChannelClosedError. */
  close(): void;
  /** Set the freeze bit of the flags word. */
  requestFreeze(): void;
  /** Clear the freeze bit. */
  clearFreeze(): void;
}

/** Options of {@linkcode serveSyncChannel}. */
export interface SyncServeOptions {
  /**
   * Hand a request's raw `data` to the handler as a view of the channel's
   * buffer (valid until the handler's answer is sent) instead of a copy.
   */
  borrowData?: boolean;
}

/**
 * Serve requests arriving on `sab` with `handle` (sync or async). A handler
 * that throws answers `onError(err)`; so does a response too large for the
 * buffer.
 */
export function serveSyncChannel<Req, Res>(
  sab: SharedArrayBuffer,
  handle: (req: Req) => Res | Promise<Res>,
  onError: (err: unknown) => Res,
  opts: SyncServeOptions = {},
): SyncChannelServer {
  const ctl = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, HEADER);
  const { enc, dec } = codec();

  const respond = (res: Res) => {
    if (put(enc, ctl, data, res) !== null) {
      put(
        enc,
        ctl,
        data,
        onError(new RangeError("response exceeds the link buffer")),
      );
    }
    Atomics.store(ctl, STATE, RESPONSE);
    Atomics.notify(ctl, STATE);
  };

  // Closing stops the loop even while a handler never answers (one call
  // is in flight at a time: one slot, nothing kept per call).
  const stop = Symbol("closed");
  let abandon: (() => void) | null = null;
  const orClosed = (r: Promise<Res>) =>
    new Promise<Res | typeof stop>((resolve, reject) => {
      abandon = () => resolve(stop);
      r.then(resolve, reject);
    }).finally(() => abandon = null);
  const loop = async () => {
    for (;;) {
      const s = Atomics.load(ctl, STATE);
      if (s === CLOSED) return;
      if (s === REQUEST) {
        const req = take<Req>(dec, ctl, data, opts.borrowData === true);
        let res: Res;
        try {
          const r = handle(req);
          const got = r instanceof Promise ? await orClosed(r) : r;
          if (got === stop) return;
          res = got as Res;
        } catch (err) {
          res = onError(err);
        }
        if (Atomics.load(ctl, STATE) === CLOSED) return;
        respond(res);
        continue;
      }
      const w = Atomics.waitAsync(ctl, STATE, s);
      if (w.async) await w.value;
    }
  };

  const done = loop();
  return {
    done,
    close() {
      Atomics.store(ctl, STATE, CLOSED);
      Atomics.notify(ctl, STATE);
      abandon?.();
    },
    requestFreeze() {
      Atomics.or(ctl, FLAGS, FLAG_FREEZE);
    },
    clearFreeze() {
      Atomics.and(ctl, FLAGS, ~FLAG_FREEZE);
    },
  };
}

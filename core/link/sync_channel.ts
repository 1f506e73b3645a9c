/**
 * The home link: a synchronous request/response channel between a Worker
 * (the user context, which blocks in Atomics.wait) and the main thread (the
 * deputy, served with Atomics.waitAsync so the main thread stays free for
 * timers, signals and other I/O). One request is in flight at a time.
 *
 * Layout of the SharedArrayBuffer: a 16-byte header of Int32 words
 * [state, length, flags, unused], then the data area holding one
 * CBOR-encoded message. A message larger than the data area is refused with
 * a RangeError: callers chunk their payloads (see guest_imports.ts).
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

  /** Send `req` and block until the answer arrives. */
  call(req: Req): Res {
    const ctl = this.#ctl;
    if (Atomics.load(ctl, STATE) === CLOSED) throw new ChannelClosedError();
    const bytes = this.#codec.enc.encode(req);
    if (bytes.length > this.#data.length) {
      throw new RangeError(
        `link message of ${bytes.length} bytes exceeds the ${this.#data.length}-byte buffer`,
      );
    }
    this.#data.set(bytes, 0);
    Atomics.store(ctl, LENGTH, bytes.length);
    Atomics.store(ctl, STATE, REQUEST);
    Atomics.notify(ctl, STATE);
    for (;;) {
      const s = Atomics.load(ctl, STATE);
      if (s === RESPONSE) break;
      if (s === CLOSED) throw new ChannelClosedError();
      Atomics.wait(ctl, STATE, s);
    }
    const len = Atomics.load(ctl, LENGTH);
    const res = this.#codec.dec.decode(this.#data.slice(0, len)) as Res;
    Atomics.store(ctl, STATE, IDLE);
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

/**
 * Serve requests arriving on `sab` with `handle` (sync or async). A handler
 * that throws answers `onError(err)`; so does a response too large for the
 * buffer.
 */
export function serveSyncChannel<Req, Res>(
  sab: SharedArrayBuffer,
  handle: (req: Req) => Res | Promise<Res>,
  onError: (err: unknown) => Res,
): SyncChannelServer {
  const ctl = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, HEADER);
  const { enc, dec } = codec();

  const respond = (res: Res) => {
    let bytes = enc.encode(res);
    if (bytes.length > data.length) {
      bytes = enc.encode(
        onError(new RangeError("response exceeds the link buffer")),
      );
    }
    data.set(bytes, 0);
    Atomics.store(ctl, LENGTH, bytes.length);
    Atomics.store(ctl, STATE, RESPONSE);
    Atomics.notify(ctl, STATE);
  };

  const loop = async () => {
    for (;;) {
      const s = Atomics.load(ctl, STATE);
      if (s === CLOSED) return;
      if (s === REQUEST) {
        const req = dec.decode(data.slice(0, Atomics.load(ctl, LENGTH))) as Req;
        let res: Res;
        try {
          const r = handle(req);
          res = r instanceof Promise ? await r : r;
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
    },
    requestFreeze() {
      Atomics.or(ctl, FLAGS, FLAG_FREEZE);
    },
    clearFreeze() {
      Atomics.and(ctl, FLAGS, ~FLAG_FREEZE);
    },
  };
}

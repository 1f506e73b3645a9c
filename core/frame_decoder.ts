/**
 * Incremental decoding of length-prefixed frames from a byte stream (TCP
 * link, Unix control socket), plus read and write helpers for `Deno.Conn`.
 * The frame format is described in `wire.ts`.
 *
 * After the decoder throws, the stream is out of step or the peer is bad:
 * the caller must close the connection. The decoder stays failed and throws
 * the same error on every later push.
 *
 * @module
 */

import {
  bulkMac,
  decodeFramePayload,
  DEFAULT_MAX_FRAME,
  type Envelope,
  FRAME_HEADER_BYTES,
  type IncrementalMac,
  sameTag,
  TAG_BYTES,
  WireError,
} from "./wire.ts";

/** Options of a {@linkcode FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Link key (frames hold authenticated envelopes), or null (control). */
  key: Uint8Array | null;
  /** Largest payload accepted, in bytes (default 64 MiB). */
  maxFrame?: number;
  /**
   * With a key: every frame of the stream must come from the same sender
   * boot with a strictly increasing seq, so frames cannot be replayed,
   * reordered or spliced in from another stream (default true).
   */
  monotonic?: boolean;
  /**
   * With a key: accept bulk bytes after frames whose body has `bulk: N`
   * (see wire.ts); the frame's value then has the bytes as `body.bulk`.
   * `bulkSink` may name where they go (an array of exactly N bytes, for
   * instance a region of a snapshot's memory); it sees the envelope as
   * decoded and may throw to refuse it. Default: off.
   */
  bulk?: boolean;
  /** Where bulk bytes of `env` go; undefined: a fresh array. */
  bulkSink?: (env: Envelope) => Uint8Array | undefined;
}

/** Bulk bytes being received after their frame. */
interface BulkState {
  env: Envelope;
  /** The bulk tag so far: bytes are hashed as they arrive. */
  mac: IncrementalMac;
  data: Uint8Array;
  have: number;
  tag: Uint8Array;
  tagHave: number;
}

const NOTHING = Symbol("nothing");

/** Turns stream chunks into decoded frame values. */
export class FrameDecoder {
  readonly #key: Uint8Array | null;
  #maxFrame: number;
  readonly #monotonic: boolean;
  readonly #header = new Uint8Array(FRAME_HEADER_BYTES);
  #headerFill = 0;
  #need = -1; // payload length of the frame being read, -1 while in header
  #payload: Uint8Array | null = null; // the frame being filled
  #have = 0;
  #failed: WireError | null = null;
  #last: { from: number; boot: number; seq: number } | null = null;
  readonly #bulkOn: boolean;
  #bulkSink: FrameDecoderOptions["bulkSink"];
  #bulk: BulkState | null = null;

  /** Make a decoder for one stream. */
  constructor(opts: FrameDecoderOptions) {
    this.#key = opts.key;
    this.#maxFrame = Math.min(opts.maxFrame ?? DEFAULT_MAX_FRAME, 0xffffffff);
    this.#monotonic = opts.monotonic ?? true;
    this.#bulkOn = opts.bulk === true && opts.key !== null;
    this.#bulkSink = opts.bulkSink;
  }

  /** Change where bulk bytes go (see {@linkcode FrameDecoderOptions}). */
  set bulkSink(sink: FrameDecoderOptions["bulkSink"]) {
    this.#bulkSink = sink;
  }

  /**
   * Change the largest frame accepted from the next length prefix on (a
   * link allows big frames only once the peer has authenticated).
   */
  set maxFrame(n: number) {
    this.#maxFrame = Math.min(n, 0xffffffff);
  }

  /** Bytes held for a frame not yet complete (0 between frames). */
  get buffered(): number {
    if (this.#bulk) return 1 + this.#bulk.have + this.#bulk.tagHave;
    return this.#need < 0 ? this.#headerFill : FRAME_HEADER_BYTES + this.#have;
  }

  /**
   * Feed the next chunk; returns the values of the frames it completes
   * (envelopes with a key). Chunks may be split anywhere. The part of a
   * frame still incomplete is copied, so the caller may reuse the chunk's
   * buffer for its next read; but byte strings decoded from a frame that
   * arrived whole in this chunk view it: use them before reusing it. Throws
   * WireError, at once when a length prefix exceeds `maxFrame`.
   */
  push(chunk: Uint8Array): unknown[] {
    if (this.#failed !== null) throw this.#failed;
    try {
      return this.#push(chunk);
    } catch (e) {
      this.#failed = e instanceof WireError
        ? e
        : new WireError("cbor", `wire: frame decoding failed: ${e}`);
      this.#payload = null;
      this.#bulk = null;
      throw this.#failed;
    }
  }

  #push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (this.#bulk !== null) {
        off += this.#bulkPush(chunk.subarray(off), out);
        continue;
      }
      if (this.#need < 0) {
        const n = Math.min(
          FRAME_HEADER_BYTES - this.#headerFill,
          chunk.length - off,
        );
        this.#header.set(chunk.subarray(off, off + n), this.#headerFill);
        this.#headerFill += n;
        off += n;
        if (this.#headerFill === FRAME_HEADER_BYTES) this.#startFrame();
        if (this.#need === 0) this.#emit(out, new Uint8Array(0));
        continue;
      }
      const n = Math.min(this.#need - this.#have, chunk.length - off);
      const piece = chunk.subarray(off, off + n);
      off += n;
      if (this.#have === 0 && n === this.#need) {
        this.#emit(out, piece); // whole payload in one chunk: no copy
        continue;
      }
      // A copy into the frame's own buffer: the caller may reuse the
      // chunk's buffer (a socket reader does).
      this.#payload ??= new Uint8Array(this.#need);
      this.#payload.set(piece, this.#have);
      this.#have += n;
      if (this.#have === this.#need) this.#emit(out, this.#take());
    }
    return out;
  }

  #emit(out: unknown[], payload: Uint8Array): void {
    const v = this.#finish(payload);
    if (v !== NOTHING) out.push(v);
  }

  /** Take bulk bytes, then their tag, from `bytes`; returns how many it used. */
  #bulkPush(bytes: Uint8Array, out: unknown[]): number {
    const b = this.#bulk!;
    let used = 0;
    if (b.have < b.data.length) {
      used = Math.min(b.data.length - b.have, bytes.length);
      b.data.set(bytes.subarray(0, used), b.have);
      b.mac.update(b.data.subarray(b.have, b.have + used));
      b.have += used;
    }
    const t = Math.min(TAG_BYTES - b.tagHave, bytes.length - used);
    b.tag.set(bytes.subarray(used, used + t), b.tagHave);
    b.tagHave += t;
    if (b.tagHave === TAG_BYTES) out.push(this.#bulkDone());
    return used + t;
  }

  #bulkDone(): Envelope {
    const b = this.#bulk!;
    this.#bulk = null;
    if (!sameTag(b.mac.digest(), b.tag)) {
      throw new WireError(
        "mac",
        "wire: bulk bytes failed authentication (tampered)",
      );
    }
    return { ...b.env, body: { ...(b.env.body as object), bulk: b.data } };
  }

  /**
   * Bulk bytes: does `env` announce some? Then start taking them, with
   * the frame's tag to bind them to it.
   */
  #startBulk(env: Envelope, payload: Uint8Array): boolean {
    const body = env.body as { bulk?: unknown } | null;
    if (
      !this.#bulkOn || typeof body !== "object" || body === null ||
      Array.isArray(body) || body.bulk === undefined
    ) return false;
    const n = body.bulk;
    if (!Number.isSafeInteger(n) || (n as number) < 0) {
      throw new WireError("shape", "wire: bad bulk length");
    }
    if ((n as number) > this.#maxFrame) {
      throw new WireError(
        "size",
        `wire: bulk of ${n} bytes announced, limit is ${this.#maxFrame}`,
      );
    }
    let data: Uint8Array | undefined;
    try {
      data = this.#bulkSink?.(env);
    } catch (e) {
      throw new WireError("shape", `wire: bulk refused: ${errLine(e)}`);
    }
    data ??= new Uint8Array(n as number);
    if (data.length !== n) {
      throw new WireError("shape", "wire: bulk destination of another size");
    }
    this.#bulk = {
      env,
      mac: bulkMac(this.#key!, payload.subarray(payload.length - TAG_BYTES)),
      data,
      have: 0,
      tag: new Uint8Array(TAG_BYTES),
      tagHave: 0,
    };
    return true;
  }

  /**
   * Where the rest of the frame being read can go directly (a reader may
   * read into it instead of a chunk, then call {@linkcode filled}); null
   * between frames or before any of its payload arrived.
   */
  readTarget(): Uint8Array | null {
    if (this.#failed !== null) return null;
    const b = this.#bulk;
    if (b !== null) {
      return b.have < b.data.length ? b.data.subarray(b.have) : null;
    }
    if (this.#payload === null) return null;
    return this.#payload.subarray(this.#have);
  }

  /**
   * Account for `n` bytes read into {@linkcode readTarget}; returns the
   * values of the frame if it is now complete.
   */
  filled(n: number): unknown[] {
    if (this.#failed !== null) throw this.#failed;
    const b = this.#bulk;
    if (b !== null) {
      if (n < 0 || b.have + n > b.data.length) {
        throw new RangeError("filled: more bytes than the bulk lacks");
      }
      b.mac.update(b.data.subarray(b.have, b.have + n));
      b.have += n;
      return []; // its tag follows
    }
    const p = this.#payload;
    if (p === null || n < 0 || this.#have + n > p.length) {
      throw new RangeError("filled: more bytes than the frame lacks");
    }
    this.#have += n;
    if (this.#have < this.#need) return [];
    try {
      const out: unknown[] = [];
      this.#emit(out, this.#take());
      return out;
    } catch (e) {
      this.#failed = e instanceof WireError
        ? e
        : new WireError("cbor", `wire: frame decoding failed: ${e}`);
      throw this.#failed;
    }
  }

  #startFrame(): void {
    const h = this.#header;
    const len = ((h[0] << 24) >>> 0) + (h[1] << 16) + (h[2] << 8) + h[3];
    if (len > this.#maxFrame) {
      throw new WireError(
        "size",
        `wire: frame of ${len} bytes announced, limit is ${this.#maxFrame}`,
      );
    }
    this.#need = len;
    this.#have = 0;
  }

  #take(): Uint8Array {
    const buf = this.#payload!;
    this.#payload = null;
    return buf;
  }

  #finish(payload: Uint8Array): unknown {
    this.#need = -1;
    this.#headerFill = 0;
    this.#have = 0;
    const value = decodeFramePayload(this.#key, payload);
    if (this.#key !== null && this.#monotonic) {
      this.#checkOrder(value as Envelope);
    }
    if (this.#key !== null && this.#startBulk(value as Envelope, payload)) {
      return NOTHING; // returned once its bulk bytes are in
    }
    return value;
  }

  #checkOrder(env: Envelope): void {
    const last = this.#last;
    if (
      last !== null &&
      (env.from !== last.from || env.boot !== last.boot || env.seq <= last.seq)
    ) {
      throw new WireError(
        "replay",
        `wire: frame from ${env.from} boot ${env.boot} seq ${env.seq} out of order on this stream`,
      );
    }
    this.#last = { from: env.from, boot: env.boot, seq: env.seq };
  }
}

/** Something to read from: a `ReadableStream` or a `Deno.Conn`-like reader. */
export type ByteSource =
  | ReadableStream<Uint8Array>
  | { read(p: Uint8Array): Promise<number | null> };

const READ_BUFFER_BYTES = 64 * 1024;

/**
 * Yield every frame value read from `r` until the end of the stream. A frame
 * cut short by the end of the stream is dropped (see `dec.buffered`). Throws
 * what the decoder throws; close the connection then.
 */
export async function* readFrames(
  r: ByteSource,
  dec: FrameDecoder,
): AsyncGenerator<unknown, void, undefined> {
  if (r instanceof ReadableStream) {
    const reader = r.getReader();
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) return;
        yield* dec.push(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  const buf = new Uint8Array(READ_BUFFER_BYTES);
  while (true) {
    const n = await r.read(buf);
    if (n === null) return;
    // A copy: the decoder keeps views of what it is given, buf is reused.
    if (n > 0) yield* dec.push(buf.slice(0, n));
  }
}

/** Write all of `bytes` to `w`, looping over short writes. */
export async function writeAll(
  w: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const n = await w.write(bytes.subarray(off));
    if (!(n > 0)) throw new Error(`writeAll: write returned ${n}`);
    off += n;
  }
}

function errLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

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
  decodeFramePayload,
  DEFAULT_MAX_FRAME,
  type Envelope,
  FRAME_HEADER_BYTES,
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
}

/** Turns stream chunks into decoded frame values. */
export class FrameDecoder {
  readonly #key: Uint8Array | null;
  #maxFrame: number;
  readonly #monotonic: boolean;
  readonly #header = new Uint8Array(FRAME_HEADER_BYTES);
  #headerFill = 0;
  #need = -1; // payload length of the frame being read, -1 while in header
  #pieces: Uint8Array[] = [];
  #have = 0;
  #failed: WireError | null = null;
  #last: { from: number; boot: number; seq: number } | null = null;

  /** Make a decoder for one stream. */
  constructor(opts: FrameDecoderOptions) {
    this.#key = opts.key;
    this.#maxFrame = Math.min(opts.maxFrame ?? DEFAULT_MAX_FRAME, 0xffffffff);
    this.#monotonic = opts.monotonic ?? true;
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
      this.#pieces = [];
      throw this.#failed;
    }
  }

  #push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (this.#need < 0) {
        const n = Math.min(
          FRAME_HEADER_BYTES - this.#headerFill,
          chunk.length - off,
        );
        this.#header.set(chunk.subarray(off, off + n), this.#headerFill);
        this.#headerFill += n;
        off += n;
        if (this.#headerFill === FRAME_HEADER_BYTES) this.#startFrame();
        if (this.#need === 0) out.push(this.#finish(new Uint8Array(0)));
        continue;
      }
      const n = Math.min(this.#need - this.#have, chunk.length - off);
      const piece = chunk.subarray(off, off + n);
      off += n;
      if (this.#have === 0 && n === this.#need) {
        out.push(this.#finish(piece)); // whole payload in one chunk: no copy
        continue;
      }
      // A copy: the caller may reuse the chunk's buffer (a socket reader
      // does), and this piece waits for the rest of its frame.
      this.#pieces.push(piece.slice());
      this.#have += n;
      if (this.#have === this.#need) out.push(this.#finish(this.#concat()));
    }
    return out;
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

  #concat(): Uint8Array {
    const buf = new Uint8Array(this.#need);
    let at = 0;
    for (const p of this.#pieces) {
      buf.set(p, at);
      at += p.length;
    }
    this.#pieces = [];
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

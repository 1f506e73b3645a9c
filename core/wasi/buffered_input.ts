/**
 * An input stream with a pushback buffer, so a read can be abandoned
 * (interrupted by a freeze) without losing what the stream delivers later:
 * bytes read from the stream but not yet given to the program stay here and
 * are given on the next read. Nothing lost, nothing twice.
 *
 * @module
 */

import type { InputStream } from "./stdio.ts";
import { concatBytes } from "../bytes.ts";

/** Buffered reads over an {@linkcode InputStream}. */
export class BufferedInput {
  #stream: InputStream;
  #chunks: Uint8Array[] = [];
  #inFlight: Promise<void> | null = null;
  #eof = false;
  #error: unknown = null;
  /** Bytes taken since the last checkpoint mark, for a replay (or null). */
  #journal: Uint8Array[] | null = null;

  /** Wrap `stream`; `pending` bytes (from a checkpoint) come first. */
  constructor(stream: InputStream, pending?: Uint8Array) {
    this.#stream = stream;
    if (pending && pending.length > 0) this.#chunks.push(pending.slice());
  }

  /** The WASI filetype of the underlying stream. */
  get filetype(): number | undefined {
    return this.#stream.filetype;
  }

  /** Bytes buffered now. */
  available(): number {
    return this.#chunks.reduce((n, c) => n + c.length, 0);
  }

  /** True when the stream ended and the buffer is empty. */
  atEnd(): boolean {
    return this.#eof && this.#chunks.length === 0;
  }

  /** True when a read from the stream failed (reported once by `take`). */
  failed(): boolean {
    return this.#error !== null && this.#chunks.length === 0;
  }

  /** Take up to `max` buffered bytes (empty if none). */
  take(max: number): Uint8Array {
    const out: Uint8Array[] = [];
    let n = 0;
    while (n < max && this.#chunks.length > 0) {
      const c = this.#chunks[0];
      const want = max - n;
      if (c.length <= want) {
        out.push(c);
        n += c.length;
        this.#chunks.shift();
      } else {
        out.push(c.subarray(0, want));
        this.#chunks[0] = c.subarray(want);
        n += want;
      }
    }
    const all = concatBytes(out);
    if (this.#journal !== null && all.length > 0) {
      this.#journal.push(all.slice());
    }
    return all;
  }

  /**
   * Start recording what the program takes from here on (at a checkpoint),
   * so {@linkcode rewind} can give it again if the process is resumed from
   * that checkpoint.
   */
  startJournal(): void {
    this.#journal = [];
  }

  /**
   * Put everything taken since {@linkcode startJournal} back in front of
   * the buffer: the program resumed from the checkpoint reads it again.
   */
  rewind(): void {
    const again = concatBytes(this.#journal ?? []);
    if (again.length > 0) this.#chunks.unshift(again);
    this.#journal = [];
  }

  /** Take the error of a failed stream read, clearing it. */
  takeError(): unknown {
    const e = this.#error;
    this.#error = null;
    return e;
  }

  /**
   * Resolve when data is buffered, the stream ended or failed. Starts at
   * most one stream read; an abandoned wait leaves that read running, and
   * its data lands in the buffer.
   */
  ready(): Promise<void> {
    if (this.#chunks.length > 0 || this.#eof || this.#error !== null) {
      return Promise.resolve();
    }
    if (this.#inFlight === null) {
      this.#inFlight = this.#stream.read().then(
        (chunk) => {
          if (chunk === null) this.#eof = true;
          else if (chunk.length > 0) this.#chunks.push(chunk);
        },
        (err) => {
          this.#error = err ?? new Error("read failed");
        },
      ).finally(() => {
        this.#inFlight = null;
      });
    }
    return this.#inFlight;
  }

  /** A copy of the buffered bytes (for a checkpoint), left in place. */
  peekAll(): Uint8Array {
    return concatBytes(this.#chunks);
  }
}

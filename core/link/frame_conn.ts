/**
 * An authenticated, ordered message connection between two nodes over TCP:
 * keyed frames (core/wire.ts) with the cluster's link key, a handshake of
 * fresh nonces so a recorded connection cannot be replayed, strictly
 * increasing sequence numbers within the stream (FrameDecoder's monotonic
 * mode), one writer at a time, and request/response matching.
 *
 * Handshake: the accepting side sends `hello {nonce: A}`; the connecting
 * side answers `auth {echo: A, nonce: B}`; the accepting side confirms with
 * `ready {echo: B}`. Every frame is MAC'ed, so echoing the other's fresh
 * nonce proves the peer holds the key now.
 *
 * @module
 */

import { FrameDecoder, writeAll } from "../frame_decoder.ts";
import {
  bulkMac,
  encodeFrame,
  encodeFrameParts,
  type Envelope,
  type IncrementalMac,
  TAG_BYTES,
  WireError,
} from "../wire.ts";

/** Largest frame on a link (a snapshot chunk, a big write). */
export const LINK_MAX_FRAME = 64 * 1024 * 1024;

/** Largest frame before the handshake completes. */
const HANDSHAKE_MAX_FRAME = 4096;

/**
 * Default handshake timeout, ms: generous, since a node starting hundreds
 * of processes at once can be slow to answer.
 */
const HANDSHAKE_MS = 15_000;

/** A link-level failure; the message is one line. */
export class LinkError extends Error {
  /** Make a link error. */
  constructor(message: string) {
    super(message);
    this.name = "LinkError";
  }
}

/** A request answered by the peer. */
export interface LinkMessage {
  /** Message type. */
  type: string;
  /** Message body. */
  body: unknown;
  /** Sender's node ID. */
  from: number;
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  /** When it times out (Date.now() ms), and what it says then. */
  deadline: number;
  what: string;
};

/** Frames waiting to be written, and who waits for them. */
type Outgoing = {
  parts: Uint8Array[];
  bytes: number;
  resolve: () => void;
  reject: (e: Error) => void;
  /** Bulk bytes after the parts, MAC'ed piece by piece as they go. */
  bulk?: { bytes: Uint8Array; mac: IncrementalMac };
};

/**
 * Frames queued behind a write, and the parts of one frame, are copied
 * into one buffer and sent with one write up to this many bytes (one
 * system call and one wake-up of the peer instead of several); bigger
 * ones go part by part from where they are, as copying them would cost
 * more than the writes.
 */
const COALESCE_BYTES = 64 * 1024;

/** The rest of a frame at least this large is read straight into it. */
const DIRECT_READ_BYTES = 32 * 1024;

/**
 * Bulk bytes are hashed and written in pieces of this size: the peer reads
 * and checks one piece while this end hashes the next.
 */
const BULK_PIECE_BYTES = 512 * 1024;

function sameBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && a.length === b.length &&
    a.every((x, i) => x === b[i]);
}

/** One authenticated connection. */
export class FrameConn {
  #conn: Deno.Conn;
  #key: Uint8Array;
  #self: number;
  #boot: number;
  #seq = 0;
  #decoder: FrameDecoder;
  #queue: LinkMessage[] = [];
  #wake: (() => void) | null = null;
  #out: Outgoing[] = [];
  #writing = false;
  #closed = false;
  #error: Error | null = null;
  #pending = new Map<number, Pending>();
  #nextRid = 1;
  /** One timer for every request's timeout, due at `#timerAt`. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;
  #reader: Promise<void> | null = null;
  /** The peer's node ID (after the handshake). */
  peer = 0;
  #lastRecv = Date.now();
  #lastSent = Date.now();
  #alive: ReturnType<typeof setInterval> | undefined;

  private constructor(conn: Deno.Conn, key: Uint8Array, self: number) {
    this.#conn = conn;
    // Requests and replies are small and answered at once: Nagle's delay
    // (waiting for an ACK before a second small write) cost 40 ms a round.
    if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
    this.#key = key;
    this.#self = self;
    this.#boot = Date.now() * 1000 + Math.floor(Math.random() * 1000);
    // Small frames until the peer has proved it holds the key: a stranger
    // cannot make this node buffer 64 MiB per connection.
    this.#decoder = new FrameDecoder({
      key,
      maxFrame: HANDSHAKE_MAX_FRAME,
      monotonic: true,
      bulk: true,
    });
  }

  /**
   * Where bulk bytes of an arriving message go (see {@linkcode sendBulk}):
   * called on the reader, in stream order, before the message is queued;
   * returns an array of exactly `body.bulk` bytes, or undefined for a fresh
   * one. A throw closes the link.
   */
  set bulkSink(
    sink: ((type: string, body: unknown) => Uint8Array | undefined) | undefined,
  ) {
    this.#decoder.bulkSink = sink && ((env) => sink(env.type, env.body));
  }

  /** Connect to `addr:port` and authenticate as node `self`. */
  static async connect(
    addr: string,
    port: number,
    key: Uint8Array,
    self: number,
    timeoutMs = HANDSHAKE_MS,
  ): Promise<FrameConn> {
    let conn: Deno.Conn;
    try {
      conn = await withTimeout(
        Deno.connect({ hostname: addr, port }),
        timeoutMs,
        `connect to ${addr}:${port}`,
      );
    } catch (e) {
      throw new LinkError(
        `cannot connect to ${addr}:${port}: ${(e as Error).message}`,
      );
    }
    const c = new FrameConn(conn, key, self);
    try {
      const hello = await withTimeout(c.#readRaw(), timeoutMs, "handshake");
      if (hello.type !== "hello") throw new LinkError("bad handshake");
      const nonce = crypto.getRandomValues(new Uint8Array(16));
      await c.#sendRaw("auth", {
        echo: (hello.body as { nonce: unknown }).nonce,
        nonce,
      });
      const ready = await withTimeout(c.#readRaw(), timeoutMs, "handshake");
      if (
        ready.type !== "ready" ||
        !sameBytes((ready.body as { echo?: unknown })?.echo, nonce)
      ) {
        throw new LinkError("bad handshake");
      }
      c.peer = ready.from;
    } catch (e) {
      c.close();
      throw e instanceof LinkError
        ? e
        : new LinkError(`${addr}:${port}: ${(e as Error).message}`);
    }
    c.#decoder.maxFrame = LINK_MAX_FRAME;
    c.#reader = c.#readLoop();
    return c;
  }

  /** Authenticate an accepted connection; throws LinkError on a bad peer. */
  static async accept(
    conn: Deno.Conn,
    key: Uint8Array,
    self: number,
    timeoutMs = HANDSHAKE_MS,
  ): Promise<FrameConn> {
    const c = new FrameConn(conn, key, self);
    try {
      const nonce = crypto.getRandomValues(new Uint8Array(16));
      await c.#sendRaw("hello", { nonce });
      const auth = await withTimeout(c.#readRaw(), timeoutMs, "handshake");
      const b = auth.body as { echo?: unknown; nonce?: unknown };
      if (
        auth.type !== "auth" || !sameBytes(b?.echo, nonce) ||
        !(b.nonce instanceof Uint8Array)
      ) {
        throw new LinkError("bad handshake");
      }
      await c.#sendRaw("ready", { echo: b.nonce });
      c.peer = auth.from;
    } catch (e) {
      c.close();
      throw e instanceof LinkError ? e : new LinkError((e as Error).message);
    }
    c.#decoder.maxFrame = LINK_MAX_FRAME;
    c.#reader = c.#readLoop();
    return c;
  }

  /**
   * Watch the peer: send a "tick" when nothing else went out for
   * `intervalMs`, and close the link with an error when nothing came in
   * for `deadAfterMs`. TCP alone notices a cut network only after many
   * minutes; a partitioned peer must be given up in seconds (and the two
   * ends may use different bounds, so one gives up first).
   */
  keepAlive(intervalMs: number, deadAfterMs: number): void {
    clearInterval(this.#alive);
    this.#lastRecv = Date.now();
    this.#alive = setInterval(() => {
      const now = Date.now();
      if (now - this.#lastRecv > deadAfterMs) {
        this.close(
          new LinkError(
            `no sign of life from node ${this.peer} for ${
              Math.round((now - this.#lastRecv) / 1000)
            } s`,
          ),
        );
      } else if (now - this.#lastSent >= intervalMs) {
        this.send("tick", {}).catch(() => {});
      }
    }, Math.max(10, Math.min(intervalMs, deadAfterMs / 4)));
  }

  /** Send one message (serialized with every other send on this link). */
  send(type: string, body: unknown): Promise<void> {
    if (this.#closed) {
      return Promise.reject(this.#error ?? new LinkError("link closed"));
    }
    try {
      // `bulk` announces bytes after the frame (sendBulk): a body carrying
      // it otherwise would put the stream out of step.
      if (
        typeof body === "object" && body !== null &&
        Object.hasOwn(body, "bulk")
      ) {
        throw new LinkError("'bulk' is reserved in a message body (sendBulk)");
      }
      return this.#sendRaw(type, body);
    } catch (e) {
      // A value the wire refuses: a rejection, never a throw at the caller.
      return Promise.reject(e);
    }
  }

  /**
   * Send `body` with `bytes` after it, unframed, under their own tag: the
   * peer gets `body.bulk` = the bytes, read straight into where its
   * {@linkcode bulkSink} says. For big data (snapshot memory): no copy on
   * either side. Keep `bytes` unchanged until the promise settles.
   */
  sendBulk(
    type: string,
    body: Record<string, unknown>,
    bytes: Uint8Array,
  ): Promise<void> {
    if (this.#closed) {
      return Promise.reject(this.#error ?? new LinkError("link closed"));
    }
    try {
      if (bytes.length > LINK_MAX_FRAME) {
        throw new WireError(
          "size",
          `wire: bulk of ${bytes.length} bytes exceeds ${LINK_MAX_FRAME}`,
        );
      }
      const head = encodeFrame(
        this.#key,
        this.#envelope(type, { ...body, bulk: bytes.length }),
        LINK_MAX_FRAME,
      );
      const mac = bulkMac(this.#key, head.subarray(head.length - TAG_BYTES));
      return this.#write([head], { bytes, mac });
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Send a request and wait for the peer's `reply` to it; with `bulk`, the
   * bytes follow as in {@linkcode sendBulk} (keep them unchanged until the
   * reply).
   */
  request<T = unknown>(
    type: string,
    body: Record<string, unknown>,
    timeoutMs = 30000,
    bulk?: Uint8Array,
  ): Promise<T> {
    const rid = this.#nextRid++;
    const deadline = Date.now() + timeoutMs;
    const p = new Promise<T>((resolve, reject) => {
      this.#pending.set(rid, {
        resolve: resolve as (v: unknown) => void,
        reject,
        deadline,
        what: `${type}: timed out after ${timeoutMs} ms`,
      });
    });
    // One timer for all requests (a timer each cost more than the rest of
    // a small request): armed for the earliest deadline only.
    if (deadline < this.#timerAt) this.#arm(deadline);
    const sent = bulk
      ? this.sendBulk(type, { ...body, rid }, bulk)
      : this.send(type, { ...body, rid });
    sent.catch((e) => this.#settle(rid, e));
    return p;
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    const t = setTimeout(
      () => this.#expire(),
      Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1),
    );
    // Only a pending read keeps a process alive, as before: the timer never.
    Deno.unrefTimer(t);
    this.#timer = t;
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [rid, p] of this.#pending) {
      if (p.deadline <= now) this.#settle(rid, new LinkError(p.what));
      else if (p.deadline < next) next = p.deadline;
    }
    if (next < Infinity && !this.#closed) this.#arm(next);
  }

  /** Answer a request received as `msg`. */
  reply(msg: LinkMessage, ok: boolean, result: unknown): Promise<void> {
    const rid = (msg.body as { rid?: unknown })?.rid;
    return this.send("reply", { rid, ok, result });
  }

  /** The next message that is not a reply, or null once the link is closed. */
  async next(): Promise<LinkMessage | null> {
    while (this.#queue.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((r) => this.#wake = r);
      this.#wake = null;
    }
    return this.#queue.shift()!;
  }

  /** Why the link closed, if it failed. */
  get error(): Error | null {
    return this.#error;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Close the link; pending requests fail. */
  close(err?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#alive);
    clearTimeout(this.#timer);
    this.#error ??= err ?? null;
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    for (const [rid] of this.#pending) {
      this.#settle(rid, this.#error ?? new LinkError("link closed"));
    }
    this.#wake?.();
  }

  /** Resolves when the reader stops. */
  get finished(): Promise<void> {
    return this.#reader ?? Promise.resolve();
  }

  #settle(rid: number, e: Error): void {
    const p = this.#pending.get(rid);
    if (p) {
      this.#pending.delete(rid);
      p.reject(e);
    }
  }

  #envelope(type: string, body: unknown): Envelope {
    return {
      type,
      from: this.#self,
      boot: this.#boot,
      seq: ++this.#seq,
      ts: Date.now(),
      body,
    };
  }

  #sendRaw(type: string, body: unknown): Promise<void> {
    // Big byte strings go from the caller's memory, not copied.
    return this.#write(
      encodeFrameParts(this.#key, this.#envelope(type, body), LINK_MAX_FRAME),
    );
  }

  #write(parts: Uint8Array[], bulk?: Outgoing["bulk"]): Promise<void> {
    this.#lastSent = Date.now();
    let bytes = 0;
    for (const p of parts) bytes += p.length;
    // Bulk bytes are never copied into a coalesced write.
    if (bulk) bytes = Infinity;
    return new Promise<void>((resolve, reject) => {
      this.#out.push({ parts, bytes, resolve, reject, bulk });
      // Started here, not a microtask later: the first write goes at once.
      if (!this.#writing) this.#flush();
    });
  }

  /** Write what is queued, in order; small frames queued meanwhile go as one. */
  async #flush(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#out.length > 0) {
        let n = 1;
        let bytes = this.#out[0].bytes;
        while (
          n < this.#out.length && bytes + this.#out[n].bytes <= COALESCE_BYTES
        ) bytes += this.#out[n++].bytes;
        const batch = this.#out.splice(0, n);
        try {
          if (
            batch.length === 1 && batch[0].parts.length === 1 &&
            !batch[0].bulk
          ) {
            await writeAll(this.#conn, batch[0].parts[0]);
          } else if (bytes <= COALESCE_BYTES) {
            const one = this.#scratch(bytes);
            let at = 0;
            for (const o of batch) {
              for (const p of o.parts) {
                one.set(p, at);
                at += p.length;
              }
            }
            await writeAll(this.#conn, one);
          } else {
            for (const o of batch) {
              for (const p of o.parts) await writeAll(this.#conn, p);
              if (o.bulk) await this.#writeBulk(o.bulk.bytes, o.bulk.mac);
            }
          }
          for (const o of batch) o.resolve();
        } catch (e) {
          for (const o of batch) o.reject(e as Error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  #scratchBuf = new Uint8Array(0);

  /** A reused buffer for a coalesced write (never two at once: one writer). */
  #scratch(n: number): Uint8Array {
    if (this.#scratchBuf.length < n) {
      this.#scratchBuf = new Uint8Array(
        Math.min(COALESCE_BYTES, Math.max(n, 2 * this.#scratchBuf.length)),
      );
    }
    return this.#scratchBuf.subarray(0, n);
  }

  /** Hash a piece, then write it while the next is hashed; the tag last. */
  async #writeBulk(bytes: Uint8Array, mac: IncrementalMac): Promise<void> {
    let writing: Promise<void> | null = null;
    for (let at = 0; at < bytes.length; at += BULK_PIECE_BYTES) {
      const piece = bytes.subarray(at, at + BULK_PIECE_BYTES);
      mac.update(piece);
      if (writing) await writing;
      writing = writeAll(this.#conn, piece);
    }
    if (writing) await writing;
    await writeAll(this.#conn, mac.digest());
  }

  #buf = new Uint8Array(256 * 1024);
  #ready: Envelope[] = [];

  async #readRaw(): Promise<Envelope> {
    while (this.#ready.length === 0) {
      // The rest of a big frame is read straight into its payload buffer.
      const direct = this.#decoder.readTarget();
      if (direct !== null && direct.length >= DIRECT_READ_BYTES) {
        const n = await this.#conn.read(direct);
        if (n === null) throw new LinkError("connection closed by peer");
        this.#ready.push(...this.#decoder.filled(n) as Envelope[]);
        continue;
      }
      const n = await this.#conn.read(this.#buf);
      if (n === null) throw new LinkError("connection closed by peer");
      // The decoder keeps views of its input: give it a copy.
      this.#ready.push(
        ...this.#decoder.push(this.#buf.slice(0, n)) as Envelope[],
      );
    }
    return this.#ready.shift()!;
  }

  async #readLoop(): Promise<void> {
    try {
      while (!this.#closed) {
        const env = await this.#readRaw();
        if (env.from !== this.peer) {
          throw new LinkError("peer changed its identity");
        }
        this.#lastRecv = Date.now();
        if (env.type === "tick") continue;
        if (env.type === "reply") {
          const b = env.body as {
            rid?: unknown;
            ok?: unknown;
            result?: unknown;
          };
          const p = typeof b?.rid === "number"
            ? this.#pending.get(b.rid)
            : undefined;
          if (p) {
            this.#pending.delete(b.rid as number);
            if (b.ok === true) p.resolve(b.result);
            else p.reject(new LinkError(String(b.result)));
          }
          continue;
        }
        this.#queue.push({ type: env.type, body: env.body, from: env.from });
        this.#wake?.();
      }
    } catch (e) {
      const err = e instanceof WireError
        ? new LinkError(`bad frame from peer (${e.reason})`)
        : e instanceof LinkError
        ? e
        : new LinkError((e as Error).message);
      this.close(this.#closed ? undefined : err);
    }
  }
}

/** Reject with a LinkError after `ms`. */
export function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LinkError(`${what}: timed out after ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

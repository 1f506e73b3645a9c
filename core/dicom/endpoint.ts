/**
 * One process's direct communication where its user context runs now: its
 * mailbox, its channels to other processes, and the answers to the system
 * calls its program makes on /dev/mosix devices. It lives on the host
 * thread next to the context (mosrun at home, omdiscd for a guest), since
 * the context's Worker blocks in every call; it moves with the process as
 * a {@linkcode DicomState}.
 *
 * Blocking calls (a read of an empty mailbox, a write while the channel's
 * window is full, a poll) are cut short by
 * {@linkcode DicomEndpoint.interruptBlocked} with `{ interrupted: true }`
 * having done nothing, so the context can freeze while blocked in them.
 *
 * @module
 */

import { Errno } from "../wasi/errno.ts";
import { EventRwFlags, Eventtype, Fdflags } from "../wasi/constants.ts";
import type { DeputyResponse } from "../wasi/protocol.ts";
import {
  addrKey,
  type Device,
  type DicomAddr,
  formatAddrLine,
  parseDevice,
  sameAddr,
} from "./address.ts";
import { deviceFilestat } from "./device_fd.ts";
import { Mailbox } from "./mailbox.ts";
import { messagePool } from "./buffer_pool.ts";
import type {
  DeliverReply,
  DicomLimits,
  DicomMessage,
  RouteResult,
} from "./message.ts";
import { type ChannelState, OutChannel } from "./out_channel.ts";
import type { DicomState } from "./state.ts";
import type { SavedDeviceFd } from "./device_fd.ts";
import { trace } from "./trace.ts";

/** What an endpoint needs from its host. */
export interface EndpointDeps {
  /** Carry a message to another process's host; null without a cluster. */
  route: ((m: DicomMessage) => Promise<RouteResult>) | null;
  /** Carry several to one receiver in one go (optional). */
  routeMany?: (ms: DicomMessage[]) => Promise<RouteResult[]>;
  /** Wait `ms`. */
  sleep(ms: number): Promise<void>;
  /** Random source in [0, 1) (channel numbers). */
  random(): number;
  /** Limits. */
  limits: DicomLimits;
}

/** An event a poll on a device reports now. */
export interface DeviceEvent {
  error: number;
  nbytes: bigint;
  flags: number;
}

const INTERRUPTED: DeputyResponse = Object.freeze({
  errno: 0,
  interrupted: true,
});
const enc = new TextEncoder();

/** Buffers of large messages, reused once sent and accepted, or read. */
const POOL = messagePool;

/** `data`, copied when it is a view of shared memory (lent, not given). */
function owned(data: Uint8Array): Uint8Array {
  if (!(data.buffer instanceof SharedArrayBuffer)) return data;
  const out = POOL.take(data.length);
  out.set(data);
  return out;
}

function fail(errno: number, whole = false): DeputyResponse {
  return whole ? { errno, whole } : { errno };
}

/** A process's mailbox and channels, on the host where it runs. */
export class DicomEndpoint {
  /** This process's address. */
  readonly addr: DicomAddr;
  #deps: EndpointDeps;
  #mailbox: Mailbox;
  #channels = new Map<string, OutChannel>();
  #lastFrom: DicomAddr | null = null;
  #interrupt = false;
  #interruptWaiters = new Set<() => void>();
  /** A message being read in several chunks. */
  #partial: { data: Uint8Array; at: number } | null = null;
  /** A message being written in several chunks. */
  #assembling: { dev: string; buf: Uint8Array; at: number } | null = null;
  /**
   * The bytes of the message read last: given back to the pool at the next
   * read, once the answer holding them was surely copied out.
   */
  #readDone: Uint8Array | null = null;
  #left = false;

  /**
   * An endpoint for `addr`, empty or continuing `state`. `fresh` (a resumed
   * checkpoint, under a new PID) starts new channels for the messages still
   * unaccepted, so receivers do not take them for old ones.
   */
  constructor(
    addr: DicomAddr,
    deps: EndpointDeps,
    state?: DicomState,
    fresh = false,
  ) {
    this.addr = addr;
    this.#deps = deps;
    this.#mailbox = new Mailbox(deps.limits.mailboxBytes, state?.mailbox);
    this.#lastFrom = state?.lastFrom ?? null;
    for (const c of state?.channels ?? []) {
      const s: ChannelState = fresh
        ? {
          to: c.to,
          chan: this.#newChan(),
          nextSeq: c.pending.length + 1,
          pending: c.pending.map((p, i) => ({ seq: i + 1, data: p.data })),
          open: false,
        }
        : c;
      if (s.pending.length === 0 && !fresh && !s.open) continue;
      this.#channels.set(addrKey(s.to), this.#makeChannel(s));
    }
  }

  /** Messages waiting in the mailbox. */
  get waiting(): number {
    return this.#mailbox.length;
  }

  /** True while blocking calls are being cut short. */
  get interrupted(): boolean {
    return this.#interrupt;
  }

  /** Offer an incoming message to the mailbox. */
  deliver(m: DicomMessage): DeliverReply | Promise<DeliverReply> {
    // Once left or closed, the mailbox answers "moved" or "gone".
    return this.#mailbox.deliver(m);
  }

  /**
   * Cut short every blocked call and every call that would block, until
   * {@linkcode allowBlocking} (a freeze was requested).
   */
  interruptBlocked(): void {
    this.#interrupt = true;
    for (const w of this.#interruptWaiters) w();
    this.#interruptWaiters.clear();
  }

  /** Let calls block again. */
  allowBlocking(): void {
    this.#interrupt = false;
  }

  /** Wait for `p` or an interrupt; true when interrupted. */
  async race(p: Promise<unknown>): Promise<boolean> {
    if (this.#interrupt) return true;
    let wake!: () => void;
    const cut = new Promise<boolean>((r) => wake = () => r(true));
    this.#interruptWaiters.add(wake);
    try {
      return await Promise.race([cut, p.then(() => false)]);
    } finally {
      this.#interruptWaiters.delete(wake);
    }
  }

  /**
   * Leave this host: refuse further messages ("moved"), stop the channels
   * and return everything to take along (`fds`: the device fds).
   */
  leave(fds: SavedDeviceFd[]): DicomState {
    this.#left = true;
    const mailbox = this.#mailbox.close({ r: "moved" });
    const channels: ChannelState[] = [];
    for (const c of this.#channels.values()) {
      const s = c.stop();
      if (s.pending.length > 0 || s.open) channels.push(s);
    }
    return { v: 1, mailbox, lastFrom: this.#lastFrom, channels, fds };
  }

  /** The state now, staying here (a checkpoint copy). */
  state(fds: SavedDeviceFd[]): DicomState {
    const channels = [...this.#channels.values()].map((c) => c.state())
      .filter((s) => s.pending.length > 0 || s.open);
    return {
      v: 1,
      mailbox: this.#mailbox.state(),
      lastFrom: this.#lastFrom,
      channels,
      fds,
    };
  }

  /** The process ended: refuse messages ("gone"); channels still drain. */
  close(): void {
    this.#left = true;
    this.#mailbox.close({ r: "gone" });
  }

  /** Wait until every channel's messages were accepted, or `ms` passed. */
  async drain(ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const idle = Promise.all(
      [...this.#channels.values()].map((c) => c.whenIdle()),
    );
    await Promise.race([
      idle,
      new Promise((r) => timer = setTimeout(r, ms)),
    ]).finally(() => clearTimeout(timer));
  }

  // ---- calls on device fds ----

  /** fd_read on device `dev`: `len` this chunk, `max` the whole buffer. */
  read(
    dev: string,
    fdflags: number,
    len: number,
    max?: number,
  ): DeputyResponse | Promise<DeputyResponse> {
    trace("r.in");
    if (this.#readDone) {
      POOL.give(this.#readDone);
      this.#readDone = null;
    }
    const d = parseDevice(dev);
    if (this.#left || d === null) return fail(Errno.IO);
    if (d.kind === "to") return fail(Errno.BADF);
    if (d.kind !== "mbox") {
      const who = d.kind === "self" ? this.addr : this.#lastFrom;
      const line = who ? enc.encode(formatAddrLine(who)) : new Uint8Array(0);
      if (line.length > Math.max(len, max ?? 0)) return fail(Errno.MSGSIZE);
      return { errno: 0, data: line.subarray(0, len) };
    }
    const p = this.#partial;
    if (p) {
      // The rest of a message larger than one chunk of the link.
      const data = p.data.subarray(p.at, p.at + len);
      p.at += data.length;
      const more = p.at < p.data.length;
      if (!more) {
        this.#partial = null;
        this.#readDone = p.data;
      }
      return more ? { errno: 0, data, more } : { errno: 0, data };
    }
    if (this.#mailbox.length > 0) return this.#take(len, max);
    if (fdflags & Fdflags.NONBLOCK) return fail(Errno.AGAIN);
    return (async () => {
      while (this.#mailbox.length === 0) {
        if (await this.race(this.#mailbox.whenReady())) return INTERRUPTED;
        if (this.#left) return fail(Errno.IO);
      }
      return this.#take(len, max);
    })();
  }

  #take(len: number, max?: number): DeputyResponse {
    trace("r.take");
    const size = this.#mailbox.peekSize()!;
    // One message per read: a buffer too small leaves it waiting.
    if (size > Math.max(len, max ?? 0)) return fail(Errno.MSGSIZE);
    const l = this.#mailbox.take()!;
    this.#lastFrom = l.from;
    if (size <= len) {
      this.#readDone = l.data;
      return { errno: 0, data: l.data };
    }
    this.#partial = { data: l.data, at: len };
    return { errno: 0, data: l.data.subarray(0, len), more: true };
  }

  /**
   * fd_write on device `dev`: one message. A write larger than one link
   * chunk comes as pieces `at`/`total` and is sent once whole.
   */
  write(
    dev: string,
    fdflags: number,
    data: Uint8Array,
    at?: number,
    total?: number,
  ): DeputyResponse | Promise<DeputyResponse> {
    trace("w.in");
    const d = parseDevice(dev);
    if (this.#left || d === null) return fail(Errno.IO, true);
    if (d.kind !== "to") return fail(Errno.BADF, true);
    if (total !== undefined && at !== undefined && total > data.length) {
      if (at === 0) {
        if (total > this.#deps.limits.maxMessage) {
          return fail(Errno.MSGSIZE, true);
        }
        this.#dropAssembling();
        this.#assembling = { dev, buf: POOL.take(total), at: 0 };
      }
      const a = this.#assembling;
      if (
        !a || a.dev !== dev || a.at !== at || at + data.length > a.buf.length
      ) {
        this.#dropAssembling();
        return fail(Errno.INVAL, true);
      }
      a.buf.set(data, at);
      a.at += data.length;
      if (a.at < a.buf.length) return { errno: 0, n: data.length };
      this.#assembling = null;
      const r = this.#send(d, fdflags, a.buf);
      const n = data.length;
      const piece = (x: DeputyResponse) =>
        x.errno === 0 && !x.interrupted ? { errno: 0, n } : x;
      return r instanceof Promise ? r.then(piece) : piece(r);
    }
    // A view of the system-call channel's buffer is only lent.
    return this.#send(d, fdflags, owned(data));
  }

  #dropAssembling(): void {
    if (this.#assembling) POOL.give(this.#assembling.buf);
    this.#assembling = null;
  }

  #send(
    d: Extract<Device, { kind: "to" }>,
    fdflags: number,
    data: Uint8Array,
  ): DeputyResponse | Promise<DeputyResponse> {
    const n = data.length;
    if (n > this.#deps.limits.maxMessage) return fail(Errno.MSGSIZE, true);
    const nonblock = (fdflags & Fdflags.NONBLOCK) !== 0;
    let ch = this.#channelTo(d.to);
    if (ch === null) return fail(Errno.HOSTUNREACH, true);
    const failed = this.#failure(ch);
    if (failed) return failed;
    if (ch.hasRoom(n) && ch.open) {
      ch.push(data);
      return { errno: 0, n };
    }
    if (!ch.hasRoom(n) && nonblock) return fail(Errno.AGAIN, true);
    return (async () => {
      while (!ch!.hasRoom(n)) {
        if (await this.race(ch!.whenRoom())) return INTERRUPTED;
        const f = this.#failure(ch!);
        if (f) return f;
        ch = this.#channelTo(d.to)!;
      }
      const first = !ch!.open && !nonblock;
      if (!first) {
        ch!.push(data);
        return { errno: 0, n };
      }
      // A new channel's first message: wait for its fate, so writing to a
      // process that does not exist fails right there (a freeze meanwhile
      // does not undo the write: the message is on its way).
      const result = ch!.push(data, true);
      if (!await this.race(result)) {
        const f = this.#failure(ch!);
        if (f) return f;
      }
      return { errno: 0, n };
    })();
  }

  /** The errno a failed channel gives its writer; a lost path gets a new channel. */
  #failure(ch: OutChannel): DeputyResponse | null {
    const f = ch.failure;
    if (!f) return null;
    if (f.kind === "gone") return fail(Errno.SRCH, true);
    this.#channels.delete(addrKey(ch.to));
    return fail(Errno.HOSTUNREACH, true);
  }

  #channelTo(to: DicomAddr): OutChannel | null {
    const key = addrKey(to);
    let ch = this.#channels.get(key);
    if (ch === undefined) {
      if (this.#deps.route === null && !sameAddr(to, this.addr)) return null;
      ch = this.#makeChannel({
        to,
        chan: this.#newChan(),
        nextSeq: 1,
        pending: [],
        open: false,
      });
      this.#channels.set(key, ch);
    }
    return ch;
  }

  #makeChannel(s: ChannelState): OutChannel {
    const self = sameAddr(s.to, this.addr);
    const route = self
      ? (m: DicomMessage) => this.#deliverToSelf(m)
      : this.#deps.route ??
        (() =>
          Promise.resolve<RouteResult>({
            r: "unreachable",
            why: "no cluster",
          }));
    return new OutChannel(this.addr, s, this.#deps.limits.sendWindow, {
      route,
      routeMany: self ? undefined : this.#deps.routeMany,
      sleep: this.#deps.sleep,
      release: (data) => POOL.give(data),
    });
  }

  async #deliverToSelf(m: DicomMessage): Promise<RouteResult> {
    const r = await this.#mailbox.deliver(m);
    if (r.r === "ok" || r.r === "dup") return { r: "ok", local: true };
    if (r.r === "gap") return r;
    return r.r === "gone" ? r : { r: "unreachable", why: "moved" };
  }

  #newChan(): number {
    return Math.floor(this.#deps.random() * 0x100000000) >>> 0;
  }

  /** fd_filestat_get size of a device: the next message's size for the mailbox. */
  statSize(dev: string): number {
    const d = parseDevice(dev);
    if (d?.kind === "mbox") return this.#mailbox.peekSize() ?? 0;
    if (d?.kind === "self") return formatAddrLine(this.addr).length;
    if (d?.kind === "from" && this.#lastFrom) {
      return formatAddrLine(this.#lastFrom).length;
    }
    return 0;
  }

  /** A filestat for device `dev`. */
  filestat(dev: string): DeputyResponse {
    return { errno: 0, stat: deviceFilestat(this.statSize(dev)) };
  }

  /**
   * What a poll subscription (`type` FD_READ or FD_WRITE) on device `dev`
   * reports now, or a promise that settles when that may change.
   */
  pollDevice(dev: string, type: number): DeviceEvent | Promise<void> {
    const d = parseDevice(dev);
    const bad = { error: Errno.BADF, nbytes: 0n, flags: 0 };
    if (d === null || this.#left) {
      return { error: Errno.IO, nbytes: 0n, flags: 0 };
    }
    if (type === Eventtype.FD_READ) {
      if (d.kind === "to") return bad;
      if (d.kind !== "mbox") {
        return { error: 0, nbytes: BigInt(this.statSize(dev)), flags: 0 };
      }
      const size = this.#mailbox.peekSize();
      if (size !== undefined || this.#partial) {
        return { error: 0, nbytes: BigInt(size ?? 0), flags: 0 };
      }
      return this.#mailbox.whenReady();
    }
    if (d.kind !== "to") return bad;
    const ch = this.#channels.get(addrKey(d.to));
    if (!ch || ch.failure || ch.hasRoom(1)) {
      const flags = ch?.failure?.kind === "gone"
        ? EventRwFlags.FD_READWRITE_HANGUP
        : 0;
      return { error: 0, nbytes: BigInt(this.#deps.limits.maxMessage), flags };
    }
    return ch.whenRoom();
  }
}

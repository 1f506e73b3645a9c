/**
 * The sender's side of one (sender, receiver) pair: messages get sequence
 * numbers, go out in order with up to a window of bytes unanswered, and
 * stay until the receiver's host accepted them. A "gap" answer (a message
 * overtook an earlier one on another path) or a lost path makes the channel
 * go back and resend from the first unanswered message once the ones on
 * their way are answered; the receiver drops what it already has. The
 * first message of a channel goes alone, so a new channel starts in order.
 *
 * Pure apart from the injected `route` and `sleep`.
 *
 * @module
 */

import type { DicomAddr } from "./address.ts";
import type { DicomMessage, RouteResult } from "./message.ts";
import { trace } from "./trace.ts";

/** A channel as plain data (it travels with its process). */
export interface ChannelState {
  /** The receiver. */
  to: DicomAddr;
  /** Channel number. */
  chan: number;
  /** Sequence number of the next new message. */
  nextSeq: number;
  /** Unanswered messages, in order. */
  pending: { seq: number; data: Uint8Array }[];
  /** True once a first message was accepted. */
  open: boolean;
}

/** What a channel needs from its host. */
export interface ChannelDeps {
  /** Carry one message to its receiver's host. */
  route(m: DicomMessage): Promise<RouteResult>;
  /** Carry several, in order, in one go (one frame); else one by one. */
  routeMany?(ms: DicomMessage[]): Promise<RouteResult[]>;
  /** Wait `ms` (between resends). */
  sleep(ms: number): Promise<void>;
  /** A message's bytes were sent and accepted elsewhere: no longer in use. */
  release?(data: Uint8Array): void;
}

/** Sends under way at once on one channel: more messages wait and go together. */
export const MAX_SENDS = 2;
/** A batch holds at most this many bytes (one message may be larger)... */
export const BATCH_BYTES = 256 * 1024;
/** ...and this many messages. */
export const BATCH_MESSAGES = 64;

/** Why a channel stopped: the receiver is gone, or could not be reached. */
export type ChannelFailure = "gone" | "unreachable";

interface Pending {
  seq: number;
  data: Uint8Array;
  sent: boolean;
  acked: boolean;
  /** Accepted by a receiver in this process: its bytes are in use there. */
  kept?: boolean;
  done: ((r: RouteResult) => void)[];
}

/** One sender-to-receiver channel. */
export class OutChannel {
  readonly from: DicomAddr;
  readonly to: DicomAddr;
  readonly chan: number;
  #deps: ChannelDeps;
  #window: number;
  #nextSeq: number;
  #pending: Pending[] = [];
  #bytes = 0;
  /** Sends (single messages or batches) under way. */
  #inflight = 0;
  #open: boolean;
  #rewind = false;
  #backoff = 0;
  #stopped = false;
  #failure: { kind: ChannelFailure; why: string } | null = null;
  #roomWaiters = new Set<() => void>();
  #idleWaiters = new Set<() => void>();

  /** A channel from `from` to `state.to` (a fresh one when no state). */
  constructor(
    from: DicomAddr,
    state: ChannelState,
    window: number,
    deps: ChannelDeps,
  ) {
    this.from = from;
    this.to = state.to;
    this.chan = state.chan;
    this.#deps = deps;
    this.#window = window;
    this.#nextSeq = state.nextSeq;
    this.#open = state.open;
    for (const p of state.pending) {
      this.#pending.push({ ...p, sent: false, acked: false, done: [] });
      this.#bytes += p.data.length;
    }
    this.#pump();
  }

  /** Why it failed, if it did (the writer's next write reports it once). */
  get failure(): { kind: ChannelFailure; why: string } | null {
    return this.#failure;
  }

  /** True once a message was accepted (later writes do not wait for answers). */
  get open(): boolean {
    return this.#open;
  }

  /** Unanswered bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Unanswered messages. */
  get length(): number {
    return this.#pending.length;
  }

  /** True when a message of `size` bytes may be queued now. */
  hasRoom(size: number): boolean {
    return this.#pending.length === 0 || this.#bytes + size <= this.#window;
  }

  /** Resolves when there may be room (or the channel failed). */
  whenRoom(): Promise<void> {
    return new Promise((r) => this.#roomWaiters.add(r));
  }

  /** Resolves when every message was answered (or the channel failed). */
  whenIdle(): Promise<void> {
    if (this.#pending.length === 0 || this.#failure) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.add(r));
  }

  /** Queue a message; with `outcome`, resolves with what became of it. */
  push(data: Uint8Array, outcome: true): Promise<RouteResult>;
  push(data: Uint8Array): void;
  push(data: Uint8Array, outcome = false): Promise<RouteResult> | void {
    const p: Pending = {
      seq: this.#nextSeq++,
      data,
      sent: false,
      acked: false,
      done: [],
    };
    const result = outcome
      ? new Promise<RouteResult>((r) => p.done.push(r))
      : undefined;
    this.#pending.push(p);
    this.#bytes += data.length;
    this.#pump();
    return result;
  }

  /** Stop sending (the process leaves this host); returns what to take along. */
  stop(): ChannelState {
    this.#stopped = true;
    this.#wake();
    return this.state();
  }

  /** The state now, without stopping (a checkpoint copy). */
  state(): ChannelState {
    return {
      to: this.to,
      chan: this.chan,
      nextSeq: this.#nextSeq,
      pending: this.#pending.map((p) => ({ seq: p.seq, data: p.data })),
      open: this.#open,
    };
  }

  #pump(): void {
    if (this.#stopped || this.#failure || this.#rewind) return;
    let i = this.#pending.findIndex((p) => !p.sent);
    while (i >= 0 && i < this.#pending.length) {
      // A new channel's first message goes alone; then at most MAX_SENDS
      // sends at once, so messages written meanwhile go out together.
      if (!this.#open && this.#inflight > 0) return;
      if (this.#inflight >= MAX_SENDS) return;
      const group: Pending[] = [this.#pending[i]];
      let bytes = group[0].data.length;
      if (this.#open && this.#deps.routeMany) {
        for (let j = i + 1; j < this.#pending.length; j++) {
          const q = this.#pending[j];
          if (q.sent || group.length >= BATCH_MESSAGES) break;
          if (bytes + q.data.length > BATCH_BYTES) break;
          group.push(q);
          bytes += q.data.length;
        }
      }
      i += group.length;
      this.#send(group);
    }
  }

  #send(group: Pending[]): void {
    const since = this.#pending[0].seq;
    const msgs = group.map((p): DicomMessage => {
      p.sent = true;
      return {
        to: this.to,
        from: this.from,
        chan: this.chan,
        seq: p.seq,
        since,
        data: p.data,
      };
    });
    this.#inflight++;
    trace("ch.send");
    const lost = (e: unknown): RouteResult => ({
      r: "unreachable",
      why: (e as Error).message,
    });
    const sent = msgs.length === 1
      ? this.#deps.route(msgs[0]).then((r) => [r], (e) => [lost(e)])
      : this.#deps.routeMany!(msgs).then(
        (rs) => rs,
        (e) => msgs.map(() => lost(e)),
      );
    sent.then((rs) => this.#answered(group, rs));
  }

  #answered(group: Pending[], rs: RouteResult[]): void {
    this.#inflight--;
    trace("ch.ack");
    if (this.#stopped) return;
    for (let k = 0; k < group.length; k++) {
      const p = group[k];
      const r: RouteResult = rs[k] ??
        { r: "unreachable", why: "no answer for a message of a batch" };
      switch (r.r) {
        case "ok":
          this.#open = true;
          this.#backoff = 0;
          p.acked = true;
          p.kept = r.local === true;
          this.#settle(p, r);
          break;
        case "gap":
          for (const q of this.#pending) {
            if (q.seq < r.expect && !q.acked) {
              q.acked = true;
              q.kept = true; // accepted on an earlier path: maybe here
              this.#settle(q, { r: "ok" });
            }
          }
          this.#rewind = true;
          break;
        case "gone":
        case "unreachable":
          this.#fail(r.r, r.r === "gone" ? "no such process" : r.why, r);
          return;
      }
    }
    this.#dropAcked();
    if (this.#rewind) {
      if (this.#inflight > 0) return;
      this.#rewind = false;
      for (const q of this.#pending) q.sent = false;
      this.#backoff = Math.min(Math.max(1, this.#backoff * 2), 200);
      this.#deps.sleep(this.#backoff).then(() => this.#pump());
      return;
    }
    this.#pump();
  }

  #settle(p: Pending, r: RouteResult): void {
    for (const d of p.done) d(r);
    p.done = [];
  }

  #dropAcked(): void {
    let n = 0;
    while (n < this.#pending.length && this.#pending[n].acked) {
      const p = this.#pending[n];
      this.#bytes -= p.data.length;
      if (!p.kept) this.#deps.release?.(p.data);
      n++;
    }
    if (n > 0) {
      this.#pending.splice(0, n);
      this.#wake();
    }
  }

  #fail(kind: ChannelFailure, why: string, r: RouteResult): void {
    this.#failure = { kind, why };
    for (const q of this.#pending) this.#settle(q, r);
    this.#pending = [];
    this.#bytes = 0;
    this.#wake();
  }

  #wake(): void {
    for (const w of this.#roomWaiters) w();
    this.#roomWaiters.clear();
    if (this.#pending.length === 0 || this.#failure || this.#stopped) {
      for (const w of this.#idleWaiters) w();
      this.#idleWaiters.clear();
    }
  }
}

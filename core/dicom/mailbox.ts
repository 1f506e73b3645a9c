/**
 * A process's mailbox: the messages sent to it, in arrival order, with a
 * byte cap. When it is full a message is held, not dropped: its answer
 * waits until a read makes room, so the sender's window fills and its
 * writer blocks (back-pressure). Each sender channel's messages are taken
 * only in sequence (see message.ts); a held message keeps later ones of
 * every channel waiting behind it, first come first served.
 *
 * Pure: no timers, no I/O; waiting is done with promises.
 *
 * @module
 */

import type { DicomAddr } from "./address.ts";
import type { DeliverReply, DicomMessage } from "./message.ts";

/** A message as the receiver gets it. */
export interface Letter {
  /** Who sent it. */
  from: DicomAddr;
  /** Its bytes. */
  data: Uint8Array;
}

/** A mailbox as plain data (it travels with its process). */
export interface MailboxState {
  /** Messages not yet read, oldest first. */
  queue: Letter[];
  /** Per channel ("home:pid:chan"), the next sequence number to take. */
  next: [string, number][];
}

/** Channels remembered per mailbox (oldest forgotten first). */
export const MAX_CHANNELS = 65536;

interface Held {
  msg: DicomMessage;
  key: string;
  waiters: ((r: DeliverReply) => void)[];
}

function chanKey(m: DicomMessage): string {
  return `${m.from.home}:${m.from.pid}:${m.chan}`;
}

/** One process's mailbox. */
export class Mailbox {
  #cap: number;
  #queue: Letter[] = [];
  #head = 0;
  #bytes = 0;
  #next = new Map<string, number>();
  #held: Held[] = [];
  /** Next sequence number per channel counting held messages. */
  #heldNext = new Map<string, number>();
  #closed: DeliverReply | null = null;
  #readers = new Set<() => void>();

  /** An empty mailbox holding at most `capBytes` (always at least one message). */
  constructor(capBytes: number, state?: MailboxState) {
    this.#cap = capBytes;
    if (state) {
      for (const l of state.queue) {
        this.#queue.push(l);
        this.#bytes += l.data.length;
      }
      for (const [k, s] of state.next) this.#next.set(k, s);
    }
  }

  /** Messages waiting to be read. */
  get length(): number {
    return this.#queue.length - this.#head;
  }

  /** Bytes waiting to be read. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Messages held for lack of room. */
  get heldCount(): number {
    return this.#held.length;
  }

  /** Size of the next message, or undefined when empty. */
  peekSize(): number | undefined {
    return this.#queue[this.#head]?.data.length;
  }

  /**
   * Offer a message. Answers at once, or (when the mailbox is full) with a
   * promise that settles when it is taken in or refused.
   */
  deliver(m: DicomMessage): DeliverReply | Promise<DeliverReply> {
    if (this.#closed) return this.#closed;
    const key = chanKey(m);
    const taken = this.#next.get(key);
    const expect = this.#heldNext.get(key) ?? taken;
    if (taken !== undefined && m.seq < taken) return { r: "dup" };
    if (expect !== undefined && m.seq < expect) {
      // A resend of a message held now: it shares that one's answer.
      const h = this.#held.find((x) => x.key === key && x.msg.seq === m.seq);
      if (h) return new Promise((r) => h.waiters.push(r));
      return { r: "dup" };
    }
    // A channel not seen yet starts where its first message says; so does
    // one whose sender had everything before `since` accepted (this
    // mailbox came back from an older checkpoint and lost them).
    const resync = m.since === m.seq && taken !== undefined &&
      m.seq > taken && !this.#heldNext.has(key);
    if (expect !== undefined && m.seq > expect && !resync) {
      return { r: "gap", expect: taken ?? 1 };
    }
    if (this.#held.length === 0 && this.#fits(m.data.length)) {
      this.#accept(key, m);
      return { r: "ok" };
    }
    this.#heldNext.set(key, m.seq + 1);
    return new Promise((r) => this.#held.push({ msg: m, key, waiters: [r] }));
  }

  /** Take the oldest message, or null when empty. */
  take(): Letter | null {
    if (this.#head >= this.#queue.length) return null;
    const l = this.#queue[this.#head];
    this.#queue[this.#head++] = undefined as unknown as Letter;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#bytes -= l.data.length;
    this.#admitHeld();
    return l;
  }

  /** Resolves when a message is waiting (at once if one is). */
  whenReady(): Promise<void> {
    if (this.length > 0) return Promise.resolve();
    return new Promise((r) => this.#readers.add(r));
  }

  /**
   * Refuse held and later messages with `reply` (the process leaves this
   * host); returns the state to take along.
   */
  close(reply: DeliverReply): MailboxState {
    this.#closed = reply;
    for (const h of this.#held) for (const w of h.waiters) w(reply);
    this.#held = [];
    this.#heldNext.clear();
    for (const wake of this.#readers) wake();
    this.#readers.clear();
    return this.state();
  }

  /** The state now, without closing (a checkpoint copy). */
  state(): MailboxState {
    return { queue: this.#queue.slice(this.#head), next: [...this.#next] };
  }

  #fits(size: number): boolean {
    return this.length === 0 || this.#bytes + size <= this.#cap;
  }

  #accept(key: string, m: DicomMessage): void {
    this.#next.delete(key); // re-inserted: the map stays in use order
    this.#next.set(key, m.seq + 1);
    if (this.#next.size > MAX_CHANNELS) {
      this.#next.delete(this.#next.keys().next().value!);
    }
    this.#queue.push({ from: m.from, data: m.data });
    this.#bytes += m.data.length;
    if (this.#readers.size > 0) {
      const wake = [...this.#readers];
      this.#readers.clear();
      for (const w of wake) w();
    }
  }

  #admitHeld(): void {
    while (this.#held.length > 0 && this.#fits(this.#held[0].msg.data.length)) {
      const h = this.#held.shift()!;
      if (this.#heldNext.get(h.key) === h.msg.seq + 1) {
        this.#heldNext.delete(h.key);
      }
      this.#accept(h.key, h.msg);
      for (const w of h.waiters) w({ r: "ok" });
    }
  }
}

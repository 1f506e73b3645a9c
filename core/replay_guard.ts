/**
 * Replay protection for authenticated datagrams.
 *
 * A captured datagram carries a valid MAC forever, so the receiver also
 * checks freshness:
 * - the sender's wall clock `ts` must be within `maxSkewMs` of ours
 *   ("stale" otherwise), which bounds how long anything can be replayed;
 * - per sender it keeps the newest boot instance ID and a sliding bitmap of
 *   the last `window` sequence numbers (IPsec/WireGuard style): a seq seen
 *   before, or older than the window, is a "replay"; a lower boot than the
 *   known one is "old-boot"; a higher boot (the sender restarted) starts
 *   afresh.
 *
 * Memory is bounded: at most `maxSenders` senders are tracked, the least
 * recently accepted one is forgotten first. A forgotten sender's old packets
 * are still refused once they are older than `maxSkewMs`.
 *
 * Pure: the current time is passed in.
 *
 * @module
 */

/** What {@linkcode ReplayGuard.check} says about a packet. */
export type ReplayVerdict = "ok" | "replay" | "stale" | "old-boot";

/** Options of a {@linkcode ReplayGuard}. */
export interface ReplayGuardOptions {
  /** How many recent seqs per sender are remembered (default 1024). */
  window?: number;
  /** Largest accepted |now - ts| in ms (default 60000). */
  maxSkewMs?: number;
  /** Most senders tracked at once (default 4096). */
  maxSenders?: number;
}

/** Default seq window. */
export const DEFAULT_REPLAY_WINDOW = 1024;
/** Default largest clock difference accepted, in ms. */
export const DEFAULT_MAX_SKEW_MS = 60_000;
/** Default most senders tracked. */
export const DEFAULT_MAX_SENDERS = 4096;

interface SenderState {
  boot: number;
  top: number;
  bits: Uint32Array;
}

/** Per-sender sliding-window replay filter. */
export class ReplayGuard {
  readonly #window: number;
  readonly #maxSkewMs: number;
  readonly #maxSenders: number;
  // Map iteration order is insertion order: re-inserting on accept keeps the
  // least recently accepted sender first, ready for eviction.
  readonly #senders = new Map<number, SenderState>();

  /** Make a guard; see {@linkcode ReplayGuardOptions} for the defaults. */
  constructor(opts: ReplayGuardOptions = {}) {
    const window = opts.window ?? DEFAULT_REPLAY_WINDOW;
    const maxSkewMs = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
    const maxSenders = opts.maxSenders ?? DEFAULT_MAX_SENDERS;
    if (!Number.isInteger(window) || window < 1 || window > 1 << 20) {
      throw new RangeError(`replay window must be 1..${1 << 20}`);
    }
    if (!(maxSkewMs >= 0)) throw new RangeError("maxSkewMs must be >= 0");
    if (!Number.isInteger(maxSenders) || maxSenders < 1) {
      throw new RangeError("maxSenders must be an integer >= 1");
    }
    // Whole 32-bit words: the window is rounded up to a multiple of 32.
    this.#window = Math.ceil(window / 32) * 32;
    this.#maxSkewMs = maxSkewMs;
    this.#maxSenders = maxSenders;
  }

  /** Number of senders currently tracked. */
  get size(): number {
    return this.#senders.size;
  }

  /** Judge a packet without recording it. */
  check(
    from: number,
    boot: number,
    seq: number,
    ts: number,
    now: number,
  ): ReplayVerdict {
    if (!(Math.abs(now - ts) <= this.#maxSkewMs)) return "stale";
    const st = this.#senders.get(from);
    if (st === undefined || boot > st.boot) return "ok";
    if (boot < st.boot) return "old-boot";
    if (seq > st.top) return "ok";
    if (st.top - seq >= this.#window) return "replay";
    return this.#isSet(st, seq) ? "replay" : "ok";
  }

  /** Judge a packet and, when it is "ok", record it. */
  accept(
    from: number,
    boot: number,
    seq: number,
    ts: number,
    now: number,
  ): ReplayVerdict {
    const verdict = this.check(from, boot, seq, ts, now);
    if (verdict !== "ok") return verdict;
    let st = this.#senders.get(from);
    if (st === undefined || boot > st.boot) {
      st = { boot, top: seq, bits: new Uint32Array(this.#window / 32) };
    } else if (seq > st.top) {
      this.#advance(st, seq);
    }
    this.#set(st, seq);
    this.#senders.delete(from);
    this.#senders.set(from, st);
    if (this.#senders.size > this.#maxSenders) {
      const oldest = this.#senders.keys().next().value as number;
      this.#senders.delete(oldest);
    }
    return verdict;
  }

  /** Forget a sender (e.g. expelled from the cluster). */
  forget(from: number): void {
    this.#senders.delete(from);
  }

  #advance(st: SenderState, seq: number): void {
    const gap = seq - st.top;
    if (gap >= this.#window) {
      st.bits.fill(0);
    } else {
      for (let s = st.top + 1; s <= seq; s++) this.#clear(st, s);
    }
    st.top = seq;
  }

  #isSet(st: SenderState, seq: number): boolean {
    const i = seq % this.#window;
    return (st.bits[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  #set(st: SenderState, seq: number): void {
    const i = seq % this.#window;
    st.bits[i >>> 5] |= 1 << (i & 31);
  }

  #clear(st: SenderState, seq: number): void {
    const i = seq % this.#window;
    st.bits[i >>> 5] &= ~(1 << (i & 31));
  }
}

/**
 * A boot instance ID: start wall time in ms times 1000 plus a random
 * 0..999, so a restarted daemon gets a higher one (a safe integer until
 * the year 2255). `random` returns a number in [0, 1).
 */
export function makeBootId(nowMs: number, random: () => number): number {
  return Math.floor(nowMs) * 1000 + Math.min(999, Math.floor(random() * 1000));
}

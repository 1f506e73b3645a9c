/**
 * Seals and opens the datagrams of one node: wire envelopes (core/wire.ts)
 * numbered per boot, signed with the cluster key, and checked against
 * replays (core/replay_guard.ts). Time is injected.
 *
 * @module
 */

import {
  decodeDatagram,
  encodeDatagram,
  type Envelope,
  WireError,
} from "./wire.ts";
import { ReplayGuard } from "./replay_guard.ts";
import type { NodeId } from "./ids.ts";

/** Result of opening a datagram. */
export type Opened =
  | { ok: true; env: Envelope }
  | { ok: false; reason: WireError["reason"] | "stale" | "old-boot" };

/** A boot number: start time in ms * 1000 plus a random part < 1000. */
export function newBoot(now: number, random: () => number): number {
  return Math.floor(now) * 1000 + Math.floor(random() * 1000);
}

/** The per-node sealing/opening state. */
export class DatagramCodec {
  #key: Uint8Array;
  #self: () => NodeId;
  #boot: number;
  #seq = 0;
  #guard: ReplayGuard;

  /** `self` is read at every seal, since `setpe -p` can change it. */
  constructor(
    key: Uint8Array,
    self: () => NodeId,
    boot: number,
    opts: { maxSkewMs?: number } = {},
  ) {
    this.#key = key;
    this.#self = self;
    this.#boot = boot;
    this.#guard = new ReplayGuard({ maxSkewMs: opts.maxSkewMs ?? 60000 });
  }

  /** Seal a message as a signed datagram. */
  seal(type: string, body: unknown, now: number): Uint8Array {
    return encodeDatagram(this.#key, {
      type,
      from: this.#self(),
      boot: this.#boot,
      seq: ++this.#seq,
      ts: Math.floor(now),
      body,
    });
  }

  /** Open a received datagram: authenticity, then freshness. */
  open(bytes: Uint8Array, now: number): Opened {
    let env: Envelope;
    try {
      env = decodeDatagram(this.#key, bytes);
    } catch (e) {
      if (e instanceof WireError) return { ok: false, reason: e.reason };
      return { ok: false, reason: "cbor" };
    }
    const verdict = this.#guard.accept(
      env.from,
      env.boot,
      env.seq,
      env.ts,
      now,
    );
    if (verdict !== "ok") return { ok: false, reason: verdict };
    return { ok: true, env };
  }
}

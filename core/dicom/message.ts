/**
 * Messages of direct communication and the answers about them, as they
 * travel between hosts (mosrun, omdiscd) and the limits on them.
 *
 * Order and exactly-once delivery rest on sequence numbers: every sender
 * process keeps one channel per receiver, named by a random `chan` number
 * and numbered from 1. The receiver's mailbox accepts a channel's messages
 * only in sequence, answers "dup" to one it already has (a resend after a
 * lost answer or a migration) and "gap" to one that came too early, so
 * per-sender order holds whatever path each message took.
 *
 * @module
 */

import { addrPair, type DicomAddr, pairAddr } from "./address.ts";

/** One message on its way. */
export interface DicomMessage {
  /** The receiver. */
  to: DicomAddr;
  /** The sender. */
  from: DicomAddr;
  /** The sender's channel to this receiver. */
  chan: number;
  /** Position in the channel, from 1. */
  seq: number;
  /**
   * The sender's oldest unaccepted message when this one was sent: what
   * came before was accepted (by a receiver that may since have gone back
   * to a checkpoint and lost it).
   */
  since?: number;
  /** The bytes one write() gave. */
  data: Uint8Array;
}

/**
 * What the host of the receiver (or a node that thought it was) answers:
 * accepted, already had it, came before `expect`, is not here (with where
 * it went when known, or that it is moving now), or no such process.
 */
export type DeliverReply =
  | { r: "ok" }
  | { r: "dup" }
  | { r: "gap"; expect: number }
  | { r: "moved"; node?: number; moving?: boolean }
  | { r: "gone" };

/**
 * What routing a message finally gave the sender; `local`: the receiver
 * took it in this process, so its bytes are still in use.
 */
export type RouteResult =
  | { r: "ok"; local?: boolean }
  | { r: "gap"; expect: number }
  | { r: "gone" }
  | { r: "unreachable"; why: string };

/** Limits of direct communication. */
export interface DicomLimits {
  /** Largest message, bytes. */
  maxMessage: number;
  /** A mailbox holds at most this many bytes (at least one message). */
  mailboxBytes: number;
  /** A sender has at most this many bytes on its way to one receiver. */
  sendWindow: number;
}

/** The defaults: 16 MiB messages, 32 MiB mailboxes, 16 MiB in flight. */
export const DEFAULT_LIMITS: Readonly<DicomLimits> = Object.freeze({
  maxMessage: 16 * 1024 * 1024,
  mailboxBytes: 32 * 1024 * 1024,
  sendWindow: 16 * 1024 * 1024,
});

/** A message as a plain value for a link. */
export function messageToWire(m: DicomMessage): Record<string, unknown> {
  return {
    to: addrPair(m.to),
    from: addrPair(m.from),
    chan: m.chan,
    seq: m.seq,
    ...(m.since !== undefined ? { since: m.since } : {}),
    data: m.data,
  };
}

/** An untrusted link value back to a message, or null when malformed. */
export function messageFromWire(
  x: unknown,
  maxMessage: number,
): DicomMessage | null {
  if (typeof x !== "object" || x === null) return null;
  const o = x as Record<string, unknown>;
  const to = pairAddr(o.to);
  const from = pairAddr(o.from);
  if (!to || !from) return null;
  if (!Number.isInteger(o.chan) || (o.chan as number) < 0) return null;
  if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 1) return null;
  if (!(o.data instanceof Uint8Array) || o.data.length > maxMessage) {
    return null;
  }
  const m: DicomMessage = {
    to,
    from,
    chan: o.chan as number,
    seq: o.seq as number,
    data: o.data,
  };
  if (Number.isSafeInteger(o.since) && (o.since as number) >= 1) {
    m.since = o.since as number;
  }
  return m;
}

/** An untrusted deliver reply, or a "moved" when malformed (the sender re-routes). */
export function deliverReplyFrom(x: unknown): DeliverReply {
  const o = (typeof x === "object" && x !== null ? x : {}) as Record<
    string,
    unknown
  >;
  switch (o.r) {
    case "ok":
    case "dup":
    case "gone":
      return { r: o.r };
    case "gap":
      return Number.isSafeInteger(o.expect) && (o.expect as number) >= 1
        ? { r: "gap", expect: o.expect as number }
        : { r: "moved" };
    default: {
      const out: DeliverReply = { r: "moved" };
      if (Number.isInteger(o.node) && (o.node as number) > 0) {
        out.node = o.node as number;
      }
      if (o.moving === true) out.moving = true;
      return out;
    }
  }
}

/** An untrusted route result; malformed ones are "unreachable". */
export function routeResultFrom(x: unknown): RouteResult {
  const o = (typeof x === "object" && x !== null ? x : {}) as Record<
    string,
    unknown
  >;
  if (o.r === "ok" || o.r === "gone") return { r: o.r };
  if (o.r === "gap" && Number.isSafeInteger(o.expect)) {
    return { r: "gap", expect: o.expect as number };
  }
  return {
    r: "unreachable",
    why: typeof o.why === "string" ? o.why : "bad answer",
  };
}

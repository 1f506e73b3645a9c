/**
 * The local control protocol between the commands and omdiscd, spoken over
 * the Unix socket in the node's run directory as keyless frames
 * (core/wire.ts). On connect the daemon sends a {@linkcode Hello} with a
 * fresh nonce; a request that changes the node must carry
 * `auth = HMAC-SHA256(deriveKey(secret, "control"), nonce)`, so only who can
 * read the cluster secret administers the node, while anyone may look.
 *
 * @module
 */

import { createHmac, timingSafeEqual } from "node:crypto";

/** Operations anyone may ask. */
export const READ_OPS = ["status", "nodes", "map.get", "guests"] as const;
/** Operations that need the secret. */
export const ADMIN_OPS = [
  "map.set",
  "setid",
  "off",
  "block",
  "noblock",
  "setspeed",
  "expel",
  "bring",
  "balance",
  "webtoken",
] as const;

/** Every operation name. */
export type ControlOp = typeof READ_OPS[number] | typeof ADMIN_OPS[number];

/** First frame the daemon sends on a new connection. */
export interface Hello {
  /** Always "omdiscd". */
  hello: "omdiscd";
  /** Daemon version. */
  version: string;
  /** Per-connection random challenge for admin requests. */
  nonce: Uint8Array;
}

/** A request from a command. */
export interface ControlRequest {
  /** Caller-chosen request number, echoed in the response. */
  id: number;
  /** What to do. */
  op: ControlOp;
  /** Operation arguments. */
  args?: Record<string, unknown>;
  /** Proof of the secret (admin operations only). */
  auth?: Uint8Array;
}

/** The daemon's answer to one request. */
export type ControlResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

/** True when `op` needs the secret. */
export function isAdminOp(op: string): boolean {
  return (ADMIN_OPS as readonly string[]).includes(op);
}

/** True when `op` is a known operation. */
export function isControlOp(op: unknown): op is ControlOp {
  return typeof op === "string" &&
    ((READ_OPS as readonly string[]).includes(op) || isAdminOp(op));
}

/** The auth tag for a connection's nonce. */
export function controlAuth(key: Uint8Array, nonce: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(nonce).digest());
}

/** Constant-time comparison of two auth tags. */
export function sameTag(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

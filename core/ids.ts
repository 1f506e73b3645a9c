/**
 * Node IDs and IPv4 helpers.
 *
 * openMosix rule: a node's ID is the last two octets of its IPv4 address
 * (192.168.10.220 -> 10 * 256 + 220 = 2780, shown as `0x0adc`), unless the
 * map says otherwise.
 *
 * @module
 */

/** A node ID: an integer 1..65535 (0 means "no node / home"). */
export type NodeId = number;

/** Highest valid node ID. */
export const MAX_NODE_ID = 0xffff;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True when `s` is a dotted-quad IPv4 address with every octet 0..255. */
export function isIPv4(s: string): boolean {
  const m = IPV4.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** Parse a dotted-quad IPv4 address to an unsigned 32-bit integer. */
export function parseIPv4(s: string): number {
  const m = IPV4.exec(s);
  if (m === null) throw new RangeError(`not an IPv4 address: ${s}`);
  let n = 0;
  for (const o of m.slice(1)) {
    const v = Number(o);
    if (v > 255) throw new RangeError(`not an IPv4 address: ${s}`);
    n = n * 256 + v;
  }
  return n;
}

/** Format an unsigned 32-bit integer as a dotted-quad IPv4 address. */
export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** The node ID an address gets by default: its last two octets. */
export function nodeIdFromIPv4(ip: string): NodeId {
  return parseIPv4(ip) & 0xffff;
}

/** Format a node ID the openMosix way: `0x` and four hex digits. */
export function formatNodeId(id: NodeId): string {
  return "0x" + id.toString(16).padStart(4, "0");
}

/**
 * Parse a node ID written as decimal (`2780`) or hex (`0x0adc`).
 * Throws RangeError on anything else or outside 1..65535.
 */
export function parseNodeId(s: string): NodeId {
  const t = s.trim();
  let v: number;
  if (/^0x[0-9a-f]{1,4}$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^\d{1,5}$/.test(t)) v = Number(t);
  else throw new RangeError(`not a node ID: ${s}`);
  if (v < 1 || v > MAX_NODE_ID) {
    throw new RangeError(`node ID out of range 1..65535: ${s}`);
  }
  return v;
}

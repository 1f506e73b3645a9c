/**
 * Addresses of direct communication: a process is named by its home node
 * and its PID there, wherever it runs ("Open-MPI over MOSIX":
 * transparency), and the devices a program opens under /dev/mosix.
 *
 * @module
 */

import { isIPv4, MAX_NODE_ID, nodeIdFromIPv4 } from "../ids.ts";

/** A cluster process: its home node ID and its PID there. */
export interface DicomAddr {
  /** Home node ID (1..65535; 0 for a process with no cluster). */
  home: number;
  /** PID at home (mosrun's PID). */
  pid: number;
}

/** Map key of an address. */
export function addrKey(a: DicomAddr): string {
  return `${a.home}:${a.pid}`;
}

/** True when both name the same process. */
export function sameAddr(a: DicomAddr, b: DicomAddr): boolean {
  return a.home === b.home && a.pid === b.pid;
}

/** An address as a pair, for compact encodings. */
export function addrPair(a: DicomAddr): [number, number] {
  return [a.home, a.pid];
}

/** An untrusted pair back to an address, or null when malformed. */
export function pairAddr(x: unknown): DicomAddr | null {
  if (!Array.isArray(x) || x.length !== 2) return null;
  const [home, pid] = x;
  if (!Number.isInteger(home) || home < 0 || home > MAX_NODE_ID) return null;
  if (!Number.isInteger(pid) || pid <= 0 || pid > 0x7fffffff) return null;
  return { home, pid };
}

/** The one line the `self` and `from` devices give: "HOME PID\n". */
export function formatAddrLine(a: DicomAddr): string {
  return `${a.home} ${a.pid}\n`;
}

/**
 * A device under /dev/mosix:
 * - `mbox`: read one message per read;
 * - `to/NODE/PID`: write one message per write to that process;
 * - `self`: read "HOME PID\n", this process's address;
 * - `from`: read the address of the sender of the last message read.
 */
export type Device =
  | { kind: "mbox" }
  | { kind: "self" }
  | { kind: "from" }
  | { kind: "to"; to: DicomAddr };

/** The directory of the devices, as a program names it. */
export const DEVICE_DIR = "/dev/mosix/";

/** The canonical name of a device (what device fds record). */
export function deviceName(d: Device): string {
  return d.kind === "to" ? `to/${d.to.home}/${d.to.pid}` : d.kind;
}

/**
 * Parse a device name relative to /dev/mosix/ ("mbox", "to/2780/4012",
 * "to/192.168.10.220/4012"); null when it names no device. A node given as
 * an IPv4 address is the node ID that address gets by default (its last
 * two octets).
 */
export function parseDevice(name: string): Device | null {
  const parts = name.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 1) {
    const k = parts[0];
    if (k === "mbox" || k === "self" || k === "from") return { kind: k };
    return null;
  }
  if (parts.length !== 3 || parts[0] !== "to") return null;
  const [, node, pidText] = parts;
  let home: number;
  if (isIPv4(node)) home = nodeIdFromIPv4(node);
  else if (/^\d{1,5}$/.test(node)) home = Number(node);
  else if (/^0x[0-9a-f]{1,4}$/i.test(node)) home = parseInt(node.slice(2), 16);
  else return null;
  if (home < 1 || home > MAX_NODE_ID) return null;
  if (!/^\d{1,10}$/.test(pidText)) return null;
  const pid = Number(pidText);
  if (pid <= 0 || pid > 0x7fffffff) return null;
  return { kind: "to", to: { home, pid } };
}

/**
 * The device a path names, given the guest path of the directory it is
 * relative to (a path_open): null when it is not under /dev/mosix, else
 * the device or "none" for a path there that names no device.
 */
export function deviceAt(
  dirGuestPath: string,
  path: string,
): Device | null | "none" {
  if (path.startsWith("/")) return null; // WASI paths are relative
  const stack: string[] = [];
  for (const p of `${dirGuestPath}/${path}`.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") stack.pop();
    else stack.push(p);
  }
  if (!dirGuestPath.startsWith("/")) return null;
  if (stack.length < 3 || stack[0] !== "dev" || stack[1] !== "mosix") {
    return null;
  }
  return parseDevice(stack.slice(2).join("/")) ?? "none";
}

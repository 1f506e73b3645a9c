/**
 * Which IPv4 address a node uses: `--addr`, `-i IFACE|ADDR`, the map line
 * matching a local interface, or the first non-loopback interface.
 *
 * @module
 */

import { isIPv4 } from "../core/ids.ts";
import { CliError } from "../core/cli_util.ts";

/** An interface address as Deno.networkInterfaces() reports it. */
export interface IfaceAddr {
  /** Interface name. */
  name: string;
  /** Address family. */
  family: "IPv4" | "IPv6";
  /** The address. */
  address: string;
}

/** Choose the node's address; pure, interfaces injected. */
export function chooseAddress(opts: {
  addr?: string;
  iface?: string;
  mapIps?: string[];
  interfaces: IfaceAddr[];
}): string {
  const v4 = opts.interfaces.filter((i) => i.family === "IPv4");
  if (opts.addr !== undefined) {
    if (!isIPv4(opts.addr)) {
      throw new CliError(`--addr needs an IPv4 address, got '${opts.addr}'`);
    }
    return opts.addr;
  }
  if (opts.iface !== undefined) {
    if (isIPv4(opts.iface)) return opts.iface;
    const hit = v4.find((i) => i.name === opts.iface);
    if (!hit) {
      throw new CliError(
        `interface '${opts.iface}' has no IPv4 address (see 'ip -4 addr')`,
      );
    }
    return hit.address;
  }
  const local = new Set(v4.map((i) => i.address));
  const inMap = (opts.mapIps ?? []).filter((ip) => local.has(ip));
  if (inMap.length >= 1) return inMap[0];
  const outside = v4.find((i) => !i.address.startsWith("127."));
  if (outside) return outside.address;
  return "127.0.0.1";
}

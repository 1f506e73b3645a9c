/**
 * Real UDP for a node: one socket for unicast gossip and, when discovery is
 * on, the multicast group (joined on the node's own interface address with
 * TTL 1, so announcements stay on the local link).
 *
 * @module
 */

import type { DatagramTransport, PeerAddr } from "../core/transport.ts";
import { MAX_DATAGRAM } from "../core/wire.ts";

/** How to open the socket. */
export interface UdpOptions {
  /** The node's unicast address. */
  addr: string;
  /** UDP port. */
  port: number;
  /** Multicast group, or null for unicast only. */
  group: string | null;
  /** Called when a send fails (unreachable peer and the like). */
  onSendError?: (e: Error, to: PeerAddr | "multicast") => void;
}

/** Open the node's UDP socket. */
export async function openUdp(opts: UdpOptions): Promise<DatagramTransport> {
  // Multicast arrives only on a socket bound to the wildcard address.
  const conn = Deno.listenDatagram({
    transport: "udp",
    hostname: opts.group ? "0.0.0.0" : opts.addr,
    port: opts.port,
    reuseAddress: opts.group !== null,
    loopback: false,
  });
  if (opts.group) {
    const m = await conn.joinMulticastV4(opts.group, opts.addr);
    await m.setTTL(1);
    await m.setLoopback(false);
  }
  let closed = false;
  const send = async (bytes: Uint8Array, to: PeerAddr | "multicast") => {
    if (closed) return;
    const dest = to === "multicast"
      ? { transport: "udp" as const, hostname: opts.group!, port: opts.port }
      : { transport: "udp" as const, hostname: to.addr, port: to.port };
    try {
      await conn.send(bytes, dest);
    } catch (e) {
      opts.onSendError?.(e as Error, to);
    }
  };
  return {
    send: (bytes, to) => send(bytes, to),
    sendMulticast: (bytes) =>
      opts.group ? send(bytes, "multicast") : Promise.resolve(),
    receive: async function* () {
      const buf = new Uint8Array(MAX_DATAGRAM + 1);
      while (!closed) {
        let got: [Uint8Array, Deno.Addr];
        try {
          got = await conn.receive(buf);
        } catch {
          if (closed) return;
          continue; // e.g. ICMP port unreachable reported on the socket
        }
        const [data, from] = got;
        const na = from as Deno.NetAddr;
        yield [data.slice(), { addr: na.hostname, port: na.port }];
      }
    },
    close: () => {
      closed = true;
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
  };
}

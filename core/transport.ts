/**
 * The datagram transport a node's protocol runs over: real UDP in omdiscd
 * (daemon/udp_transport.ts), in memory in tests (core/memory_transport.ts).
 *
 * @module
 */

/** A unicast destination. */
export interface PeerAddr {
  /** IPv4 address. */
  addr: string;
  /** UDP port. */
  port: number;
}

/** Sends and receives datagrams. */
export interface DatagramTransport {
  /** Send to one peer; failures are reported, never thrown. */
  send(bytes: Uint8Array, to: PeerAddr): Promise<void>;
  /** Send to the multicast group (no-op when multicast is off). */
  sendMulticast(bytes: Uint8Array): Promise<void>;
  /** Received datagrams with their source address, until closed. */
  receive(): AsyncIterable<[Uint8Array, PeerAddr]>;
  /** Stop sending and receiving. */
  close(): void;
}

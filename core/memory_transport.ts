/**
 * An in-memory datagram network for tests and simulations: nodes attach by
 * address, datagrams are delivered asynchronously, and links can be cut to
 * model partitions and crashes.
 *
 * @module
 */

import type { DatagramTransport, PeerAddr } from "./transport.ts";

/** A shared in-memory network. */
export class MemoryNetwork {
  #inboxes = new Map<string, (d: [Uint8Array, PeerAddr]) => void>();
  #cut = new Set<string>();
  /** Datagrams delivered so far. */
  delivered = 0;
  /** Datagrams dropped (no receiver or cut). */
  dropped = 0;

  /** Attach a node at `addr:port`. */
  attach(addr: string, port: number): DatagramTransport {
    const self = `${addr}:${port}`;
    const queue: [Uint8Array, PeerAddr][] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    this.#inboxes.set(self, (d) => {
      queue.push(d);
      wake?.();
    });
    const deliver = (bytes: Uint8Array, key: string) => {
      const inbox = this.#inboxes.get(key);
      if (
        !inbox || closed || this.#cut.has(addr) ||
        this.#cut.has(key.split(":")[0])
      ) {
        this.dropped++;
        return;
      }
      this.delivered++;
      inbox([bytes.slice(), { addr, port }]);
    };
    return {
      send: (bytes, to) => {
        deliver(bytes, `${to.addr}:${to.port}`);
        return Promise.resolve();
      },
      sendMulticast: (bytes) => {
        for (const key of this.#inboxes.keys()) {
          if (key !== self) deliver(bytes, key);
        }
        return Promise.resolve();
      },
      receive: async function* () {
        while (!closed) {
          if (queue.length === 0) {
            await new Promise<void>((r) => wake = r);
            wake = null;
            continue;
          }
          yield queue.shift()!;
        }
      },
      close: () => {
        closed = true;
        this.#inboxes.delete(self);
        wake?.();
      },
    };
  }

  /** Cut (true) or restore (false) every datagram to and from `addr`. */
  setCut(addr: string, cut: boolean): void {
    if (cut) this.#cut.add(addr);
    else this.#cut.delete(addr);
  }
}

/**
 * The node's TCP link listener: authenticates every accepted connection
 * (core/link/frame_conn.ts), then hands it to the service named by the
 * prefix of its first message type ("guest.", "batch.", ...). Services own
 * their connections until they return; the link is closed afterwards.
 *
 * @module
 */

import { FrameConn, type LinkMessage } from "../core/link/frame_conn.ts";
import type { Logger } from "./log.ts";

/**
 * Serves one authenticated connection whose first message was `first`
 * (already taken from the connection). Resolves when done with it.
 */
export type LinkService = (fc: FrameConn, first: LinkMessage) => Promise<void>;

/** How long a connection may stay silent before its first message, ms. */
const FIRST_MESSAGE_MS = 30_000;

/** Accepts link connections and routes them to services by message prefix. */
export class LinkServer {
  #key: Uint8Array;
  #self: () => number;
  #log: Logger;
  #services = new Map<string, LinkService>();
  #fallback: LinkService | null = null;

  /** Make a server keyed with the cluster's link key. */
  constructor(key: Uint8Array, self: () => number, log: Logger) {
    this.#key = key;
    this.#self = self;
    this.#log = log;
  }

  /**
   * Route connections whose first message type starts with `prefix` (for
   * example "batch.") to `service`; with prefix "" it takes the rest.
   */
  route(prefix: string, service: LinkService): this {
    if (prefix === "") this.#fallback = service;
    else this.#services.set(prefix, service);
    return this;
  }

  /** Accept connections from `listener` until it closes. */
  async acceptAll(listener: Deno.Listener): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch {
        return; // closed
      }
      this.serve(conn);
    }
  }

  /** Authenticate one connection and hand it to its service. */
  async serve(conn: Deno.Conn): Promise<void> {
    let fc: FrameConn;
    try {
      fc = await FrameConn.accept(conn, this.#key, this.#self());
    } catch (e) {
      this.#log.warn(`link refused: ${(e as Error).message}`);
      return;
    }
    try {
      const first = await firstMessage(fc);
      if (first === null) return;
      const service = this.#serviceFor(first.type);
      if (service === null) {
        await fc.reply(first, false, `unknown request '${first.type}'`);
        return;
      }
      await service(fc, first);
    } catch (e) {
      this.#log.warn(
        `link from node ${fc.peer} failed: ${(e as Error).message}`,
      );
    } finally {
      fc.close();
    }
  }

  #serviceFor(type: string): LinkService | null {
    for (const [prefix, s] of this.#services) {
      if (type.startsWith(prefix)) return s;
    }
    return this.#fallback;
  }
}

/** The first message, or null if the peer closed or stayed silent. */
async function firstMessage(fc: FrameConn): Promise<LinkMessage | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silent = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), FIRST_MESSAGE_MS);
  });
  try {
    return await Promise.race([fc.next(), silent]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Direct communication in omdiscd: the node's router (core/dicom/router.ts)
 * wired to links. Other nodes' routers and this node's home processes
 * reach it on the node's link port with "dicom." messages:
 *
 * - `dicom.msg` {msg}: deliver to a process running here (a guest, or a
 *   home process at home, relayed to its mosrun); the reply is a
 *   DeliverReply, sent when the mailbox took it (back-pressure);
 * - `dicom.batch` {msgs}: several messages of one channel, in order; the
 *   reply is {results: DeliverReply[]};
 * - `dicom.locate` {pid}: where does this home node's process run;
 * - `dicom.attach` {pid, where} from a local mosrun, then on that link
 *   `dicom.send` {msg} (route this message; reply: RouteResult),
 *   `dicom.sendmany` {msgs} (several of one channel; reply {results}),
 *   `dicom.where` {where} (its messages go there now), and `dicom.msg`
 *   from the router to it.
 *
 * Links to other nodes are kept open and reused, one per node.
 *
 * @module
 */

import { addrKey, type DicomAddr } from "../core/dicom/address.ts";
import {
  type Forward,
  type GuestDicom,
  GuestSession,
} from "../core/dicom/guest_session.ts";
import {
  DEFAULT_LIMITS,
  deliverReplyFrom,
  type DicomLimits,
  type DicomMessage,
  messageFromWire,
  messageToWire,
} from "../core/dicom/message.ts";
import { DicomRouter, type Sink } from "../core/dicom/router.ts";
import { messagePool, POOL_MIN_BYTES } from "../core/dicom/buffer_pool.ts";
import { decodeDicomState } from "../core/dicom/state.ts";
import { FrameConn, type LinkMessage } from "../core/link/frame_conn.ts";
import type { Logger } from "./log.ts";
import { trace } from "../core/dicom/trace.ts";

/** What the service needs from its daemon. */
export interface DicomServiceOptions {
  /** This node's ID. */
  self: () => number;
  /** Link key (cluster secret). */
  key: Uint8Array;
  /** A peer's link address. */
  peerAddress: (id: number) => { addr: string; port: number } | undefined;
  /** Gossip: the guests each node lists, as home, pid pairs flattened. */
  hosted: () => { node: number; guests: number[] }[];
  log: Logger;
  limits?: DicomLimits;
}

/** Guests listed in this node's gossip entry at most. */
export const GOSSIP_GUESTS = 64;
/** How long a message may wait at its receiver for room, ms (a day). */
const HOLD_MS = 24 * 3600 * 1000;
/** Gossip hints are re-read at most this often, ms. */
const HINTS_EVERY_MS = 250;

/** The daemon's direct-communication service. */
export class DicomService implements GuestDicom {
  /** The node's router. */
  readonly router: DicomRouter;
  #o: DicomServiceOptions;
  #limits: DicomLimits;
  #links = new Map<number, Promise<FrameConn>>();
  #open = new Set<FrameConn>();
  #hints = new Map<string, number>();
  #hintsAt = -Infinity;
  #closed = false;

  /** A service for a daemon. */
  constructor(o: DicomServiceOptions) {
    this.#o = o;
    this.#limits = o.limits ?? DEFAULT_LIMITS;
    this.router = new DicomRouter({
      self: o.self,
      request: (node, type, body) => this.#request(node, type, body),
      gossipHint: (a) => this.#hint(a),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: () => Date.now(),
    });
  }

  /** This node's guests for its gossip entry (home, pid pairs flattened). */
  gossipGuests(): number[] {
    return this.router.guests().slice(0, GOSSIP_GUESTS)
      .flatMap((a) => [a.home, a.pid]);
  }

  #hint(a: DicomAddr): number | undefined {
    const now = Date.now();
    if (now - this.#hintsAt > HINTS_EVERY_MS) {
      this.#hintsAt = now;
      this.#hints.clear();
      for (const h of this.#o.hosted()) {
        for (let i = 0; i + 1 < h.guests.length; i += 2) {
          this.#hints.set(`${h.guests[i]}:${h.guests[i + 1]}`, h.node);
        }
      }
    }
    return this.#hints.get(addrKey(a));
  }

  /** See {@linkcode GuestDicom.arrive}. */
  arrive(
    addr: DicomAddr,
    extra: Uint8Array | undefined,
    forward: Forward,
  ): GuestSession | null {
    if (!extra) return null;
    const state = decodeDicomState(extra);
    if (state.home) return null;
    let sink: Sink | null = null;
    const session = new GuestSession(
      addr,
      state,
      {
        route: (m) => this.router.route(m),
        routeMany: (ms) => this.router.routeMany(ms),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        random: Math.random,
        limits: this.#limits,
      },
      forward,
      () => {
        if (sink) this.router.unregisterGuest(addr, sink);
      },
    );
    sink = session.endpoint;
    this.router.registerGuest(addr, sink);
    return session;
  }

  async #request(
    node: number,
    type: string,
    body: Record<string, unknown>,
  ): Promise<unknown> {
    const fc = await this.#link(node);
    if (type !== "dicom.msg") return fc.request(type, body, 10_000);
    // A large message's bytes follow the frame, to land in a pooled buffer.
    const msg = body.msg as Record<string, unknown>;
    const data = msg.data as Uint8Array;
    if (data.length < POOL_MIN_BYTES) return fc.request(type, body, HOLD_MS);
    const { data: _, ...head } = msg;
    return fc.request(type, { ...body, msg: head }, HOLD_MS, data);
  }

  #link(node: number): Promise<FrameConn> {
    let p = this.#links.get(node);
    if (p) return p;
    const at = this.#o.peerAddress(node);
    if (!at) {
      return Promise.reject(new Error(`node ${node} is not known here`));
    }
    p = FrameConn.connect(at.addr, at.port, this.#o.key, this.#o.self());
    this.#links.set(node, p);
    p.then(async (fc) => {
      this.#open.add(fc);
      // Nothing but replies comes back on our own links: watch for the end.
      while (await fc.next() !== null) { /* ignore */ }
      this.#open.delete(fc);
      if (this.#links.get(node) === p) this.#links.delete(node);
    }, () => {
      if (this.#links.get(node) === p) this.#links.delete(node);
    });
    return p;
  }

  /** Serve a link whose first message is a "dicom." one (daemon/link_server.ts). */
  async serve(fc: FrameConn, first: LinkMessage): Promise<void> {
    if (this.#closed) return;
    this.#open.add(fc);
    // Large messages are read straight into reusable buffers.
    fc.bulkSink = (type, body) => {
      const n = (body as { bulk: number }).bulk;
      return type === "dicom.msg" && n >= POOL_MIN_BYTES &&
          n <= this.#limits.maxMessage
        ? messagePool.take(n)
        : undefined;
    };
    try {
      if (first.type === "dicom.attach") await this.#serveAttached(fc, first);
      else {
        for (let m: LinkMessage | null = first; m; m = await fc.next()) {
          this.#onPeer(fc, m);
        }
      }
    } finally {
      this.#open.delete(fc);
    }
  }

  /** One request from another node's router, answered without holding up the next. */
  async #onPeer(fc: FrameConn, m: LinkMessage): Promise<void> {
    trace("svc.recv");
    try {
      if (m.type === "dicom.msg") {
        const b = m.body as { msg?: unknown; bulk?: unknown };
        const msg = messageFromWire(
          b?.bulk instanceof Uint8Array && typeof b.msg === "object"
            ? { ...b.msg, data: b.bulk }
            : b?.msg,
          this.#limits.maxMessage,
        );
        if (!msg) throw new Error("malformed message");
        // Entered at once, in link order: each sender's order holds.
        const r = await this.router.deliverHere(msg);
        // Not taken in: its buffer may serve the next message.
        if (r.r !== "ok") messagePool.give(msg.data);
        trace("svc.delivered");
        await fc.reply(m, true, r);
        trace("svc.replied");
      } else if (m.type === "dicom.batch") {
        const msgs = this.#messages(m);
        if (!msgs) throw new Error("malformed batch");
        // Entered at once, in order; answered when all were taken.
        const rs = msgs.map((x) => this.router.deliverHere(x));
        await fc.reply(m, true, { results: await Promise.all(rs) });
      } else if (m.type === "dicom.locate") {
        const pid = Number((m.body as { pid?: unknown })?.pid);
        await fc.reply(m, true, this.router.locate(pid));
      } else throw new Error(`unknown request '${m.type}'`);
    } catch (e) {
      await fc.reply(m, false, (e as Error).message).catch(() => {});
    }
  }

  /** The messages of a batch body, or null when any is malformed. */
  #messages(m: LinkMessage): DicomMessage[] | null {
    const list = (m.body as { msgs?: unknown })?.msgs;
    if (!Array.isArray(list) || list.length === 0 || list.length > 4096) {
      return null;
    }
    const out: DicomMessage[] = [];
    for (const x of list) {
      const msg = messageFromWire(x, this.#limits.maxMessage);
      if (!msg) return null;
      out.push(msg);
    }
    return out;
  }

  /** A home process's link (its mosrun on this node). */
  async #serveAttached(fc: FrameConn, first: LinkMessage): Promise<void> {
    const b = first.body as { pid?: unknown; where?: unknown };
    const pid = Number(b?.pid);
    if (!Number.isInteger(pid) || pid <= 0 || fc.peer !== this.#o.self()) {
      await fc.reply(first, false, "bad attach");
      return;
    }
    const self: DicomAddr = { home: this.#o.self(), pid };
    const sink: Sink = {
      deliver: async (msg: DicomMessage) => {
        try {
          return deliverReplyFrom(
            await fc.request("dicom.msg", { msg: messageToWire(msg) }, HOLD_MS),
          );
        } catch {
          // Its mosrun went away meanwhile: ask again (it says gone).
          return { r: "moved" };
        }
      },
    };
    this.router.attachHome(pid, sink);
    this.#where(pid, b.where);
    await fc.reply(first, true, {});
    try {
      for (let m = await fc.next(); m !== null; m = await fc.next()) {
        if (m.type === "dicom.where") {
          this.#where(pid, (m.body as { where?: unknown })?.where);
        } else if (m.type === "dicom.send") {
          this.#send(fc, m, self);
        } else if (m.type === "dicom.sendmany") {
          this.#sendMany(fc, m, self);
        } else {
          fc.reply(m, false, `unknown request '${m.type}'`).catch(() => {});
        }
      }
    } finally {
      this.router.detachHome(pid, sink);
    }
  }

  #where(pid: number, w: unknown): void {
    if (w === "moving") this.router.setWhere(pid, "moving");
    else if (Number.isInteger(w) && (w as number) > 0) {
      this.router.setWhere(pid, w as number);
    }
  }

  async #send(fc: FrameConn, m: LinkMessage, self: DicomAddr): Promise<void> {
    const msg = messageFromWire(
      (m.body as { msg?: unknown })?.msg,
      this.#limits.maxMessage,
    );
    // A process sends only as itself.
    if (!msg || msg.from.home !== self.home || msg.from.pid !== self.pid) {
      await fc.reply(m, false, "malformed message").catch(() => {});
      return;
    }
    const r = await this.router.route(msg);
    await fc.reply(m, true, r).catch(() => {});
  }

  async #sendMany(
    fc: FrameConn,
    m: LinkMessage,
    self: DicomAddr,
  ): Promise<void> {
    const msgs = this.#messages(m);
    if (
      !msgs ||
      msgs.some((x) => x.from.home !== self.home || x.from.pid !== self.pid)
    ) {
      await fc.reply(m, false, "malformed batch").catch(() => {});
      return;
    }
    const rs = await this.router.routeMany(msgs);
    await fc.reply(m, true, { results: rs }).catch(() => {});
  }

  /** Close every link. */
  close(): void {
    this.#closed = true;
    for (const fc of this.#open) fc.close();
    for (const p of this.#links.values()) p.then((fc) => fc.close(), () => {});
    this.#links.clear();
  }
}

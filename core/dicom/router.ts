/**
 * A node's router for direct communication (one per omdiscd): it delivers
 * messages to the processes running here — guests in this daemon, and
 * home processes running at home in their mosrun — and carries messages
 * of local senders straight to the node where the receiver runs now.
 *
 * Locating ("Open-MPI over MOSIX"): the node last seen to host a process
 * (location cache), else what gossip says (each node lists its guests),
 * else the process's home node, which always knows: it delivers, or says
 * where the process went, that it is moving now, or that there is no such
 * process. A node that no longer hosts the process answers "moved" and the
 * message is routed again; messages are never dropped on the way, and the
 * receiver's sequence check (mailbox.ts) keeps each sender's order.
 *
 * Pure apart from the injected requests, clock and sleep.
 *
 * @module
 */

import { addrKey, type DicomAddr } from "./address.ts";
import { LocationCache } from "./location_cache.ts";
import { trace } from "./trace.ts";
import {
  type DeliverReply,
  deliverReplyFrom,
  type DicomMessage,
  messageToWire,
  type RouteResult,
} from "./message.ts";

/** Where a process running here takes its messages. */
export interface Sink {
  /** Offer a message (a guest's endpoint, or a relay to a mosrun). */
  deliver(m: DicomMessage): DeliverReply | Promise<DeliverReply>;
}

/** What a home node answers about one of its processes. */
export type LocateReply =
  | { node: number }
  | { moving: true }
  | { gone: true };

/** What a router needs from its daemon. */
export interface RouterDeps {
  /** This node's ID. */
  self(): number;
  /** A request to node `node`'s router (rejects when the link fails). */
  request(
    node: number,
    type: "dicom.msg" | "dicom.batch" | "dicom.locate",
    body: Record<string, unknown>,
  ): Promise<unknown>;
  /** The node gossip says hosts `a`, if any. */
  gossipHint(a: DicomAddr): number | undefined;
  /** Wait `ms`. */
  sleep(ms: number): Promise<void>;
  /** Clock, ms. */
  now(): number;
}

/** How long one message may search for its receiver, ms. */
export const ROUTE_DEADLINE_MS = 60_000;
/** Messages at least this large are located first rather than sent to the home on a guess. */
export const LOCATE_FIRST_BYTES = 64 * 1024;

interface HomeEntry {
  sink: Sink;
  /** Node whose router delivers to it (this node while at home), or moving. */
  where: number | "moving";
}

/** What a router did (mosctl status --json shows it). */
export interface RouterStats {
  /** Messages of senders here carried to their receivers. */
  routed: number;
  /** Messages taken by processes running here (guests and home processes). */
  delivered: number;
  /** Of those, messages to home processes, relayed to their mosrun. */
  relayed: number;
  /** Messages refused with "moved" (the receiver was not here). */
  moved: number;
  /** Where-is questions answered as a home node. */
  located: number;
}

/** One node's router. */
export class DicomRouter {
  /** Counters. */
  readonly stats: RouterStats = {
    routed: 0,
    delivered: 0,
    relayed: 0,
    moved: 0,
    located: 0,
  };
  #deps: RouterDeps;
  #guests = new Map<string, Sink>();
  #homes = new Map<number, HomeEntry>();
  #cache = new LocationCache();

  /** A router using `deps`. */
  constructor(deps: RouterDeps) {
    this.#deps = deps;
  }

  /** A guest process's endpoint arrived here. */
  registerGuest(a: DicomAddr, sink: Sink): void {
    this.#guests.set(addrKey(a), sink);
  }

  /** It left (or ended); only if `sink` is still the registered one. */
  unregisterGuest(a: DicomAddr, sink: Sink): void {
    const k = addrKey(a);
    if (this.#guests.get(k) === sink) this.#guests.delete(k);
  }

  /** Guests with an endpoint here (what gossip lists). */
  guests(): DicomAddr[] {
    return [...this.#guests.keys()].map((k) => {
      const [home, pid] = k.split(":").map(Number);
      return { home, pid };
    });
  }

  /** A home process (its mosrun) attached; it starts at home. */
  attachHome(pid: number, sink: Sink): void {
    this.#homes.set(pid, { sink, where: this.#deps.self() });
  }

  /** Where a home process's messages go now (a node ID, or moving). */
  setWhere(pid: number, where: number | "moving"): void {
    const h = this.#homes.get(pid);
    if (h) h.where = where;
  }

  /** A home process ended (its mosrun detached). */
  detachHome(pid: number, sink: Sink): void {
    if (this.#homes.get(pid)?.sink === sink) this.#homes.delete(pid);
  }

  /** The home's answer about its process `pid`. */
  locate(pid: number): LocateReply {
    this.stats.located++;
    const self = this.#deps.self();
    if (this.#guests.has(addrKey({ home: self, pid }))) return { node: self };
    const h = this.#homes.get(pid);
    if (!h) return { gone: true };
    return h.where === "moving" ? { moving: true } : { node: h.where };
  }

  /** Deliver to a process running here, or say where it is. */
  deliverHere(m: DicomMessage): DeliverReply | Promise<DeliverReply> {
    const r = this.#deliverHere(m);
    if (r instanceof Promise) return r.then((x) => this.#count(x, m));
    return this.#count(r, m);
  }

  #count(r: DeliverReply, m: DicomMessage): DeliverReply {
    if (r.r === "ok") {
      this.stats.delivered++;
      if (m.to.home === this.#deps.self() && !this.#guests.has(addrKey(m.to))) {
        this.stats.relayed++;
      }
    } else if (r.r === "moved") this.stats.moved++;
    return r;
  }

  #deliverHere(m: DicomMessage): DeliverReply | Promise<DeliverReply> {
    const g = this.#guests.get(addrKey(m.to));
    if (g) return g.deliver(m);
    const self = this.#deps.self();
    if (m.to.home !== self) return { r: "moved" };
    const h = this.#homes.get(m.to.pid);
    if (!h) return { r: "gone" };
    if (h.where === "moving") return { r: "moved", moving: true };
    if (h.where === self) return h.sink.deliver(m);
    return { r: "moved", node: h.where };
  }

  /** Carry a local sender's message to its receiver's host. */
  route(m: DicomMessage): Promise<RouteResult> {
    this.stats.routed++;
    return this.#route(m);
  }

  /**
   * Carry several messages of one channel, in order, in one frame to the
   * receiver's node when it is known; from the first that did not reach it
   * ("moved", a lost link), the rest go one by one, finding it again.
   */
  async routeMany(ms: DicomMessage[]): Promise<RouteResult[]> {
    this.stats.routed += ms.length;
    if (ms.length === 0) return [];
    const key = addrKey(ms[0].to);
    const self = this.#deps.self();
    const target = this.#guests.has(key) ? self : this.#cache.get(key);
    if (target === undefined) {
      // Not known here yet: the first message finds it, the rest follow.
      const first = await this.#route(ms[0]);
      if (first.r !== "ok" || ms.length === 1) {
        return [first, ...ms.slice(1).map(() => first)];
      }
      return [first, ...await this.#batch(ms.slice(1), key)];
    }
    return this.#batch(ms, key);
  }

  async #batch(ms: DicomMessage[], key: string): Promise<RouteResult[]> {
    const self = this.#deps.self();
    const target = this.#guests.has(key) ? self : this.#cache.get(key);
    let replies: DeliverReply[] = [];
    if (target === self) {
      // Entered in order at once: the mailbox keeps their order.
      replies = await Promise.all(ms.map((m) => this.deliverHere(m)));
    } else if (target !== undefined) {
      try {
        replies = batchRepliesFrom(
          await this.#deps.request(target, "dicom.batch", {
            msgs: ms.map(messageToWire),
          }),
          ms.length,
        );
      } catch {
        replies = [];
      }
    }
    const out: RouteResult[] = [];
    for (let i = 0; i < ms.length; i++) {
      const r = replies[i];
      if (r?.r === "ok" || r?.r === "dup") {
        out.push(target === self ? { r: "ok", local: true } : { r: "ok" });
      } else if (r?.r === "gap" || r?.r === "gone") out.push(r);
      else {
        if (target !== undefined) this.#cache.forget(key, target);
        for (let j = i; j < ms.length; j++) out.push(await this.#route(ms[j]));
        break;
      }
    }
    return out;
  }

  async #route(m: DicomMessage): Promise<RouteResult> {
    const key = addrKey(m.to);
    const home = m.to.home;
    const self = this.#deps.self();
    const deadline = this.#deps.now() + ROUTE_DEADLINE_MS;
    const refused = new Set<number>();
    let redirects = 0;
    let backoff = 1;
    const pause = async () => {
      await this.#deps.sleep(backoff);
      backoff = Math.min(backoff * 2, 100);
    };
    for (;;) {
      if (this.#deps.now() > deadline) {
        return {
          r: "unreachable",
          why: `process ${key} could not be reached (still moving?)`,
        };
      }
      let target: number | undefined;
      if (this.#guests.has(key)) target = self;
      else {
        target = this.#cache.get(key);
        if (target !== undefined && refused.has(target)) target = undefined;
        if (target === undefined) {
          const g = this.#deps.gossipHint(m.to);
          if (g !== undefined && !refused.has(g)) target = g;
        }
      }
      if (
        target === undefined && home !== self &&
        m.data.length >= LOCATE_FIRST_BYTES
      ) {
        // Ask where first rather than carry a large message to the home.
        let where: LocateReply;
        try {
          where = locateReplyFrom(
            await this.#deps.request(home, "dicom.locate", { pid: m.to.pid }),
          );
        } catch {
          await pause();
          continue;
        }
        if ("gone" in where) return { r: "gone" };
        if ("moving" in where) {
          await pause();
          continue;
        }
        target = where.node;
        refused.delete(target);
      }
      target ??= home;
      let reply: DeliverReply;
      if (target === self) reply = await this.deliverHere(m);
      else {
        try {
          trace("rt.req");
          reply = deliverReplyFrom(
            await this.#deps.request(target, "dicom.msg", {
              msg: messageToWire(m),
            }),
          );
        } catch {
          // The link to that node failed: it may be gone, ask again.
          this.#cache.forget(key, target);
          if (target !== home) refused.add(target);
          await pause();
          continue;
        }
      }
      switch (reply.r) {
        case "ok":
        case "dup":
          if (target !== self || !this.#guests.has(key)) {
            this.#cache.set(key, target);
          }
          return target === self ? { r: "ok", local: true } : { r: "ok" };
        case "gap":
          return reply;
        case "gone":
          this.#cache.forget(key);
          return reply;
        case "moved":
          this.#cache.forget(key, target);
          if (redirects++ > 0 || reply.moving) await pause();
          if (reply.node !== undefined && reply.node !== target) {
            this.#cache.set(key, reply.node);
            refused.delete(reply.node);
          } else if (target !== home) refused.add(target);
          break;
      }
    }
  }
}

/** The replies of a "dicom.batch", or none when malformed (all go again). */
export function batchRepliesFrom(x: unknown, n: number): DeliverReply[] {
  const rs = (x as { results?: unknown })?.results;
  if (!Array.isArray(rs) || rs.length !== n) return [];
  return rs.map(deliverReplyFrom);
}

function locateReplyFrom(x: unknown): LocateReply {
  const o = (typeof x === "object" && x !== null ? x : {}) as Record<
    string,
    unknown
  >;
  if (o.gone === true) return { gone: true };
  if (Number.isInteger(o.node) && (o.node as number) > 0) {
    return { node: o.node as number };
  }
  return { moving: true };
}

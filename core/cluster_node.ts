/**
 * One node's membership protocol as a state machine, apart from sockets and
 * timers (the memberlist model): the daemon feeds it ticks, load samples and
 * authenticated messages, and it returns the messages to send and lines to
 * log. The same machine runs over real UDP in omdiscd and over the
 * in-memory transport in tests and simulations.
 *
 * Messages (bodies of wire envelopes):
 * - `gossip` {entries}: the bulletin board (core/gossip.ts), one per time unit;
 * - `hello` {addr, port, data}: multicast announcement with the sender's
 *   entry; a node hearing a new one
 *   answers at once with its board so newcomers learn the cluster fast;
 * - `leave` {}: a clean leave, marks the sender dead everywhere at once.
 *
 * With a static map (setpe) only map nodes take part; multicast is ignored.
 *
 * @module
 */

import { GossipBoard, type GossipEntry, type GossipEvent } from "./gossip.ts";
import { formatNodeId, isIPv4, type NodeId } from "./ids.ts";
import type { LoadSample } from "./load.ts";
import type { MapNode } from "./map.ts";
import type { NodeStatus, NodeView } from "./node_info.ts";

/** What a node gossips about itself. */
export interface GossipData {
  /** Unicast address of the node. */
  addr: string;
  /** UDP/TCP port of the node. */
  port: number;
  /** Smoothed run-queue length. */
  load: number;
  /** Relative speed, 10000 = reference. */
  speed: number;
  /** CPUs (fractional under a quota). */
  cpus: number;
  /** Total memory, bytes. */
  memTotal: number;
  /** Available memory, bytes. */
  memFree: number;
  /** Raw free memory, bytes. */
  memRaw: number;
  /** Utilization 0..1. */
  util: number;
  /** Refuses guests. */
  blocked: boolean;
  /**
   * Guests with direct communication here, as home, pid pairs flattened
   * (capped): other nodes send their messages straight here.
   */
  guests?: number[];
}

/** Where a message goes. */
export type Destination = { addr: string; port: number } | "multicast";

/** A message the daemon must send. */
export interface Outgoing {
  /** Unicast peer or the multicast group. */
  to: Destination;
  /** Message type. */
  type: "gossip" | "hello" | "leave";
  /** Message body. */
  body: unknown;
}

/** What one step of the machine produced. */
export interface Step {
  /** Messages to send. */
  out: Outgoing[];
  /** Lines for the daemon's log. */
  log: string[];
}

/** Configuration of a node's protocol. */
export interface ClusterNodeOptions {
  /** This node's ID. */
  self: NodeId;
  /** This node's unicast address. */
  addr: string;
  /** This node's port. */
  port: number;
  /** Gossip window w. */
  window: number;
  /** Seconds per time unit. */
  unit: number;
  /** Fixed dead bound in seconds; default grows with the cluster size. */
  deadAfter?: number;
  /** Random source in [0, 1). */
  random: () => number;
  /** Announce every this many time units (multicast mode). */
  announceEvery?: number;
}

/** Upper bound on entries accepted in one gossip message. */
export const MAX_ENTRIES = 4096;

/** Upper bound on the guests one node's entry lists. */
export const MAX_GOSSIP_GUESTS = 64;

function finite(x: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): boolean {
  return typeof x === "number" && Number.isFinite(x) && x >= min && x <= max;
}

/** Validate untrusted gossip data; null when malformed. */
export function validData(d: unknown): GossipData | null {
  if (typeof d !== "object" || d === null) return null;
  const o = d as Record<string, unknown>;
  if (typeof o.addr !== "string" || !isIPv4(o.addr)) return null;
  if (!Number.isInteger(o.port) || !finite(o.port, 1, 65535)) return null;
  for (const k of ["load", "speed", "cpus", "memTotal", "memFree", "memRaw"]) {
    if (!finite(o[k])) return null;
  }
  if (!finite(o.util, 0, 1) || typeof o.blocked !== "boolean") return null;
  const guests = o.guests;
  if (
    guests !== undefined &&
    (!Array.isArray(guests) || guests.length > 2 * MAX_GOSSIP_GUESTS ||
      guests.length % 2 !== 0 || !guests.every((x) => finite(x, 0, 2 ** 31)))
  ) return null;
  return {
    ...(guests ? { guests: guests as number[] } : {}),
    addr: o.addr,
    port: o.port as number,
    load: o.load as number,
    speed: o.speed as number,
    cpus: o.cpus as number,
    memTotal: o.memTotal as number,
    memFree: o.memFree as number,
    memRaw: o.memRaw as number,
    util: o.util as number,
    blocked: o.blocked,
  };
}

/** Validate an untrusted list of gossip entries; null when malformed. */
export function validEntries(body: unknown): GossipEntry<GossipData>[] | null {
  if (typeof body !== "object" || body === null) return null;
  const list = (body as { entries?: unknown }).entries;
  if (!Array.isArray(list) || list.length > MAX_ENTRIES) return null;
  const out: GossipEntry<GossipData>[] = [];
  for (const e of list) {
    if (typeof e !== "object" || e === null) return null;
    const { id, age, data } = e as Record<string, unknown>;
    if (!Number.isInteger(id) || !finite(id, 1, 0xffff)) return null;
    if (!finite(age, 0, 1e9)) return null;
    const d = validData(data);
    if (d === null) return null;
    out.push({ id: id as number, age: age as number, data: d });
  }
  return out;
}

/** The membership state machine of one node. */
export class ClusterNode {
  readonly #o: Required<Omit<ClusterNodeOptions, "deadAfter">> & {
    deadAfter?: number;
  };
  #board: GossipBoard<GossipData>;
  #own: GossipData;
  /** Known unicast addresses of peers. */
  #peers = new Map<NodeId, { addr: string; port: number }>();
  /** The static map in force, or null for multicast discovery. */
  #map: MapNode[] | null = null;
  #mapIds = new Set<NodeId>();
  #ticks = 0;
  #off = false;
  #warned = new Set<string>();

  /** Create the machine; nothing is sent until the first tick. */
  constructor(opts: ClusterNodeOptions) {
    this.#o = { announceEvery: 5, ...opts };
    this.#board = this.#newBoard();
    this.#own = {
      addr: opts.addr,
      port: opts.port,
      load: 0,
      speed: 10000,
      cpus: 1,
      memTotal: 0,
      memFree: 0,
      memRaw: 0,
      util: 0,
      blocked: false,
    };
  }

  /** A board; its dead bound grows with the cluster unless fixed. */
  #newBoard(): GossipBoard<GossipData> {
    return new GossipBoard<GossipData>({
      self: this.#o.self,
      window: this.#o.window,
      deadAge: this.#o.deadAfter === undefined
        ? undefined
        : this.#o.deadAfter / this.#o.unit,
      random: this.#o.random,
    });
  }

  /** This node's ID. */
  get self(): NodeId {
    return this.#o.self;
  }

  /** True when a static map is in force. */
  get hasMap(): boolean {
    return this.#map !== null;
  }

  /** True after {@linkcode leave}: the node is isolated. */
  get isOff(): boolean {
    return this.#off;
  }

  /** The current dead bound in seconds. */
  get deadAfterSeconds(): number {
    return this.#board.deadAge * this.#o.unit;
  }

  /** Whether this node refuses guests. */
  get blocked(): boolean {
    return this.#own.blocked;
  }

  /** Refuse or accept guests; gossiped with the next entry. */
  setBlocked(b: boolean): void {
    this.#own.blocked = b;
  }

  /**
   * Put a static map in force (null: back to multicast discovery). Nodes not
   * in the map are forgotten. Also rejoins after a leave.
   */
  setMap(nodes: MapNode[] | null): void {
    this.#map = nodes;
    this.#mapIds = new Set(nodes?.map((n) => n.id) ?? []);
    this.#off = false;
    if (nodes === null) return;
    for (const id of [...this.#peers.keys()]) {
      if (!this.#mapIds.has(id)) {
        this.#peers.delete(id);
        this.#board.removePeer(id);
      }
    }
    this.#board = this.#rebuiltBoard();
    for (const n of nodes) {
      if (n.id === this.#o.self) continue;
      this.#peers.set(n.id, { addr: n.ip, port: this.#o.port });
      this.#board.addPeer(n.id);
    }
  }

  /** Keep only entries the new map allows. */
  #rebuiltBoard(): GossipBoard<GossipData> {
    const old = this.#liveEntries().filter((e) => this.#mapIds.has(e.id));
    const b = this.#newBoard();
    for (const e of old) b.addPeer(e.id);
    b.receive(old);
    return b;
  }

  /** Entries of other nodes still up (dead ones must not come back on a rebuild). */
  #liveEntries(): GossipEntry<GossipData>[] {
    return this.#board.entries().filter((e) =>
      e.id !== this.#o.self && this.#board.status(e.id) === "up"
    );
  }

  /** Change this node's ID (setpe -p): the board starts afresh. */
  setSelf(id: NodeId): void {
    this.#o.self = id;
    const old = this.#liveEntries().filter((e) => e.id !== id);
    this.#board = this.#newBoard();
    for (const p of this.#peers.keys()) this.#board.addPeer(p);
    this.#board.receive(old);
  }

  /** The guests to list in this node's entry (home, pid pairs flattened). */
  setGuests(pairs: number[]): void {
    const g = pairs.slice(0, 2 * MAX_GOSSIP_GUESTS);
    if (g.length === 0) delete this.#own.guests;
    else this.#own.guests = g;
  }

  /** Every other node's listed guests, as gossip last told. */
  hosted(): { node: NodeId; guests: number[] }[] {
    const out: { node: NodeId; guests: number[] }[] = [];
    for (const e of this.#board.entries()) {
      if (e.id === this.#o.self || !e.data.guests?.length) continue;
      if (this.#board.status(e.id) !== "up") continue;
      out.push({ node: e.id, guests: e.data.guests });
    }
    return out;
  }

  /** Override the measured speed (mosctl setspeed / --speed). */
  setSpeed(speed: number): void {
    this.#own.speed = speed;
  }

  /** Advance one time unit with a fresh load sample. */
  tick(sample: LoadSample, dt = 1): Step {
    const step: Step = { out: [], log: [] };
    this.#own = {
      ...this.#own,
      load: sample.load,
      speed: sample.speed,
      cpus: sample.cpus,
      memTotal: sample.memTotal,
      memFree: sample.memFree,
      memRaw: sample.memRaw,
      util: sample.util,
    };
    if (this.#off) return step;
    const { message, events } = this.#board.tick(this.#own, dt);
    this.#onEvents(events, step);
    if (message) {
      const to = this.#peers.get(message.to);
      if (to) {
        step.out.push({
          to,
          type: "gossip",
          body: { entries: message.entries },
        });
      }
    }
    if (this.#map === null && this.#ticks % this.#o.announceEvery === 0) {
      step.out.push(this.hello());
    }
    this.#ticks++;
    return step;
  }

  /** The multicast announcement. */
  hello(): Outgoing {
    // The hello carries the node's entry, so everyone on the link learns (or
    // revives) it at once instead of waiting for gossip to spread it.
    return {
      to: "multicast",
      type: "hello",
      body: { addr: this.#o.addr, port: this.#o.port, data: this.#own },
    };
  }

  /** Leave the cluster: tell the others, then stay isolated. */
  leave(): Step {
    const out: Outgoing[] = [];
    if (this.#map === null) {
      out.push({ to: "multicast", type: "leave", body: {} });
    }
    for (const p of this.#peers.values()) {
      out.push({ to: p, type: "leave", body: {} });
    }
    this.#off = true;
    return { out, log: ["left the cluster"] };
  }

  /**
   * Handle an authenticated message from node `from` that arrived from
   * `srcAddr`. Malformed bodies are dropped with a log line.
   */
  receive(type: string, from: NodeId, body: unknown, srcAddr: string): Step {
    const step: Step = { out: [], log: [] };
    if (this.#off || from === this.#o.self) return step;
    if (this.#map !== null && !this.#mapIds.has(from)) {
      this.#warnOnce(
        `notmap:${from}`,
        `ignoring node ${
          formatNodeId(from)
        } at ${srcAddr}: not in the map (add it with setpe -w)`,
        step,
      );
      return step;
    }
    switch (type) {
      case "gossip": {
        const entries = validEntries(body);
        if (entries === null) {
          this.#warnOnce(
            `bad:${srcAddr}`,
            `malformed gossip from ${srcAddr} dropped`,
            step,
          );
          return step;
        }
        const allowed = this.#map === null
          ? entries
          : entries.filter((e) => this.#mapIds.has(e.id));
        for (const e of allowed) this.#learn(e.id, e.data);
        this.#onEvents(this.#board.receive(allowed), step);
        break;
      }
      case "hello": {
        if (this.#map !== null) return step;
        const b = body as { addr?: unknown; port?: unknown } | null;
        if (
          typeof b?.addr !== "string" || !isIPv4(b.addr) ||
          !Number.isInteger(b.port) || !finite(b.port, 1, 65535)
        ) {
          this.#warnOnce(
            `bad:${srcAddr}`,
            `malformed hello from ${srcAddr} dropped`,
            step,
          );
          return step;
        }
        const isNew = !this.#peers.has(from) ||
          this.#board.status(from) !== "up";
        this.#peers.set(from, { addr: b.addr, port: b.port as number });
        this.#board.addPeer(from);
        const data = validData((b as { data?: unknown }).data);
        if (data) {
          this.#onEvents(
            this.#board.receive([{ id: from, age: 0, data }]),
            step,
          );
        }
        if (isNew) {
          step.out.push({
            to: { addr: b.addr, port: b.port as number },
            type: "gossip",
            body: { entries: this.#snapshotFor(from) },
          });
        }
        break;
      }
      case "leave":
        this.#onEvents(this.#board.markLeft(from), step);
        break;
      default:
        this.#warnOnce(
          `type:${type}`,
          `unknown message type '${type}' from ${srcAddr}`,
          step,
        );
    }
    return step;
  }

  /** Own entry plus everything known, for a newcomer. */
  #snapshotFor(to: NodeId): GossipEntry<GossipData>[] {
    const others = this.#board.entries()
      .filter((e) =>
        e.id !== to && e.id !== this.#o.self &&
        this.#board.status(e.id) === "up"
      )
      .sort((a, b) => a.age - b.age)
      .slice(0, MAX_ENTRIES - 1);
    return [{ id: this.#o.self, age: 0, data: this.#own }, ...others];
  }

  #learn(id: NodeId, d: GossipData): void {
    if (id === this.#o.self) return;
    if (this.#map !== null) return; // addresses come from the map
    this.#peers.set(id, { addr: d.addr, port: d.port });
  }

  #onEvents(events: GossipEvent[], step: Step): void {
    for (const ev of events) {
      const who = formatNodeId(ev.id);
      switch (ev.kind) {
        case "join":
          step.log.push(`node ${who} joined`);
          break;
        case "dead":
          step.log.push(
            `node ${who} is dead (no news for ${
              this.deadAfterSeconds.toFixed(0)
            } s)`,
          );
          break;
        case "revive":
          step.log.push(`node ${who} is back`);
          break;
        case "drop":
          step.log.push(`node ${who} forgotten`);
          if (!this.#mapIds.has(ev.id)) {
            this.#peers.delete(ev.id);
            this.#board.removePeer(ev.id);
          }
          break;
      }
    }
  }

  #warnOnce(key: string, line: string, step: Step): void {
    if (this.#warned.has(key)) return;
    if (this.#warned.size > 10000) this.#warned.clear();
    this.#warned.add(key);
    step.log.push(line);
  }

  /** Every node this node knows, itself first. */
  views(): NodeView[] {
    const self: NodeView = this.#view(this.#o.self, this.#own, 0, true);
    const seen = new Set<NodeId>([this.#o.self]);
    const out = [self];
    for (const e of this.#board.entries()) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      out.push(this.#view(e.id, e.data, e.age * this.#o.unit, false));
    }
    // Map nodes never heard from are known, and dead.
    for (const n of this.#map ?? []) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      out.push({
        id: n.id,
        address: n.ip,
        port: this.#o.port,
        status: "dead",
        load: 0,
        speed: 0,
        cpus: 0,
        memTotal: 0,
        memFree: 0,
        memRaw: 0,
        util: 0,
        age: -1,
        self: false,
      });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  #view(id: NodeId, d: GossipData, age: number, self: boolean): NodeView {
    let status: NodeStatus = "up";
    if (!self && this.#board.status(id) !== "up") status = "dead";
    else if (d.blocked) status = "blocked";
    return {
      id,
      address: d.addr,
      port: d.port,
      status,
      load: d.load,
      speed: d.speed,
      cpus: d.cpus,
      memTotal: d.memTotal,
      memFree: d.memFree,
      memRaw: d.memRaw,
      util: d.util,
      age: Math.round(age * 10) / 10,
      self,
    };
  }

  /** The unicast address of a peer, if known. */
  peerAddress(id: NodeId): { addr: string; port: number } | undefined {
    return this.#peers.get(id);
  }
}

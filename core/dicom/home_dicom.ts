/**
 * Direct communication of a process, seen from its home (its mosrun): the
 * /dev/mosix devices of its deputy, its endpoint while it runs at home,
 * and the uplink to the local daemon's router.
 *
 * With route "direct" the endpoint goes where the process goes: it leaves
 * inside the snapshot (Snapshot.extra) and the host there answers device
 * calls, so messages travel straight between the nodes where processes
 * run. With route "home" (the baseline of bench/dicom_bench.ts, as
 * without direct communication) the endpoint stays here and every device
 * call of a migrated process comes home through its deputy.
 *
 * @module
 */

import type { Snapshot } from "../runtime/snapshot.ts";
import type { DeputyRequest, DeputyResponse } from "../wasi/protocol.ts";
import type { DicomAddr } from "./address.ts";
import {
  type DeputyDevices,
  type DeputyDeviceView,
  handleDeviceRequest,
} from "./deputy_devices.ts";
import type { SavedDeviceFd } from "./device_fd.ts";
import { DicomEndpoint, type EndpointDeps } from "./endpoint.ts";
import {
  DEFAULT_LIMITS,
  type DeliverReply,
  type DicomLimits,
  type DicomMessage,
  type RouteResult,
} from "./message.ts";
import {
  decodeDicomState,
  type DicomState,
  encodeDicomState,
} from "./state.ts";

/** The link from a home process to its node's router (daemon_uplink.ts). */
export interface HomeUplink {
  /** Carry a message to its receiver. */
  route(m: DicomMessage): Promise<RouteResult>;
  /** Carry several of one channel, in order, in one go. */
  routeMany(ms: DicomMessage[]): Promise<RouteResult[]>;
  /** Where the process's messages go now: a node ID, or moving. */
  where(w: number | "moving"): void;
  /** Detach (the process ended). */
  close(): void;
}

/** Where the endpoint of a migrated process lives. */
export type DicomRoute = "direct" | "home";

/** Options of {@linkcode HomeDicom}. */
export interface HomeDicomOptions {
  /** The process's address (home node ID, PID). */
  addr: DicomAddr;
  /** Default "direct". */
  route?: DicomRoute;
  /** Default DEFAULT_LIMITS. */
  limits?: DicomLimits;
  /** Default Math.random. */
  random?: () => number;
  /** True when there is a cluster to send through (else `to/` gives ENODEV). */
  canSend: boolean;
}

/** How long a process that ended waits for its last messages to be accepted, ms. */
export const LINGER_MS = 10_000;

/** A process's direct communication at home. */
export class HomeDicom implements DeputyDevices {
  /** The process's address. */
  readonly addr: DicomAddr;
  /** Where its endpoint lives when it migrates. */
  readonly route: DicomRoute;
  #o: HomeDicomOptions;
  #deps: EndpointDeps;
  #ep: DicomEndpoint | null;
  #uplink: HomeUplink | null = null;
  #where: number | "moving";

  /** Start with an empty endpoint at home. */
  constructor(o: HomeDicomOptions) {
    this.#o = o;
    this.addr = o.addr;
    this.route = o.route ?? "direct";
    this.#where = o.addr.home;
    this.#deps = {
      route: o.canSend ? (m) => this.#send(m) : null,
      routeMany: (ms) =>
        this.#uplink
          ? this.#uplink.routeMany(ms)
          : Promise.all(ms.map((m) => this.#send(m))),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      random: o.random ?? Math.random,
      limits: o.limits ?? DEFAULT_LIMITS,
    };
    this.#ep = new DicomEndpoint(o.addr, this.#deps);
  }

  /** The uplink to use from now on (after it connected). */
  setUplink(u: HomeUplink): void {
    this.#uplink = u;
    u.where(this.#where);
  }

  /** The endpoint while it is here (tests, status). */
  get endpoint(): DicomEndpoint | null {
    return this.#ep;
  }

  #send(m: DicomMessage): Promise<RouteResult> {
    if (!this.#uplink) {
      return Promise.resolve({
        r: "unreachable",
        why: "no node daemon to send through",
      });
    }
    return this.#uplink.route(m);
  }

  /** A message for this process, from the router. */
  deliver(m: DicomMessage): DeliverReply | Promise<DeliverReply> {
    if (!this.#ep) {
      return this.#where === "moving" || this.#where === this.addr.home
        ? { r: "moved", moving: true }
        : { r: "moved", node: this.#where };
    }
    return this.#ep.deliver(m);
  }

  // ---- the deputy's devices ----

  /** See {@linkcode DeputyDevices.handle}. */
  handle(
    req: DeputyRequest,
    view: DeputyDeviceView,
  ): DeputyResponse | Promise<DeputyResponse> | null {
    return handleDeviceRequest(this.#ep, req, view, this.#o.canSend);
  }

  /** See {@linkcode DeputyDevices.interruptBlocked}. */
  interruptBlocked(): void {
    this.#ep?.interruptBlocked();
  }

  /** See {@linkcode DeputyDevices.allowBlocking}. */
  allowBlocking(): void {
    this.#ep?.allowBlocking();
  }

  // ---- following the process ----

  /** A freeze starts: messages wait until it continues somewhere. */
  moving(): void {
    if (this.route === "direct") this.#tell("moving");
  }

  /**
   * The context froze at home: with route "direct", the endpoint leaves
   * with the snapshot (`fds`: the deputy's device fds); with route "home"
   * the snapshot gets a copy (for a checkpoint) marked to stay home.
   */
  leave(snapshot: Snapshot, fds: SavedDeviceFd[]): Snapshot {
    const extra = this.depart(fds);
    return extra === undefined ? snapshot : { ...snapshot, extra };
  }

  /**
   * The state {@linkcode leave} puts in a snapshot (undefined when there
   * is no endpoint here), for a process that leaves without one: it starts
   * on another node from its beginning.
   */
  depart(fds: SavedDeviceFd[]): Uint8Array | undefined {
    if (!this.#ep) return undefined;
    if (this.route === "home") {
      return encodeDicomState({ ...this.#ep.state(fds), home: true });
    }
    const state = this.#ep.leave(fds);
    this.#ep = null;
    return encodeDicomState(state);
  }

  /**
   * The context continues at home with `snapshot`: take its endpoint back
   * ("continue"), or start over from it: "resume" (a checkpoint resumed
   * under a new PID: unaccepted messages go on new channels) or "recover"
   * (the same process, back from a checkpoint after its node was lost).
   */
  arrive(
    snapshot: Pick<Snapshot, "extra">,
    how: "continue" | "resume" | "recover" = "continue",
  ): void {
    if (this.#ep && how === "continue") return;
    const state: DicomState | undefined = snapshot.extra
      ? decodeDicomState(snapshot.extra)
      : undefined;
    this.#ep?.close();
    this.#ep = new DicomEndpoint(
      this.addr,
      this.#deps,
      state,
      how === "resume",
    );
  }

  /** Device fds saved in a snapshot (to put back in a restored deputy). */
  static savedFds(snapshot: Snapshot): SavedDeviceFd[] {
    return snapshot.extra ? decodeDicomState(snapshot.extra).fds : [];
  }

  /** The context runs at `node` now (this node's ID: at home). */
  at(node: number): void {
    this.#tell(this.route === "direct" ? node : this.addr.home);
  }

  #tell(w: number | "moving"): void {
    this.#where = w;
    this.#uplink?.where(w);
  }

  /**
   * The process ended: refuse further messages, let sent ones be accepted
   * (at most `lingerMs`), then detach.
   */
  async finish(lingerMs = LINGER_MS): Promise<void> {
    const ep = this.#ep;
    ep?.close();
    if (ep && lingerMs > 0) await ep.drain(lingerMs);
    this.#uplink?.close();
  }
}

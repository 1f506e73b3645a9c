/**
 * Direct communication of a process running away from home, on the node
 * that hosts it: its endpoint (mailbox and channels) lives here, and the
 * session stands between the guest's system calls and the link home.
 * Calls on device fds are answered here; opening, closing and renumbering
 * fds still go to the deputy at home, which keeps the one fd table, and
 * the session follows what they did.
 *
 * @module
 */

import type { Snapshot } from "../runtime/snapshot.ts";
import type { DeputyRequest, DeputyResponse } from "../wasi/protocol.ts";
import { type DicomAddr, parseDevice } from "./address.ts";
import {
  deviceCall,
  type DeviceTable,
  pollWithDevices,
} from "./device_calls.ts";
import { type DeviceFdInfo, deviceRights } from "./device_fd.ts";
import { DicomEndpoint, type EndpointDeps } from "./endpoint.ts";
import { type DicomState, encodeDicomState } from "./state.ts";
import { trace } from "./trace.ts";

/** Sends a call on to the deputy at home. */
export type Forward = (req: DeputyRequest) => Promise<DeputyResponse>;

/** What a daemon hosting guests offers them (daemon/dicom_service.ts). */
export interface GuestDicom {
  /**
   * A guest arrived with `extra` (its snapshot's, or sent with a fresh
   * start): its session here, or null when its mailbox stays at home (no
   * state, or route "home").
   */
  arrive(
    addr: DicomAddr,
    extra: Uint8Array | undefined,
    forward: Forward,
  ): GuestSession | null;
}

/** A guest's direct communication on its hosting node. */
export class GuestSession implements DeviceTable {
  /** The process. */
  readonly addr: DicomAddr;
  /** Its endpoint here. */
  readonly endpoint: DicomEndpoint;
  #fds = new Map<number, DeviceFdInfo>();
  #forward: Forward;
  #detach: () => void;

  /**
   * Continue `state` here; `forward` reaches the deputy, `detach` runs when
   * the guest leaves or ends (its router forgets it).
   */
  constructor(
    addr: DicomAddr,
    state: DicomState,
    deps: EndpointDeps,
    forward: Forward,
    detach: () => void = () => {},
  ) {
    this.addr = addr;
    this.endpoint = new DicomEndpoint(addr, deps, state);
    this.#forward = forward;
    this.#detach = detach;
    for (const f of state.fds) {
      this.#fds.set(f.fd, {
        dev: f.dev,
        fdflags: f.fdflags,
        rightsBase: f.rightsBase,
        rightsInheriting: f.rightsInheriting,
      });
    }
  }

  /** The device fd `fd`, if it is one. */
  device(fd: number): DeviceFdInfo | undefined {
    return this.#fds.get(fd);
  }

  /** Answer one system call of the guest. */
  handle(req: DeputyRequest): DeputyResponse | Promise<DeputyResponse> {
    trace("h");
    switch (req.op) {
      case "path_open":
        return this.#forward(req).then((res) => {
          const d = res.errno === 0 && res.dev ? parseDevice(res.dev) : null;
          if (d && res.n !== undefined) {
            this.#fds.set(res.n, {
              dev: res.dev!,
              fdflags: req.fdflags,
              rightsBase: deviceRights(d, req.base),
              rightsInheriting: 0,
            });
          }
          return res;
        });
      case "fd_close":
        return this.#after(req, () => this.#fds.delete(req.fd));
      case "fd_renumber":
        return this.#after(req, () => {
          const info = this.#fds.get(req.fd);
          if (req.fd === req.to) return;
          this.#fds.delete(req.to);
          if (info) {
            this.#fds.set(req.to, info);
            this.#fds.delete(req.fd);
          }
        });
      case "fd_fdstat_set_flags":
        return this.#after(req, () => {
          const info = this.#fds.get(req.fd);
          if (info) info.fdflags = req.flags;
        });
      case "fd_fdstat_set_rights":
        return this.#after(req, () => {
          const info = this.#fds.get(req.fd);
          if (info) {
            info.rightsBase = req.base;
            info.rightsInheriting = req.inheriting;
          }
        });
      case "poll_oneoff":
        return pollWithDevices(
          this.endpoint,
          this,
          req.subs,
          (subs) => this.#forward({ op: "poll_oneoff", subs }),
        ) ?? this.#forward(req);
      default:
        return deviceCall(this.endpoint, this, req) ?? this.#forward(req);
    }
  }

  #after(req: DeputyRequest, then: () => void): Promise<DeputyResponse> {
    return this.#forward(req).then((res) => {
      if (res.errno === 0) then();
      return res;
    });
  }

  /** A freeze was requested: cut blocked calls short. */
  interruptBlocked(): void {
    this.endpoint.interruptBlocked();
  }

  /** The freeze did not happen: calls may block again. */
  allowBlocking(): void {
    this.endpoint.allowBlocking();
  }

  /** The process leaves this node: its frozen `snapshot` with this state added. */
  leave(snapshot: Snapshot): Snapshot {
    const fds = [...this.#fds].map(([fd, f]) => ({ fd, ...f }));
    const state = this.endpoint.leave(fds);
    this.#detach();
    return { ...snapshot, extra: encodeDicomState(state) };
  }

  /** The process ended here: no more messages; what it sent still drains. */
  end(): void {
    this.endpoint.close();
    this.#detach();
  }
}

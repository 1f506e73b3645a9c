/**
 * The /dev/mosix devices as the deputy sees them: opening one gives a
 * device fd in the deputy's own fd table (so fd numbers stay in one table
 * and checkpoints keep them), and calls on device fds are answered by the
 * process's endpoint when it is at home. The deputy calls
 * {@linkcode DeputyDevices.handle} first with every request.
 *
 * @module
 */

import { Oflags } from "../wasi/constants.ts";
import { Errno } from "../wasi/errno.ts";
import type {
  DeputyRequest,
  DeputyResponse,
  PollSubscription,
} from "../wasi/protocol.ts";
import { deviceAt, deviceName } from "./address.ts";
import {
  deviceCall,
  type DeviceTable,
  pollWithDevices,
} from "./device_calls.ts";
import { type DeviceFdInfo, deviceRights } from "./device_fd.ts";
import type { DicomEndpoint } from "./endpoint.ts";

/** What the deputy lets the devices see and do in its fd table. */
export interface DeputyDeviceView extends DeviceTable {
  /** The guest path of directory fd `fd` (a preopen's path joined with the rest), or null. */
  guestDir(fd: number): string | null;
  /** Put a device fd in the table; returns its number. */
  install(info: DeviceFdInfo): number;
  /** The deputy's own poll, for subscriptions on fds that are not devices. */
  pollOthers(
    subs: PollSubscription[],
  ): DeputyResponse | Promise<DeputyResponse>;
}

/** The devices' side of the deputy (see the module doc). */
export interface DeputyDevices {
  /** Answer `req` if it concerns a device, else null. */
  handle(
    req: DeputyRequest,
    view: DeputyDeviceView,
  ): DeputyResponse | Promise<DeputyResponse> | null;
  /** A freeze was requested: cut blocked device calls short. */
  interruptBlocked(): void;
  /** Let device calls block again. */
  allowBlocking(): void;
}

/**
 * Answer `req` for the devices: a path_open under /dev/mosix, a call on a
 * device fd, or a poll with device fds. `ep` is null while the endpoint
 * runs elsewhere; `canSend` false refuses `to/` devices (ENODEV: no
 * cluster to send through).
 */
export function handleDeviceRequest(
  ep: DicomEndpoint | null,
  req: DeputyRequest,
  view: DeputyDeviceView,
  canSend: boolean,
): DeputyResponse | Promise<DeputyResponse> | null {
  if (req.op === "path_open") {
    const dir = view.guestDir(req.fd);
    if (dir === null) return null;
    const d = deviceAt(dir, req.path);
    if (d === null) return null;
    if (d === "none") return { errno: Errno.NOENT };
    if (req.oflags & Oflags.DIRECTORY) return { errno: Errno.NOTDIR };
    if ((req.oflags & Oflags.CREAT) && (req.oflags & Oflags.EXCL)) {
      return { errno: Errno.EXIST };
    }
    if (d.kind === "to" && !canSend) return { errno: Errno.NODEV };
    const dev = deviceName(d);
    const n = view.install({
      dev,
      fdflags: req.fdflags,
      rightsBase: deviceRights(d, req.base),
      rightsInheriting: 0,
    });
    return { errno: 0, n, dev };
  }
  if (req.op === "poll_oneoff") {
    return pollWithDevices(
      ep,
      view,
      req.subs,
      async (subs) => await view.pollOthers(subs),
    );
  }
  return deviceCall(ep, view, req);
}

/**
 * System calls on /dev/mosix device fds, answered by the process's
 * {@linkcode DicomEndpoint} where it runs. Shared by the deputy at home and
 * by a guest's host away from home: both give a view of their fd table.
 *
 * A poll that mixes device fds with other fds (stdin, files) answers the
 * device part here and asks the owner of the other fds in short slices, so
 * a message arriving meanwhile is seen within one slice.
 *
 * @module
 */

import { Eventtype, Fdflags, Rights } from "../wasi/constants.ts";
import { Errno } from "../wasi/errno.ts";
import type {
  DeputyRequest,
  DeputyResponse,
  PollEvent,
  PollSubscription,
} from "../wasi/protocol.ts";
import { type DeviceFdInfo, deviceFdstat } from "./device_fd.ts";
import type { DeviceEvent, DicomEndpoint } from "./endpoint.ts";

/** The device fds of an fd table. */
export interface DeviceTable {
  /** The device fd `fd`, if it is one. */
  device(fd: number): DeviceFdInfo | undefined;
}

/** How long one slice of a mixed poll asks the other fds, ms. */
export const MIXED_POLL_SLICE_MS = 10;

const INTERRUPTED: DeputyResponse = Object.freeze({
  errno: 0,
  interrupted: true,
});

/**
 * Answer `req` when it is a call on a device fd (flags and rights are set
 * in the table's entry); null when it is not, or is one the fd table's
 * owner carries out (close, renumber).
 * `ep` null: the endpoint is elsewhere (calls fail with EIO).
 */
export function deviceCall(
  ep: DicomEndpoint | null,
  table: DeviceTable,
  req: DeputyRequest,
): DeputyResponse | Promise<DeputyResponse> | null {
  if (!("fd" in req) || req.op.startsWith("path_")) return null;
  const info = table.device(req.fd);
  if (info === undefined) return null;
  switch (req.op) {
    case "fd_close":
    case "fd_renumber":
      return null;
    case "fd_fdstat_set_flags": {
      if (!(info.rightsBase & Rights.FD_FDSTAT_SET_FLAGS)) {
        return { errno: Errno.NOTCAPABLE };
      }
      const known = Fdflags.APPEND | Fdflags.DSYNC | Fdflags.NONBLOCK |
        Fdflags.RSYNC | Fdflags.SYNC;
      if (req.flags & ~known) return { errno: Errno.INVAL };
      info.fdflags = req.flags;
      return { errno: 0 };
    }
    case "fd_fdstat_set_rights":
      if (
        (req.base & ~info.rightsBase) ||
        (req.inheriting & ~info.rightsInheriting)
      ) return { errno: Errno.NOTCAPABLE };
      info.rightsBase = req.base;
      info.rightsInheriting = req.inheriting;
      return { errno: 0 };
    case "fd_fdstat_get":
      return { errno: 0, fdstat: deviceFdstat(info) };
    case "fd_read":
      if (!(info.rightsBase & Rights.FD_READ)) return { errno: Errno.BADF };
      return ep ? ep.read(info.dev, info.fdflags, req.len, req.max) : {
        errno: Errno.IO,
      };
    case "fd_write":
      if (!(info.rightsBase & Rights.FD_WRITE)) {
        return { errno: Errno.BADF, whole: true };
      }
      return ep
        ? ep.write(info.dev, info.fdflags, req.data, req.at, req.total)
        : { errno: Errno.IO, whole: true };
    case "fd_filestat_get":
      return ep ? ep.filestat(info.dev) : { errno: Errno.IO };
    case "fd_sync":
    case "fd_datasync":
    case "fd_filestat_set_size":
      return { errno: Errno.INVAL };
    case "fd_filestat_set_times":
      return { errno: Errno.NOTSUP };
    case "fd_readdir":
      return { errno: Errno.NOTDIR };
    case "fd_prestat_get":
      return { errno: Errno.BADF };
    default:
      // pread, pwrite, seek, tell, advise, allocate: a device is a stream.
      return { errno: Errno.SPIPE };
  }
}

/**
 * Answer a poll_oneoff that has device fds (null when it has none).
 * `others` polls the rest of the fds (the deputy, here or at home).
 */
export function pollWithDevices(
  ep: DicomEndpoint | null,
  table: DeviceTable,
  subs: PollSubscription[],
  others: (subs: PollSubscription[]) => Promise<DeputyResponse>,
  now: () => number = () => performance.now(),
): DeputyResponse | Promise<DeputyResponse> | null {
  const dev: { s: PollSubscription; info: DeviceFdInfo }[] = [];
  const rest: PollSubscription[] = [];
  const clocks: PollSubscription[] = [];
  for (const s of subs) {
    if (s.type === Eventtype.CLOCK) {
      clocks.push(s);
      continue;
    }
    const info = table.device(s.fd ?? -1);
    if (info) dev.push({ s, info });
    else rest.push(s);
  }
  if (dev.length === 0) return null;
  if (ep === null) return { errno: Errno.IO };
  const start = now();
  const elapsedNs = () => BigInt(Math.floor((now() - start) * 1e6));

  /** Events ready now and what to wait for otherwise. */
  const round = () => {
    const events: PollEvent[] = [];
    const waits: Promise<void>[] = [];
    let leftNs: bigint | null = null;
    for (const { s, info } of dev) {
      const right = s.type === Eventtype.FD_READ
        ? Rights.FD_READ
        : Rights.FD_WRITE;
      let r: DeviceEvent | Promise<void>;
      if (!(info.rightsBase & Rights.POLL_FD_READWRITE)) {
        r = { error: Errno.NOTCAPABLE, nbytes: 0n, flags: 0 };
      } else if (!(info.rightsBase & right)) {
        r = { error: Errno.BADF, nbytes: 0n, flags: 0 };
      } else r = ep.pollDevice(info.dev, s.type);
      if (r instanceof Promise) waits.push(r);
      else events.push({ userdata: s.userdata, type: s.type, ...r });
    }
    const el = elapsedNs();
    for (const c of clocks) {
      const left = (c.timeout ?? 0n) - el;
      if (left <= 0n) {
        events.push({
          userdata: c.userdata,
          error: 0,
          type: Eventtype.CLOCK,
          nbytes: 0n,
          flags: 0,
        });
      } else if (leftNs === null || left < leftNs) leftNs = left;
    }
    return { events, waits, leftNs };
  };

  const first = round();
  if (first.events.length > 0) return { errno: 0, events: first.events };
  return (async () => {
    let r = first;
    for (;;) {
      if (r.events.length > 0) return { errno: 0, events: r.events };
      if (ep.interrupted) return INTERRUPTED;
      if (rest.length === 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const waits: Promise<unknown>[] = [...r.waits];
        if (r.leftNs !== null) {
          const ms = Math.ceil(Number(r.leftNs) / 1e6);
          waits.push(
            new Promise((res) =>
              timer = setTimeout(res, Math.min(ms, 2 ** 31 - 1))
            ),
          );
        }
        if (waits.length === 0) waits.push(new Promise(() => {}));
        try {
          if (await ep.race(Promise.race(waits))) return INTERRUPTED;
        } finally {
          clearTimeout(timer);
        }
      } else {
        const sliceNs = BigInt(MIXED_POLL_SLICE_MS) * 1_000_000n;
        const slice = r.leftNs !== null && r.leftNs < sliceNs
          ? r.leftNs
          : sliceNs;
        // Userdata are renumbered so the slice's own clock is told apart.
        const asked: PollSubscription[] = rest.map((s, i) => ({
          ...s,
          userdata: BigInt(i),
        }));
        asked.push({
          userdata: BigInt(rest.length),
          type: Eventtype.CLOCK,
          timeout: slice,
        });
        const res = await others(asked);
        if (res.interrupted) return INTERRUPTED;
        if (res.errno !== 0) return res;
        const got = (res.events ?? [])
          .filter((e) => e.userdata < BigInt(rest.length))
          .map((e) => ({ ...e, userdata: rest[Number(e.userdata)].userdata }));
        if (got.length > 0) return { errno: 0, events: got };
      }
      r = round();
    }
  })();
}

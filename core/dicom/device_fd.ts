/**
 * What an fd open on a /dev/mosix device is: its device name, flags and
 * rights. The deputy keeps these in its fd table (so fd numbers stay in
 * one table and checkpoints keep them); a host running the process away
 * from home keeps a copy to answer their calls where the process runs.
 *
 * @module
 */

import { Filetype, Rights } from "../wasi/constants.ts";
import type { Fdstat, Filestat } from "../wasi/protocol.ts";
import type { Device } from "./address.ts";

/** An fd open on a device. */
export interface DeviceFdInfo {
  /** Canonical device name under /dev/mosix ("mbox", "to/2780/4012"). */
  dev: string;
  /** fdflags (NONBLOCK matters). */
  fdflags: number;
  /** Base rights. */
  rightsBase: number;
  /** Inheriting rights. */
  rightsInheriting: number;
}

/** A device fd with its number, as saved. */
export interface SavedDeviceFd extends DeviceFdInfo {
  /** The fd number. */
  fd: number;
}

const COMMON = Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET |
  Rights.POLL_FD_READWRITE;

/** The rights a device fd gets: those asked for that the device supports. */
export function deviceRights(d: Device, asked: number): number {
  const own = d.kind === "to" ? Rights.FD_WRITE : Rights.FD_READ;
  return asked & (own | COMMON);
}

/** fdstat of a device fd. */
export function deviceFdstat(info: DeviceFdInfo): Fdstat {
  return {
    filetype: Filetype.CHARACTER_DEVICE,
    flags: info.fdflags,
    rightsBase: info.rightsBase,
    rightsInheriting: info.rightsInheriting,
  };
}

/** filestat of a device fd; `size` is the next message's size for the mailbox. */
export function deviceFilestat(size: number): Filestat {
  return {
    dev: 0n,
    ino: 0n,
    filetype: Filetype.CHARACTER_DEVICE,
    nlink: 1n,
    size: BigInt(size),
    atim: 0n,
    mtim: 0n,
    ctim: 0n,
  };
}

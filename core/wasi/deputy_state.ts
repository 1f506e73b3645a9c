/**
 * The deputy's state as plain values, for checkpoints: what is needed to
 * reopen every fd of a process on its home node.
 *
 * @module
 */

import type { Preopen } from "./preopen.ts";

/** Rights and flags every saved fd has. */
export interface SavedFdBase {
  fd: number;
  fdflags: number;
  rightsBase: number;
  rightsInheriting: number;
}

/** A standard stream (role 0 stdin, 1 stdout, 2 stderr), maybe renumbered. */
export interface SavedStreamFd extends SavedFdBase {
  kind: "stream";
  role: 0 | 1 | 2;
}

/** An open file, by path relative to its preopen. */
export interface SavedFileFd extends SavedFdBase {
  kind: "file";
  /** Index of the preopen the path is under. */
  root: number;
  /** Path under the preopen ("" is the preopen itself). */
  path: string;
  readable: boolean;
  writable: boolean;
  /** Opened with O_APPEND on the host. */
  append: boolean;
  /** Size of an append-mode file when saved (a recovery cuts it back). */
  size?: number;
  offset: bigint;
  filetype: number;
  /** The path no longer named the open file when the state was saved. */
  vanished: boolean;
}

/** An open directory (a preopen or one opened by path). */
export interface SavedDirFd extends SavedFdBase {
  kind: "dir";
  root: number;
  path: string;
  preopen: boolean;
}

/** An fd whose file could not be reopened at a restore (always EBADF). */
export interface SavedGoneFd extends SavedFdBase {
  kind: "gone";
  why: string;
}

/** One saved fd. */
export type SavedFd = SavedStreamFd | SavedFileFd | SavedDirFd | SavedGoneFd;

/** Everything a deputy needs to be rebuilt. */
export interface DeputyState {
  version: 1;
  args: string[];
  env: string[];
  cwd: string;
  preopens: Preopen[];
  fds: SavedFd[];
  /** stdin bytes read from the stream but not yet given to the program. */
  stdinPending: Uint8Array;
}

/** A restore that cannot reopen a file; the message is one line. */
export class DeputyRestoreError extends Error {
  /** The fd that could not be restored. */
  readonly fd: number;
  /** Make the error for `fd`. */
  constructor(fd: number, message: string) {
    super(message);
    this.name = "DeputyRestoreError";
    this.fd = fd;
  }
}

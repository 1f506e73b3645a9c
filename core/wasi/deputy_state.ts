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

/**
 * Check that `v` (from a checkpoint file: any value at all) has the shape of
 * a {@linkcode DeputyState}, so a restore works on typed values only.
 * Throws DeputyRestoreError (fd -1) naming the first bad field.
 */
export function checkDeputyState(v: unknown): DeputyState {
  const bad = (field: string): never => {
    throw new DeputyRestoreError(
      -1,
      `restore: the saved deputy state is damaged (${field})`,
    );
  };
  const isObj = (x: unknown): x is Record<string, unknown> =>
    typeof x === "object" && x !== null && !Array.isArray(x);
  const isNat = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  const strings = (x: unknown, field: string) => {
    if (!Array.isArray(x) || !x.every((s) => typeof s === "string")) {
      bad(field);
    }
  };
  if (!isObj(v)) return bad("not an object");
  if (v.version !== 1) bad("version");
  strings(v.args, "args");
  strings(v.env, "env");
  if (typeof v.cwd !== "string") bad("cwd");
  const preopens = v.preopens;
  if (!Array.isArray(preopens)) return bad("preopens");
  preopens.forEach((p, i) => {
    if (
      !isObj(p) || typeof p.hostDir !== "string" ||
      typeof p.guestPath !== "string"
    ) bad(`preopens[${i}]`);
  });
  if (!(v.stdinPending instanceof Uint8Array)) bad("stdinPending");
  if (!Array.isArray(v.fds)) return bad("fds");
  v.fds.forEach((s: unknown, i: number) => {
    const f = `fds[${i}]`;
    if (!isObj(s)) return bad(f);
    if (!isNat(s.fd) || (s.fd as number) > 0xffffffff) bad(`${f}.fd`);
    for (const k of ["fdflags", "rightsBase", "rightsInheriting"]) {
      if (!isNat(s[k])) bad(`${f}.${k}`);
    }
    const inRoot = () => {
      if (!isNat(s.root) || (s.root as number) >= preopens.length) {
        bad(`${f}.root`);
      }
      if (typeof s.path !== "string") bad(`${f}.path`);
    };
    switch (s.kind) {
      case "stream":
        if (s.role !== 0 && s.role !== 1 && s.role !== 2) bad(`${f}.role`);
        break;
      case "gone":
        if (typeof s.why !== "string") bad(`${f}.why`);
        break;
      case "dir":
        inRoot();
        if (typeof s.preopen !== "boolean") bad(`${f}.preopen`);
        break;
      case "file":
        inRoot();
        for (const k of ["readable", "writable", "append", "vanished"]) {
          if (typeof s[k] !== "boolean") bad(`${f}.${k}`);
        }
        if (s.size !== undefined && !isNat(s.size)) bad(`${f}.size`);
        if (
          !(typeof s.offset === "bigint" && s.offset >= 0n) && !isNat(s.offset)
        ) bad(`${f}.offset`);
        if (!isNat(s.filetype)) bad(`${f}.filetype`);
        break;
      default:
        bad(`${f}.kind`);
    }
  });
  return v as unknown as DeputyState;
}

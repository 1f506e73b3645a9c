/**
 * The deputy: the home-node half of a cluster process. It lives in the
 * user's `mosrun` process, owns the fd table, the preopens, the standard
 * streams, args and environment, and carries out every forwarded WASI call
 * against the real file system. Requests are values (see protocol.ts), so a
 * user context in a local Worker or on another node is served alike.
 *
 * Calls on regular files and directories answer synchronously; reads from
 * stdin, writes to stdout/stderr and poll_oneoff may answer with a promise.
 * A blocked call (stdin read, poll) is cut short by
 * {@linkcode Deputy.interruptBlocked} with `{ interrupted: true }` having
 * done nothing: stdin bytes that arrive later wait in a pushback buffer.
 * fd_write is never interrupted (a half-done write cannot be undone).
 *
 * @module
 */

import {
  ADVICE_MAX,
  EventRwFlags,
  Eventtype,
  Fdflags,
  Filetype,
  Fstflags,
  Lookupflags,
  Oflags,
  Rights,
  RIGHTS_ALL,
  RIGHTS_DIR,
  RIGHTS_FILE,
  RIGHTS_NEED_READ,
  RIGHTS_NEED_WRITE,
  RIGHTS_STREAM,
  Whence,
} from "./constants.ts";
import { BufferedInput } from "./buffered_input.ts";
import {
  checkDeputyState,
  DeputyRestoreError,
  type DeputyState,
  type SavedFd,
} from "./deputy_state.ts";
import {
  type DirEntryInfo,
  encodeDirents,
  filetypeOf,
  listDirectory,
} from "./dirent.ts";
import { Errno, errnoFromError, errnoName } from "./errno.ts";
import { defaultPreopens, type Preopen } from "./preopen.ts";
import type {
  DeputyRequest,
  DeputyResponse,
  Fdstat,
  Filestat,
  PollEvent,
  PollSubscription,
} from "./protocol.ts";
import {
  hostPathOf,
  type PathProbe,
  type Resolved,
  resolvePath,
} from "./sandbox_path.ts";
import type { OutputStream, Stdio } from "./stdio.ts";
import type {
  DeputyDevices,
  DeputyDeviceView,
} from "../dicom/deputy_devices.ts";
import type { SavedDeviceFd } from "../dicom/device_fd.ts";

/** Options of a new deputy. */
export interface DeputyOptions {
  /** argv, argv[0] included. */
  args: string[];
  /** Environment as "KEY=VALUE" strings. */
  env: string[];
  /** The home cwd (default Deno.cwd()). */
  cwd?: string;
  /** Directories given to the program (default: the cwd as "." and "/"). */
  preopens?: Preopen[];
  stdio: Stdio;
  /** Largest read answered at once (default 1 MiB). */
  maxIo?: number;
}

/** What {@linkcode Deputy.restore} does with a file that cannot be reopened. */
export interface RestoreOptions {
  /** "fail" (default): throw DeputyRestoreError; "ebadf": the fd gives EBADF. */
  missing?: "fail" | "ebadf";
  maxIo?: number;
}

interface FdBase {
  fdflags: number;
  rightsBase: number;
  rightsInheriting: number;
}

interface StreamFd extends FdBase {
  kind: "stream";
  role: 0 | 1 | 2;
}

interface FileFd extends FdBase {
  kind: "file";
  file: Deno.FsFile;
  root: number;
  rel: string[];
  readable: boolean;
  writable: boolean;
  hostAppend: boolean;
  filetype: number;
}

interface DirFd extends FdBase {
  kind: "dir";
  root: number;
  rel: string[];
  preopen: boolean;
  listing?: DirEntryInfo[];
}

interface GoneFd extends FdBase {
  kind: "gone";
  why: string;
}

/** A /dev/mosix device (direct communication, core/dicom/). */
interface DeviceFd extends FdBase {
  kind: "device";
  dev: string;
}

type FdEntry = StreamFd | FileFd | DirFd | GoneFd | DeviceFd;
type LiveFd = StreamFd | FileFd | DirFd;

const OK: DeputyResponse = Object.freeze({ errno: 0 });
const INTERRUPTED: DeputyResponse = Object.freeze({
  errno: 0,
  interrupted: true,
});
const EMPTY = new Uint8Array(0);

function fail(errno: number): DeputyResponse {
  return { errno };
}

/** Run a host call, turning a thrown host error into its errno. */
function host<T>(fn: () => T): T | DeputyResponse {
  try {
    return fn();
  } catch (err) {
    return { errno: errnoFromError(err) };
  }
}

function isResponse(x: unknown): x is DeputyResponse {
  return typeof x === "object" && x !== null && "errno" in x;
}

const NS_PER_MS = 1_000_000n;

function nsOf(d: Date | null): bigint {
  return d === null ? 0n : BigInt(d.getTime()) * NS_PER_MS;
}

function toFilestat(st: Deno.FileInfo): Filestat {
  return {
    dev: BigInt(st.dev ?? 0),
    ino: BigInt(st.ino ?? 0),
    filetype: filetypeOf(st),
    nlink: BigInt(st.nlink ?? 1),
    size: BigInt(st.size),
    atim: nsOf(st.atime),
    mtim: nsOf(st.mtime),
    ctim: nsOf(st.ctime ?? st.mtime),
  };
}

/** Seconds (µs precision) for Deno's utime from WASI ns. */
function secondsOf(ns: bigint): number {
  return Number(ns / 1000n) / 1e6;
}

/** The atime/mtime to set, or an errno for contradictory flags. */
function pickTimes(
  atim: bigint,
  mtim: bigint,
  fst: number,
  current: () => Deno.FileInfo,
): [number | Date, number | Date] | number {
  if ((fst & Fstflags.ATIM) && (fst & Fstflags.ATIM_NOW)) return Errno.INVAL;
  if ((fst & Fstflags.MTIM) && (fst & Fstflags.MTIM_NOW)) return Errno.INVAL;
  const now = new Date();
  let cur: Deno.FileInfo | null = null;
  const keep = (pick: (st: Deno.FileInfo) => Date | null) => {
    cur ??= current();
    return pick(cur) ?? now;
  };
  const a = fst & Fstflags.ATIM
    ? secondsOf(atim)
    : fst & Fstflags.ATIM_NOW
    ? now
    : keep((s) => s.atime);
  const m = fst & Fstflags.MTIM
    ? secondsOf(mtim)
    : fst & Fstflags.MTIM_NOW
    ? now
    : keep((s) => s.mtime);
  return [a, m];
}

const hostProbe: PathProbe = {
  kind(p) {
    try {
      const st = Deno.lstatSync(p);
      return st.isSymlink ? "symlink" : st.isDirectory ? "dir" : "other";
    } catch (err) {
      return errnoFromError(err);
    }
  },
  readlink: (p) => Deno.readLinkSync(p),
};

/** The home-node side of a process: fd table, streams, file system calls. */
export class Deputy {
  readonly args: string[];
  readonly env: string[];
  readonly cwd: string;
  readonly preopens: Preopen[];
  #fds = new Map<number, FdEntry>();
  #stdin: BufferedInput;
  /** Bytes written to stdout/stderr (by role) since the last checkpoint. */
  #written = [0, 0, 0];
  /** Bytes of repeated output to drop (by role) after a recovery. */
  #skip = [0, 0, 0];
  #stdout: OutputStream;
  #stderr: OutputStream;
  #maxIo: number;
  #interruptPending = false;
  #interruptWaiters = new Set<() => void>();

  /** A deputy with stdin/stdout/stderr on fds 0-2 and the preopens from 3. */
  constructor(opts: DeputyOptions) {
    this.args = [...opts.args];
    this.env = [...opts.env];
    this.cwd = opts.cwd ?? Deno.cwd();
    const preopens = opts.preopens ?? defaultPreopens(this.cwd);
    this.preopens = preopens.map((p) => ({
      hostDir: realDir(p.hostDir),
      guestPath: p.guestPath,
    }));
    this.#stdin = new BufferedInput(opts.stdio.stdin);
    this.#stdout = opts.stdio.stdout;
    this.#stderr = opts.stdio.stderr;
    this.#maxIo = opts.maxIo ?? 1 << 20;
    for (const role of [0, 1, 2] as const) {
      this.#fds.set(role, {
        kind: "stream",
        role,
        fdflags: 0,
        rightsBase: RIGHTS_STREAM,
        rightsInheriting: 0,
      });
    }
    this.preopens.forEach((_, i) => {
      this.#fds.set(3 + i, {
        kind: "dir",
        root: i,
        rel: [],
        preopen: true,
        fdflags: 0,
        rightsBase: RIGHTS_DIR,
        rightsInheriting: RIGHTS_ALL,
      });
    });
  }

  /** The /dev/mosix devices, when the process has direct communication. */
  devices: DeputyDevices | null = null;

  #deviceView: DeputyDeviceView = {
    device: (fd) => {
      const e = this.#fds.get(fd);
      return e?.kind === "device" ? e : undefined;
    },
    guestDir: (fd) => {
      const e = this.#fds.get(fd);
      if (e?.kind !== "dir") return null;
      return [this.preopens[e.root].guestPath, ...e.rel].join("/");
    },
    install: (info) => this.#install({ kind: "device", ...info }).n!,
    pollOthers: (subs) => this.#poll(subs),
  };

  /** The open device fds (they travel with the direct-communication state). */
  deviceFds(): SavedDeviceFd[] {
    const out: SavedDeviceFd[] = [];
    for (const [fd, e] of this.#fds) {
      if (e.kind !== "device") continue;
      const { dev, fdflags, rightsBase, rightsInheriting } = e;
      out.push({ fd, dev, fdflags, rightsBase, rightsInheriting });
    }
    return out;
  }

  /** Put device fds back after a restore (saveState leaves them out). */
  restoreDevices(fds: SavedDeviceFd[]): void {
    for (const { fd, ...info } of fds) {
      if (!this.#fds.has(fd)) this.#fds.set(fd, { kind: "device", ...info });
    }
  }

  /** Carry out one request. */
  handle(req: DeputyRequest): DeputyResponse | Promise<DeputyResponse> {
    if (this.devices) {
      const r = this.devices.handle(req, this.#deviceView);
      if (r !== null) return r;
    }
    switch (req.op) {
      case "context_info":
        return { errno: 0, args: this.args, env: this.env };
      case "fd_read":
        return this.#read(req.fd, req.len);
      case "fd_pread":
        return this.#pread(req.fd, req.len, req.offset);
      case "fd_write":
        return this.#write(req.fd, req.data);
      case "fd_pwrite":
        return this.#pwrite(req.fd, req.data, req.offset);
      case "fd_seek":
        return this.#seek(req.fd, req.offset, req.whence);
      case "fd_tell":
        return this.#seek(req.fd, 0n, Whence.CUR, Rights.FD_TELL);
      case "fd_close":
        return this.#close(req.fd);
      case "fd_sync":
      case "fd_datasync":
        return this.#sync(req.fd, req.op === "fd_datasync");
      case "fd_fdstat_get":
        return this.#fdstat(req.fd);
      case "fd_fdstat_set_flags":
        return this.#setFlags(req.fd, req.flags);
      case "fd_fdstat_set_rights":
        return this.#setRights(req.fd, req.base, req.inheriting);
      case "fd_filestat_get":
        return this.#fdFilestat(req.fd);
      case "fd_filestat_set_size":
        return this.#setSize(req.fd, req.size);
      case "fd_filestat_set_times":
        return this.#fdSetTimes(req.fd, req.atim, req.mtim, req.fstflags);
      case "fd_advise":
        return this.#advise(req.fd, req.offset, req.len, req.advice);
      case "fd_allocate":
        return this.#allocate(req.fd, req.offset, req.len);
      case "fd_readdir":
        return this.#readdir(req.fd, req.len, req.cookie);
      case "fd_renumber":
        return this.#renumber(req.fd, req.to);
      case "fd_prestat_get":
        return this.#prestat(req.fd);
      case "path_open":
        return this.#open(req);
      case "path_create_directory":
        return this.#mkdir(req.fd, req.path);
      case "path_remove_directory":
        return this.#rmdir(req.fd, req.path);
      case "path_unlink_file":
        return this.#unlink(req.fd, req.path);
      case "path_rename":
        return this.#rename(req.fd, req.path, req.newFd, req.newPath);
      case "path_link":
        return this.#link(
          req.fd,
          req.dirflags,
          req.path,
          req.newFd,
          req.newPath,
        );
      case "path_symlink":
        return this.#symlink(req.target, req.fd, req.path);
      case "path_readlink":
        return this.#readlink(req.fd, req.path);
      case "path_filestat_get":
        return this.#pathFilestat(req.fd, req.dirflags, req.path);
      case "path_filestat_set_times":
        return this.#pathSetTimes(req);
      case "poll_oneoff":
        return this.#poll(req.subs);
      default:
        return fail(Errno.NOSYS);
    }
  }

  /**
   * Cut short every call blocked now (stdin read, poll) and every call that
   * would block until {@linkcode Deputy.allowBlocking}: they answer
   * `{ interrupted: true }` having consumed nothing. Used when a freeze is
   * requested, so the context can unwind.
   */
  interruptBlocked(): void {
    this.#interruptPending = true;
    this.devices?.interruptBlocked();
    const waiters = [...this.#interruptWaiters];
    this.#interruptWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** Let calls block again (after the freeze, on resume). */
  allowBlocking(): void {
    this.#interruptPending = false;
    this.devices?.allowBlocking();
  }

  /**
   * The state just saved is a checkpoint: count output and record stdin
   * from here, for {@linkcode Deputy.recover}.
   */
  markCheckpoint(): void {
    this.#written = [0, 0, 0];
    this.#stdin.startJournal();
  }

  /**
   * The deputy of a process resumed from its last checkpoint after it was
   * lost (its node died), replacing `live`. The at-most-once rule for
   * what the program did since that checkpoint: stdout and stderr output
   * already delivered is not written again (the replay's first bytes are
   * dropped); stdin read since then is read again; files are reopened at
   * their checkpoint offsets, so writes are redone at the same places, and
   * files opened for appending are cut back to their checkpoint size first.
   * `live`'s files are closed; its stdin stays in use.
   */
  static recover(state: DeputyState, live: Deputy, stdio: Stdio): Deputy {
    for (const s of state.fds) {
      if (s.kind !== "file" || !s.append || s.size === undefined) continue;
      const where = state.preopens[s.root]?.hostDir;
      if (where === undefined) continue;
      const path = hostPathOf(where, s.path === "" ? [] : s.path.split("/"));
      try {
        if (Deno.statSync(path).size > s.size) Deno.truncateSync(path, s.size);
      } catch {
        // Gone: restore reports it.
      }
    }
    const d = Deputy.restore(state, stdio);
    live.closeAll();
    d.#stdin = live.#stdin;
    d.#stdin.rewind();
    d.#skip = [...live.#written];
    return d;
  }

  /** Close every host file (when the process ends). */
  closeAll(): void {
    for (const e of this.#fds.values()) {
      if (e.kind === "file") {
        try {
          e.file.close();
        } catch {
          // Already closed.
        }
      }
    }
    this.#fds.clear();
  }

  // ---- fd table ----

  #get(fd: number): LiveFd | DeputyResponse {
    const e = this.#fds.get(fd);
    // Device fds are answered by `devices` before any of this.
    if (e === undefined || e.kind === "gone" || e.kind === "device") {
      return fail(Errno.BADF);
    }
    return e;
  }

  #dir(fd: number, right: number): DirFd | DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind !== "dir") return fail(Errno.NOTDIR);
    if ((e.rightsBase & right) === 0) return fail(Errno.NOTCAPABLE);
    return e;
  }

  #lowestFreeFd(): number {
    let fd = 0;
    while (this.#fds.has(fd)) fd++;
    return fd;
  }

  #resolve(
    dir: DirFd,
    path: string,
    follow: boolean,
  ): Resolved | DeputyResponse {
    const r = resolvePath(
      this.preopens[dir.root].hostDir,
      dir.rel,
      path,
      follow,
      hostProbe,
    );
    return typeof r === "number" ? fail(r) : r;
  }

  #dirPath(
    fd: number,
    right: number,
    path: string,
    follow: boolean,
  ): { dir: DirFd; r: Resolved } | DeputyResponse {
    const dir = this.#dir(fd, right);
    if (isResponse(dir)) return dir;
    const r = this.#resolve(dir, path, follow);
    if (isResponse(r)) return r;
    return { dir, r };
  }

  // ---- reads and writes ----

  #read(fd: number, len: number): DeputyResponse | Promise<DeputyResponse> {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    const n = Math.min(len, this.#maxIo);
    if (e.kind === "stream") {
      if (e.role !== 0) return fail(Errno.BADF);
      return this.#readStdin(e, n);
    }
    if (e.kind === "dir") return fail(Errno.ISDIR);
    if (!(e.rightsBase & Rights.FD_READ) || !e.readable) {
      return fail(Errno.BADF);
    }
    return host(() => {
      const buf = new Uint8Array(n);
      const got = n === 0 ? 0 : e.file.readSync(buf);
      return { errno: 0, data: buf.subarray(0, got ?? 0) };
    });
  }

  #readStdin(
    e: StreamFd,
    len: number,
  ): DeputyResponse | Promise<DeputyResponse> {
    const input = this.#stdin;
    const now = (): DeputyResponse | null => {
      if (len === 0) return { errno: 0, data: EMPTY };
      if (input.available() > 0) return { errno: 0, data: input.take(len) };
      if (input.failed()) return fail(errnoFromError(input.takeError()));
      if (input.atEnd()) return { errno: 0, data: EMPTY };
      return null;
    };
    const ready = now();
    if (ready) return ready;
    if (e.fdflags & Fdflags.NONBLOCK) {
      void input.ready(); // prefetch: a later poll or read finds the bytes
      return fail(Errno.AGAIN);
    }
    return (async () => {
      for (;;) {
        const r = now();
        if (r) return r;
        if (this.#interruptPending) {
          void input.ready(); // what arrives meanwhile waits in the buffer
          return INTERRUPTED;
        }
        if (await this.#raceInterrupt(input.ready())) return INTERRUPTED;
      }
    })();
  }

  /** Wait for `p` or an interrupt; true when interrupted. */
  async #raceInterrupt(...ps: Promise<unknown>[]): Promise<boolean> {
    let wake!: () => void;
    const interrupted = new Promise<boolean>((resolve) => {
      wake = () => resolve(true);
    });
    this.#interruptWaiters.add(wake);
    try {
      return await Promise.race([
        interrupted,
        ...ps.map((p) => p.then(() => false)),
      ]);
    } finally {
      this.#interruptWaiters.delete(wake);
    }
  }

  #pread(fd: number, len: number, offset: bigint): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.SPIPE);
    if (e.kind === "dir") return fail(Errno.ISDIR);
    if (!(e.rightsBase & Rights.FD_READ) || !e.readable) {
      return fail(Errno.BADF);
    }
    const n = Math.min(len, this.#maxIo);
    return host(() => {
      const buf = new Uint8Array(n);
      const back = e.file.seekSync(0, Deno.SeekMode.Current);
      let got = 0;
      try {
        e.file.seekSync(offset, Deno.SeekMode.Start);
        while (got < n) {
          const r = e.file.readSync(buf.subarray(got));
          if (r === null || r === 0) break;
          got += r;
        }
      } finally {
        e.file.seekSync(back, Deno.SeekMode.Start);
      }
      return { errno: 0, data: buf.subarray(0, got) };
    });
  }

  #write(
    fd: number,
    data: Uint8Array,
  ): DeputyResponse | Promise<DeputyResponse> {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") {
      if (e.role === 0) return fail(Errno.BADF);
      const out = e.role === 1 ? this.#stdout : this.#stderr;
      const done: DeputyResponse = { errno: 0, n: data.length };
      this.#written[e.role] += data.length;
      // Replayed after a recovery: this much already reached the user.
      const skip = Math.min(this.#skip[e.role], data.length);
      this.#skip[e.role] -= skip;
      if (skip === data.length) return done;
      try {
        const p = out.write(skip > 0 ? data.subarray(skip) : data);
        if (p instanceof Promise) {
          return p.then(() => done, (err) => fail(errnoFromError(err)));
        }
        return done;
      } catch (err) {
        return fail(errnoFromError(err));
      }
    }
    if (e.kind === "dir") return fail(Errno.ISDIR);
    if (!(e.rightsBase & Rights.FD_WRITE) || !e.writable) {
      return fail(Errno.BADF);
    }
    return host(() => {
      if ((e.fdflags & Fdflags.APPEND) && !e.hostAppend) {
        e.file.seekSync(0, Deno.SeekMode.End);
      }
      const n = writeAll(e.file, data);
      if (e.fdflags & (Fdflags.SYNC | Fdflags.DSYNC | Fdflags.RSYNC)) {
        e.file.syncDataSync();
      }
      return { errno: 0, n };
    });
  }

  #pwrite(fd: number, data: Uint8Array, offset: bigint): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.SPIPE);
    if (e.kind === "dir") return fail(Errno.ISDIR);
    if (!(e.rightsBase & Rights.FD_WRITE) || !e.writable) {
      return fail(Errno.BADF);
    }
    return host(() => {
      const back = e.file.seekSync(0, Deno.SeekMode.Current);
      try {
        e.file.seekSync(offset, Deno.SeekMode.Start);
        return { errno: 0, n: writeAll(e.file, data) };
      } finally {
        e.file.seekSync(back, Deno.SeekMode.Start);
      }
    });
  }

  #seek(
    fd: number,
    offset: bigint,
    whence: number,
    right: number = Rights.FD_SEEK,
  ): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.SPIPE);
    if (e.kind === "dir") return fail(Errno.BADF);
    if (!(e.rightsBase & right)) return fail(Errno.NOTCAPABLE);
    const mode = whence === Whence.SET
      ? Deno.SeekMode.Start
      : whence === Whence.CUR
      ? Deno.SeekMode.Current
      : whence === Whence.END
      ? Deno.SeekMode.End
      : -1;
    if (mode === -1) return fail(Errno.INVAL);
    if (whence === Whence.SET && offset < 0n) return fail(Errno.INVAL);
    return host(() => ({
      errno: 0,
      offset: BigInt(e.file.seekSync(offset, mode)),
    }));
  }

  #close(fd: number): DeputyResponse {
    const e = this.#fds.get(fd);
    if (e === undefined) return fail(Errno.BADF);
    this.#fds.delete(fd);
    if (e.kind === "file") {
      return host(() => {
        e.file.close();
        return OK;
      });
    }
    return OK;
  }

  #sync(fd: number, dataOnly: boolean): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.INVAL);
    if (e.kind === "dir") return OK;
    return host(() => {
      if (dataOnly) e.file.syncDataSync();
      else e.file.syncSync();
      return OK;
    });
  }

  // ---- fd attributes ----

  #filetype(e: FdEntry): number {
    switch (e.kind) {
      case "stream": {
        const ft = e.role === 0
          ? this.#stdin.filetype
          : (e.role === 1 ? this.#stdout : this.#stderr).filetype;
        return ft ?? Filetype.UNKNOWN;
      }
      case "file":
        return e.filetype;
      case "dir":
        return Filetype.DIRECTORY;
      default:
        return Filetype.UNKNOWN;
    }
  }

  #fdstat(fd: number): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    const fdstat: Fdstat = {
      filetype: this.#filetype(e),
      flags: e.fdflags,
      rightsBase: e.rightsBase,
      rightsInheriting: e.rightsInheriting,
    };
    return { errno: 0, fdstat };
  }

  #setFlags(fd: number, flags: number): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (!(e.rightsBase & Rights.FD_FDSTAT_SET_FLAGS)) {
      return fail(Errno.NOTCAPABLE);
    }
    const known = Fdflags.APPEND | Fdflags.DSYNC | Fdflags.NONBLOCK |
      Fdflags.RSYNC | Fdflags.SYNC;
    if (flags & ~known) return fail(Errno.INVAL);
    e.fdflags = flags;
    return OK;
  }

  #setRights(fd: number, base: number, inheriting: number): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if ((base & ~e.rightsBase) || (inheriting & ~e.rightsInheriting)) {
      return fail(Errno.NOTCAPABLE);
    }
    e.rightsBase = base;
    e.rightsInheriting = inheriting;
    return OK;
  }

  #fdFilestat(fd: number): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    switch (e.kind) {
      case "stream":
        return {
          errno: 0,
          stat: {
            dev: 0n,
            ino: 0n,
            filetype: this.#filetype(e),
            nlink: 1n,
            size: 0n,
            atim: 0n,
            mtim: 0n,
            ctim: 0n,
          },
        };
      case "file":
        return host(() => ({ errno: 0, stat: toFilestat(e.file.statSync()) }));
      default:
        return host(() => ({
          errno: 0,
          stat: toFilestat(Deno.statSync(this.#hostOf(e as DirFd))),
        }));
    }
  }

  #hostOf(e: DirFd | FileFd): string {
    return hostPathOf(this.preopens[e.root].hostDir, e.rel);
  }

  #setSize(fd: number, size: bigint): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind !== "file") {
      return fail(e.kind === "dir" ? Errno.ISDIR : Errno.INVAL);
    }
    if (!(e.rightsBase & Rights.FD_FILESTAT_SET_SIZE)) {
      return fail(Errno.NOTCAPABLE);
    }
    if (!e.writable) return fail(Errno.INVAL);
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) return fail(Errno.FBIG);
    return host(() => {
      e.file.truncateSync(Number(size));
      return OK;
    });
  }

  #fdSetTimes(
    fd: number,
    atim: bigint,
    mtim: bigint,
    fst: number,
  ): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.BADF);
    return host(() => {
      if (e.kind === "file") {
        const t = pickTimes(atim, mtim, fst, () => e.file.statSync());
        if (typeof t === "number") return fail(t);
        e.file.utimeSync(t[0], t[1]);
      } else {
        const p = this.#hostOf(e as DirFd);
        const t = pickTimes(atim, mtim, fst, () => Deno.statSync(p));
        if (typeof t === "number") return fail(t);
        Deno.utimeSync(p, t[0], t[1]);
      }
      return OK;
    });
  }

  #advise(
    fd: number,
    offset: bigint,
    len: bigint,
    advice: number,
  ): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.SPIPE);
    if (e.kind !== "file") return fail(Errno.BADF);
    if (advice > ADVICE_MAX || offset < 0n || len < 0n) {
      return fail(Errno.INVAL);
    }
    return OK; // advice only: nothing to do
  }

  #allocate(fd: number, offset: bigint, len: bigint): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind === "stream") return fail(Errno.SPIPE);
    if (e.kind !== "file") return fail(Errno.BADF);
    if (offset < 0n || len <= 0n) return fail(Errno.INVAL);
    if (!e.writable) return fail(Errno.BADF);
    const end = offset + len;
    if (end > BigInt(Number.MAX_SAFE_INTEGER)) return fail(Errno.FBIG);
    return host(() => {
      if (BigInt(e.file.statSync().size) < end) {
        e.file.truncateSync(Number(end));
      }
      return OK;
    });
  }

  #readdir(fd: number, len: number, cookie: bigint): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind !== "dir") return fail(Errno.NOTDIR);
    if (!(e.rightsBase & Rights.FD_READDIR)) return fail(Errno.NOTCAPABLE);
    return host(() => {
      if (cookie === 0n || e.listing === undefined) {
        e.listing = listDirectory(this.#hostOf(e));
      }
      const data = encodeDirents(e.listing, cookie, Math.min(len, this.#maxIo));
      return { errno: 0, data };
    });
  }

  #renumber(from: number, to: number): DeputyResponse {
    const a = this.#fds.get(from);
    const b = this.#fds.get(to);
    if (a === undefined || b === undefined) return fail(Errno.BADF);
    if (from === to) return OK;
    if (b.kind === "file") {
      try {
        b.file.close();
      } catch {
        // Closing the replaced fd cannot fail the renumber.
      }
    }
    this.#fds.set(to, a);
    this.#fds.delete(from);
    return OK;
  }

  #prestat(fd: number): DeputyResponse {
    const e = this.#get(fd);
    if (isResponse(e)) return e;
    if (e.kind !== "dir" || !e.preopen) return fail(Errno.BADF);
    const name = this.preopens[e.root].guestPath;
    return { errno: 0, name, n: new TextEncoder().encode(name).length };
  }

  // ---- paths ----

  #open(req: Extract<DeputyRequest, { op: "path_open" }>): DeputyResponse {
    const dp = this.#dirPath(
      req.fd,
      Rights.PATH_OPEN,
      req.path,
      (req.dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0,
    );
    if (isResponse(dp)) return dp;
    const { dir, r } = dp;
    const base = req.base & dir.rightsInheriting;
    const inheriting = req.inheriting & dir.rightsInheriting;
    const creat = (req.oflags & Oflags.CREAT) !== 0;
    let st: Deno.FileInfo | null = null;
    try {
      st = Deno.lstatSync(r.host);
    } catch (err) {
      const errno = errnoFromError(err);
      if (errno !== Errno.NOENT) return fail(errno);
    }
    if (st === null) {
      if (!creat) return fail(Errno.NOENT);
      if (req.oflags & Oflags.DIRECTORY) return fail(Errno.INVAL);
      if (r.mustBeDir) return fail(Errno.ISDIR);
      if (!(dir.rightsBase & Rights.PATH_CREATE_FILE)) {
        return fail(Errno.NOTCAPABLE);
      }
    } else {
      if (creat && (req.oflags & Oflags.EXCL)) return fail(Errno.EXIST);
      if (st.isSymlink) return fail(Errno.LOOP); // not following it: O_NOFOLLOW
      if (st.isDirectory) {
        if (
          base &
          (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)
        ) {
          return fail(Errno.ISDIR);
        }
        if (req.oflags & Oflags.TRUNC) return fail(Errno.ISDIR);
        return this.#install({
          kind: "dir",
          root: dir.root,
          rel: r.rel,
          preopen: false,
          fdflags: req.fdflags,
          rightsBase: base & RIGHTS_DIR,
          rightsInheriting: inheriting,
        });
      }
      if ((req.oflags & Oflags.DIRECTORY) || r.mustBeDir) {
        return fail(Errno.NOTDIR);
      }
    }
    const writable = (base & RIGHTS_NEED_WRITE) !== 0;
    const readable = (base & RIGHTS_NEED_READ) !== 0 || !writable;
    const append = writable && (req.fdflags & Fdflags.APPEND) !== 0;
    const trunc = (req.oflags & Oflags.TRUNC) !== 0;
    return host(() => {
      if ((creat || trunc) && !writable) {
        // The host needs write access to create or truncate.
        Deno.openSync(r.host, {
          write: true,
          create: creat,
          createNew: creat && (req.oflags & Oflags.EXCL) !== 0,
          truncate: trunc,
        }).close();
      }
      const file = Deno.openSync(r.host, {
        read: readable,
        write: writable && !append,
        append,
        create: creat && writable,
        createNew: creat && writable && (req.oflags & Oflags.EXCL) !== 0,
        truncate: trunc && writable,
      });
      const filetype = st ? filetypeOf(st) : Filetype.REGULAR_FILE;
      return this.#install({
        kind: "file",
        file,
        root: dir.root,
        rel: r.rel,
        readable,
        writable,
        hostAppend: append,
        filetype,
        fdflags: req.fdflags,
        rightsBase: base & RIGHTS_FILE &
          ~(writable ? 0 : RIGHTS_NEED_WRITE) &
          ~(readable ? 0 : Rights.FD_READ),
        rightsInheriting: inheriting,
      });
    });
  }

  #install(e: FdEntry): DeputyResponse {
    const fd = this.#lowestFreeFd();
    this.#fds.set(fd, e);
    return { errno: 0, n: fd };
  }

  #mkdir(fd: number, path: string): DeputyResponse {
    const dp = this.#dirPath(fd, Rights.PATH_CREATE_DIRECTORY, path, false);
    if (isResponse(dp)) return dp;
    if (dp.r.rel.length === 0 || dp.r.last === "." || dp.r.last === "..") {
      return fail(Errno.EXIST);
    }
    return host(() => {
      Deno.mkdirSync(dp.r.host);
      return OK;
    });
  }

  #removable(r: Resolved): DeputyResponse | null {
    if (r.last === ".") return fail(Errno.INVAL);
    if (r.last === "..") return fail(Errno.NOTEMPTY);
    if (r.rel.length === 0) return fail(Errno.BUSY);
    return null;
  }

  #rmdir(fd: number, path: string): DeputyResponse {
    const dp = this.#dirPath(fd, Rights.PATH_REMOVE_DIRECTORY, path, false);
    if (isResponse(dp)) return dp;
    const bad = this.#removable(dp.r);
    if (bad) return bad;
    return host(() => {
      if (!Deno.lstatSync(dp.r.host).isDirectory) return fail(Errno.NOTDIR);
      Deno.removeSync(dp.r.host);
      return OK;
    });
  }

  #unlink(fd: number, path: string): DeputyResponse {
    const dp = this.#dirPath(fd, Rights.PATH_UNLINK_FILE, path, false);
    if (isResponse(dp)) return dp;
    const bad = this.#removable(dp.r);
    if (bad) return fail(bad.errno === Errno.BUSY ? Errno.ISDIR : bad.errno);
    return host(() => {
      const st = Deno.lstatSync(dp.r.host);
      if (st.isDirectory) return fail(Errno.ISDIR);
      if (dp.r.mustBeDir) return fail(Errno.NOTDIR);
      Deno.removeSync(dp.r.host);
      return OK;
    });
  }

  #rename(
    fd: number,
    path: string,
    newFd: number,
    newPath: string,
  ): DeputyResponse {
    const from = this.#dirPath(fd, Rights.PATH_RENAME_SOURCE, path, false);
    if (isResponse(from)) return from;
    const to = this.#dirPath(newFd, Rights.PATH_RENAME_TARGET, newPath, false);
    if (isResponse(to)) return to;
    const bad = this.#removable(from.r) ?? this.#removable(to.r);
    if (bad) return bad;
    return host(() => {
      Deno.renameSync(from.r.host, to.r.host);
      return OK;
    });
  }

  #link(
    fd: number,
    dirflags: number,
    path: string,
    newFd: number,
    newPath: string,
  ): DeputyResponse {
    const follow = (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0;
    const from = this.#dirPath(fd, Rights.PATH_LINK_SOURCE, path, follow);
    if (isResponse(from)) return from;
    const to = this.#dirPath(newFd, Rights.PATH_LINK_TARGET, newPath, false);
    if (isResponse(to)) return to;
    if (to.r.rel.length === 0) return fail(Errno.EXIST);
    return host(() => {
      Deno.linkSync(from.r.host, to.r.host);
      return OK;
    });
  }

  #symlink(target: string, fd: number, path: string): DeputyResponse {
    // An absolute target would point outside the sandbox on the host.
    if (target.startsWith("/")) return fail(Errno.NOTCAPABLE);
    if (target === "" || target.includes("\0")) return fail(Errno.NOENT);
    const dp = this.#dirPath(fd, Rights.PATH_SYMLINK, path, false);
    if (isResponse(dp)) return dp;
    if (dp.r.rel.length === 0 || dp.r.mustBeDir) return fail(Errno.EXIST);
    return host(() => {
      Deno.symlinkSync(target, dp.r.host);
      return OK;
    });
  }

  #readlink(fd: number, path: string): DeputyResponse {
    const dp = this.#dirPath(fd, Rights.PATH_READLINK, path, false);
    if (isResponse(dp)) return dp;
    return host(() => {
      if (!Deno.lstatSync(dp.r.host).isSymlink) return fail(Errno.INVAL);
      return {
        errno: 0,
        data: new TextEncoder().encode(Deno.readLinkSync(dp.r.host)),
      };
    });
  }

  #pathFilestat(fd: number, dirflags: number, path: string): DeputyResponse {
    const follow = (dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0;
    const dp = this.#dirPath(fd, Rights.PATH_FILESTAT_GET, path, follow);
    if (isResponse(dp)) return dp;
    return host(() => {
      const st = follow ? Deno.statSync(dp.r.host) : Deno.lstatSync(dp.r.host);
      if (dp.r.mustBeDir && !st.isDirectory) return fail(Errno.NOTDIR);
      return { errno: 0, stat: toFilestat(st) };
    });
  }

  #pathSetTimes(
    req: Extract<DeputyRequest, { op: "path_filestat_set_times" }>,
  ): DeputyResponse {
    const follow = (req.dirflags & Lookupflags.SYMLINK_FOLLOW) !== 0;
    const dp = this.#dirPath(
      req.fd,
      Rights.PATH_FILESTAT_SET_TIMES,
      req.path,
      follow,
    );
    if (isResponse(dp)) return dp;
    const p = dp.r.host;
    return host(() => {
      const st = Deno.lstatSync(p);
      const t = pickTimes(req.atim, req.mtim, req.fstflags, () => st);
      if (typeof t === "number") return fail(t);
      if (st.isSymlink) return fail(Errno.NOTSUP); // no lutimes in Deno
      Deno.utimeSync(p, t[0], t[1]);
      return OK;
    });
  }

  // ---- poll ----

  #pollNow(subs: PollSubscription[], elapsedNs: bigint): {
    events: PollEvent[];
    waitNs: bigint | null;
    waits: Promise<void>[];
  } {
    const events: PollEvent[] = [];
    const waits: Promise<void>[] = [];
    let waitNs: bigint | null = null;
    const ev = (s: PollSubscription, error: number, nbytes = 0n, flags = 0) =>
      events.push({ userdata: s.userdata, error, type: s.type, nbytes, flags });
    for (const s of subs) {
      if (s.type === Eventtype.CLOCK) {
        const left = (s.timeout ?? 0n) - elapsedNs;
        if (left <= 0n) ev(s, 0);
        else if (waitNs === null || left < waitNs) waitNs = left;
        continue;
      }
      const e = this.#fds.get(s.fd ?? -1);
      if (
        e === undefined || e.kind === "gone" || e.kind === "dir" ||
        e.kind === "device"
      ) {
        ev(s, Errno.BADF);
        continue;
      }
      if (s.type === Eventtype.FD_WRITE) {
        if (e.kind === "stream" && e.role === 0) ev(s, Errno.BADF);
        else ev(s, 0);
        continue;
      }
      if (e.kind === "stream") {
        if (e.role !== 0) ev(s, Errno.BADF);
        else if (this.#stdin.available() > 0) {
          ev(s, 0, BigInt(this.#stdin.available()));
        } else if (this.#stdin.failed()) ev(s, Errno.IO);
        else if (this.#stdin.atEnd()) {
          ev(s, 0, 0n, EventRwFlags.FD_READWRITE_HANGUP);
        } else waits.push(this.#stdin.ready());
        continue;
      }
      try {
        const pos = e.file.seekSync(0, Deno.SeekMode.Current);
        const size = e.file.statSync().size;
        ev(s, 0, BigInt(Math.max(0, size - pos)));
      } catch (err) {
        ev(s, errnoFromError(err));
      }
    }
    return { events, waitNs, waits };
  }

  #poll(subs: PollSubscription[]): DeputyResponse | Promise<DeputyResponse> {
    if (subs.length === 0) return fail(Errno.INVAL);
    const start = performance.now();
    const elapsed = () => BigInt(Math.floor((performance.now() - start) * 1e6));
    const first = this.#pollNow(subs, 0n);
    if (first.events.length > 0) return { errno: 0, events: first.events };
    return (async () => {
      let round = first;
      for (;;) {
        if (round.events.length > 0) return { errno: 0, events: round.events };
        if (this.#interruptPending) return INTERRUPTED;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const waits = [...round.waits];
        if (round.waitNs !== null) {
          const ms = Number(round.waitNs) / 1e6;
          waits.push(
            new Promise((r) => {
              timer = setTimeout(r, Math.min(Math.ceil(ms), 2 ** 31 - 1));
            }),
          );
        }
        try {
          if (waits.length === 0) {
            // Nothing can become ready: only an interrupt ends this poll.
            waits.push(new Promise(() => {}));
          }
          if (await this.#raceInterrupt(...waits)) return INTERRUPTED;
        } finally {
          if (timer !== undefined) clearTimeout(timer);
        }
        round = this.#pollNow(subs, elapsed());
      }
    })();
  }

  // ---- checkpoint ----

  /** The state needed to rebuild this deputy (see {@linkcode Deputy.restore}). */
  saveState(): DeputyState {
    const fds: SavedFd[] = [];
    for (
      const [fd, e] of [...this.#fds.entries()].sort((a, b) => a[0] - b[0])
    ) {
      const base = {
        fd,
        fdflags: e.fdflags,
        rightsBase: e.rightsBase,
        rightsInheriting: e.rightsInheriting,
      };
      switch (e.kind) {
        case "stream":
          fds.push({ ...base, kind: "stream", role: e.role });
          break;
        case "dir":
          fds.push({
            ...base,
            kind: "dir",
            root: e.root,
            path: e.rel.join("/"),
            preopen: e.preopen,
          });
          break;
        case "gone":
          fds.push({ ...base, kind: "gone", why: e.why });
          break;
        case "file": {
          const offset = BigInt(e.file.seekSync(0, Deno.SeekMode.Current));
          fds.push({
            ...base,
            kind: "file",
            root: e.root,
            path: e.rel.join("/"),
            readable: e.readable,
            writable: e.writable,
            append: e.hostAppend,
            ...(e.hostAppend ? { size: e.file.statSync().size } : {}),
            offset,
            filetype: e.filetype,
            vanished: !this.#sameFile(e),
          });
          break;
        }
      }
    }
    return {
      version: 1,
      args: [...this.args],
      env: [...this.env],
      cwd: this.cwd,
      preopens: this.preopens.map((p) => ({ ...p })),
      fds,
      stdinPending: this.#stdin.peekAll(),
    };
  }

  #sameFile(e: FileFd): boolean {
    try {
      const open = e.file.statSync();
      const named = Deno.statSync(this.#hostOf(e));
      return open.ino === named.ino && open.dev === named.dev;
    } catch {
      return false;
    }
  }

  /**
   * Rebuild a deputy from {@linkcode Deputy.saveState} output: files are
   * reopened by path (never created or truncated) at their saved offsets.
   * A file that is gone or was replaced, or was already deleted when the
   * state was saved, throws a {@linkcode DeputyRestoreError} naming the fd
   * and path, unless `missing: "ebadf"`, which leaves that fd answering
   * EBADF. Directory listings restart (cookies index a fresh listing).
   */
  static restore(
    state: DeputyState,
    stdio: Stdio,
    opts: RestoreOptions = {},
  ): Deputy {
    // The state comes from a file: check its shape before using it.
    checkDeputyState(state);
    let d: Deputy;
    try {
      d = new Deputy({
        args: state.args,
        env: state.env,
        cwd: state.cwd,
        preopens: state.preopens,
        stdio,
        maxIo: opts.maxIo,
      });
    } catch (err) {
      throw new DeputyRestoreError(-1, (err as Error).message); // a preopen is gone
    }
    d.#fds.clear();
    d.#stdin = new BufferedInput(stdio.stdin, state.stdinPending);
    const opened: Deno.FsFile[] = [];
    try {
      for (const s of state.fds) {
        const base = {
          fdflags: s.fdflags,
          rightsBase: s.rightsBase,
          rightsInheriting: s.rightsInheriting,
        };
        const rel = "path" in s && s.path !== "" ? s.path.split("/") : [];
        switch (s.kind) {
          case "stream":
            d.#fds.set(s.fd, { ...base, kind: "stream", role: s.role });
            break;
          case "gone":
            d.#fds.set(s.fd, { ...base, kind: "gone", why: s.why });
            break;
          case "dir":
            d.#fds.set(s.fd, {
              ...base,
              kind: "dir",
              root: s.root,
              rel,
              preopen: s.preopen,
            });
            break;
          case "file": {
            const where = d.preopens[s.root]?.hostDir;
            const path = where === undefined ? "?" : hostPathOf(where, rel);
            let why: string | null = s.vanished
              ? "was deleted or replaced while open"
              : null;
            let file: Deno.FsFile | null = null;
            if (why === null && where !== undefined) {
              try {
                file = Deno.openSync(path, {
                  read: s.readable,
                  write: s.writable && !s.append,
                  append: s.append,
                });
                opened.push(file);
                file.seekSync(s.offset, Deno.SeekMode.Start);
              } catch (err) {
                why = `cannot be reopened (${errnoName(errnoFromError(err))})`;
              }
            } else if (why === null) why = `has no preopen #${s.root}`;
            if (file !== null && why === null) {
              d.#fds.set(s.fd, {
                ...base,
                kind: "file",
                file,
                root: s.root,
                rel,
                readable: s.readable,
                writable: s.writable,
                hostAppend: s.append,
                filetype: s.filetype,
              });
              break;
            }
            const msg = `restore: fd ${s.fd}: file '${path}' ${why}`;
            if ((opts.missing ?? "fail") === "fail") {
              throw new DeputyRestoreError(s.fd, msg);
            }
            d.#fds.set(s.fd, { ...base, kind: "gone", why: msg });
            break;
          }
        }
      }
    } catch (err) {
      for (const f of opened) f.close();
      throw err;
    }
    return d;
  }
}

/** The real path of a directory to preopen; a one-line error if unusable. */
function realDir(dir: string): string {
  let real: string;
  try {
    real = Deno.realPathSync(dir);
  } catch (err) {
    throw new Error(
      `preopen: ${dir}: ${
        errnoName(errnoFromError(err))
      } (give an existing directory)`,
    );
  }
  if (!Deno.statSync(real).isDirectory) {
    throw new Error(`preopen: ${dir}: not a directory (give a directory)`);
  }
  return real;
}

function writeAll(file: Deno.FsFile, data: Uint8Array): number {
  let at = 0;
  while (at < data.length) {
    const n = file.writeSync(data.subarray(at));
    if (n <= 0) break;
    at += n;
  }
  return at;
}

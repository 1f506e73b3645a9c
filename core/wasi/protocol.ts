/**
 * The requests a user context sends to its deputy and the responses it gets.
 *
 * Requests are plain serializable values (numbers, bigints, strings, bytes),
 * never wasm pointers: the guest side reads its memory, the deputy works on
 * values, so the same deputy serves a context in a local Worker or on
 * another node. Paths are relative to a directory fd, as in WASI. Clock
 * subscriptions are relative timeouts in ns: the guest converts absolute
 * ones with its own clock, so the deputy needs no shared clock.
 *
 * @module
 */

/** A request to the deputy; `op` is the WASI function it carries out. */
export type DeputyRequest =
  | { op: "context_info" }
  | {
    op: "fd_read";
    fd: number;
    len: number;
    /** The reader's whole buffer when larger than `len` (a message device fills it in chunks). */
    max?: number;
  }
  | { op: "fd_pread"; fd: number; len: number; offset: bigint }
  | {
    op: "fd_write";
    fd: number;
    data: Uint8Array;
    /** A write sent in chunks: where this chunk starts, and the whole size. */
    at?: number;
    total?: number;
  }
  | { op: "fd_pwrite"; fd: number; data: Uint8Array; offset: bigint }
  | { op: "fd_seek"; fd: number; offset: bigint; whence: number }
  | { op: "fd_tell"; fd: number }
  | { op: "fd_close"; fd: number }
  | { op: "fd_sync"; fd: number }
  | { op: "fd_datasync"; fd: number }
  | { op: "fd_fdstat_get"; fd: number }
  | { op: "fd_fdstat_set_flags"; fd: number; flags: number }
  | { op: "fd_fdstat_set_rights"; fd: number; base: number; inheriting: number }
  | { op: "fd_filestat_get"; fd: number }
  | { op: "fd_filestat_set_size"; fd: number; size: bigint }
  | {
    op: "fd_filestat_set_times";
    fd: number;
    atim: bigint;
    mtim: bigint;
    fstflags: number;
  }
  | { op: "fd_advise"; fd: number; offset: bigint; len: bigint; advice: number }
  | { op: "fd_allocate"; fd: number; offset: bigint; len: bigint }
  | { op: "fd_readdir"; fd: number; len: number; cookie: bigint }
  | { op: "fd_renumber"; fd: number; to: number }
  | { op: "fd_prestat_get"; fd: number }
  | {
    op: "path_open";
    fd: number;
    dirflags: number;
    path: string;
    oflags: number;
    base: number;
    inheriting: number;
    fdflags: number;
  }
  | { op: "path_create_directory"; fd: number; path: string }
  | { op: "path_remove_directory"; fd: number; path: string }
  | { op: "path_unlink_file"; fd: number; path: string }
  | {
    op: "path_rename";
    fd: number;
    path: string;
    newFd: number;
    newPath: string;
  }
  | {
    op: "path_link";
    fd: number;
    dirflags: number;
    path: string;
    newFd: number;
    newPath: string;
  }
  | { op: "path_symlink"; target: string; fd: number; path: string }
  | { op: "path_readlink"; fd: number; path: string }
  | { op: "path_filestat_get"; fd: number; dirflags: number; path: string }
  | {
    op: "path_filestat_set_times";
    fd: number;
    dirflags: number;
    path: string;
    atim: bigint;
    mtim: bigint;
    fstflags: number;
  }
  | { op: "poll_oneoff"; subs: PollSubscription[] };

/** The `op` names of {@linkcode DeputyRequest}. */
export type DeputyOp = DeputyRequest["op"];

/** WASI `filestat`, as values. */
export interface Filestat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** WASI `fdstat`, as values. */
export interface Fdstat {
  filetype: number;
  flags: number;
  rightsBase: number;
  rightsInheriting: number;
}

/** One poll_oneoff subscription; a clock's timeout is relative, in ns. */
export interface PollSubscription {
  userdata: bigint;
  /** {@linkcode Eventtype}: CLOCK, FD_READ or FD_WRITE. */
  type: number;
  fd?: number;
  timeout?: bigint;
}

/** One poll_oneoff event. */
export interface PollEvent {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
  flags: number;
}

/**
 * The deputy's answer. `errno` 0 is success; which other field is set
 * depends on the op. `interrupted` means a freeze interrupted a blocked call
 * that therefore did nothing.
 */
export interface DeputyResponse {
  errno: number;
  interrupted?: boolean;
  /** A count (bytes done), a new fd, or a prestat name length. */
  n?: number;
  /** A file offset (seek, tell). */
  offset?: bigint;
  /** Bytes read, dirent records, a link target. */
  data?: Uint8Array;
  /** A preopen's guest path. */
  name?: string;
  stat?: Filestat;
  fdstat?: Fdstat;
  events?: PollEvent[];
  /** fd_read: the same message continues (read again for the rest). */
  more?: boolean;
  /** The error undoes the whole chunked write (a message device sent nothing). */
  whole?: boolean;
  /** path_open: the fd is a /dev/mosix device (its name there). */
  dev?: string;
  /** context_info: the program's argv and environment ("K=V"). */
  args?: string[];
  env?: string[];
}

/** Something that answers deputy requests (the deputy, or a link to it). */
export interface DeputyHandler {
  /** Carry out one request. */
  handle(req: DeputyRequest): DeputyResponse | Promise<DeputyResponse>;
}

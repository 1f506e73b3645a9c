/**
 * WASI preview1 constants: rights, file types, flags, whence, clocks,
 * events and the byte layouts of the structures the ABI passes in memory.
 *
 * Rights are below 2^30, so they are plain numbers here; the guest ABI
 * carries them as u64.
 *
 * @module
 */

/** Right bits (`rights` flags). */
export const Rights = {
  FD_DATASYNC: 1 << 0,
  FD_READ: 1 << 1,
  FD_SEEK: 1 << 2,
  FD_FDSTAT_SET_FLAGS: 1 << 3,
  FD_SYNC: 1 << 4,
  FD_TELL: 1 << 5,
  FD_WRITE: 1 << 6,
  FD_ADVISE: 1 << 7,
  FD_ALLOCATE: 1 << 8,
  PATH_CREATE_DIRECTORY: 1 << 9,
  PATH_CREATE_FILE: 1 << 10,
  PATH_LINK_SOURCE: 1 << 11,
  PATH_LINK_TARGET: 1 << 12,
  PATH_OPEN: 1 << 13,
  FD_READDIR: 1 << 14,
  PATH_READLINK: 1 << 15,
  PATH_RENAME_SOURCE: 1 << 16,
  PATH_RENAME_TARGET: 1 << 17,
  PATH_FILESTAT_GET: 1 << 18,
  PATH_FILESTAT_SET_SIZE: 1 << 19,
  PATH_FILESTAT_SET_TIMES: 1 << 20,
  FD_FILESTAT_GET: 1 << 21,
  FD_FILESTAT_SET_SIZE: 1 << 22,
  FD_FILESTAT_SET_TIMES: 1 << 23,
  PATH_SYMLINK: 1 << 24,
  PATH_REMOVE_DIRECTORY: 1 << 25,
  PATH_UNLINK_FILE: 1 << 26,
  POLL_FD_READWRITE: 1 << 27,
  SOCK_SHUTDOWN: 1 << 28,
  SOCK_ACCEPT: 1 << 29,
} as const;

/** Every right. */
export const RIGHTS_ALL = (1 << 30) - 1;

/** Rights that make sense on a regular file. */
export const RIGHTS_FILE = Rights.FD_DATASYNC | Rights.FD_READ |
  Rights.FD_SEEK | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_TELL | Rights.FD_WRITE | Rights.FD_ADVISE | Rights.FD_ALLOCATE |
  Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_SIZE |
  Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/** Rights that make sense on a directory (base rights). */
export const RIGHTS_DIR = Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_ADVISE | Rights.PATH_CREATE_DIRECTORY |
  Rights.PATH_CREATE_FILE | Rights.PATH_LINK_SOURCE |
  Rights.PATH_LINK_TARGET | Rights.PATH_OPEN | Rights.FD_READDIR |
  Rights.PATH_READLINK | Rights.PATH_RENAME_SOURCE |
  Rights.PATH_RENAME_TARGET | Rights.PATH_FILESTAT_GET |
  Rights.PATH_FILESTAT_SET_SIZE | Rights.PATH_FILESTAT_SET_TIMES |
  Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES |
  Rights.PATH_SYMLINK | Rights.PATH_REMOVE_DIRECTORY |
  Rights.PATH_UNLINK_FILE;

/** Rights of a stream (stdin, stdout, stderr, a pipe or a terminal). */
export const RIGHTS_STREAM = Rights.FD_READ | Rights.FD_WRITE |
  Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET |
  Rights.POLL_FD_READWRITE | Rights.FD_SYNC | Rights.FD_DATASYNC;

/** Rights that need the host file open for writing. */
export const RIGHTS_NEED_WRITE = Rights.FD_DATASYNC | Rights.FD_WRITE |
  Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

/** Rights that need the host file open for reading. */
export const RIGHTS_NEED_READ = Rights.FD_READ | Rights.FD_READDIR;

/** `filetype` values. */
export const Filetype = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;

/** `oflags` for path_open. */
export const Oflags = {
  CREAT: 1 << 0,
  DIRECTORY: 1 << 1,
  EXCL: 1 << 2,
  TRUNC: 1 << 3,
} as const;

/** `fdflags`. */
export const Fdflags = {
  APPEND: 1 << 0,
  DSYNC: 1 << 1,
  NONBLOCK: 1 << 2,
  RSYNC: 1 << 3,
  SYNC: 1 << 4,
} as const;

/** `lookupflags`. */
export const Lookupflags = { SYMLINK_FOLLOW: 1 << 0 } as const;

/** `fstflags` for the filestat_set_times calls. */
export const Fstflags = {
  ATIM: 1 << 0,
  ATIM_NOW: 1 << 1,
  MTIM: 1 << 2,
  MTIM_NOW: 1 << 3,
} as const;

/** `whence` for fd_seek. */
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;

/** `clockid` values. */
export const ClockId = {
  REALTIME: 0,
  MONOTONIC: 1,
  PROCESS_CPUTIME_ID: 2,
  THREAD_CPUTIME_ID: 3,
} as const;

/** `eventtype` values (also the subscription tags). */
export const Eventtype = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;

/** `eventrwflags`. */
export const EventRwFlags = { FD_READWRITE_HANGUP: 1 << 0 } as const;

/** `subclockflags`. */
export const Subclockflags = { SUBSCRIPTION_CLOCK_ABSTIME: 1 << 0 } as const;

/** `advice` values (the largest valid one). */
export const ADVICE_MAX = 5;

/** `preopentype`: the only kind is a directory. */
export const PREOPENTYPE_DIR = 0;

/** Byte sizes of the ABI structures. */
export const Sizes = {
  IOVEC: 8,
  FILESTAT: 64,
  FDSTAT: 24,
  PRESTAT: 8,
  DIRENT: 24,
  SUBSCRIPTION: 48,
  EVENT: 32,
} as const;

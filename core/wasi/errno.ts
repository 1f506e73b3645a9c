/**
 * WASI preview1 errno values (`wasi_snapshot_preview1` `errno` enum) and
 * their names, plus the mapping from host (POSIX) error codes.
 *
 * @module
 */

/** Every WASI preview1 errno name, indexed by its value. */
export const ERRNO_NAMES = [
  "SUCCESS",
  "2BIG",
  "ACCES",
  "ADDRINUSE",
  "ADDRNOTAVAIL",
  "AFNOSUPPORT",
  "AGAIN",
  "ALREADY",
  "BADF",
  "BADMSG",
  "BUSY",
  "CANCELED",
  "CHILD",
  "CONNABORTED",
  "CONNREFUSED",
  "CONNRESET",
  "DEADLK",
  "DESTADDRREQ",
  "DOM",
  "DQUOT",
  "EXIST",
  "FAULT",
  "FBIG",
  "HOSTUNREACH",
  "IDRM",
  "ILSEQ",
  "INPROGRESS",
  "INTR",
  "INVAL",
  "IO",
  "ISCONN",
  "ISDIR",
  "LOOP",
  "MFILE",
  "MLINK",
  "MSGSIZE",
  "MULTIHOP",
  "NAMETOOLONG",
  "NETDOWN",
  "NETRESET",
  "NETUNREACH",
  "NFILE",
  "NOBUFS",
  "NODEV",
  "NOENT",
  "NOEXEC",
  "NOLCK",
  "NOLINK",
  "NOMEM",
  "NOMSG",
  "NOPROTOOPT",
  "NOSPC",
  "NOSYS",
  "NOTCONN",
  "NOTDIR",
  "NOTEMPTY",
  "NOTRECOVERABLE",
  "NOTSOCK",
  "NOTSUP",
  "NOTTY",
  "NXIO",
  "OVERFLOW",
  "OWNERDEAD",
  "PERM",
  "PIPE",
  "PROTO",
  "PROTONOSUPPORT",
  "PROTOTYPE",
  "RANGE",
  "ROFS",
  "SPIPE",
  "SRCH",
  "STALE",
  "TIMEDOUT",
  "TXTBSY",
  "XDEV",
  "NOTCAPABLE",
] as const;

/** A WASI errno name without the leading "E" ("NOENT", "BADF", ...). */
export type ErrnoName = typeof ERRNO_NAMES[number];

/** WASI errno values by name: `Errno.NOENT === 44`. */
export const Errno: Readonly<Record<ErrnoName, number>> = Object.freeze(
  Object.fromEntries(ERRNO_NAMES.map((name, value) => [name, value])) as Record<
    ErrnoName,
    number
  >,
);

/** The name of a WASI errno value ("ENOENT"), or "E?<n>" if unknown. */
export function errnoName(errno: number): string {
  const name = ERRNO_NAMES[errno];
  if (name === undefined) return `E?${errno}`;
  return name === "SUCCESS" ? "ESUCCESS" : `E${name}`;
}

/** Host error codes that have no WASI errno of the same name. */
const HOST_ALIASES: Record<string, number> = {
  EWOULDBLOCK: Errno.AGAIN,
  EOPNOTSUPP: Errno.NOTSUP,
  ENOTBLK: Errno.INVAL,
  EBADFD: Errno.BADF,
};

/**
 * The WASI errno for a host error: uses its POSIX `code` ("ENOENT") when it
 * has one, then Deno's error class names, else EIO.
 */
export function errnoFromError(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("E")) {
    const byName = (Errno as Record<string, number>)[code.slice(1)];
    if (byName !== undefined) return byName;
    if (HOST_ALIASES[code] !== undefined) return HOST_ALIASES[code];
  }
  if (err instanceof Deno.errors.NotFound) return Errno.NOENT;
  if (err instanceof Deno.errors.AlreadyExists) return Errno.EXIST;
  if (err instanceof Deno.errors.PermissionDenied) return Errno.ACCES;
  if (err instanceof Deno.errors.NotADirectory) return Errno.NOTDIR;
  if (err instanceof Deno.errors.IsADirectory) return Errno.ISDIR;
  if (err instanceof Deno.errors.InvalidData) return Errno.INVAL;
  if (err instanceof Deno.errors.BrokenPipe) return Errno.PIPE;
  if (err instanceof Deno.errors.WouldBlock) return Errno.AGAIN;
  if (err instanceof Deno.errors.Interrupted) return Errno.INTR;
  if (err instanceof Deno.errors.NotSupported) return Errno.NOTSUP;
  if (err instanceof Deno.errors.FilesystemLoop) return Errno.LOOP;
  if (err instanceof Deno.errors.NotCapable) return Errno.NOTCAPABLE;
  return Errno.IO;
}

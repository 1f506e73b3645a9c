/**
 * The batch job protocol between a home's `mosrun` and the target's
 * omdiscd, on an authenticated link (core/link/frame_conn.ts). Pure:
 * message names, validation of what arrives, flow-control constants and
 * exit-status arithmetic.
 *
 * Conversation:
 * - home -> target request `batch.start` ({@linkcode BatchStart}); the reply
 *   is a {@linkcode BatchStartResult} (started, or refused with a reason);
 * - target -> home: `batch.out` {fd 1|2, data}, `batch.inack` {bytes},
 *   `batch.alive` {}, and last `batch.exit` ({@linkcode BatchExit});
 * - home -> target: `batch.in` {data}, `batch.eof` {}, `batch.ack`
 *   {fd, bytes}, `batch.signal` {signal}, `batch.alive` {}.
 *
 * Flow control: each direction of each stream has a window of
 * {@linkcode BATCH_WINDOW} bytes sent but not yet acknowledged (written to
 * where they go), so tens of MiB never pile up in memory at either end.
 *
 * @module
 */

/** Message types (all start with "batch.", the link server's route). */
export const BatchMsg = {
  /** Start a job (a request, answered with a reply). */
  Start: "batch.start",
  /** Output of the job: {fd: 1|2, data}. */
  Out: "batch.out",
  /** Output written at home: {fd, bytes}. */
  Ack: "batch.ack",
  /** Input for the job: {data}. */
  In: "batch.in",
  /** Input written to the job: {bytes}. */
  InAck: "batch.inack",
  /** End of the job's input. */
  Eof: "batch.eof",
  /** Deliver a signal to the job: {signal}. */
  Signal: "batch.signal",
  /** Nothing to say, but still here. */
  Alive: "batch.alive",
  /** The job ended: {@linkcode BatchExit}. */
  Exit: "batch.exit",
} as const;

/** Bytes per stream sent and not yet acknowledged. */
export const BATCH_WINDOW = 1024 * 1024;

/** Each side says something at least this often, ms. */
export const BATCH_ALIVE_MS = 5_000;

/** A side silent this long is gone, ms. */
export const BATCH_SILENT_MS = 30_000;

/** Most bytes of arguments plus environment in a start request. */
export const MAX_START_BYTES = 4 * 1024 * 1024;

/** Signals `mosrun` catches at home and delivers to the job. */
export const FORWARDED_SIGNALS = [
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
  "SIGQUIT",
  "SIGUSR1",
  "SIGUSR2",
] as const;

/** A signal delivered to a batch job. */
export type ForwardedSignal = typeof FORWARDED_SIGNALS[number];

/** Linux signal numbers, for 128+N exit statuses. */
const SIGNAL_NUMBERS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
};

/** The Linux number of a signal name, or null when unknown. */
export function signalNumber(name: string): number | null {
  return SIGNAL_NUMBERS[name] ?? null;
}

/**
 * Signals a home may ask the target to deliver: the forwarded ones, and
 * SIGPIPE when home can no longer write the job's output (as a local
 * program writing to a closed pipe gets it).
 */
export const DELIVERABLE_SIGNALS: readonly string[] = [
  ...FORWARDED_SIGNALS,
  "SIGPIPE",
];

/** True for a signal a home may ask the target to deliver. */
export function isDeliverableSignal(s: unknown): s is Deno.Signal {
  return typeof s === "string" && DELIVERABLE_SIGNALS.includes(s);
}

/** What the home asks the target to run. */
export interface BatchStart {
  /** Program: a path (relative to cwd) or a name looked up in PATH. */
  program: string;
  /** Arguments after the program. */
  args: string[];
  /** Absolute working directory. */
  cwd: string;
  /** The whole environment of the job. */
  env: Record<string, string>;
  /** The submitting user's name at home. */
  user: string;
  /** mosrun's process ID at home (the job's cluster process ID). */
  homePid: number;
}

/** The answer to a start request. */
export type BatchStartResult =
  | { started: true; job: number; pid: number }
  | {
    started: false;
    reason: string;
    /** "refused": the node will not take it (-F may run it home); "exec": it cannot be run there. */
    kind: "refused" | "exec";
    /** Exit status mosrun uses for an "exec" failure (127 not found, 126 not executable). */
    status?: number;
  };

/** How a job ended. */
export interface BatchExit {
  /** Exit code (for a signal, what the target reported). */
  code: number;
  /** The signal that ended it, or null. */
  signal: string | null;
  /** Set when the target gave up on the job (stopping): why. */
  lost?: string;
}

/** A malformed batch message; the message is one line. */
export class BatchProtocolError extends Error {
  /** Make an error. */
  constructor(message: string) {
    super(message);
    this.name = "BatchProtocolError";
  }
}

function obj(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new BatchProtocolError(`${what}: not a map`);
  }
  return body as Record<string, unknown>;
}

function str(v: unknown, what: string): string {
  if (typeof v !== "string") {
    throw new BatchProtocolError(`${what}: not a string`);
  }
  if (v.includes("\0")) throw new BatchProtocolError(`${what}: holds NUL`);
  return v;
}

/** Validate a `batch.start` body; throws BatchProtocolError. */
export function parseBatchStart(body: unknown): BatchStart {
  const b = obj(body, "batch.start");
  const program = str(b.program, "program");
  if (program === "") throw new BatchProtocolError("program: empty");
  if (!Array.isArray(b.args)) {
    throw new BatchProtocolError("args: not a list");
  }
  const args = b.args.map((a, i) => str(a, `args[${i}]`));
  const cwd = str(b.cwd, "cwd");
  if (!cwd.startsWith("/")) {
    throw new BatchProtocolError("cwd: not an absolute path");
  }
  const envIn = obj(b.env, "env");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(envIn)) {
    if (k === "" || k.includes("=")) {
      throw new BatchProtocolError(`env: bad name '${k.slice(0, 40)}'`);
    }
    env[str(k, "env name")] = str(v, `env ${k}`);
  }
  const user = str(b.user, "user");
  // POSIX names, Samba's trailing $, and NSS names like user@domain.
  if (!/^[A-Za-z0-9._][A-Za-z0-9._@-]{0,254}\$?$/.test(user)) {
    throw new BatchProtocolError(`user: bad name '${user.slice(0, 40)}'`);
  }
  const homePid = b.homePid;
  if (!Number.isSafeInteger(homePid) || (homePid as number) < 0) {
    throw new BatchProtocolError("homePid: not a process ID");
  }
  let size = program.length + cwd.length;
  for (const a of args) size += a.length + 1;
  for (const [k, v] of Object.entries(env)) size += k.length + v.length + 2;
  if (size > MAX_START_BYTES) {
    throw new BatchProtocolError(
      `arguments and environment exceed ${MAX_START_BYTES} bytes`,
    );
  }
  return { program, args, cwd, env, user, homePid: homePid as number };
}

/** Validate a `batch.out` body. */
export function parseBatchOut(body: unknown): { fd: 1 | 2; data: Uint8Array } {
  const b = obj(body, "batch.out");
  if (b.fd !== 1 && b.fd !== 2) throw new BatchProtocolError("fd: not 1 or 2");
  if (!(b.data instanceof Uint8Array)) {
    throw new BatchProtocolError("data: not bytes");
  }
  return { fd: b.fd, data: b.data };
}

/** Validate a `batch.in` body. */
export function parseBatchIn(body: unknown): Uint8Array {
  const b = obj(body, "batch.in");
  if (!(b.data instanceof Uint8Array)) {
    throw new BatchProtocolError("data: not bytes");
  }
  return b.data;
}

/** Validate an acknowledgement (`batch.ack` {fd, bytes} or `batch.inack` {bytes}). */
export function parseAck(body: unknown): { fd: 0 | 1 | 2; bytes: number } {
  const b = obj(body, "ack");
  const fd = b.fd ?? 0;
  if (fd !== 0 && fd !== 1 && fd !== 2) {
    throw new BatchProtocolError("fd: not 0, 1 or 2");
  }
  if (!Number.isSafeInteger(b.bytes) || (b.bytes as number) < 0) {
    throw new BatchProtocolError("bytes: not a count");
  }
  return { fd, bytes: b.bytes as number };
}

/** Validate a `batch.exit` body. */
export function parseBatchExit(body: unknown): BatchExit {
  const b = obj(body, "batch.exit");
  if (!Number.isSafeInteger(b.code)) {
    throw new BatchProtocolError("code: not an integer");
  }
  const signal = b.signal ?? null;
  if (signal !== null && typeof signal !== "string") {
    throw new BatchProtocolError("signal: not a name");
  }
  const out: BatchExit = { code: b.code as number, signal };
  if (typeof b.lost === "string") out.lost = b.lost;
  return out;
}

/** Validate a `batch.start` reply. */
export function parseStartResult(body: unknown): BatchStartResult {
  const b = obj(body, "batch.start reply");
  if (b.started === true) {
    if (!Number.isSafeInteger(b.job) || !Number.isSafeInteger(b.pid)) {
      throw new BatchProtocolError("batch.start reply: bad job or pid");
    }
    return { started: true, job: b.job as number, pid: b.pid as number };
  }
  const kind = b.kind === "exec" ? "exec" : "refused";
  const out: BatchStartResult = {
    started: false,
    reason: typeof b.reason === "string" ? b.reason : "refused",
    kind,
  };
  if (Number.isSafeInteger(b.status)) out.status = b.status as number;
  return out;
}

/**
 * The status `mosrun` exits with for a job that ended: its exit code, or
 * 128 + N when signal N ended it (as a shell reports it).
 */
export function exitStatus(
  exit: { code: number; signal: string | null },
): number {
  if (exit.signal !== null) {
    const n = signalNumber(exit.signal);
    if (n !== null) return 128 + n;
  }
  return exit.code & 0xff;
}

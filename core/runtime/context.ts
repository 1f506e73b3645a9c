/**
 * A user context: an instrumented WASI program running in a Worker, so the
 * thread that owns it (the deputy's) stays responsive. `freeze()` makes it
 * unwind at its next preemption point, or out of a blocked import, and
 * yields a Snapshot; `UserContext.resume(snapshot)` continues it in a fresh
 * Worker and instance.
 *
 * Imports come from an imports module (see imports_factory.ts): the WASI
 * host plugs in there without this file knowing it.
 *
 * @module
 */

import { createHash } from "node:crypto";
import {
  CONTROL_CELLS,
  CONTROL_FREEZE,
  CONTROL_KILL,
} from "./imports_factory.ts";
import type { FreezeTimes, RunResult } from "./context_run.ts";
import { sharedNow } from "./context_run.ts";
import type { Snapshot } from "./snapshot.ts";
import type { WorkerPrepare, WorkerRun } from "./context_worker.ts";
import { ResumeCache, resumeKey } from "./resume_cache.ts";
import { readInstrumentInfo } from "./instrument_info.ts";
import type { InstrumentInfo } from "./runtime_abi.ts";

const resumeModules = new ResumeCache();

/** How long a spare worker waits for a context before it is stopped, ms. */
export const SPARE_IDLE_MS = 5000;
/** Longest wait for a spare worker to load (see {@linkcode UserContext.prewarm}), ms. */
export const WARM_WAIT_MS = 1000;

/** `p`, or nothing after `ms`. */
async function withinMs(p: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise<void>((r) => timer = setTimeout(r, ms))]);
  clearTimeout(timer);
}

const WORKER_URL = new URL("./context_worker.ts", import.meta.url).href;

/** A worker that loads its code and waits for a context (a pool of 1). */
let spare: Spare | null = null;

interface Spare {
  worker: Worker;
  importsModule: string;
  /** Settles once it has loaded, failed, or was taken or dropped. */
  ready: Promise<void>;
  settle: () => void;
}

function takeWorker(importsModule: string): Worker {
  const s = spare;
  if (s !== null && s.importsModule === importsModule) {
    spare = null;
    s.settle();
    return s.worker;
  }
  return contextWorker(importsModule);
}

/** The dmosix source tree (the worker's module graph lives in it). */
const CORE_DIR = new URL("..", import.meta.url);
/** The only variable the worker's code reads (cbor-x, at load). */
const WORKER_ENV = ["CBOR_NATIVE_ACCELERATION_DISABLED"];

/**
 * Permissions of a context's Worker: it may read its own code (core/ and
 * the imports module's directory) and nothing else: no other file, no
 * network, no environment, no subprocess, no FFI. A user context reaches
 * the host only through its imports, i.e. its deputy; this also holds if
 * an import has a bug. Needs `--unstable-worker-options` (deno.json).
 */
export function workerPermissions(
  importsModule: string,
): Deno.PermissionOptionsObject {
  const read = [CORE_DIR];
  if (importsModule.startsWith("file:")) {
    read.push(new URL(".", importsModule));
  }
  return {
    read,
    env: WORKER_ENV,
    net: false,
    write: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

function contextWorker(importsModule: string): Worker {
  return new Worker(WORKER_URL, {
    type: "module",
    deno: { permissions: workerPermissions(importsModule) },
  } as WorkerOptions);
}

/** How to run a context. */
export interface ContextOptions {
  /** The instrumented module (see instrument.ts). */
  wasm: Uint8Array;
  /** URL (or path) of a module exporting `createImports`. */
  importsModule: string | URL;
  /** Structured-cloneable options given to createImports. */
  importsOptions?: unknown;
  /** Called on the main thread when a freeze is requested (wake blocked calls). */
  onFreezeRequest?: () => void;
}

/** Timings of the last freeze, in ms. */
export interface FreezeTimings extends FreezeTimes {
  /** freeze() was called. */
  requestedAt: number;
  /** The snapshot reached this thread. */
  receivedAt: number;
  /** Request -> stack unwound (the freeze latency). */
  latencyMs: number;
}

/** How a context ended. */
export type ContextEnd = RunResult;

/** Hashes of module byte arrays seen (the same array is hashed once). */
const hashes = new WeakMap<Uint8Array, string>();

/** Hex SHA-256 of a module. */
export function moduleHash(wasm: Uint8Array): string {
  let h = hashes.get(wasm);
  if (h === undefined) {
    h = createHash("sha256").update(wasm).digest("hex");
    hashes.set(wasm, h);
  }
  return h;
}

/** Most compiled modules (and instrument infos) kept. */
const COMPILED_KEPT = 16;

/**
 * Compiled modules by what they run ("start:" module hash, or a resume
 * key), as workers compiled them: a Module passed to the next worker
 * brings its compiled code along, so a resume compiles nothing.
 */
const compiled = new Map<string, WebAssembly.Module>();
/** Instrument infos by module hash (read here, hot, not in a new worker). */
const infos = new Map<string, InstrumentInfo>();

/** Put `v` under `k` in a small LRU map. */
function remember<V>(m: Map<string, V>, k: string, v: V): void {
  m.delete(k);
  m.set(k, v);
  if (m.size > COMPILED_KEPT) m.delete(m.keys().next().value!);
}

/** `wasm`'s instrument info, or undefined when it has none (the worker reports it). */
function infoOf(hash: string, wasm: Uint8Array): InstrumentInfo | undefined {
  let info = infos.get(hash);
  if (info === undefined) {
    try {
      info = readInstrumentInfo(wasm);
    } catch {
      return undefined;
    }
    remember(infos, hash, info);
  }
  return info;
}

function moduleUrl(u: string | URL): string {
  if (u instanceof URL) return u.href;
  if (/^[a-z]+:/.test(u)) return u;
  return new URL(u, `file://${Deno.cwd()}/`).href;
}

/** A running user context. */
export class UserContext {
  /** Settles once the program exits, fails or is frozen. */
  readonly done: Promise<ContextEnd>;
  /** Timings of the last successful freeze. */
  lastFreeze: FreezeTimings | undefined;
  #worker: Worker;
  #control: Int32Array;
  #flags: Int32Array | undefined;
  #memory: WebAssembly.Memory | undefined;
  #ended = false;
  /** Its frozen snapshot was handed out (a context is frozen once). */
  #snapshotTaken = false;
  #onFreezeRequest?: () => void;
  #importsModule: string;
  #finish: (end: ContextEnd) => void = () => {};

  private constructor(
    opts: ContextOptions,
    snapshot: Snapshot | undefined,
    resume: { key: string; wasm?: Uint8Array } | undefined,
    started: () => void,
  ) {
    const hash = moduleHash(opts.wasm);
    const compiledKey = resume ? resume.key : `start:${hash}`;
    const sab = new SharedArrayBuffer(CONTROL_CELLS * 4);
    this.#control = new Int32Array(sab);
    this.#onFreezeRequest = opts.onFreezeRequest;
    const importsModule = moduleUrl(opts.importsModule);
    this.#importsModule = importsModule;
    this.#worker = takeWorker(importsModule);
    this.done = new Promise<ContextEnd>((resolve) => {
      this.#finish = (end) => {
        this.#ended = true;
        started();
        this.#worker.terminate();
        // The program is over: nothing will resume soon in this process
        // (unless it hosts guests, see keepSpare).
        if (end.kind !== "frozen" && !UserContext.keepSpare) {
          UserContext.dropSpare();
        }
        resolve(end);
      };
    });
    this.#worker.onmessage = (e: MessageEvent) => {
      if (e.data.type === "idle" || e.data.type === "ready") {
        // A spare's news from before it was taken: it runs anyway.
      } else if (e.data.type === "resumeModule") {
        if (resume) resumeModules.set(resume.key, e.data.wasm as Uint8Array);
      } else if (e.data.type === "compiled") {
        remember(compiled, compiledKey, e.data.module as WebAssembly.Module);
      } else if (e.data.type === "started") {
        if (e.data.flags) {
          this.#flags = new Int32Array(e.data.flags as SharedArrayBuffer);
        }
        this.#memory = e.data.memory as WebAssembly.Memory | undefined;
        started();
      } else this.#finish(e.data.result as ContextEnd);
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#finish({ kind: "error", message: e.message });
    };
    const module = compiled.get(compiledKey);
    if (module) remember(compiled, compiledKey, module);
    const msg: WorkerRun = {
      type: "run",
      wasm: opts.wasm,
      moduleHash: hash,
      module,
      info: infoOf(hash, opts.wasm),
      importsModule,
      importsOptions: opts.importsOptions,
      control: sab,
      snapshot,
      resumeWasm: resume?.wasm,
    };
    this.#worker.postMessage(msg);
  }

  /**
   * Start a spare worker that loads the runner and `importsModule` now, so
   * the next context (a resume, typically) only instantiates. No-op when
   * one is there; an unused spare stops after `idleMs`. Resolves when the
   * spare has loaded (or failed, or was taken or dropped), or after
   * `waitMs`: a move that waits for it before freezing does not stand
   * still while it loads.
   */
  static prewarm(
    importsModule: string | URL,
    idleMs = SPARE_IDLE_MS,
    waitMs = WARM_WAIT_MS,
  ): Promise<void> {
    const url = moduleUrl(importsModule);
    if (spare?.importsModule === url) return withinMs(spare.ready, waitMs);
    UserContext.dropSpare();
    const worker = contextWorker(url);
    let settle!: () => void;
    const ready = new Promise<void>((r) => settle = r);
    const s: Spare = { worker, importsModule: url, ready, settle };
    worker.onmessage = (e: MessageEvent) => {
      if (e.data?.type === "ready") settle();
      if (e.data?.type === "idle" && spare === s) UserContext.dropSpare();
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      settle();
      if (spare === s) UserContext.dropSpare();
    };
    const prepare: WorkerPrepare = {
      type: "prepare",
      importsModule: url,
      idleMs,
    };
    worker.postMessage(prepare);
    spare = s;
    return withinMs(ready, waitMs);
  }

  /**
   * Keep the spare worker when a program ends: a daemon hosting guests
   * expects more, a mosrun does not.
   */
  static keepSpare = false;

  /** Stop the spare worker, if any (the process is about to end). */
  static dropSpare(): void {
    const s = spare;
    spare = null;
    s?.settle();
    s?.worker.terminate();
  }

  /** Start the program; resolves once it runs (or has already ended). */
  static start(opts: ContextOptions): Promise<UserContext> {
    return UserContext.#make(opts, undefined, undefined);
  }

  /** Continue `snapshot` in a fresh Worker and instance of `opts.wasm`. */
  static async resume(
    snapshot: Snapshot,
    opts: ContextOptions,
  ): Promise<UserContext> {
    if (snapshot.moduleHash !== moduleHash(opts.wasm)) {
      throw new Error("resume: the snapshot belongs to another module");
    }
    const key = resumeKey(snapshot.moduleHash, snapshot.frames);
    const wasm = await resumeModules.get(key);
    return UserContext.#make(opts, snapshot, { key, wasm });
  }

  static #make(
    opts: ContextOptions,
    snapshot: Snapshot | undefined,
    resume: { key: string; wasm?: Uint8Array } | undefined,
  ): Promise<UserContext> {
    return new Promise((resolve) => {
      const ctx: UserContext = new UserContext(
        opts,
        snapshot,
        resume,
        () => resolve(ctx),
      );
    });
  }

  /** True until the program exits, fails or freezes. */
  get running(): boolean {
    return !this.#ended;
  }

  /**
   * The program's memory, shared with the Worker running it (it changes
   * under the reader until the program is frozen): a move copies it ahead
   * of the freeze (guest_protocol.ts sendPrecopy).
   */
  get memory(): WebAssembly.Memory | undefined {
    return this.#ended ? undefined : this.#memory;
  }

  /**
   * Freeze the program and return its snapshot. Rejects if it ends
   * another way first, or after `timeoutMs` (default 10 s). Unless
   * `prewarm` is false, a spare worker starts for the resume that usually
   * follows.
   */
  async freeze(
    opts: { timeoutMs?: number; prewarm?: boolean } = {},
  ): Promise<Snapshot> {
    if (this.#ended) return this.#frozenAlready();
    const requestedAt = sharedNow();
    // A resume usually follows (checkpoint, move home): have its worker ready.
    if (opts.prewarm !== false) UserContext.prewarm(this.#importsModule);
    Atomics.store(this.#control, CONTROL_FREEZE, 1);
    if (this.#flags) Atomics.store(this.#flags, 0, 1);
    Atomics.notify(this.#control, CONTROL_FREEZE);
    this.#onFreezeRequest?.();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error("freeze: timed out waiting for the context to unwind"),
          ),
        opts.timeoutMs ?? 10_000,
      );
    });
    try {
      const end = await Promise.race([this.done, timeout]);
      if (end.kind !== "frozen") {
        throw new Error(
          `freeze: the context ended before freezing (${
            end.kind === "exit" ? `exit ${end.code}` : end.message
          })`,
        );
      }
      const receivedAt = sharedNow();
      this.lastFreeze = {
        ...end.times,
        requestedAt,
        receivedAt,
        latencyMs: end.times.unwoundAt - requestedAt,
      };
      this.#snapshotTaken = true;
      return end.snapshot;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The snapshot of a context that unwound on its own before freeze() was
   * called: a blocked call of it was cut short for this very freeze (its
   * deputy lets go first, and the program unwinds out of the call). Once.
   */
  async #frozenAlready(): Promise<Snapshot> {
    const end = await this.done;
    if (end.kind !== "frozen" || this.#snapshotTaken) {
      throw new Error("freeze: the context is not running");
    }
    this.#snapshotTaken = true;
    const now = sharedNow();
    this.lastFreeze = {
      ...end.times,
      requestedAt: now,
      receivedAt: now,
      latencyMs: 0,
    };
    return end.snapshot;
  }

  /** Stop the program (no snapshot); `done` reports an error. */
  terminate(): void {
    // Worker.terminate() does not stop a Worker running wasm: make the
    // program's next preemption point throw, and wake blocked imports.
    Atomics.store(this.#control, CONTROL_KILL, 1);
    Atomics.store(this.#control, CONTROL_FREEZE, 1);
    if (this.#flags) Atomics.store(this.#flags, 0, 1);
    Atomics.notify(this.#control, CONTROL_FREEZE);
    if (!this.#ended) this.#finish({ kind: "error", message: "terminated" });
  }
}

/**
 * The home side of a cluster process (ARCHITECTURE.md "A cluster process"):
 * the deputy, which owns files, cwd and stdio and executes every forwarded
 * system call, and the user context, which runs the instrumented program in
 * a Worker and can be frozen at any moment. This file runs the context at
 * home, writes checkpoints (snapshot + deputy state + module) and resumes
 * them.
 *
 * A checkpoint is taken between two system calls: the context unwinds at a
 * preemption point or out of a blocked call that did nothing (it is
 * re-issued after the resume), so every call is executed exactly once.
 *
 * @module
 */

import {
  type Checkpoint,
  readCheckpointFile,
  writeCheckpointFile,
} from "./checkpoint_file.ts";
import {
  createChannelBuffer,
  serveSyncChannel,
  type SyncChannelServer,
} from "./link/sync_channel.ts";
import {
  type CachedModule,
  instrumentCached,
} from "./runtime/instrument_cache.ts";
import { moduleHash, UserContext, WARM_WAIT_MS } from "./runtime/context.ts";
import { hasRoom, type HomeMemory, parkUntilRoom } from "./home_memory.ts";
import type { FrameConn } from "./link/frame_conn.ts";
import { type HandedOff, RemoteContext } from "./remote_context.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  type Snapshot,
} from "./runtime/snapshot.ts";
import { INSTRUMENTER_VERSION } from "./runtime/runtime_abi.ts";
import { Deputy } from "./wasi/deputy.ts";
import type { DeputyState } from "./wasi/deputy_state.ts";
import { Errno } from "./wasi/errno.ts";
import { checkWasiModule } from "./wasi/module_check.ts";
import type { Preopen } from "./wasi/preopen.ts";
import type { DeputyRequest, DeputyResponse } from "./wasi/protocol.ts";
import type { Signature } from "./wasi/signatures.ts";
import type { Stdio } from "./wasi/stdio.ts";
import {
  CONTEXT_IMPORTS_URL,
  type WasiContextOptions,
} from "./wasi/context_imports.ts";
import { type DicomRoute, HomeDicom } from "./dicom/home_dicom.ts";
import { DaemonUplink } from "./dicom/daemon_uplink.ts";
import { formatNodeId } from "./ids.ts";
import { type Precopy, PRECOPY_BLOB, sendPrecopy } from "./guest_protocol.ts";

/** Exit status reported for a program that trapped (128 + SIGABRT, as a shell shows abort). */
/**
 * A balancer's reasons for a move, for the target to check (the target's
 * guest host, daemon/guest_host.ts AdmitRequest, without the memory).
 */
export interface AdmitAsk {
  /** "load", "speed" or "memory". */
  reason: string;
  /** Its rate where it runs now. */
  rateHere: number;
  /** Its weight in the run queue. */
  weight: number;
}

/** `v` as an {@linkcode AdmitAsk} if it is one (it came over a link). */
export function admitAsk(v: unknown): AdmitAsk | undefined {
  const a = v as Partial<AdmitAsk> | null;
  return typeof a?.reason === "string" && Number.isFinite(a.rateHere) &&
      Number.isFinite(a.weight)
    ? { reason: a.reason, rateHere: a.rateHere!, weight: a.weight! }
    : undefined;
}

/** How long a target may take to answer an admission request, ms. */
const ADMIT_MS = 5000;

export const TRAP_STATUS = 134;

/** Exit status when the process was lost with its node and not recovered. */
export const LOST_STATUS = 1;

/** Where checkpoints go. */
export interface CheckpointPolicy {
  /** File base: checkpoints are BASE.1, BASE.2, ... */
  base: string;
  /** Take one every this many ms (0: only on request). */
  everyMs: number;
}

/** How to start a process at home. */
export interface HomeStartOptions {
  /** The program's (uninstrumented) wasm module. */
  module: Uint8Array;
  /** Name for messages (the program path). */
  name: string;
  /** argv, argv[0] included. */
  args: string[];
  /** Environment "K=V". */
  env: string[];
  /** Home cwd. */
  cwd: string;
  /** Preopened directories (default: the cwd as "." and "/"). */
  preopens?: Preopen[];
  /** The user's stdin/stdout/stderr. */
  stdio: Stdio;
  /** Checkpointing, if asked (-C / -A). */
  checkpoint?: CheckpointPolicy;
  /** Instrumentation cache directory. */
  cacheDir?: string;
  /** One-line notices for stderr (checkpoint written, ...). */
  notice?: (line: string) => void;
  /** Needed to migrate to other nodes. */
  cluster?: ClusterAccess;
  /** The process ID (mosrun's PID). */
  pid?: number;
  /** Never moved automatically (mosrun -L, or a node named). */
  locked?: boolean;
  /** Where its direct-communication mailbox lives when it migrates (default "direct"). */
  dicomRoute?: DicomRoute;
  /** Room at home: a returning process that does not fit waits on disk. */
  memory?: HomeMemory;
}

/** A program could not start on the node it was to start on (see HomeProcess.start). */
export class StartAwayError extends Error {}

/** Where a process's user context runs. */
export type Location =
  | { kind: "home" }
  | { kind: "node"; id: number; addr: string; port: number };

/** What a process needs to leave home: this node's ID and the link key. */
export interface ClusterAccess {
  /** This (home) node's ID. */
  self: number;
  /** Link key derived from the cluster secret. */
  key: Uint8Array;
  /** The local daemon's link address (direct communication goes through it). */
  daemon?: { addr: string; port: number };
}

/** The runtime version recorded in checkpoints. */
export const RUNTIME_VERSION = INSTRUMENTER_VERSION;

/** A cluster process, driven from home. */
export class HomeProcess {
  #o: HomeStartOptions;
  #deputy: Deputy;
  #sab: SharedArrayBuffer;
  #server: SyncChannelServer;
  #instrumented: CachedModule;
  /** SHA-256 of the instrumented module, computed at the first move. */
  #wasmHash: string | null = null;
  /** The last checkpoint written or resumed from, for a recovery. */
  #lastCheckpoint: string | null = null;
  #unknown: Record<string, Signature>;
  #ctx: UserContext | RemoteContext | null = null;
  #where: Location = { kind: "home" };
  /** Migrations done. */
  migrations = 0;
  /** When it started (ms). */
  readonly startedAt = Date.now();
  /** Pinned: never moved automatically (mosrun -L, a named node, mosctl bring). */
  locked: boolean;
  /** When it last moved (ms), or null. */
  lastMigratedAt: number | null = null;
  /** Its memory size at the last freeze, bytes (0 before any). */
  memBytes = 0;
  #seq: number;
  #busy: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setInterval> | undefined;
  #exit: Promise<number>;
  #resolveExit!: (code: number) => void;
  #ended = false;
  /** Direct communication (/dev/mosix devices, mailbox), core/dicom/. */
  #dicom: HomeDicom;

  private constructor(
    o: HomeStartOptions,
    deputy: Deputy,
    instrumented: CachedModule,
    unknown: Record<string, Signature>,
    seq: number,
  ) {
    this.#o = o;
    this.locked = o.locked ?? false;
    this.#deputy = deputy;
    this.#instrumented = instrumented;
    this.#unknown = unknown;
    this.#seq = seq;
    this.#dicom = new HomeDicom({
      addr: { home: o.cluster?.self ?? 0, pid: o.pid ?? Deno.pid },
      route: o.dicomRoute,
      canSend: o.cluster?.daemon !== undefined,
    });
    deputy.devices = this.#dicom;
    this.#sab = createChannelBuffer();
    this.#server = serveSyncChannel<DeputyRequest, DeputyResponse>(
      this.#sab,
      // this.#deputy, not deputy: a recovery replaces it.
      (req) => this.#deputy.handle(req),
      () => ({ errno: Errno.IO }) as DeputyResponse,
    );
    this.#exit = new Promise((r) => this.#resolveExit = r);
  }

  /** Check and instrument `module` (cached by content hash). */
  static async prepare(
    module: Uint8Array,
    name: string,
    cacheDir?: string,
  ): Promise<
    { instrumented: CachedModule; unknown: Record<string, Signature> }
  > {
    const { unknown } = await checkWasiModule(
      module as Uint8Array<ArrayBuffer>,
      name,
    );
    const instrumented = await instrumentCached(module, { dir: cacheDir });
    return { instrumented, unknown };
  }

  /**
   * Start a program from the beginning: at home, or with `away` on that
   * node straight away (no worker, freeze or transfer at home). If it
   * cannot start there, `away.fallback` decides: given, it is told why and
   * the program starts at home; absent, start() throws.
   */
  static async start(
    o: HomeStartOptions,
    away?: {
      at: Location & { kind: "node" };
      fallback?: (e: Error) => void;
    },
  ): Promise<HomeProcess> {
    const { instrumented, unknown } = await HomeProcess.prepare(
      o.module,
      o.name,
      o.cacheDir,
    );
    const deputy = new Deputy({
      args: o.args,
      env: o.env,
      cwd: o.cwd,
      preopens: o.preopens,
      stdio: o.stdio,
    });
    const p = new HomeProcess(o, deputy, instrumented, unknown, 0);
    await p.#attach();
    if (away) {
      try {
        await p.#startAt(null, away.at);
        return p;
      } catch (e) {
        if (!away.fallback) {
          p.#finish(1, false);
          throw new StartAwayError(
            `cannot start on node ${formatNodeId(away.at.id)}: ${
              (e as Error).message
            }`,
          );
        }
        away.fallback(e as Error);
      }
    }
    p.#run(await UserContext.start(p.#contextOptions()));
    return p;
  }

  /** Attach to the local daemon's router, so messages reach this process. */
  async #attach(): Promise<void> {
    const c = this.#o.cluster;
    if (!c?.daemon) return;
    try {
      this.#dicom.setUplink(
        await DaemonUplink.connect({
          ...c.daemon,
          key: c.key,
          self: c.self,
          pid: this.#dicom.addr.pid,
        }, (m) => this.#dicom.deliver(m)),
      );
    } catch (e) {
      this.#o.notice?.(
        `direct communication unavailable: ${(e as Error).message}`,
      );
    }
  }

  /**
   * Resume a checkpoint file. Further checkpoints (if `checkpoint` is
   * given) continue the numbering.
   */
  static async resume(
    file: string,
    o: {
      stdio: Stdio;
      checkpoint?: CheckpointPolicy;
      cacheDir?: string;
      notice?: (l: string) => void;
      cluster?: ClusterAccess;
      pid?: number;
      locked?: boolean;
      dicomRoute?: DicomRoute;
      memory?: HomeMemory;
    },
  ): Promise<HomeProcess> {
    const ck = await readCheckpointFile(file, RUNTIME_VERSION);
    const snapshot = decodeSnapshot(ck.snapshot);
    const { instrumented, unknown } = await HomeProcess.prepare(
      ck.module,
      ck.name,
      o.cacheDir,
    );
    const state = ck.deputy as DeputyState;
    const deputy = Deputy.restore(state, o.stdio);
    const p = new HomeProcess(
      {
        module: ck.module,
        name: ck.name,
        args: state.args,
        env: state.env,
        cwd: state.cwd,
        stdio: o.stdio,
        checkpoint: o.checkpoint,
        cacheDir: o.cacheDir,
        notice: o.notice,
        cluster: o.cluster,
        pid: o.pid,
        locked: o.locked,
        dicomRoute: o.dicomRoute,
        memory: o.memory,
      },
      deputy,
      instrumented,
      unknown,
      ck.seq,
    );
    // A new PID: its unaccepted messages go out on new channels.
    deputy.restoreDevices(HomeDicom.savedFds(snapshot));
    p.#dicom.arrive(snapshot, "resume");
    await p.#attach();
    p.#deputy.markCheckpoint();
    p.#lastCheckpoint = file;
    p.#run(await UserContext.resume(snapshot, p.#contextOptions()));
    return p;
  }

  #contextOptions() {
    const importsOptions: WasiContextOptions = {
      sab: this.#sab,
      args: this.#o.args,
      env: this.#o.env,
      unknown: this.#unknown,
    };
    return {
      wasm: this.#instrumented.wasm,
      importsModule: CONTEXT_IMPORTS_URL,
      importsOptions,
      onFreezeRequest: () => this.#deputy.interruptBlocked(),
    };
  }

  #run(ctx: UserContext | RemoteContext): void {
    this.#ctx = ctx;
    ctx.done.then((end) => {
      if (this.#ctx !== ctx || end.kind === "frozen") return;
      if (end.kind === "exit") this.#finish(end.code & 0xff);
      else if (ctx instanceof RemoteContext && ctx.lost) {
        this.#recover(ctx.node, end.message);
      } else {
        this.#o.notice?.(`${this.#o.name}: ${end.message}`);
        this.#finish(TRAP_STATUS);
      }
    });
    const every = this.#o.checkpoint?.everyMs ?? 0;
    if (every > 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => {
        this.checkpoint().catch((e) =>
          this.#o.notice?.(`checkpoint failed: ${(e as Error).message}`)
        );
      }, every);
    }
  }

  #finish(code: number, linger = true): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#timer);
    this.#server.close();
    this.#deputy.closeAll();
    // Messages it sent last still reach their receivers (bounded).
    this.#dicom.finish(linger ? undefined : 0).finally(() =>
      this.#resolveExit(code)
    );
  }

  /**
   * Its node was lost with the user context: resume from the last
   * checkpoint at home (the balancer may move it on), under the
   * at-most-once rule of Deputy.recover; without a checkpoint it is lost.
   */
  #recover(node: number, why: string): void {
    const run = this.#busy.then(async () => {
      if (this.#ended) return;
      const path = this.#lastCheckpoint;
      if (path === null) {
        this.#o.notice?.(
          `${this.#o.name}: lost with node ${node} (${why}); no checkpoint to resume from (use mosrun -C FILE -A MIN)`,
        );
        this.#finish(LOST_STATUS);
        return;
      }
      try {
        const ck = await readCheckpointFile(path, RUNTIME_VERSION);
        const state = ck.deputy as DeputyState;
        this.#deputy = Deputy.recover(state, this.#deputy, this.#o.stdio);
        this.#deputy.markCheckpoint();
        this.#where = { kind: "home" };
        const snap = decodeSnapshot(ck.snapshot);
        this.#deputy.devices = this.#dicom;
        this.#deputy.restoreDevices(HomeDicom.savedFds(snap));
        this.#dicom.arrive(snap, "recover");
        this.#dicom.at(this.#dicom.addr.home);
        this.#run(await UserContext.resume(snap, this.#contextOptions()));
        this.#o.notice?.(
          `${this.#o.name}: node ${node} was lost; resumed from ${path} at home`,
        );
      } catch (e) {
        this.#o.notice?.(
          `${this.#o.name}: lost with node ${node}; resuming ${path} failed: ${
            (e as Error).message
          }`,
        );
        this.#finish(LOST_STATUS);
      }
    });
    this.#busy = run.catch(() => {});
  }

  /** True once the program has ended (wait() has its status). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Resolves with the program's exit status (0-255). */
  wait(): Promise<number> {
    return this.#exit;
  }

  /** Freeze latency (request to unwound) of the last freeze, ms. */
  lastFreezeMs: number | undefined;

  /**
   * How long the program stood still in its last freeze, ms: from the
   * freeze request to running again where it went (a move's
   * freeze-to-resume time; a checkpoint's pause).
   */
  lastFrozenMs: number | undefined;

  /** True while a freeze, checkpoint or move is in progress. */
  migrating = false;

  /** True while it waits on disk for room at home (STAT F). */
  parked = false;

  /** Where the user context runs now. */
  get where(): Location {
    return this.#where;
  }

  /**
   * Freeze, run `fn` on the frozen state, then continue at `to` (default:
   * where it was). Serialized. If it cannot start at `to`, it continues at
   * home: a process is never lost to a failed move.
   */
  #frozen<T>(
    fn: (s: Snapshot, d: DeputyState) => Promise<T>,
    to?: Location,
    admit?: AdmitAsk,
  ): Promise<T> {
    const run = this.#busy.then(async () => {
      const ctx = this.#ctx;
      if (this.#ended || !ctx || !ctx.running) {
        throw new Error("the process is not running");
      }
      // A call blocked at the deputy (stdin, poll) must let go for the freeze.
      this.migrating = true;
      // The link to a target node opens while the process freezes.
      const c = this.#o.cluster;
      const link = to?.kind === "node" && c
        ? RemoteContext.connect(to.addr, to.port, c.key, c.self)
        : undefined;
      link?.catch(() => {}); // awaited when it continues there
      if (admit && link) {
        // The balancer's move: the target may decline on its fresh state,
        // before anything stops here.
        try {
          await (await link).request("guest.admit", {
            ...admit,
            memBytes: this.memBytes,
          }, ADMIT_MS);
        } catch (e) {
          link.then((fc) => fc.close(), () => {});
          this.migrating = false;
          throw new Error(
            `node ${(to as { id: number }).id} declined: ${
              (e as Error).message
            }`,
          );
        }
      }
      // The target loads a worker for it meanwhile, unless it has one: a
      // process must not stand still while one loads there (an older
      // node answers "unknown request", and that is all).
      const warmed = to?.kind === "node" && link
        ? link.then((fc) => fc.request("guest.warm", {}, WARM_WAIT_MS * 2))
          .then(() => {}, () => {})
        : undefined;
      // Node to node: the state goes straight there, not through home.
      const token = ctx instanceof RemoteContext && to?.kind === "node" &&
          link && (this.#where.kind !== "node" || this.#where.id !== to.id)
        ? await this.#expectHandoff(link)
        : null;
      // Home to a node: its memory goes ahead while it still runs, then
      // only what changed. A target that cannot be reached, or fails
      // during that, fails the move before the program stops at all.
      let pre: Precopy | undefined;
      if (ctx instanceof UserContext && to?.kind === "node" && link) {
        const memory = ctx.memory;
        // Only if a copy fits: a home short of memory sends it at once.
        const room = this.#o.memory;
        try {
          const fc = await link;
          if (memory && (!room || hasRoom(room, memory.buffer.byteLength))) {
            pre = await sendPrecopy(fc, PRECOPY_BLOB, memory);
          }
        } catch (e) {
          link.then((fc) => fc.close(), () => {});
          this.migrating = false;
          throw new Error(
            `cannot reach node ${to.id}: ${(e as Error).message}`,
          );
        }
      }
      await warmed;
      // Coming home: its worker has loaded before it stops (loading takes
      // tens of ms, which it would otherwise stand still for).
      if (ctx instanceof RemoteContext && (to ?? this.#where).kind === "home") {
        await UserContext.prewarm(CONTEXT_IMPORTS_URL);
      }
      // It stands still from here until it runs again (lastFrozenMs); a
      // node that sends it home pre-copies it first (RemoteContext.precopyMs).
      let frozenAt = performance.now();
      const ran = () => this.lastFrozenMs = performance.now() - frozenAt;
      this.#dicom.moving();
      this.#deputy.interruptBlocked();
      let snapshot: Snapshot;
      try {
        if (token !== null && to?.kind === "node") {
          const r = await (ctx as RemoteContext).freezeTo({
            addr: to.addr,
            port: to.port,
            token,
          });
          frozenAt += (ctx as RemoteContext).precopyMs;
          if ("handoff" in r) {
            this.#deputy.allowBlocking();
            await this.#afterHandoff(ctx as RemoteContext, r, to, link!);
            ran();
            this.migrating = false;
            return undefined as T;
          }
          snapshot = r; // it came home instead
        } else {
          // A worker ready at home only if it continues at home: a spare
          // started for a process leaving would load a busy node for
          // nothing.
          snapshot = await ctx.freeze({
            prewarm: (to ?? this.#where).kind === "home",
          });
          if (ctx instanceof RemoteContext) frozenAt += ctx.precopyMs;
        }
        if (ctx instanceof UserContext) {
          this.lastFreezeMs = ctx.lastFreeze?.latencyMs;
          // Its mailbox goes along with it (direct communication).
          snapshot = this.#dicom.leave(snapshot, this.#deputy.deviceFds());
        }
      } catch (e) {
        link?.then((fc) => fc.close(), () => {});
        this.#deputy.allowBlocking();
        this.#dicom.at(this.#nodeOf(this.#where));
        this.migrating = false;
        throw e;
      }
      let result: T | undefined;
      let failure: unknown = null;
      try {
        result = await fn(snapshot, this.#deputy.saveState());
      } catch (e) {
        failure = e;
      }
      this.#deputy.allowBlocking();
      try {
        await this.#continueAt(snapshot, to ?? this.#where, link, pre);
        ran();
      } catch (e) {
        // A move that did not happen fails; a checkpoint (no `to`) was
        // written all the same.
        if (to !== undefined) failure ??= e;
        const at = to ?? this.#where;
        this.#o.notice?.(
          `could not continue on node ${at.kind === "node" ? at.id : "home"}: ${
            (e as Error).message
          }; continuing at home`,
        );
        await this.#continueAt(snapshot, { kind: "home" });
      }
      this.migrating = false;
      if (failure) throw failure;
      return result as T;
    });
    this.#busy = run.catch(() => {});
    return run;
  }

  /**
   * Tell the target on `link` to expect a hand-off; its token, or null if
   * it cannot take one (the state then goes through home).
   */
  async #expectHandoff(link: Promise<FrameConn>): Promise<string | null> {
    const token = [...crypto.getRandomValues(new Uint8Array(16))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    try {
      await (await link).request("guest.expect", { token }, ADMIT_MS);
      return token;
    } catch {
      return null;
    }
  }

  /**
   * The node it ran on handed its state to `to`: start it there. If that
   * fails, take the state back from that node and continue at home; if
   * that node is gone too, recover from the last checkpoint.
   */
  async #afterHandoff(
    from: RemoteContext,
    handed: HandedOff,
    to: Location & { kind: "node" },
    link: Promise<FrameConn>,
  ): Promise<void> {
    try {
      await this.#continueAt(handed, to, link);
      from.release();
      return;
    } catch (e) {
      this.#o.notice?.(
        `could not continue on node ${to.id}: ${
          (e as Error).message
        }; continuing at home`,
      );
      let snapshot: Snapshot;
      try {
        snapshot = await from.fetch();
      } catch (e2) {
        // Both nodes failed it: the last checkpoint is all there is.
        queueMicrotask(() => this.#recover(from.node, (e2 as Error).message));
        throw e;
      }
      await this.#continueAt(snapshot, { kind: "home" });
      throw e;
    }
  }

  /** The node ID of a location (this node's at home). */
  #nodeOf(l: Location): number {
    return l.kind === "home" ? this.#dicom.addr.home : l.id;
  }

  async #continueAt(
    snapshot: Snapshot | HandedOff,
    to: Location,
    link?: Promise<FrameConn>,
    pre?: Precopy,
  ): Promise<void> {
    if (to.kind === "home") {
      if ("handoff" in snapshot) throw new Error("no state at home");
      // Its mailbox takes messages at home, also while it waits for room.
      this.#dicom.arrive(snapshot);
      this.#dicom.at(this.#dicom.addr.home);
      if (this.#o.memory && this.#where.kind !== "home") {
        // Coming back to a home without room: wait on disk, never killed.
        await parkUntilRoom(this.#o.memory, snapshot, (path) => {
          this.parked = true;
          this.#o.notice?.(
            `${this.#o.name}: not enough memory at home to take it back; frozen to ${path} until there is`,
          );
        }).finally(() => this.parked = false);
      }
      this.#run(await UserContext.resume(snapshot, this.#contextOptions()));
    } else await this.#startAt(snapshot, to, link, pre);
    if (
      to.kind !== this.#where.kind ||
      (to.kind === "node" && this.#where.kind === "node" &&
        to.id !== this.#where.id)
    ) {
      this.migrations++;
      this.lastMigratedAt = Date.now();
    }
    this.memBytes =
      ("handoff" in snapshot ? snapshot.pageCount : snapshot.memory.pageCount) *
      65536;
    this.#where = to;
    this.#dicom.at(this.#nodeOf(to));
  }

  /**
   * Run the user context on node `to`: continue `snapshot` there, or start
   * the program from its beginning (null).
   */
  async #startAt(
    snapshot: Snapshot | HandedOff | null,
    to: Location & { kind: "node" },
    link?: Promise<FrameConn>,
    precopy?: Precopy,
  ): Promise<void> {
    const c = this.#o.cluster;
    if (!c) {
      throw new Error(
        "no access to the cluster (is omdiscd running, is its secret readable?)",
      );
    }
    // A fresh start takes its mailbox along, as a move does in the snapshot.
    let dicom: Uint8Array | undefined;
    if (snapshot === null) {
      this.#dicom.moving();
      dicom = this.#dicom.depart(this.#deputy.deviceFds());
    }
    let ctx: RemoteContext;
    try {
      ctx = await RemoteContext.start(
        {
          addr: to.addr,
          port: to.port,
          key: c.key,
          self: c.self,
          pid: this.#o.pid ?? Deno.pid,
          name: this.#o.name,
          wasm: this.#instrumented.wasm,
          wasmHash: this.#wasmHash ??= moduleHash(this.#instrumented.wasm),
          snapshot,
          args: this.#o.args,
          env: this.#o.env,
          unknown: this.#unknown,
          startedAt: this.startedAt,
          locked: this.locked,
          link,
          dicom,
          precopy,
        },
        this.#deputy,
        (target, admit) => this.#evicted(to, target, admit),
      );
    } catch (e) {
      if (snapshot === null) {
        // It starts at home after all (or not at all): its mailbox stays.
        this.#dicom.arrive({ extra: dicom });
        this.#dicom.at(this.#dicom.addr.home);
      }
      throw e;
    }
    this.#run(ctx);
    if (snapshot === null) {
      // Started there: not a migration, but it has just arrived.
      this.lastMigratedAt = Date.now();
      this.#where = to;
      this.#dicom.at(to.id);
    }
  }

  /**
   * The node hosting us sends us on: to `target` when its balancer chose one,
   * else home (it leaves or expels).
   */
  #evicted(from: Location, target: unknown, admit: unknown): void {
    const t = target as Location | undefined;
    // A pinned process only ever goes home when sent away.
    const to: Location = !this.locked && t?.kind === "node" &&
        typeof t.addr === "string" && Number.isInteger(t.id) &&
        Number.isInteger(t.port)
      ? { kind: "node", id: t.id, addr: t.addr, port: t.port }
      : { kind: "home" };
    // Judged when its turn comes: another move may have happened meanwhile.
    const run = this.#busy.then(() => {
      if (this.#where !== from) return;
      return this.migrate(to, admit);
    });
    run.catch((e) =>
      this.#o.notice?.(`could not move the process: ${(e as Error).message}`)
    );
  }

  /** Move the user context to another node, or home; resolves when it runs there. */
  migrate(to: Location, admit?: unknown): Promise<Location> {
    // A balancer's move (`admit`, checked by the target) or a user's.
    const ask = to.kind === "node" ? admitAsk(admit) : undefined;
    return this.#frozen(() => Promise.resolve(), to, ask).then(() =>
      this.#where
    );
  }

  /** Write the next checkpoint file now; resolves to its path. */
  checkpoint(): Promise<string> {
    const base = this.#o.checkpoint?.base;
    if (!base) {
      return Promise.reject(
        new Error("no checkpoint file given (mosrun -C FILE)"),
      );
    }
    return this.#frozen(async (snapshot, deputy) => {
      const seq = this.#seq + 1;
      const path = `${base}.${seq}`;
      const ck: Checkpoint = {
        runtime: RUNTIME_VERSION,
        created: Date.now(),
        name: this.#o.name,
        module: this.#o.module,
        snapshot: encodeSnapshot(snapshot),
        deputy,
        seq,
      };
      await writeCheckpointFile(path, ck);
      this.#deputy.markCheckpoint();
      this.#lastCheckpoint = path;
      this.#seq = seq;
      this.#o.notice?.(`checkpoint ${path} written`);
      return path;
    });
  }

  /** Stop the program at once (no checkpoint); wait() resolves with `code`. */
  kill(code: number): void {
    this.#ctx?.terminate();
    this.#finish(code, false);
  }
}

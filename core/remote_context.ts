/**
 * A user context running as a guest on another node, seen from home: the
 * same shape as a local UserContext (done, freeze, terminate), backed by
 * the link of core/guest_protocol.ts. The deputy answers the guest's calls
 * here, in order, as they arrive.
 *
 * @module
 */

import {
  BlobAssembler,
  HOME_GIVES_UP_MS,
  LINK_TICK_MS,
  type Precopy,
  sendBlob,
  sendSnapshot,
  takeSnapshot,
} from "./guest_protocol.ts";
import { bigintsIn, bigintsOut } from "./link/bigint_codec.ts";
import { FrameConn, LinkError, type LinkMessage } from "./link/frame_conn.ts";
import { type ContextEnd, UserContext } from "./runtime/context.ts";
import type { Snapshot } from "./runtime/snapshot.ts";
import { CONTEXT_IMPORTS_URL } from "./wasi/context_imports.ts";
import type { Deputy } from "./wasi/deputy.ts";
import type { DeputyRequest } from "./wasi/protocol.ts";
import type { Signature } from "./wasi/signatures.ts";

/** Where and what to start remotely. */
export interface RemoteStart {
  /** Target node's address and link port. */
  addr: string;
  /** Link (TCP) port. */
  port: number;
  /** Link key (derived from the cluster secret). */
  key: Uint8Array;
  /** This (home) node's ID. */
  self: number;
  /** Process ID at home. */
  pid: number;
  /** Program name. */
  name: string;
  /** The instrumented module, sent only if the target lacks it. */
  wasm: Uint8Array;
  /** Its SHA-256 (hex): the target's cache key. */
  wasmHash: string;
  /**
   * The frozen state to continue, or the token of a hand-off: the state
   * comes to the target from the node the process ran on (the target was
   * told to expect it with `guest.expect`); null starts the program from
   * its beginning there (a process placed when it starts).
   */
  snapshot: Snapshot | HandedOff | null;
  /** With a fresh start (`snapshot` null): its mailbox state (HomeDicom.depart). */
  dicom?: Uint8Array;
  /** Its memory sent ahead on `link` (sendPrecopy): only changes follow. */
  precopy?: Precopy;
  /** argv and environment (answered locally on the guest node). */
  args: string[];
  /** Environment "K=V". */
  env: string[];
  /** Non-preview1 wasi imports. */
  unknown: Record<string, Signature>;
  /** When the process started at home (ms). */
  startedAt: number;
  /** Never moved automatically (mosrun -L, or a node named). */
  locked: boolean;
  /** A link to the target opened already (while the process froze). */
  link?: Promise<FrameConn>;
}

/** A snapshot handed by one node straight to another (see RemoteContext.freezeTo). */
export interface HandedOff {
  /** The token the target expects it under. */
  handoff: string;
  /** Its memory size, in 64 KiB pages. */
  pageCount: number;
}

/** A user context away from home. */
export class RemoteContext {
  /** Settles when the program exits or fails there, or is frozen back. */
  readonly done: Promise<ContextEnd>;
  /** The node it runs on. */
  readonly node: number;
  /** True when it ended because the link to its node broke (node lost). */
  lost = false;
  /**
   * How long its node spent sending its memory ahead of the last freeze
   * (ms), home or to the node it was handed to: it ran meanwhile.
   */
  precopyMs = 0;
  #fc: FrameConn;
  #ended = false;
  #finish!: (e: ContextEnd) => void;
  #blobs = new BlobAssembler();
  #frozen: ((s: Snapshot | Error) => void) | null = null;

  private constructor(fc: FrameConn) {
    this.#fc = fc;
    this.#blobs.attach(fc);
    this.node = fc.peer;
    this.done = new Promise((r) => {
      this.#finish = (e) => {
        if (this.#ended) return;
        this.#ended = true;
        r(e);
      };
    });
  }

  /** Send the process to a node and let it continue there. `onEvict` runs when that node sends it away. */
  static async start(
    o: RemoteStart,
    deputy: Deputy,
    onEvict?: (to: unknown, admit: unknown) => void,
  ): Promise<RemoteContext> {
    const fc = await (o.link ??
      FrameConn.connect(o.addr, o.port, o.key, o.self));
    const rc = new RemoteContext(fc);
    fc.keepAlive(LINK_TICK_MS, HOME_GIVES_UP_MS);
    try {
      // Once per node: a module the target keeps is not sent again. The
      // snapshot goes meanwhile, not after the answer.
      const has = fc.request<{ have: boolean }>("guest.has", {
        hash: o.wasmHash,
      }, 10000);
      has.catch(() => {}); // awaited below
      const snapshot = o.snapshot === null
        ? null
        : "handoff" in o.snapshot
        ? { handoff: o.snapshot.handoff }
        : await sendSnapshot(fc, 2, o.snapshot, o.precopy);
      const { have } = await has;
      if (have !== true) await sendBlob(fc, 1, o.wasm);
      const started = fc.request("guest.start", {
        pid: o.pid,
        name: o.name,
        args: o.args,
        env: o.env,
        unknown: o.unknown,
        startedAt: o.startedAt,
        locked: o.locked,
        ...(o.dicom ? { dicom: o.dicom } : {}),
        moduleHash: o.wasmHash,
        module: have === true ? null : 1,
        snapshot,
      }, 60000);
      rc.#serve(deputy, onEvict);
      await started;
    } catch (e) {
      fc.close();
      throw e;
    }
    return rc;
  }

  /** Open an authenticated link to a node (see {@linkcode RemoteStart.link}). */
  static connect(
    addr: string,
    port: number,
    key: Uint8Array,
    self: number,
  ): Promise<FrameConn> {
    return FrameConn.connect(addr, port, key, self);
  }

  /** True while it runs there. */
  get running(): boolean {
    return !this.#ended;
  }

  async #serve(
    deputy: Deputy,
    onEvict?: (to: unknown, admit: unknown) => void,
  ): Promise<void> {
    const fc = this.#fc;
    for (let m = await fc.next(); m !== null; m = await fc.next()) {
      try {
        await this.#handle(m, deputy, onEvict);
      } catch (e) {
        // Whatever the node sent, it must not take the deputy down: the
        // link goes, and the process is recovered or reported lost.
        fc.close(
          new LinkError(`bad message from node: ${(e as Error).message}`),
        );
      }
    }
    if (!this.#ended) {
      this.lost = true;
      this.#finish({
        kind: "error",
        message: `lost the link to node ${this.node}: ${
          fc.error?.message ?? "closed"
        }`,
      });
    }
  }

  async #handle(
    m: LinkMessage,
    deputy: Deputy,
    onEvict?: (to: unknown, admit: unknown) => void,
  ): Promise<void> {
    const fc = this.#fc;
    // One message; a throw here ends the link (see #serve).
    if (m.type === "call") {
      // In order: the guest blocks on each call, so there is one at a time.
      const req = bigintsIn(
        (m.body as { req: unknown }).req,
      ) as DeputyRequest;
      let res;
      try {
        res = await deputy.handle(req);
      } catch (e) {
        await fc.reply(m, false, (e as Error).message).catch(() => {});
        return;
      }
      await fc.reply(m, true, bigintsOut(res)).catch(() => {});
    } else if (m.type === "guest.evict") {
      const b = m.body as { to?: unknown; admit?: unknown } | null;
      onEvict?.(b?.to, b?.admit);
    } else if (m.type === "blob") {
      this.#blobs.add(m.body);
    } else if (m.type === "guest.frozen") {
      // After its blob chunks, in order on the link.
      const ms = (m.body as { precopyMs?: unknown })?.precopyMs;
      this.precopyMs = typeof ms === "number" && ms >= 0 ? ms : 0;
      let snap: Snapshot | Error;
      try {
        snap = takeSnapshot(
          this.#blobs,
          (m.body as { snapshot?: unknown }).snapshot,
        );
      } catch (e) {
        snap = e as Error;
      }
      this.#frozen?.(snap);
    } else if (m.type === "guest.exit") {
      const b = m.body as { kind: string; code?: number; message?: string };
      UserContext.dropSpare(); // nothing will resume here
      this.#finish(
        b.kind === "exit"
          ? { kind: "exit", code: Number(b.code) }
          : { kind: "error", message: String(b.message) },
      );
      fc.close();
    }
  }

  /**
   * Freeze it there and bring the snapshot home; the guest is gone after.
   * `prewarm`: it continues at home next, have a worker ready for it.
   */
  async freeze(opts: { prewarm?: boolean } = {}): Promise<Snapshot> {
    const got = new Promise<Snapshot | Error>((r) => this.#frozen = r);
    const asked = this.#fc.request("guest.freeze", {}, 60000);
    // Its worker starts while the node freezes it (after the request: a
    // worker takes the thread for milliseconds to start).
    if (opts.prewarm !== false) UserContext.prewarm(CONTEXT_IMPORTS_URL);
    await asked;
    return await this.#takeFrozen(got);
  }

  /**
   * Freeze it there and have that node hand the state straight to the node
   * at `to` (which expects it under `to.token`). Resolves to the hand-off,
   * after which the node keeps the state until {@linkcode release} or
   * {@linkcode fetch}; or to the snapshot, if the node sent it home
   * instead (it could not reach the target).
   */
  async freezeTo(
    to: { addr: string; port: number; token: string },
  ): Promise<HandedOff | Snapshot> {
    const got = new Promise<Snapshot | Error>((r) => this.#frozen = r);
    const r = await this.#fc.request<
      { handedOff?: unknown; pageCount?: unknown; precopyMs?: unknown }
    >(
      "guest.freeze",
      { to },
      60000,
    );
    if (r?.handedOff !== true) return await this.#takeFrozen(got);
    const ms = r.precopyMs;
    this.precopyMs = typeof ms === "number" && ms >= 0 ? ms : 0;
    this.#frozen = null;
    // Not running here any more: its link closing is no loss now.
    this.#ended = true;
    return { handoff: to.token, pageCount: Number(r.pageCount) || 0 };
  }

  /** After a hand-off the target could not start: take the state back. */
  async fetch(): Promise<Snapshot> {
    const got = new Promise<Snapshot | Error>((r) => this.#frozen = r);
    await this.#fc.request("guest.fetch", {}, 60000);
    return await this.#takeFrozen(got);
  }

  /** After a hand-off the target started: the node may forget the state. */
  release(): void {
    this.#fc.close();
  }

  async #takeFrozen(got: Promise<Snapshot | Error>): Promise<Snapshot> {
    const snap = await got;
    this.#frozen = null;
    if (snap instanceof Error) throw snap;
    this.#ended = true;
    this.#fc.close();
    return snap;
  }

  /** Drop the link: the guest node stops the guest. */
  terminate(): void {
    this.#finish({ kind: "error", message: "terminated" });
    this.#fc.close();
  }
}

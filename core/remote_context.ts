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
  /** The frozen state to continue. */
  snapshot: Snapshot;
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
}

/** A user context away from home. */
export class RemoteContext {
  /** Settles when the program exits or fails there, or is frozen back. */
  readonly done: Promise<ContextEnd>;
  /** The node it runs on. */
  readonly node: number;
  /** True when it ended because the link to its node broke (node lost). */
  lost = false;
  #fc: FrameConn;
  #ended = false;
  #finish!: (e: ContextEnd) => void;
  #blobs = new BlobAssembler();
  #frozen: ((s: Snapshot | Error) => void) | null = null;

  private constructor(fc: FrameConn) {
    this.#fc = fc;
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
    onEvict?: (to: unknown) => void,
  ): Promise<RemoteContext> {
    const fc = await FrameConn.connect(o.addr, o.port, o.key, o.self);
    const rc = new RemoteContext(fc);
    fc.keepAlive(LINK_TICK_MS, HOME_GIVES_UP_MS);
    try {
      // Once per node: a module the target keeps is not sent again.
      const { have } = await fc.request<{ have: boolean }>("guest.has", {
        hash: o.wasmHash,
      }, 10000);
      if (have !== true) await sendBlob(fc, 1, o.wasm);
      const snapshot = await sendSnapshot(fc, 2, o.snapshot);
      const started = fc.request("guest.start", {
        pid: o.pid,
        name: o.name,
        args: o.args,
        env: o.env,
        unknown: o.unknown,
        startedAt: o.startedAt,
        locked: o.locked,
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

  /** True while it runs there. */
  get running(): boolean {
    return !this.#ended;
  }

  async #serve(deputy: Deputy, onEvict?: (to: unknown) => void): Promise<void> {
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
    onEvict?: (to: unknown) => void,
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
      onEvict?.((m.body as { to?: unknown })?.to);
    } else if (m.type === "blob") {
      this.#blobs.add(m.body);
    } else if (m.type === "guest.frozen") {
      // After its blob chunks, in order on the link.
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
    if (opts.prewarm !== false) UserContext.prewarm(CONTEXT_IMPORTS_URL);
    await this.#fc.request("guest.freeze", {}, 60000);
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

/**
 * Guests: user contexts of other nodes' processes, hosted by this daemon in
 * Workers (core/guest_protocol.ts). Every system call a guest makes goes
 * through a sync channel to this thread and on over the link to the
 * process's deputy at home; the reply comes back the same way. If the link
 * to home breaks, the guest is stopped: its home keeps the authority.
 *
 * @module
 */

import {
  BlobAssembler,
  GUEST_GIVES_UP_MS,
  LINK_TICK_MS,
  sendSnapshot,
  takeSnapshot,
} from "../core/guest_protocol.ts";
import { FrameConn, type LinkMessage } from "../core/link/frame_conn.ts";
import { bigintsIn, bigintsOut } from "../core/link/bigint_codec.ts";
import {
  createChannelBuffer,
  serveSyncChannel,
} from "../core/link/sync_channel.ts";
import {
  type ContextEnd,
  moduleHash,
  UserContext,
} from "../core/runtime/context.ts";
import { readInstrumentInfo } from "../core/runtime/instrument_info.ts";
import {
  CONTEXT_IMPORTS_URL,
  type WasiContextOptions,
} from "../core/wasi/context_imports.ts";
import { Errno } from "../core/wasi/errno.ts";
import type { DeputyRequest, DeputyResponse } from "../core/wasi/protocol.ts";
import type { Logger } from "./log.ts";
import type { GuestDicom, GuestSession } from "../core/dicom/guest_session.ts";

/** One hosted guest, as `mps`/status show it. */
export interface GuestInfo {
  /** Process ID at home. */
  pid: number;
  /** Home node ID. */
  home: number;
  /** Program name. */
  name: string;
  /** When it arrived (ms). */
  since: number;
  /** When it started at home (ms). */
  startedAt: number;
  /** Its memory at arrival, bytes. */
  memBytes: number;
  /** Never moved automatically. */
  locked: boolean;
}

/** Limits on hosting. */
export interface GuestLimits {
  /** Most guests at once. */
  maxGuests: number;
}

/** Instrumented modules kept in memory. */
const MODULES_KEPT = 16;
/** How long a worker kept ready for the next guest waits, ms. */
const SPARE_IDLE_MS = 60_000;

/** Hosts guests arriving on accepted link connections. */
export class GuestHost {
  #self: () => number;
  #log: Logger;
  #limits: GuestLimits;
  #blocked: () => boolean;
  #guests = new Map<FrameConn, GuestInfo>();
  /** Direct communication: the node's service and each guest's session. */
  #dicom: GuestDicom | null = null;
  #sessions = new Map<FrameConn, GuestSession>();
  /** Modules received over links, and arrivals that reused a kept one. */
  readonly moduleStats = { received: 0, reused: 0 };
  /** Instrumented modules by their SHA-256 (most recent last). */
  #modules = new Map<string, Uint8Array>();

  /** Make a host; `blocked` is read at every arrival (mosctl block). */
  constructor(
    self: () => number,
    blocked: () => boolean,
    log: Logger,
    limits: GuestLimits = { maxGuests: 64 },
  ) {
    this.#self = self;
    this.#blocked = blocked;
    this.#log = log;
    this.#limits = limits;
  }

  /** Host guests' mailboxes here (daemon/dicom_service.ts). */
  useDicom(d: GuestDicom): void {
    this.#dicom = d;
  }

  /** Guests running now. */
  guests(): GuestInfo[] {
    return [...this.#guests.values()];
  }

  /** Ask guest `pid`'s home to move it to `to` (the balancer's choice). */
  move(pid: number, to: unknown): boolean {
    for (const [fc, g] of this.#guests) {
      if (g.pid === pid) {
        fc.send("guest.evict", { to }).catch(() => {});
        return true;
      }
    }
    return false;
  }

  /**
   * Ask every guest's home to take it back (leaving, expelling), and wait
   * until they are gone or `timeoutMs` passes. Resolves to how many remain.
   */
  async evictAll(timeoutMs: number): Promise<number> {
    for (const fc of this.#guests.keys()) {
      fc.send("guest.evict", {}).catch(() => {});
    }
    const deadline = Date.now() + timeoutMs;
    while (this.#guests.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    UserContext.dropSpare(); // it would keep a stopping daemon alive
    return this.#guests.size;
  }

  /**
   * Serve one authenticated link whose first message is `first` (a
   * LinkService, daemon/link_server.ts): a guest arriving from its home.
   */
  async serve(fc: FrameConn, first: LinkMessage): Promise<void> {
    fc.keepAlive(LINK_TICK_MS, GUEST_GIVES_UP_MS);
    // A guest is probably coming: load its worker while its state arrives.
    if (!this.#blocked()) {
      UserContext.prewarm(CONTEXT_IMPORTS_URL, SPARE_IDLE_MS);
    }
    try {
      await this.#serveGuest(fc, first);
    } catch (e) {
      this.#log.warn(
        `guest link from node ${fc.peer} failed: ${(e as Error).message}`,
      );
    } finally {
      this.#guests.delete(fc);
      fc.close();
    }
  }

  async #serveGuest(fc: FrameConn, first: LinkMessage): Promise<void> {
    const blobs = new BlobAssembler();
    let ctx: UserContext | null = null;
    let freezing = false;
    // Listed until home closes the link (see guest.freeze).
    const reportEnd = (end: ContextEnd) => {
      if (end.kind === "frozen") return;
      fc.send(
        "guest.exit",
        end.kind === "exit"
          ? { kind: "exit", code: end.code }
          : { kind: "error", message: end.message },
      ).catch(() => {});
    };
    for (
      let m: LinkMessage | null = first;
      m !== null;
      m = await fc.next()
    ) {
      if (m.type === "blob") {
        blobs.add(m.body);
        continue;
      }
      if (m.type === "guest.has") {
        const hash = (m.body as { hash?: unknown })?.hash;
        await fc.reply(m, true, {
          have: typeof hash === "string" && this.#modules.has(hash),
        });
        continue;
      }
      if (m.type === "guest.start") {
        if (ctx) {
          await fc.reply(m, false, "a guest is already running on this link");
          continue;
        }
        try {
          ctx = await this.#start(fc, m, blobs);
        } catch (e) {
          await fc.reply(m, false, (e as Error).message);
          continue;
        }
        const c = ctx;
        await fc.reply(m, true, { node: this.#self() });
        c.done.then((end) => {
          // A freeze under way reports an end that beat it (below).
          if (!freezing) reportEnd(end);
        });
        continue;
      }
      if (m.type === "guest.freeze") {
        if (!ctx || !ctx.running) {
          await fc.reply(m, false, "no running guest on this link");
          continue;
        }
        freezing = true;
        const session = this.#sessions.get(fc);
        // A call blocked here on its mailbox must let go for the freeze.
        session?.interruptBlocked();
        try {
          // It leaves this node: no resume follows here.
          let snap = await ctx.freeze({ prewarm: false });
          // Its mailbox goes along.
          if (session) {
            snap = session.leave(snap);
            this.#sessions.delete(fc);
          }
          const ref = await sendSnapshot(fc, 2, snap);
          await fc.send("guest.frozen", { snapshot: ref });
          await fc.reply(m, true, {});
          // Still hosted until home, holding the state, closes the link: a
          // stopping daemon (evictAll) must not close it first, or unread
          // frames turn its close into a reset that drops what home has
          // not read yet.
        } catch (e) {
          freezing = false;
          session?.allowBlocking();
          await fc.reply(m, false, (e as Error).message);
          // It ended before the freeze took hold: home still needs its end.
          if (!ctx.running) reportEnd(await ctx.done);
        }
        continue;
      }
      await fc.reply(m, false, `unknown request '${m.type}'`).catch(() => {});
    }
    // The link is gone: home has the authority, stop the guest here.
    if (ctx?.running && !freezing) {
      ctx.terminate();
      this.#log.warn(
        `guest ${
          this.#guests.get(fc)?.pid ?? "?"
        } stopped: its home link broke`,
      );
    }
  }

  /**
   * The instrumented module with content hash `hash`: kept from an earlier
   * arrival, or just received as blob `blob` (checked against the hash, so
   * one home cannot plant a module under another's name). Homes ask
   * "guest.has" first and send a module only once per node.
   */
  #module(hash: string, blob: unknown, blobs: BlobAssembler): Uint8Array {
    let wasm = this.#modules.get(hash);
    if (blob !== undefined && blob !== null) {
      const got = blobs.take(blob);
      if (moduleHash(got) !== hash) {
        throw new Error("the module does not match its hash");
      }
      readInstrumentInfo(got); // throws if it is not an instrumented module
      wasm = got;
      this.moduleStats.received++;
    } else if (wasm !== undefined) {
      this.moduleStats.reused++;
    }
    if (wasm === undefined) {
      throw new Error("module not cached here any more (send it again)");
    }
    this.#modules.delete(hash);
    this.#modules.set(hash, wasm);
    if (this.#modules.size > MODULES_KEPT) {
      this.#modules.delete(this.#modules.keys().next().value!);
    }
    return wasm;
  }

  async #start(
    fc: FrameConn,
    m: LinkMessage,
    blobs: BlobAssembler,
  ): Promise<UserContext> {
    if (this.#blocked()) throw new Error("node is blocked (it refuses guests)");
    if (this.#guests.size >= this.#limits.maxGuests) {
      throw new Error(`node is full (${this.#limits.maxGuests} guests)`);
    }
    const b = m.body as Record<string, unknown>;
    const wasm = this.#module(String(b.moduleHash), b.module, blobs);
    const snapshot = takeSnapshot(blobs, b.snapshot);
    const args = (b.args as string[]) ?? [];
    const env = (b.env as string[]) ?? [];
    const sab = createChannelBuffer();
    // Every call goes home over the link, in order; the worker blocks meanwhile.
    const forward = async (req: DeputyRequest) =>
      bigintsIn(
        await fc.request("call", { req: bigintsOut(req) }, 24 * 3600 * 1000),
      ) as DeputyResponse;
    // Direct communication: its mailbox came along, device calls stay here.
    const session = this.#dicom?.arrive(
      { home: fc.peer, pid: Number(b.pid) },
      snapshot,
      forward,
    ) ?? null;
    const server = serveSyncChannel<DeputyRequest, DeputyResponse>(
      sab,
      session ? (req) => session.handle(req) : forward,
      () => ({ errno: Errno.IO }) as DeputyResponse,
    );
    const importsOptions: WasiContextOptions = {
      sab,
      args,
      env,
      unknown: (b.unknown as WasiContextOptions["unknown"]) ?? {},
    };
    let ctx: UserContext;
    try {
      ctx = await UserContext.resume(snapshot, {
        wasm,
        importsModule: CONTEXT_IMPORTS_URL,
        importsOptions,
      });
    } catch (e) {
      session?.leave(snapshot); // it continues at home, with its mailbox
      throw e;
    }
    ctx.done.finally(() => server.close());
    if (session) {
      this.#sessions.set(fc, session);
      ctx.done.then((end) => {
        if (end.kind !== "frozen") {
          session.end();
          this.#sessions.delete(fc);
        }
      });
    }
    // Keep a worker ready for the next guest too.
    UserContext.prewarm(CONTEXT_IMPORTS_URL, SPARE_IDLE_MS);
    this.#guests.set(fc, {
      pid: Number(b.pid),
      home: fc.peer,
      name: String(b.name ?? "?"),
      since: Date.now(),
      startedAt: Number(b.startedAt) || Date.now(),
      memBytes: snapshot.memory.pageCount * 65536,
      locked: b.locked === true,
    });
    this.#log.info(`guest ${b.pid} from node ${fc.peer} arrived (${b.name})`);
    return ctx;
  }
}

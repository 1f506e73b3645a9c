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
  type Precopy,
  PRECOPY_BLOB,
  sendPrecopy,
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
import type { Snapshot } from "../core/runtime/snapshot.ts";
import {
  CONTEXT_IMPORTS_URL,
  type WasiContextOptions,
} from "../core/wasi/context_imports.ts";
import { Errno } from "../core/wasi/errno.ts";
import type { DeputyRequest, DeputyResponse } from "../core/wasi/protocol.ts";
import type { Logger } from "./log.ts";
import type { GuestDicom, GuestSession } from "../core/dicom/guest_session.ts";
import { hasRoom, type HomeMemory } from "../core/home_memory.ts";

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

/** The hand-off target in a `guest.freeze` request, if well-formed. */
function handoffTarget(
  v: unknown,
): { addr: string; port: number; token: string } | null {
  const t = v as { addr?: unknown; port?: unknown; token?: unknown } | null;
  return typeof t?.addr === "string" && Number.isInteger(t.port) &&
      typeof t.token === "string"
    ? { addr: t.addr, port: t.port as number, token: t.token }
    : null;
}

/**
 * A snapshot one node hands straight to another for a home's move (node to
 * node without passing through home): the home registers its token here
 * (`guest.expect`), the source node sends the state on its own link
 * (`guest.handoff`), the home's `guest.start` claims it.
 */
interface Expected {
  /** The home link that registered it (it goes when that link goes). */
  home: FrameConn;
  /** Settles with the snapshot once it has arrived. */
  arrived: Promise<Snapshot>;
  resolve: (s: Snapshot) => void;
  reject: (e: Error) => void;
  /** True once a source link delivers it (one delivery per token). */
  claimed: boolean;
}

/** How long a move waits for the state handed off by the source node, ms. */
const HANDOFF_WAIT_MS = 60_000;
/** Most hand-offs expected at once on one node. */
const MAX_EXPECTED = 64;

/** Instrumented modules kept in memory. */
const MODULES_KEPT = 16;
/** How long after an arrival a worker is readied for the next guest, ms. */
const SPARE_DELAY_MS = 1000;
/** How long a worker kept ready for the next guest waits, ms. */
const SPARE_IDLE_MS = 60_000;

/**
 * A balancer's request to send a process here, checked before the process
 * is even frozen (core/balance.ts admit): why it moves, the rate it gets
 * where it runs, its weight and memory.
 */
export interface AdmitRequest {
  /** "load", "speed" or "memory". */
  reason: string;
  /** Its rate where it runs now (CPU share x speed). */
  rateHere: number;
  /** Its weight in the run queue (1 for a CPU-bound process). */
  weight: number;
  /** Its memory, bytes. */
  memBytes: number;
}

/**
 * Decides an {@linkcode AdmitRequest} on this node's fresh state, with the
 * arrivals accepted and not landed yet: null to accept, else why not.
 */
export type Admission = (
  req: AdmitRequest,
  pending: { count: number; bytes: number },
) => string | null;

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
  /** Node-to-node hand-offs: snapshots sent to and received from other nodes. */
  readonly handoffStats = { sent: 0, received: 0 };
  #expected = new Map<string, Expected>();
  #linkKey: Uint8Array | null = null;
  /** Instrumented modules by their SHA-256 (most recent last). */
  #modules = new Map<string, Uint8Array>();
  #admission: Admission | null = null;
  #memory: HomeMemory | null = null;
  /** Arrivals admitted on these links and not started yet: their memory. */
  #admitted = new Map<FrameConn, number>();

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
    // Guests come and go: one ending does not mean no other is coming.
    UserContext.keepSpare = true;
  }

  /**
   * The key of links to other nodes: with it, a guest moving to another
   * node goes there straight from here (else through its home).
   */
  useLinkKey(key: Uint8Array): void {
    this.#linkKey = key;
  }

  /** Check balancer requests with `a` (default: accept all). */
  useAdmission(a: Admission): void {
    this.#admission = a;
  }

  /**
   * This node's memory: a guest going home is copied ahead of its freeze
   * (sendPrecopy) only if the copy fits (default: never).
   */
  useMemory(m: HomeMemory): void {
    this.#memory = m;
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
  move(pid: number, to: unknown, admit?: unknown): boolean {
    for (const [fc, g] of this.#guests) {
      if (g.pid === pid) {
        fc.send("guest.evict", admit ? { to, admit } : { to }).catch(() => {});
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
    if (first.type === "guest.handoff") {
      try {
        await this.#receiveHandoff(fc, first);
      } catch (e) {
        this.#log.warn(
          `hand-off from node ${fc.peer} failed: ${(e as Error).message}`,
        );
      } finally {
        fc.close();
      }
      return;
    }
    fc.keepAlive(LINK_TICK_MS, GUEST_GIVES_UP_MS);
    // A guest is probably coming: load its worker while its state arrives.
    this.#readyWorker();
    try {
      await this.#serveGuest(fc, first);
    } catch (e) {
      this.#log.warn(
        `guest link from node ${fc.peer} failed: ${(e as Error).message}`,
      );
    } finally {
      this.#guests.delete(fc);
      this.#admitted.delete(fc);
      for (const [token, e] of this.#expected) {
        if (e.home === fc) {
          this.#expected.delete(token);
          e.reject(new Error("the home link closed"));
        }
      }
      fc.close();
    }
  }

  async #serveGuest(fc: FrameConn, first: LinkMessage): Promise<void> {
    const blobs = new BlobAssembler();
    blobs.attach(fc);
    let ctx: UserContext | null = null;
    let freezing = false;
    // Handed off to another node and kept until home closes the link, in
    // case home must fetch it back (the other node failed to start it).
    let handedOff: Snapshot | null = null;
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
      if (m.type === "guest.admit") {
        const why = this.#admit(m.body);
        if (why === null) {
          this.#admitted.set(
            fc,
            Number((m.body as AdmitRequest).memBytes) || 0,
          );
        }
        await fc.reply(m, why === null, why === null ? {} : why);
        continue;
      }
      if (m.type === "guest.expect") {
        const token = (m.body as { token?: unknown })?.token;
        const why = this.#blocked()
          ? "node is blocked (it refuses guests)"
          : typeof token !== "string" || !/^[0-9a-f]{32}$/.test(token)
          ? "malformed hand-off token"
          : this.#expected.has(token) || this.#expected.size >= MAX_EXPECTED
          ? "cannot take more hand-offs now"
          : null;
        if (why === null) this.#expect(fc, token as string);
        await fc.reply(m, why === null, why ?? {});
        continue;
      }
      if (m.type === "guest.fetch") {
        // The node it was handed to could not start it: home takes it back.
        if (!handedOff) {
          await fc.reply(m, false, "nothing handed off on this link");
          continue;
        }
        const ref = await sendSnapshot(fc, 2, handedOff);
        await fc.send("guest.frozen", { snapshot: ref });
        await fc.reply(m, true, {});
        handedOff = null;
        continue;
      }
      if (m.type === "guest.warm") {
        // A guest is coming: answered once a worker has loaded for it (or
        // after WARM_WAIT_MS), without holding up this link's other frames.
        this.#readyWorker().then(
          () => fc.reply(m, true, {}).catch(() => {}),
        );
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
        this.#admitted.delete(fc); // it has landed (or fails now)
        try {
          ctx = await this.#start(fc, m, blobs);
        } catch (e) {
          await fc.reply(m, false, (e as Error).message);
          continue;
        }
        const c = ctx;
        await fc.reply(m, true, { node: this.#self() });
        // Keep a worker ready for the next guest, a little after this one
        // arrived: starting a worker holds this thread for 15-20 ms, which
        // must not delay this guest's first calls, or its home asking it
        // back at once.
        Deno.unrefTimer(
          setTimeout(() => this.#readyWorker(), SPARE_DELAY_MS),
        );
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
        // Straight to the node it moves to, if home asks and it works.
        const to = handoffTarget((m.body as { to?: unknown })?.to);
        const started = performance.now();
        // The link there opens, and that node takes the hand-off, while
        // the program still runs.
        const link = to ? await this.#openHandOff(to, fc.peer) : null;
        // Its memory goes ahead on the way its state takes (that link, or
        // home), then only what changed; only if this node has room for
        // the copy. A failed pre-copy just sends it all later.
        const memory = ctx.memory;
        const via = link ?? (to ? null : fc);
        const pre = via && memory && this.#memory &&
            hasRoom(this.#memory, memory.buffer.byteLength)
          ? await sendPrecopy(via, PRECOPY_BLOB, memory).catch(() => undefined)
          : undefined;
        const precopyMs = pre ? performance.now() - started : 0;
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
          if (link && await this.#finishHandOff(link, snap, pre)) {
            handedOff = snap;
            await fc.reply(m, true, {
              handedOff: true,
              pageCount: snap.memory.pageCount,
              precopyMs,
            });
            this.#readyWorker(); // it left: a process sent back soon finds one
            continue;
          }
          // Through home: its pre-copy went there, or nowhere.
          const ref = await sendSnapshot(fc, 2, snap, link ? undefined : pre);
          await fc.send("guest.frozen", { snapshot: ref, precopyMs });
          await fc.reply(m, true, {});
          this.#readyWorker(); // it left: a process sent back soon finds one
          // Still hosted until home, holding the state, closes the link: a
          // stopping daemon (evictAll) must not close it first, or unread
          // frames turn its close into a reset that drops what home has
          // not read yet.
        } catch (e) {
          link?.close();
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
   * Have a worker loaded for the next guest, unless this node refuses
   * guests. Starting one takes this thread for milliseconds: callers pick
   * moments when nothing waits for it (a link just opened, a guest just
   * left, a second after one arrived).
   */
  #readyWorker(): Promise<void> {
    if (this.#blocked()) return Promise.resolve();
    return UserContext.prewarm(CONTEXT_IMPORTS_URL, SPARE_IDLE_MS);
  }

  /** Expect a hand-off under `token` for the home on `fc`. */
  #expect(fc: FrameConn, token: string): void {
    let resolve!: (s: Snapshot) => void, reject!: (e: Error) => void;
    const arrived = new Promise<Snapshot>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    arrived.catch(() => {}); // awaited by guest.start, if it comes
    this.#expected.set(token, {
      home: fc,
      arrived,
      resolve,
      reject,
      claimed: false,
    });
  }

  /**
   * Open a link to the node `to` names and have it take the hand-off for
   * the home `home` (the state then goes straight there, see
   * #finishHandOff); null (logged) if it cannot: home gets the state.
   */
  async #openHandOff(
    to: { addr: string; port: number; token: string },
    home: number,
  ): Promise<FrameConn | null> {
    if (!this.#linkKey) return null;
    let link: FrameConn | null = null;
    try {
      link = await FrameConn.connect(
        to.addr,
        to.port,
        this.#linkKey,
        this.#self(),
        5000,
      );
      link.keepAlive(LINK_TICK_MS, GUEST_GIVES_UP_MS);
      await link.request("guest.handoff", { token: to.token, home }, 10_000);
      return link;
    } catch (e) {
      link?.close();
      this.#handOffFailed(to.addr, e);
      return null;
    }
  }

  /**
   * Send the frozen state on a hand-off `link` (after its pre-copy `pre`,
   * if one went there); false if that failed (it goes through home).
   */
  async #finishHandOff(
    link: FrameConn,
    snap: Snapshot,
    pre: Precopy | undefined,
  ): Promise<boolean> {
    try {
      const ref = await sendSnapshot(link, 2, snap, pre);
      await link.request("guest.handoff.done", { snapshot: ref }, 60_000);
      this.handoffStats.sent++;
      return true;
    } catch (e) {
      this.#handOffFailed("the target", e);
      return false;
    } finally {
      link.close();
    }
  }

  #handOffFailed(where: string, e: unknown): void {
    this.#log.warn(
      `could not hand a guest to ${where}: ${
        (e as Error).message
      }; it goes through its home`,
    );
  }

  /** A node hands us the state of a guest its home moves here. */
  async #receiveHandoff(fc: FrameConn, first: LinkMessage): Promise<void> {
    const b = first.body as { token?: unknown; home?: unknown } | null;
    const e = typeof b?.token === "string"
      ? this.#expected.get(b.token)
      : undefined;
    // Only for a move a home announced here, from one source, once.
    if (!e || e.claimed || e.home.peer !== b?.home) {
      await fc.reply(first, false, "no such hand-off expected here");
      return;
    }
    e.claimed = true;
    fc.keepAlive(LINK_TICK_MS, GUEST_GIVES_UP_MS);
    const blobs = new BlobAssembler();
    blobs.attach(fc);
    await fc.reply(first, true, {});
    for (let m = await fc.next(); m !== null; m = await fc.next()) {
      if (m.type === "blob") {
        blobs.add(m.body);
      } else if (m.type === "guest.handoff.done") {
        const snap = takeSnapshot(
          blobs,
          (m.body as { snapshot?: unknown })?.snapshot,
        );
        this.handoffStats.received++;
        e.resolve(snap);
        await fc.reply(m, true, {});
        return;
      } else {
        throw new Error(`unexpected '${m.type}' in a hand-off`);
      }
    }
    e.reject(new Error("the source node's link closed mid hand-off"));
  }

  /** Null to accept a balancer's request, else why not. */
  #admit(body: unknown): string | null {
    if (this.#blocked()) return "node is blocked (it refuses guests)";
    if (this.#guests.size + this.#admitted.size >= this.#limits.maxGuests) {
      return `node is full (${this.#limits.maxGuests} guests)`;
    }
    const b = body as Partial<AdmitRequest> | null;
    if (
      typeof b?.reason !== "string" || !Number.isFinite(b.rateHere) ||
      !Number.isFinite(b.weight) || !Number.isFinite(b.memBytes)
    ) {
      return "malformed admission request";
    }
    let bytes = 0;
    for (const n of this.#admitted.values()) bytes += n;
    return this.#admission?.(b as AdmitRequest, {
      count: this.#admitted.size,
      bytes,
    }) ?? null;
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

  /**
   * The snapshot a `guest.start` names: blobs sent on this link, or a
   * hand-off from another node (waited for).
   */
  async #snapshotOf(ref: unknown, blobs: BlobAssembler): Promise<Snapshot> {
    const token = (ref as { handoff?: unknown } | null)?.handoff;
    if (token === undefined) return takeSnapshot(blobs, ref);
    const e = typeof token === "string" ? this.#expected.get(token) : undefined;
    if (!e) throw new Error("no such hand-off expected here");
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        e.arrived,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error("the handed-off state did not arrive")),
            HANDOFF_WAIT_MS,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.#expected.delete(token as string);
    }
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
    // null: a process placed as it starts begins here, never having run.
    const snapshot = b.snapshot === null
      ? null
      : await this.#snapshotOf(b.snapshot, blobs);
    const args = (b.args as string[]) ?? [];
    const env = (b.env as string[]) ?? [];
    const sab = createChannelBuffer();
    // Every call goes home over the link, in order; the worker blocks meanwhile.
    const forward = async (req: DeputyRequest) =>
      bigintsIn(
        await fc.request("call", { req: bigintsOut(req) }, 24 * 3600 * 1000),
      ) as DeputyResponse;
    // Direct communication: its mailbox came along, device calls stay here.
    // A fresh start brings its mailbox state along (guest.start's dicom).
    const session = this.#dicom?.arrive(
      { home: fc.peer, pid: Number(b.pid) },
      snapshot
        ? snapshot.extra
        : b.dicom instanceof Uint8Array
        ? b.dicom
        : undefined,
      forward,
    ) ?? null;
    const server = serveSyncChannel<DeputyRequest, DeputyResponse>(
      sab,
      session ? (req) => session.handle(req) : forward,
      () => ({ errno: Errno.IO }) as DeputyResponse,
      // Written data is a view of the channel, not a copy: the session
      // copies what it keeps, and a forwarded call holds the worker until
      // its reply, after the data went out.
      { borrowData: true },
    );
    const importsOptions: WasiContextOptions = {
      sab,
      args,
      env,
      unknown: (b.unknown as WasiContextOptions["unknown"]) ?? {},
    };
    const opts = { wasm, importsModule: CONTEXT_IMPORTS_URL, importsOptions };
    let ctx: UserContext;
    try {
      ctx = snapshot
        ? await UserContext.resume(snapshot, opts)
        : await UserContext.start(opts);
    } catch (e) {
      // It continues at home, with its mailbox (a fresh start's went
      // unused here: home took it back).
      if (snapshot) session?.leave(snapshot);
      else session?.end();
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
    this.#guests.set(fc, {
      pid: Number(b.pid),
      home: fc.peer,
      name: String(b.name ?? "?"),
      since: Date.now(),
      startedAt: Number(b.startedAt) || Date.now(),
      memBytes: (snapshot?.memory.pageCount ?? 0) * 65536,
      locked: b.locked === true,
    });
    this.#log.info(`guest ${b.pid} from node ${fc.peer} arrived (${b.name})`);
    return ctx;
  }
}

/**
 * The link from a home process (its mosrun) to the router of its node's
 * daemon, over the node's authenticated link port ("dicom." service): the
 * process attaches with its PID; it sends its messages through the router
 * (`dicom.send`), tells it where its messages go (`dicom.where`), and gets
 * the messages for it while it runs at home (`dicom.msg`). A lost link is
 * re-established in the background.
 *
 * @module
 */

import { FrameConn, type LinkMessage } from "../link/frame_conn.ts";
import type { HomeUplink } from "./home_dicom.ts";
import {
  DEFAULT_LIMITS,
  type DeliverReply,
  type DicomMessage,
  messageFromWire,
  messageToWire,
  type RouteResult,
  routeResultFrom,
} from "./message.ts";

/** Where the local daemon listens and how to authenticate. */
export interface UplinkTarget {
  /** The daemon's link address. */
  addr: string;
  /** Its link port. */
  port: number;
  /** Link key (cluster secret). */
  key: Uint8Array;
  /** This node's ID. */
  self: number;
  /** The process's PID. */
  pid: number;
}

/** Longest a message may wait for its receiver's room, ms (a day). */
const HOLD_MS = 24 * 3600 * 1000;
/** Between attempts to re-attach, ms. */
const RETRY_MS = 1000;
/** How long a message waits for a lost link to come back, ms. */
const RELINK_MS = 30_000;

/** The uplink of one home process. */
export class DaemonUplink implements HomeUplink {
  #t: UplinkTarget;
  #deliver: (m: DicomMessage) => DeliverReply | Promise<DeliverReply>;
  #fc: FrameConn | null = null;
  #connecting: Promise<FrameConn> | null = null;
  #where: number | "moving" = 0;
  #closed = false;

  private constructor(
    t: UplinkTarget,
    deliver: (m: DicomMessage) => DeliverReply | Promise<DeliverReply>,
  ) {
    this.#t = t;
    this.#deliver = deliver;
    this.#where = t.self;
  }

  /** Attach to the daemon; throws when it cannot be reached. */
  static async connect(
    t: UplinkTarget,
    deliver: (m: DicomMessage) => DeliverReply | Promise<DeliverReply>,
  ): Promise<DaemonUplink> {
    const u = new DaemonUplink(t, deliver);
    await u.#link();
    return u;
  }

  #link(): Promise<FrameConn> {
    if (this.#fc && !this.#fc.closed) return Promise.resolve(this.#fc);
    this.#connecting ??= (async () => {
      try {
        const t = this.#t;
        const fc = await FrameConn.connect(t.addr, t.port, t.key, t.self);
        try {
          await fc.request("dicom.attach", {
            pid: t.pid,
            where: this.#where,
          }, 5000);
        } catch (e) {
          fc.close();
          throw e;
        }
        this.#fc = fc;
        this.#serve(fc);
        return fc;
      } finally {
        this.#connecting = null;
      }
    })();
    return this.#connecting;
  }

  async #serve(fc: FrameConn): Promise<void> {
    for (let m = await fc.next(); m !== null; m = await fc.next()) {
      if (m.type === "dicom.msg") this.#onMessage(fc, m);
      else fc.reply(m, false, `unknown request '${m.type}'`).catch(() => {});
    }
    if (this.#fc === fc) this.#fc = null;
    // Re-attach while the process lives (a restarted daemon).
    while (!this.#closed && !this.#fc) {
      await new Promise((r) => setTimeout(r, RETRY_MS));
      if (this.#closed) break;
      await this.#link().catch(() => {});
    }
  }

  async #onMessage(fc: FrameConn, m: LinkMessage): Promise<void> {
    const msg = messageFromWire(
      (m.body as { msg?: unknown })?.msg,
      DEFAULT_LIMITS.maxMessage,
    );
    if (!msg) {
      await fc.reply(m, false, "malformed message").catch(() => {});
      return;
    }
    const r = await this.#deliver(msg);
    await fc.reply(m, true, r).catch(() => {});
  }

  /**
   * See {@linkcode HomeUplink.route}. A message whose link failed is sent
   * again on the next link (the receiver drops a copy it already has).
   */
  async route(m: DicomMessage): Promise<RouteResult> {
    const deadline = Date.now() + RELINK_MS;
    for (;;) {
      try {
        const fc = await this.#link();
        return routeResultFrom(
          await fc.request("dicom.send", { msg: messageToWire(m) }, HOLD_MS),
        );
      } catch (e) {
        if (this.#closed || Date.now() > deadline) {
          return { r: "unreachable", why: (e as Error).message };
        }
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** See {@linkcode HomeUplink.routeMany}. */
  async routeMany(ms: DicomMessage[]): Promise<RouteResult[]> {
    const deadline = Date.now() + RELINK_MS;
    for (;;) {
      try {
        const fc = await this.#link();
        const r = await fc.request("dicom.sendmany", {
          msgs: ms.map(messageToWire),
        }, HOLD_MS) as { results?: unknown };
        if (!Array.isArray(r?.results) || r.results.length !== ms.length) {
          throw new Error("bad answer to a batch");
        }
        return r.results.map(routeResultFrom);
      } catch (e) {
        if (this.#closed || Date.now() > deadline) {
          return ms.map(() => ({
            r: "unreachable" as const,
            why: (e as Error).message,
          }));
        }
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  /** See {@linkcode HomeUplink.where}. */
  where(w: number | "moving"): void {
    this.#where = w;
    this.#fc?.send("dicom.where", { where: w }).catch(() => {});
  }

  /** See {@linkcode HomeUplink.close}. */
  close(): void {
    this.#closed = true;
    this.#fc?.close();
  }
}

/**
 * The home side of a remote batch job: connect to the target's daemon with
 * the cluster's link key, ask it to start the job, then carry standard
 * input there and standard output and error back (each within its
 * flow-control window), deliver signals, and return how the job ended, or
 * why the node was lost.
 *
 * @module
 */

import {
  BATCH_ALIVE_MS,
  BATCH_SILENT_MS,
  BATCH_WINDOW,
  type BatchExit,
  BatchMsg,
  type BatchStart,
  type BatchStartResult,
  parseAck,
  parseBatchExit,
  parseBatchOut,
  parseStartResult,
} from "./batch_protocol.ts";
import { FlowWindow } from "./batch_window.ts";
import { writeAll } from "./frame_decoder.ts";
import type { ClusterAccess } from "./home_process.ts";
import { formatNodeId } from "./ids.ts";
import {
  FrameConn,
  LinkError,
  type LinkMessage,
  withTimeout,
} from "./link/frame_conn.ts";

/** Where a remote job runs. */
export interface BatchTarget {
  /** Node ID. */
  id: number;
  /** Its address. */
  addr: string;
  /** Its link port. */
  port: number;
}

/** Something output can be written to (Deno.stdout, a file, a test sink). */
export interface ByteWriter {
  /** Write some of `p`; resolves to how many bytes were written. */
  write(p: Uint8Array): Promise<number>;
}

/** The job's standard streams at home. */
export interface BatchStreams {
  /** Its input, or null for none (end of input at once). */
  stdin: ReadableStream<Uint8Array> | null;
  /** Where its output goes. */
  stdout: ByteWriter;
  /** Where its error output goes. */
  stderr: ByteWriter;
}

/** How a remote job ended. */
export type RemoteOutcome =
  | { kind: "exit"; exit: BatchExit }
  | { kind: "lost"; reason: string };

/** A start that did not happen: refused by the node, or not runnable there. */
export type StartRefusal = Extract<BatchStartResult, { started: false }>;

/** A job running on another node. */
export class RemoteBatchJob {
  #fc: FrameConn;
  /** The node it runs on. */
  readonly target: BatchTarget;
  /** Its job number on that node. */
  readonly job: number;
  /** Its process ID there. */
  readonly pid: number;

  private constructor(
    fc: FrameConn,
    target: BatchTarget,
    job: number,
    pid: number,
  ) {
    this.#fc = fc;
    this.target = target;
    this.job = job;
    this.pid = pid;
  }

  /**
   * Ask `target` to start `spec`. Resolves to the running job, or to the
   * node's refusal; throws LinkError when the node cannot be reached.
   */
  static async start(
    target: BatchTarget,
    access: ClusterAccess,
    spec: BatchStart,
    timeoutMs = 10_000,
  ): Promise<RemoteBatchJob | StartRefusal> {
    const fc = await FrameConn.connect(
      target.addr,
      target.port,
      access.key,
      access.self,
      timeoutMs,
    );
    let r: BatchStartResult;
    try {
      r = parseStartResult(
        await fc.request(
          BatchMsg.Start,
          spec as unknown as Record<string, unknown>,
          timeoutMs,
        ),
      );
    } catch (e) {
      fc.close();
      throw e instanceof LinkError ? e : new LinkError((e as Error).message);
    }
    if (!r.started) {
      fc.close();
      return r;
    }
    return new RemoteBatchJob(fc, target, r.job, r.pid);
  }

  /** Deliver `sig` to the job (its process group). */
  signal(sig: Deno.Signal): void {
    this.#fc.send(BatchMsg.Signal, { signal: sig }).catch(() => {});
  }

  /** Carry the streams until the job ends or the node is lost; then hang up. */
  async run(io: BatchStreams): Promise<RemoteOutcome> {
    const fc = this.#fc;
    const alive = setInterval(
      () => fc.send(BatchMsg.Alive, {}).catch(() => {}),
      BATCH_ALIVE_MS,
    );
    const inWindow = new FlowWindow(BATCH_WINDOW);
    const input = io.stdin?.getReader() ?? null;
    this.#feed(input, inWindow); // ends with the link
    const broken = [false, false];
    const sinks = [io.stdout, io.stderr];
    try {
      for (;;) {
        let m: LinkMessage | null;
        try {
          m = await withTimeout(fc.next(), BATCH_SILENT_MS, "node");
        } catch {
          return {
            kind: "lost",
            reason: `no word from it for ${BATCH_SILENT_MS / 1000} s`,
          };
        }
        if (m === null) {
          return {
            kind: "lost",
            reason: fc.error?.message ?? "connection closed",
          };
        }
        switch (m.type) {
          case BatchMsg.Out: {
            const { fd, data } = parseBatchOut(m.body);
            if (!broken[fd - 1]) {
              try {
                await writeAll(sinks[fd - 1], data);
              } catch {
                // Nobody reads our output any more: as a local program would.
                broken[fd - 1] = true;
                this.signal("SIGPIPE");
              }
            }
            fc.send(BatchMsg.Ack, { fd, bytes: data.length }).catch(() => {});
            break;
          }
          case BatchMsg.InAck:
            inWindow.give(parseAck(m.body).bytes);
            break;
          case BatchMsg.Exit:
            return { kind: "exit", exit: parseBatchExit(m.body) };
          case BatchMsg.Alive:
            break;
          default:
            break; // newer peers may say more
        }
      }
    } finally {
      clearInterval(alive);
      inWindow.close();
      // Not awaited: a read pending on a terminal may not end at once.
      input?.cancel().catch(() => {});
      fc.close();
    }
  }

  /** Send our input to the job within its window, then the end of it. */
  async #feed(
    input: ReadableStreamDefaultReader<Uint8Array> | null,
    window: FlowWindow,
  ): Promise<void> {
    const fc = this.#fc;
    try {
      if (input) {
        for (;;) {
          const { done, value } = await input.read();
          if (done) break;
          if (!await window.take(value.length)) return;
          await fc.send(BatchMsg.In, { data: value });
        }
      }
      await fc.send(BatchMsg.Eof, {});
    } catch {
      // link closed or input cancelled: the job is over
    }
  }
}

/** One line about a lost node, for the user. */
export function lostMessage(target: BatchTarget, reason: string): string {
  return `lost node ${
    formatNodeId(target.id)
  } during the job (${reason}); its output may be incomplete`;
}

/**
 * Batch jobs hosted by this daemon (mosrun -E, core/batch_protocol.ts): a
 * native program started here for a user at another node, in that user's
 * directory and environment, its standard streams carried over the link
 * with flow control, signals from home delivered to its process group, its
 * exit status sent back. A job never moves; if the link to its home breaks,
 * it is killed (its home has given up on it).
 *
 * @module
 */

import {
  BATCH_ALIVE_MS,
  BATCH_SILENT_MS,
  BATCH_WINDOW,
  BatchMsg,
  BatchProtocolError,
  type BatchStart,
  type BatchStartResult,
  isDeliverableSignal,
  parseAck,
  parseBatchIn,
  parseBatchStart,
} from "../core/batch_protocol.ts";
import {
  jobIdentity,
  lookupUser,
  type PasswdEntry,
} from "../core/batch_identity.ts";
import { FlowWindow } from "../core/batch_window.ts";
import { formatNodeId } from "../core/ids.ts";
import {
  type FrameConn,
  LinkError,
  type LinkMessage,
  withTimeout,
} from "../core/link/frame_conn.ts";
import type { Logger } from "./log.ts";

/** A running job, as `mps --all` shows it. */
export interface BatchJobInfo {
  /** Job number on this node. */
  job: number;
  /** Its process ID here. */
  pid: number;
  /** Its home node. */
  home: number;
  /** Its cluster process ID (mosrun's PID at home). */
  homePid: number;
  /** The user it runs for. */
  user: string;
  /** Program and arguments. */
  command: string;
  /** When it started, ms. */
  since: number;
}

/** How the host is configured. */
export interface BatchHostOptions {
  /** This node's ID. */
  self: () => number;
  /** Whether this node takes batch jobs at all (omdiscd --no-batch). */
  enabled: boolean;
  /** Whether jobs may run as root when the daemon is root (--batch-root). */
  allowRoot: boolean;
  /** Read at every start: the node refuses guests (mosctl block, setpe -off). */
  blocked: () => boolean;
  /** Log lines. */
  log: Logger;
  /** Most jobs at once. */
  maxJobs?: number;
  /** The daemon's uid (tests). */
  daemonUid?: number;
  /** Find a user by name (tests). */
  lookup?: (name: string) => Promise<PasswdEntry | undefined>;
}

/** After the job ended, a stream silent this long is given up, ms (a leftover child holds it open). */
const DRAIN_IDLE_MS = 2_000;
/** Between SIGHUP/SIGTERM and SIGKILL when a job is given up, ms. */
const KILL_GRACE_MS = 2_000;
/** How long to wait for the home to hang up after the exit report, ms. */
const HANGUP_WAIT_MS = 5_000;

interface Job {
  info: BatchJobInfo;
  child: Deno.ChildProcess;
  /** Set when the host gives up on the job: why. */
  lost: string | null;
  exited: boolean;
}

/** Runs batch jobs for other nodes. */
export class BatchHost {
  #o: BatchHostOptions;
  #jobs = new Map<number, Job>();
  #nextJob = 1;

  /** Make a host. */
  constructor(o: BatchHostOptions) {
    this.#o = o;
  }

  /** Jobs running now (load). */
  get running(): number {
    return this.#jobs.size;
  }

  /** The running jobs. */
  jobs(): BatchJobInfo[] {
    return [...this.#jobs.values()].map((j) => ({ ...j.info }));
  }

  /**
   * Serve one link whose first message is `first` (a `batch.start`
   * request): run the job, and return when it is over.
   */
  async serve(fc: FrameConn, first: LinkMessage): Promise<void> {
    if (first.type !== BatchMsg.Start) {
      await fc.reply(first, false, `expected ${BatchMsg.Start}`);
      return;
    }
    let spec: BatchStart;
    try {
      spec = parseBatchStart(first.body);
    } catch (e) {
      if (!(e instanceof BatchProtocolError)) throw e;
      await this.#answer(fc, first, {
        started: false,
        kind: "refused",
        reason: `bad request: ${e.message}`,
      });
      return;
    }
    const started = await this.#start(spec, fc.peer);
    if ("started" in started) {
      if (!started.started) {
        this.#o.log.info(
          `batch: refused a job from node ${
            formatNodeId(fc.peer)
          }: ${started.reason}`,
        );
      }
      await this.#answer(fc, first, started);
      return;
    }
    const job = started;
    this.#jobs.set(job.info.job, job);
    this.#o.log.info(
      `batch: job ${job.info.job} (pid ${job.info.pid}) for ${job.info.user} from node ${
        formatNodeId(job.info.home)
      } pid ${job.info.homePid}: ${job.info.command}`,
    );
    try {
      await this.#answer(fc, first, {
        started: true,
        job: job.info.job,
        pid: job.info.pid,
      });
      await this.#run(fc, job);
    } finally {
      this.#jobs.delete(job.info.job);
      if (!job.exited) this.#kill(job, "SIGHUP");
    }
  }

  /**
   * Stop every job (the daemon is stopping): SIGTERM, SIGKILL after
   * `graceMs`; each home is told why. Resolves when all are gone or the
   * grace time plus a second has passed.
   */
  async stopAll(graceMs: number): Promise<void> {
    const jobs = [...this.#jobs.values()];
    if (jobs.length === 0) return;
    const why = `node ${formatNodeId(this.#o.self())} is stopping`;
    for (const j of jobs) {
      j.lost = why;
      this.#kill(j, "SIGTERM", graceMs);
    }
    const deadline = Date.now() + graceMs + 1000;
    while (this.#jobs.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  #answer(
    fc: FrameConn,
    first: LinkMessage,
    r: BatchStartResult,
  ): Promise<void> {
    return fc.reply(first, true, r);
  }

  /** Check the request and spawn the job, or say why not. */
  async #start(
    spec: BatchStart,
    home: number,
  ): Promise<Job | BatchStartResult> {
    const refuse = (reason: string): BatchStartResult => ({
      started: false,
      kind: "refused",
      reason,
    });
    const here = `node ${formatNodeId(this.#o.self())}`;
    if (!this.#o.enabled) return refuse(`${here} does not take batch jobs`);
    if (this.#o.blocked()) {
      return refuse(`${here} is blocked (it refuses guests)`);
    }
    if (this.#jobs.size >= (this.#o.maxJobs ?? 256)) {
      return refuse(`${here} runs too many batch jobs`);
    }
    const daemonUid = this.#o.daemonUid ?? Deno.uid() ?? 0;
    const entry = daemonUid === 0
      ? await (this.#o.lookup ?? ((name) => lookupUser({ name })))(spec.user)
      : undefined;
    const id = jobIdentity({
      user: spec.user,
      entry,
      daemonUid,
      allowRoot: this.#o.allowRoot,
    });
    if (!id.ok) return refuse(id.reason.replace("this node", here));
    try {
      if (!(await Deno.stat(spec.cwd)).isDirectory) throw new Error();
    } catch {
      return refuse(`no directory ${spec.cwd} on ${here}`);
    }
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(spec.program, {
        args: spec.args,
        cwd: spec.cwd,
        env: spec.env,
        clearEnv: true,
        ...(id.uid === null ? {} : { uid: id.uid, gid: id.gid! }),
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        // Its own process group: signals from home reach its children too.
        detached: true,
      }).spawn();
    } catch (e) {
      const notFound = e instanceof Deno.errors.NotFound;
      return {
        started: false,
        kind: "exec",
        status: notFound ? 127 : 126,
        reason: notFound
          ? `${spec.program}: command not found on ${here}`
          : `cannot run ${spec.program} on ${here}: ${
            (e as Error).message.replace(/\s*\(os error \d+\).*$/, "")
          }`,
      };
    }
    return {
      info: {
        job: this.#nextJob++,
        pid: child.pid,
        home,
        homePid: spec.homePid,
        user: spec.user,
        command: [spec.program, ...spec.args].join(" ").slice(0, 200),
        since: Date.now(),
      },
      child,
      lost: null,
      exited: false,
    };
  }

  /** Carry the job's streams and signals until it ends and home knows. */
  async #run(fc: FrameConn, job: Job): Promise<void> {
    const { child } = job;
    const out = [new FlowWindow(BATCH_WINDOW), new FlowWindow(BATCH_WINDOW)];
    const pumps = [
      new OutputPump(child.stdout, 1, fc, out[0]),
      new OutputPump(child.stderr, 2, fc, out[1]),
    ];
    const input = new InputFeeder(child.stdin, fc);
    const alive = setInterval(
      () => fc.send(BatchMsg.Alive, {}).catch(() => {}),
      BATCH_ALIVE_MS,
    );
    let linkDown: string | null = null;
    const messages = (async () => {
      for (;;) {
        let m: LinkMessage | null;
        try {
          m = await withTimeout(fc.next(), BATCH_SILENT_MS, "home");
        } catch {
          fc.close(new LinkError("home silent"));
          m = null;
        }
        if (m === null) {
          linkDown = fc.error?.message ?? "home hung up";
          for (const w of out) w.close();
          return;
        }
        try {
          this.#handle(m, job, out, input);
        } catch (e) {
          this.#o.log.warn(
            `batch: job ${job.info.job}: bad message from home: ${
              (e as Error).message
            }`,
          );
        }
      }
    })();
    const status = await Promise.race([
      child.status,
      messages.then(() => null),
    ]);
    if (status === null && !job.exited) {
      // Home is gone: nobody waits for this job any more.
      this.#o.log.info(
        `batch: job ${job.info.job}: link to home lost (${linkDown}), killing it`,
      );
      clearInterval(alive);
      this.#kill(job, "SIGHUP");
      await child.status;
      job.exited = true;
      input.close();
      await Promise.all(pumps.map((p) => p.stop()));
      return;
    }
    const st = status ?? await child.status;
    job.exited = true;
    input.close();
    await Promise.all(pumps.map((p) => p.drain(DRAIN_IDLE_MS)));
    clearInterval(alive);
    this.#jobs.delete(job.info.job);
    this.#o.log.info(
      `batch: job ${job.info.job} ended (${
        st.signal ? `signal ${st.signal}` : `status ${st.code}`
      })`,
    );
    if (linkDown !== null) return;
    const exit: Record<string, unknown> = {
      code: st.code,
      signal: st.signal ?? null,
    };
    if (job.lost) exit.lost = job.lost;
    try {
      await fc.send(BatchMsg.Exit, exit);
    } catch {
      return;
    }
    // Let home hang up first, so no unread data turns our close into a reset.
    await withTimeout(messages, HANGUP_WAIT_MS, "hangup").catch(() => {});
  }

  #handle(
    m: LinkMessage,
    job: Job,
    out: FlowWindow[],
    input: InputFeeder,
  ): void {
    switch (m.type) {
      case BatchMsg.Ack: {
        const a = parseAck(m.body);
        if (a.fd === 1 || a.fd === 2) out[a.fd - 1].give(a.bytes);
        return;
      }
      case BatchMsg.In:
        input.write(parseBatchIn(m.body));
        return;
      case BatchMsg.Eof:
        input.end();
        return;
      case BatchMsg.Signal: {
        const sig = (m.body as { signal?: unknown })?.signal;
        if (!isDeliverableSignal(sig)) {
          throw new BatchProtocolError(`not a signal to deliver: ${sig}`);
        }
        this.#signal(job, sig);
        return;
      }
      case BatchMsg.Alive:
        return;
      default:
        throw new BatchProtocolError(`unexpected ${m.type}`);
    }
  }

  #signal(job: Job, sig: Deno.Signal): void {
    if (job.exited) return;
    try {
      Deno.kill(-job.info.pid, sig); // the whole process group
    } catch {
      try {
        job.child.kill(sig);
      } catch {
        // gone
      }
    }
  }

  /** Signal the job's group now, and SIGKILL it after a grace period. */
  #kill(job: Job, sig: Deno.Signal, graceMs = KILL_GRACE_MS): void {
    this.#signal(job, sig);
    const t = setTimeout(() => {
      try {
        Deno.kill(-job.info.pid, "SIGKILL");
      } catch {
        // gone
      }
    }, graceMs);
    job.child.status.finally(() => clearTimeout(t));
  }
}

/** Sends one output stream of the job home, within its window. */
class OutputPump {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #done: Promise<void>;
  #idleSince: number | null = null;

  constructor(
    stream: ReadableStream<Uint8Array>,
    fd: 1 | 2,
    fc: FrameConn,
    window: FlowWindow,
  ) {
    const reader = stream.getReader();
    this.#reader = reader;
    this.#done = (async () => {
      try {
        for (;;) {
          this.#idleSince = Date.now();
          const { done, value } = await reader.read();
          this.#idleSince = null;
          if (done) return;
          if (!await window.take(value.length)) return;
          await fc.send(BatchMsg.Out, { fd, data: value });
        }
      } catch {
        // link closed or stream cancelled
      }
    })();
  }

  /** Wait for the end of the stream, giving up once it stays silent `idleMs`. */
  async drain(idleMs: number): Promise<void> {
    let finished = false;
    const done = this.#done.then(() => finished = true);
    while (!finished) {
      await Promise.race([done, new Promise((r) => setTimeout(r, 200))]);
      if (
        !finished && this.#idleSince !== null &&
        Date.now() - this.#idleSince > idleMs
      ) {
        await this.stop();
        return;
      }
    }
  }

  /** Stop reading (the job is gone, or home is). */
  async stop(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
    await this.#done;
  }
}

/** Writes what home sends to the job's stdin, acknowledging each chunk. */
class InputFeeder {
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #chain: Promise<void> = Promise.resolve();
  #fc: FrameConn;
  #broken = false;
  #closed = false;

  constructor(stdin: WritableStream<Uint8Array>, fc: FrameConn) {
    this.#writer = stdin.getWriter();
    this.#fc = fc;
  }

  /** Queue `data` for the job (home keeps the queue within its window). */
  write(data: Uint8Array): void {
    this.#chain = this.#chain.then(async () => {
      if (!this.#broken && !this.#closed) {
        try {
          await this.#writer.write(data);
        } catch {
          this.#broken = true; // the job closed its stdin: drop the rest
        }
      }
      await this.#fc.send(BatchMsg.InAck, { bytes: data.length }).catch(
        () => {},
      );
    });
  }

  /** End of input. */
  end(): void {
    this.#chain = this.#chain.then(() => this.close());
  }

  /** Close the job's stdin now. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#writer.close().catch(() => {});
  }
}

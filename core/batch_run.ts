/**
 * `mosrun` for a native program: a batch job. The home picks the node
 * (where-options as for WebAssembly processes; by default, and with -b, the
 * best node by gossiped load and free memory, counting the jobs this home
 * placed since), the job runs there in the same directory with the user's
 * environment, and `mosrun` stands in for it here: standard streams,
 * signals, exit status, and a process socket that `mps` lists with STAT B.
 * Batch jobs never migrate.
 *
 * @module
 */

import { resolve } from "node:path";
import { lostMessage, RemoteBatchJob } from "./batch_client.ts";
import { lookupUser } from "./batch_identity.ts";
import { journalPath, withJournal } from "./batch_journal.ts";
import { LocalBatchJob } from "./batch_local.ts";
import { markEnded, placeBatchJob } from "./batch_placement.ts";
import { queueStep } from "./batch_queue.ts";
import {
  type BatchStart,
  exitStatus,
  FORWARDED_SIGNALS,
} from "./batch_protocol.ts";
import { CliError, UsageError } from "./cli_util.ts";
import type { ClusterAccess, Location } from "./home_process.ts";
import { formatNodeId } from "./ids.ts";
import type { MosrunArgs } from "./mosrun_args.ts";
import { chooseStart, clusterAccess } from "./mosrun_start.ts";
import type { NodeDirs } from "./node_dirs.ts";
import type { NodeView } from "./node_info.ts";
import { locationOf } from "./node_target.ts";
import { listenProcSocket, procSocketPath } from "./proc_socket.ts";

type Cluster = { access: ClusterAccess; nodes: NodeView[] };
const HOME: Location = { kind: "home" };

/** The submitting user's name, as the target will look it up. */
async function userName(): Promise<string> {
  const uid = Deno.uid();
  const e = uid === null ? undefined : await lookupUser({ uid });
  const name = e?.name ?? Deno.env.get("USER") ?? Deno.env.get("LOGNAME");
  if (!name) throw new CliError("cannot tell your user name (set USER)");
  return name;
}

/**
 * Where the job goes. The choice and its record in the home's journal of
 * placements happen under the journal's lock, so jobs started together
 * spread instead of all taking the node that looked idlest.
 */
async function chooseTarget(
  a: MosrunArgs,
  dirs: NodeDirs,
  cluster: Cluster | null,
): Promise<Location> {
  const w = a.where;
  if (w.kind === "home") return HOME;
  const automatic = w.kind === "default" || w.kind === "best";
  // A single node is a valid cluster: the best node is this one.
  if (!cluster) return automatic ? HOME : await chooseStart(a, null);
  const need = (a.memoryMb ?? 0) * 1024 * 1024;
  const none = () => {
    if (w.kind === "default" || a.fallbackHome) return HOME;
    throw new CliError(
      `no node is available${
        need ? ` with ${a.memoryMb} MB free` : ""
      } (use -F to fall back home)`,
    );
  };
  if (a.queue) {
    // A queue no node can ever serve is not waited for.
    if (!placeBatchJob(cluster.nodes, [], Date.now(), need)) return none();
    return await waitForCpu(dirs, cluster, need);
  }
  return await withJournal(
    journalPath(dirs.runDir, Deno.uid() ?? 0),
    Date.now,
    async (j) => {
      let loc: Location;
      if (automatic) {
        const v = placeBatchJob(cluster.nodes, j.placed, Date.now(), need);
        loc = v ? locationOf(v) : none();
      } else {
        loc = await chooseStart(a, cluster);
      }
      const node = loc.kind === "home" ? cluster.access.self : loc.id;
      return {
        value: loc,
        next: {
          ...j,
          placed: [...j.placed, { node, at: Date.now(), pid: Deno.pid }],
        },
      };
    },
  );
}

/**
 * Between two looks at the queue, ms, per job ahead in it (jittered, and
 * at most QUEUE_POLL_MAX_MS): jobs far back look less often, so a long
 * queue costs the home little CPU.
 */
const QUEUE_POLL_MS = 100;
const QUEUE_POLL_MAX_MS = 1_500;
/** How often a waiting job asks the daemon for fresh loads, ms. */
const QUEUE_VIEWS_MS = 1_000;

/**
 * mosrun -q: wait in the home's queue until some node has a free CPU and
 * the jobs queued before this one have started, then place it there.
 */
async function waitForCpu(
  dirs: NodeDirs,
  cluster: Cluster,
  need: number,
): Promise<Location> {
  const path = journalPath(dirs.runDir, Deno.uid() ?? 0);
  let views = cluster.nodes;
  let viewsAt = Date.now();
  for (;;) {
    const step = await withJournal(path, Date.now, (j) => {
      const r = queueStep(views, j, Deno.pid, Date.now(), need);
      // Written only when something changed: joining, or leaving placed.
      const changed = r.step.kind === "place" ||
        !j.waiting.some((w) => w.pid === Deno.pid);
      return Promise.resolve({
        value: r.step,
        next: changed ? r.next : undefined,
      });
    });
    if (step.kind === "place") return locationOf(step.node);
    const ms = Math.min(QUEUE_POLL_MAX_MS, QUEUE_POLL_MS * (1 + step.ahead));
    await new Promise((r) => setTimeout(r, ms * (0.75 + Math.random() / 2)));
    if (Date.now() - viewsAt >= QUEUE_VIEWS_MS) {
      views = (await clusterAccess(dirs))?.nodes ?? views;
      viewsAt = Date.now();
    }
  }
}

/** A job running somewhere, as mosrun's signal handlers and socket see it. */
interface Running {
  where: number;
  signal(sig: Deno.Signal): void;
  /** Resolves to mosrun's exit status. */
  finish(): Promise<number>;
}

function local(program: string, args: string[], cwd: string): Running {
  const job = LocalBatchJob.start(program, args, cwd);
  if (!(job instanceof LocalBatchJob)) {
    throw new BatchExecError(job.reason, job.status);
  }
  return {
    where: 0,
    signal: (s) => job.signal(s),
    finish: async () => exitStatus(await job.wait()),
  };
}

/** The program cannot be executed (not found, not executable): exit 127/126. */
class BatchExecError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/**
 * Start the job where `target` says; a refusing or unreachable node means
 * home with -F (or when no node was asked for), an error otherwise.
 */
async function start(
  a: MosrunArgs,
  target: Location,
  cluster: Cluster | null,
  spec: BatchStart,
  notice: (line: string) => void,
): Promise<Running> {
  if (target.kind === "home" || !cluster) {
    return local(spec.program, spec.args, spec.cwd);
  }
  let why: string;
  try {
    const r = await RemoteBatchJob.start(target, cluster.access, spec);
    if (r instanceof RemoteBatchJob) {
      return {
        where: target.id,
        signal: (s) => r.signal(s),
        finish: async () => {
          const out = await r.run({
            stdin: Deno.stdin.readable,
            stdout: Deno.stdout,
            stderr: Deno.stderr,
          });
          if (out.kind === "lost") {
            throw new CliError(lostMessage(target, out.reason));
          }
          if (out.exit.lost) notice(`job stopped: ${out.exit.lost}`);
          return exitStatus(out.exit);
        },
      };
    }
    if (r.kind === "exec") throw new BatchExecError(r.reason, r.status ?? 127);
    why = r.reason;
  } catch (e) {
    if (e instanceof BatchExecError) throw e;
    why = (e as Error).message;
  }
  const node = formatNodeId(target.id);
  if (a.fallbackHome || a.where.kind === "default") {
    notice(`node ${node} unavailable (${why}), running at home`);
    return local(spec.program, spec.args, spec.cwd);
  }
  throw new CliError(
    `cannot start on node ${node}: ${why} (use -F to fall back home)`,
  );
}

/**
 * Run `a.command` as a batch job and return mosrun's exit status: the
 * job's, 128+N for signal N, 127/126 when it cannot be executed. Throws
 * CliError when it cannot be started, or its node is lost.
 */
export async function runBatch(
  a: MosrunArgs,
  dirs: NodeDirs,
  notice: (line: string) => void = (l) => console.error(`mosrun: ${l}`),
): Promise<number> {
  const [program, ...args] = a.command;
  if (a.checkpointBase !== null || a.checkpointMinutes !== null) {
    throw new CliError(
      `${program} is not a WebAssembly module: native programs run as batch jobs, which cannot be checkpointed (drop -C/-A)`,
    );
  }
  if (a.preopens.length) {
    throw new UsageError(
      "--preopen is for WebAssembly programs, not batch jobs",
    );
  }
  const cwd = resolve(Deno.cwd(), a.batch?.cwd ?? ".");
  const cluster = await clusterAccess(dirs);
  const target = await chooseTarget(a, dirs, cluster);
  const spec: BatchStart = {
    program,
    args,
    cwd,
    env: Deno.env.toObject(),
    user: target.kind === "node" ? await userName() : "",
    homePid: Deno.pid,
  };
  let job: Running;
  try {
    job = await start(a, target, cluster, spec, notice);
  } catch (e) {
    if (!(e instanceof BatchExecError)) throw e;
    notice(e.message);
    return e.status;
  }
  const startedAt = Date.now();
  const command = a.command.join(" ");
  const sock = await listenProcSocket(
    procSocketPath(dirs.runDir, Deno.pid),
    (op, args) => {
      switch (op) {
        case "status":
          return Promise.resolve({
            pid: Deno.pid,
            uid: Deno.uid(),
            where: job.where,
            stat: "B",
            time: Math.round((Date.now() - startedAt) / 1000),
            migrations: 0,
            locked: true,
            startedAt,
            lastMigratedAt: null,
            memBytes: 0,
            command,
          });
        case "lock":
          return Promise.resolve({ locked: true });
        case "migrate":
          // mosctl bring asks every process home: one at home already is.
          if ((args.to as Location)?.kind === "home" && job.where === 0) {
            return Promise.resolve({ where: 0 });
          }
          throw new Error(
            `a batch job never migrates (it runs on ${
              job.where === 0 ? "its home" : `node ${formatNodeId(job.where)}`
            } until it ends)`,
          );
        case "checkpoint":
          throw new Error("a batch job cannot be checkpointed");
        default:
          throw new Error(`unknown request '${op}'`);
      }
    },
  ).catch(() => null); // without a writable run dir the job still runs
  const listeners = FORWARDED_SIGNALS.map((sig) => {
    const f = () => job.signal(sig);
    Deno.addSignalListener(sig, f);
    return [sig, f] as const;
  });
  try {
    return await job.finish();
  } finally {
    for (const [s, f] of listeners) Deno.removeSignalListener(s, f);
    await sock?.close();
    // The next placements need to know this node has one job less.
    if (cluster && a.where.kind !== "home") {
      await withJournal(
        journalPath(dirs.runDir, Deno.uid() ?? 0),
        Date.now,
        (j) =>
          Promise.resolve({
            value: null,
            next: { ...j, placed: markEnded(j.placed, Deno.pid, Date.now()) },
          }),
      ).catch(() => {});
    }
  }
}

/**
 * mosrun: start a program as a cluster process.
 *
 * @module
 */

// First: before anything loads cbor-x (see the module).
import { clearCborSwitch, withoutCborSwitch } from "../core/cbor_plain.ts";
import { isNativeProgram } from "../core/batch_program.ts";
import { runBatch } from "../core/batch_run.ts";
import { CliError, cliMain, UsageError } from "../core/cli_util.ts";
import type {
  CheckpointPolicy,
  HomeProcess,
  Location,
} from "../core/home_process.ts";
import { formatNodeId } from "../core/ids.ts";
import { MosrunUsageError, parseMosrunArgs } from "../core/mosrun_args.ts";
import { chooseStart, clusterAccess } from "../core/mosrun_start.ts";
import { resolveDirs } from "../core/node_dirs.ts";
import { listenProcSocket, procSocketPath } from "../core/proc_socket.ts";
import { VERSION } from "../core/version.ts";

const HELP = `Usage: mosrun [where] [options] PROGRAM [ARGS...]
       mosrun -R FILE [-C FILE] [-A MIN]

Run PROGRAM (a WASI preview1 .wasm command) as a cluster process: its
files, terminal and environment stay here while it runs. A native
program runs as a batch job: started on the best node (or the one named),
in the same directory with your environment, its input, output, signals
and exit status carried; it never migrates.

Where:
  -h               at home (the default, unless home is busy)
  -NODE, -r HOST   on that node          -j ID,ID-ID  a random one of those
  -b               the best node now     -F           fall back to home
Options:
  -m MB            needs that much free memory
  -L / -l          never / may migrate automatically
  -E[/CWD]         run PROGRAM as a native batch job (in CWD)
  -q               batch job: wait here until a node has a free CPU
  -C FILE          checkpoint files FILE.1, FILE.2, ...
  -A MIN           checkpoint every MIN minutes (fractions allowed)
  -R FILE          resume a checkpoint file
  --preopen HOSTDIR[::GUESTPATH]
                   give the program this directory (repeatable; default:
                   the cwd as "." and "/")
  --dir DIR        the node's directory (env DMOSIX_DIR)
  --help, --version

The exit status is the program's. 'migrate PID checkpoint' writes a
checkpoint of a running process now.
`;

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

async function main(argv: string[]): Promise<number> {
  let a;
  try {
    a = parseMosrunArgs(argv);
  } catch (e) {
    if (e instanceof MosrunUsageError) throw new UsageError(e.message);
    throw e;
  }
  if (a.info === "help") {
    console.log(HELP.trimEnd());
    return 0;
  }
  if (a.info === "version") {
    console.log(`mosrun (dmosix) ${VERSION}`);
    return 0;
  }
  if (
    a.batch || (a.resume === null &&
      await isNativeProgram(
        a.command[0],
        Deno.cwd(),
        Deno.env.get("PATH") ?? "",
      ))
  ) {
    // A native program: a batch job, placed once, never migrated.
    clearCborSwitch();
    return await runBatch(a, resolveDirs({ dir: a.dir ?? undefined }));
  }
  if (a.queue) {
    throw new UsageError("-q queues batch jobs (native programs) only");
  }
  const dirs = resolveDirs({ dir: a.dir ?? undefined });
  // A named node or -L pins the process; -l frees it again.
  const locked = a.migratable === false ||
    (a.migratable === null && a.where.kind === "node");
  // No where-option: the balancer places it now if home is busy, rather
  // than a few rounds after it started here (a resume starts at home).
  const automatic = a.where.kind === "default" && !locked &&
    a.resume === null;
  // The wasm runtime only now: a batch job starts without loading it. The
  // daemon is asked meanwhile, so processes started together are placed
  // as early as they can be.
  const [
    cluster,
    { HomeProcess, StartAwayError },
    { systemHomeMemory },
    { localDaemon, ROUTE_ENV, routeFrom },
    { parsePreopen },
    { denoStdio },
  ] = await Promise.all([
    clusterAccess(
      dirs,
      automatic
        ? { pid: Deno.pid, needBytes: (a.memoryMb ?? 0) * 1024 * 1024 }
        : undefined,
    ),
    import("../core/home_process.ts"),
    import("../core/home_memory.ts"),
    import("../core/dicom/access.ts"),
    import("../core/wasi/preopen.ts"),
    import("../core/wasi/stdio.ts"),
  ]);
  const start = await chooseStart(a, cluster);
  const cwd = Deno.cwd();
  const notice = (line: string) => console.error(`mosrun: ${line}`);
  const policy: CheckpointPolicy | undefined = a.checkpointBase === null
    ? undefined
    : {
      base: a.checkpointBase,
      everyMs: a.checkpointMinutes === null ? 0 : a.checkpointMinutes * 60_000,
    };
  // What a fresh start and a resume share.
  const common = {
    stdio: denoStdio(),
    checkpoint: policy,
    notice,
    // Direct communication (/dev/mosix) goes through the local daemon.
    cluster: cluster
      ? { ...cluster.access, daemon: localDaemon(cluster.nodes) }
      : undefined,
    dicomRoute: routeFrom(Deno.env.get(ROUTE_ENV)),
    pid: Deno.pid,
    locked,
    memory: systemHomeMemory(dirs.runDir),
  };
  let proc: HomeProcess;
  if (a.resume !== null) {
    proc = await HomeProcess.resume(a.resume, common);
  } else {
    const program = a.command[0];
    let module: Uint8Array;
    try {
      module = await Deno.readFile(program);
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "no such file"
        : (e as Error).message;
      throw new CliError(`cannot read ${program}: ${why}`);
    }
    if (!WASM_MAGIC.every((b, i) => module[i] === b)) {
      throw new CliError(
        `${program} is not a WebAssembly module (run native programs as batch jobs: mosrun -E)`,
      );
    }
    let preopens;
    try {
      preopens = a.preopens.length
        ? a.preopens.map((p) => parsePreopen(p, cwd))
        : undefined;
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    // Placed or named elsewhere: it starts there, from its beginning.
    const away = start.kind === "node"
      ? {
        at: start,
        // Placed by the balancer: home is a fine place too.
        fallback: a.where.kind === "default"
          ? () => {}
          : a.fallbackHome
          ? () =>
            notice(
              `node ${formatNodeId(start.id)} unavailable, running at home`,
            )
          : undefined,
      }
      : undefined;
    try {
      proc = await HomeProcess.start({
        module,
        name: program,
        args: a.command,
        env: Object.entries(withoutCborSwitch(Deno.env.toObject())).map((
          [k, v],
        ) => `${k}=${v}`),
        cwd,
        preopens,
        ...common,
      }, away);
    } catch (e) {
      if (!(e instanceof StartAwayError)) throw e;
      throw new CliError(`${e.message} (use -F to fall back home)`);
    }
  }
  if (start.kind === "node" && a.resume !== null) {
    // A checkpoint resumes at home and moves at once.
    await proc.migrate(start).catch((e) => {
      // Done before it could leave: it ran, at home; its status stands.
      if (proc.ended) return;
      // Placed by the balancer: home is a fine place too.
      if (a.where.kind === "default") return;
      if (!a.fallbackHome) {
        proc.kill(1);
        throw new CliError(
          `cannot start on node ${formatNodeId(start.id)}: ${
            (e as Error).message
          } (use -F to fall back home)`,
        );
      }
      notice(`node ${formatNodeId(start.id)} unavailable, running at home`);
    });
  }

  const started = Date.now();
  const command = a.resume !== null ? `-R ${a.resume}` : a.command.join(" ");
  const sock = await listenProcSocket(
    procSocketPath(dirs.runDir, Deno.pid),
    async (op, args) => {
      switch (op) {
        case "checkpoint":
          return { path: await proc.checkpoint() };
        case "lock":
          // mosctl bring: home, and kept there.
          proc.locked = true;
          return { locked: true };
        case "status":
          return {
            pid: Deno.pid,
            uid: Deno.uid(),
            where: proc.where.kind === "home" ? 0 : proc.where.id,
            stat: proc.parked ? "F" : proc.migrating ? "M" : "R",
            time: Math.round((Date.now() - started) / 1000),
            migrations: proc.migrations,
            locked: proc.locked,
            startedAt: proc.startedAt,
            lastMigratedAt: proc.lastMigratedAt,
            memBytes: proc.memBytes,
            command,
          };
        case "migrate": {
          const to = args.to as Location;
          if (to?.kind !== "home" && to?.kind !== "node") {
            throw new Error("bad target");
          }
          if (args.auto === true && proc.locked) {
            throw new Error("pinned: it does not move automatically");
          }
          if (to.kind === "node" && !cluster) {
            throw new Error(
              "no access to the cluster secret: it cannot leave home",
            );
          }
          const done = proc.migrate(to, args.admit);
          if (!args.wait) {
            done.catch((e) => {
              // A target declining a balancer's move is no news to the user.
              if (args.auto === true && /declined/.test((e as Error).message)) {
                return;
              }
              notice(`migration failed: ${(e as Error).message}`);
            });
            return { accepted: true };
          }
          const where = await done;
          return {
            where: where.kind === "home" ? 0 : where.id,
            frozenMs: proc.lastFrozenMs,
          };
        }
        default:
          throw new Error(`unknown request '${op}'`);
      }
    },
  ).catch(() => null); // without a writable run dir the program still runs
  const signals: [Deno.Signal, number][] = [["SIGINT", 2], ["SIGTERM", 15], [
    "SIGHUP",
    1,
  ]];
  const onSignal = (n: number) => () => proc.kill(128 + n);
  const listeners = signals.map(([s, n]) => {
    const f = onSignal(n);
    Deno.addSignalListener(s, f);
    return [s, f] as const;
  });
  const code = await proc.wait();
  for (const [s, f] of listeners) Deno.removeSignalListener(s, f);
  await sock?.close();
  return code;
}

if (import.meta.main) cliMain("mosrun", main);

/**
 * mosrun: start a program as a cluster process.
 *
 * @module
 */

import { CliError, cliMain, UsageError } from "../core/cli_util.ts";
import { type CheckpointPolicy, HomeProcess } from "../core/home_process.ts";
import { MosrunUsageError, parseMosrunArgs } from "../core/mosrun_args.ts";
import { resolveDirs } from "../core/node_dirs.ts";
import { listenProcSocket, procSocketPath } from "../core/proc_socket.ts";
import { VERSION } from "../core/version.ts";
import { parsePreopen } from "../core/wasi/preopen.ts";
import { denoStdio } from "../core/wasi/stdio.ts";

const HELP = `Usage: mosrun [where] [options] PROGRAM [ARGS...]
       mosrun -R FILE [-C FILE] [-A MIN]

Run PROGRAM (a WASI preview1 .wasm command) as a cluster process: its
files, terminal and environment stay here while it runs.

Where:
  -h               at home (the default with no daemon)
  -NODE, -r HOST   on that node          -j ID,ID-ID  a random one of those
  -b               the best node now     -F           fall back to home
Options:
  -m MB            needs that much free memory
  -L / -l          never / may migrate automatically
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
  if (a.batch) {
    throw new CliError(
      "native batch jobs (-E) are not available in this version (run the program directly)",
    );
  }
  if (
    a.where.kind !== "default" && a.where.kind !== "home" && !a.fallbackHome
  ) {
    throw new CliError(
      "starting on another node needs process migration, not available in this version (use -h, or -F to fall back home)",
    );
  }
  const dirs = resolveDirs({ dir: a.dir ?? undefined });
  const cwd = Deno.cwd();
  const notice = (line: string) => console.error(`mosrun: ${line}`);
  const policy: CheckpointPolicy | undefined = a.checkpointBase === null
    ? undefined
    : {
      base: a.checkpointBase,
      everyMs: a.checkpointMinutes === null ? 0 : a.checkpointMinutes * 60_000,
    };
  let proc: HomeProcess;
  if (a.resume !== null) {
    proc = await HomeProcess.resume(a.resume, {
      stdio: denoStdio(),
      checkpoint: policy,
      notice,
    });
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
        `${program} is not a WebAssembly module (native programs run as batch jobs, -E, not available in this version)`,
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
    proc = await HomeProcess.start({
      module,
      name: program,
      args: a.command,
      env: Object.entries(Deno.env.toObject()).map(([k, v]) => `${k}=${v}`),
      cwd,
      preopens,
      stdio: denoStdio(),
      checkpoint: policy,
      notice,
    });
  }

  const sock = await listenProcSocket(
    procSocketPath(dirs.runDir, Deno.pid),
    (op) => {
      if (op === "checkpoint") {
        return proc.checkpoint().then((path) => ({
          path,
        }));
      }
      if (op === "status") {
        return Promise.resolve({
          pid: Deno.pid,
          where: "home",
        });
      }
      return Promise.reject(new Error(`unknown request '${op}'`));
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

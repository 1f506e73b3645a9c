/**
 * omdiscd: the node daemon's command line. Detaches unless `-n`.
 *
 * @module
 */

// First: before anything loads cbor-x; guest workers read it too (see the
// module). Batch jobs get the user's environment, not the daemon's.
import "../core/cbor_plain.ts";
import {
  CliError,
  cliMain,
  handleInfoFlags,
  parseCli,
  positiveNumber,
  UsageError,
} from "../core/cli_util.ts";
import { isIPv4 } from "../core/ids.ts";
import { resolveDirs } from "../core/node_dirs.ts";
import { Daemon } from "../daemon/daemon.ts";
import { stderrLogger } from "../daemon/log.ts";
import { chooseAddress } from "../daemon/self_address.ts";
import { parseMap } from "../core/map.ts";
import { type HttpListen, parseHttpListen } from "../core/web_guard.ts";

const HELP = `Usage: omdiscd [-n] [-i IFACE|ADDR] [--addr IP] [options]

The dmosix node daemon: finds the other nodes (multicast, or the static map
loaded with setpe), gossips load, answers the local commands.

Options:
  -n                 stay in the foreground, log to stderr
  -i IFACE|ADDR      use this interface (or address) for the cluster
  --addr IP          this node's unicast address
  --group ADDR       multicast group (default 239.255.77.88)
  --port N           UDP/TCP port (default 4660)
  --no-multicast     no multicast discovery (use a map: setpe -w)
  --no-balance       never move processes automatically
  --no-batch         refuse batch jobs (mosrun -E) from other nodes
  --batch-root       run batch jobs as root when root sends them (the
                     daemon being root); refused by default
  --load system|cluster
                     load from /proc (default), or the number of cluster
                     processes running here (several nodes on one machine)
  --speed N          override the measured speed (10000 = reference CPU)
  --cpus N           override the CPU count (e.g. 0.4 under a cgroup quota)
  --unit SEC         gossip time unit (default 1)
  --window N         gossip window: entries per message (default 16)
  --dead-after SEC   mark a silent node dead after SEC (default: grows
                     with the cluster size)
  --http [ADDR:]PORT serve the web monitor there (ADDR default 127.0.0.1;
                     actions need the token of 'mosctl webtoken')
  --dir DIR          the node's directory (env DMOSIX_DIR)
  --help, --version
`;

async function main(args: string[]): Promise<number> {
  const { values } = parseCli(args, {
    n: { type: "boolean", short: "n" },
    i: { type: "string", short: "i" },
    addr: { type: "string" },
    group: { type: "string" },
    port: { type: "string" },
    "no-multicast": { type: "boolean" },
    "no-balance": { type: "boolean" },
    "no-batch": { type: "boolean" },
    "batch-root": { type: "boolean" },
    load: { type: "string" },
    speed: { type: "string" },
    cpus: { type: "string" },
    unit: { type: "string" },
    window: { type: "string" },
    "dead-after": { type: "string" },
    dir: { type: "string" },
    http: { type: "string" },
    log: { type: "string" }, // internal: set by the detaching parent
    help: { type: "boolean" },
    version: { type: "boolean" },
  });
  if (handleInfoFlags("omdiscd", values, HELP)) return 0;
  const port = positiveNumber(values.port, "--port", 4660);
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(
      `--port needs an integer 1..65535, got '${values.port}'`,
    );
  }
  const group = values.group ?? "239.255.77.88";
  if (
    !isIPv4(group) || Number(group.split(".")[0]) < 224 ||
    Number(group.split(".")[0]) > 239
  ) {
    throw new UsageError(
      `--group needs an IPv4 multicast address, got '${group}'`,
    );
  }
  const window = positiveNumber(values.window, "--window", 16);
  if (!Number.isInteger(window) || window > 1024) {
    throw new UsageError(
      `--window needs an integer 1..1024, got '${values.window}'`,
    );
  }
  const unit = positiveNumber(values.unit, "--unit", 1);
  const deadAfter = values["dead-after"] === undefined
    ? undefined
    : positiveNumber(values["dead-after"], "--dead-after", 0);
  const speed = values.speed === undefined
    ? undefined
    : positiveNumber(values.speed, "--speed", 0);
  const cpus = values.cpus === undefined
    ? undefined
    : positiveNumber(values.cpus, "--cpus", 0);
  let http: HttpListen | undefined;
  try {
    if (values.http !== undefined) http = parseHttpListen(values.http);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const dirs = resolveDirs({ dir: values.dir });
  const loadFrom = values.load ?? "system";
  if (loadFrom !== "system" && loadFrom !== "cluster") {
    throw new UsageError(`--load takes system or cluster, got '${loadFrom}'`);
  }

  if (!values.n) {
    return await detach(
      args,
      dirs.socketPath,
      dirs.logPath,
      dirs.pidPath,
      dirs.runDir,
    );
  }

  let mapIps: string[] = [];
  try {
    mapIps = parseMap(await Deno.readTextFile(dirs.mapPath), dirs.mapPath)
      .ranges
      .flatMap((r) => [r.host]);
  } catch {
    // no map yet, or reported when the daemon loads it
  }
  const addr = chooseAddress({
    addr: values.addr,
    iface: values.i,
    mapIps,
    interfaces: Deno.networkInterfaces() as never,
  });
  const log = stderrLogger("omdiscd", values.log);
  const daemon = await Daemon.start({
    dirs,
    addr,
    port,
    group: values["no-multicast"] ? null : group,
    balance: !values["no-balance"],
    batch: !values["no-batch"],
    batchRoot: values["batch-root"] ?? false,
    loadFrom,
    unit,
    window,
    deadAfter,
    speed,
    cpus,
    http,
  }, log).catch((e) => {
    // When detached, stderr goes nowhere: the parent reads the reason here.
    if (values.log) log.warn((e as Error).message);
    throw e;
  });
  // A daemon must keep serving: a stray rejection (a peer that hung up in
  // the middle of something) is logged, never fatal.
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    log.warn(`unhandled: ${(e.reason as Error)?.message ?? e.reason}`);
  });
  const { promise, resolve } = Promise.withResolvers<void>();
  const onSignal = () => daemon.stop().then(resolve);
  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(sig, onSignal);
  }
  Deno.addSignalListener("SIGHUP", () => log.info("SIGHUP ignored"));
  await promise;
  return 0;
}

/** Start ourselves in the background with -n and wait for the socket. */
async function detach(
  args: string[],
  socketPath: string,
  logPath: string,
  pidPath: string,
  runDir: string,
): Promise<number> {
  if (await answers(socketPath)) {
    throw new CliError(
      `an omdiscd is already running with ${socketPath} (stop it first, or use another --dir)`,
    );
  }
  await Deno.mkdir(runDir, { recursive: true });
  const self = new URL(import.meta.url);
  const config = new URL("../deno.json", import.meta.url);
  const denoArgs = ["run", "-A", "--unstable-net"];
  if (config.protocol === "file:") denoArgs.push("--config", config.pathname);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...denoArgs, self.href, ...args, "-n", "--log", logPath],
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  child.unref();
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && !exited) {
    if (await answers(socketPath) && await ownsPidFile(pidPath, child.pid)) {
      console.log(`omdiscd: started (pid ${child.pid}, log ${logPath})`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let tail = "";
  try {
    tail = (await Deno.readTextFile(logPath)).trim().split("\n").at(-1) ?? "";
  } catch {
    // no log
  }
  throw new CliError(
    `the daemon did not start${
      tail ? `: ${tail.replace(/^\S+ omdiscd\[\d+\] /, "")}` : ""
    } (see ${logPath}, or run 'omdiscd -n')`,
  );
}

async function answers(socketPath: string): Promise<boolean> {
  try {
    (await Deno.connect({ transport: "unix", path: socketPath })).close();
    return true;
  } catch {
    return false;
  }
}

async function ownsPidFile(pidPath: string, pid: number): Promise<boolean> {
  try {
    return Number((await Deno.readTextFile(pidPath)).trim()) === pid;
  } catch {
    return false;
  }
}

if (import.meta.main) cliMain("omdiscd", main);

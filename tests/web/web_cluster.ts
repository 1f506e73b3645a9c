/**
 * A loopback cluster whose first node serves the web monitor, and cluster
 * processes to watch on it: shared by the HTTP test and the browser test.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  runCommand,
  waitFor,
} from "../../tools/local_cluster.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { allSeeLive } from "../../tools/cluster_probe.ts";

/** A started web cluster. */
export interface WebCluster {
  /** The cluster; node 0 serves the web monitor. */
  cluster: LocalCluster;
  /** The monitor's base address, e.g. `http://127.0.81.1:4781`. */
  base: string;
  /** The action token (from `mosctl webtoken`). */
  token: string;
  /** The address with the token in the fragment, as `mosctl webtoken --json` gives it. */
  link: string;
}

/**
 * Start `nodes` daemons on 127.0.SUBNET.x:PORT (no automatic balancing, so
 * only the test moves processes), then restart node 0 with
 * `--http 127.0.SUBNET.1:HTTPPORT`; wait until every node sees all.
 */
export async function startWebCluster(
  nodes: number,
  subnet: number,
  port: number,
  httpPort: number,
): Promise<WebCluster> {
  const cluster = await LocalCluster.start({
    nodes,
    subnet,
    port,
    daemonArgs: ["--no-balance", "--load", "cluster"],
  });
  try {
    const first = cluster.nodes[0];
    await cluster.signal(0, "SIGTERM");
    cluster.startNode(0, ["--http", `${first.addr}:${httpPort}`]);
    await cluster.waitSocket(0);
    const all = await waitFor(
      () =>
        allSeeLive(
          cluster.nodes.map((n) => n.dir),
          cluster.nodes.map((n) => n.id),
        ),
      15000,
    );
    assert(all >= 0, "the nodes did not all see each other");
    const r = await cluster.run(0, "mosctl", ["webtoken", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const { token, url, link } = JSON.parse(r.stdout);
    return { cluster, base: url.replace(/\/$/, ""), token, link };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** A cluster process started with mosrun; stdin stays open so it sleeps in read(). */
export interface WatchedProcess {
  /** Its PID (mosrun's). */
  pid: number;
  /** The mosrun child. */
  child: Deno.ChildProcess;
  /** Its stdin, to end it. */
  stdin: WritableStreamDefaultWriter<Uint8Array>;
}

/** Start the stdin_echo fixture at home on the node of `dir`. */
export async function startSleeper(dir: string): Promise<WatchedProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: commandArgs("mosrun", [
      "--dir",
      dir,
      "-h",
      join(FIXTURES_DIR, "stdin_echo.wasm"),
    ]),
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const sock = join(dir, "procs", `${child.pid}.sock`);
  const up = await waitFor(
    () => Deno.stat(sock).then(() => true, () => false),
    20000,
    50,
  );
  assert(up >= 0, "mosrun did not start");
  return { pid: child.pid, child, stdin: child.stdin.getWriter() };
}

/** End a process started by {@linkcode startSleeper} (close stdin, then kill). */
export async function endSleeper(p: WatchedProcess): Promise<void> {
  await p.stdin.close().catch(() => {});
  const t = setTimeout(() => {
    try {
      p.child.kill("SIGKILL");
    } catch {
      // gone
    }
  }, 5000);
  await p.child.status;
  clearTimeout(t);
}

/** `migrate PID TARGET` on the node of `dir`. */
export async function migrateCmd(
  dir: string,
  pid: number,
  target: string,
): Promise<void> {
  const r = await runCommand("migrate", [
    String(pid),
    target,
    "--wait",
    "--dir",
    dir,
  ]);
  assert.equal(r.code, 0, r.stderr);
}

/**
 * What migration costs, measured side by side in one run on 3 nodes in
 * network namespaces (root; else loopback), balancing off so only the
 * bench moves processes:
 *
 * 1. a forwarded system call (lseek) at home (shared memory + Atomics to
 *    the deputy) and away (TCP link to the deputy), beside a plain
 *    request/reply round trip over an authenticated TCP link;
 * 2. freeze-to-resume time (how long the process stands still, as the home
 *    measures it; the memory is copied ahead while it runs, then what
 *    changed) and the whole `migrate --wait` request, home -> node, node
 *    -> node (straight between the two) and back home, medians of 3
 *    round trips (9 for 1 MiB, whose few ms vary most), for 1, 64 and
 *    256 MiB of touched
 *    memory, beside the goal 10 ms + size / 1 GB/s and beside what
 *    touching that much fresh memory once costs on this machine;
 * 3. a CPU-bound program's run time away from home vs at home.
 *
 * Usage: deno run -A bench/migration_bench.ts [--quick] [--loopback]
 *
 * @module
 */

import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  spawnProcess,
} from "../tools/local_cluster.ts";
import { startQuotaCluster } from "../tools/quota_cluster.ts";
import { canUseNetns } from "../tools/netns.ts";
import { canUseCgroups } from "../tools/cgroup.ts";
import { callProc } from "../core/proc_socket.ts";

const quick = Deno.args.includes("--quick");
// Between two network namespaces joined by a bridge (root), as the issue
// asks; on loopback otherwise or with --loopback.
const netns = !Deno.args.includes("--loopback") && canUseNetns() &&
  canUseCgroups();
const PROG = (n: string) =>
  new URL(`./programs/${n}.wasm`, import.meta.url).pathname;
const dec = new TextDecoder();

/** Three nodes: where home's programs start, the target of moves, and a second one. */
interface BenchNodes {
  homeDir: string;
  homeAddr: string;
  target: { kind: "node"; id: number; addr: string; port: number };
  /** Where a node-to-node move goes from the target. */
  second: { kind: "node"; id: number; addr: string; port: number };
  /** argv of a command run on the home node. */
  onHome(cmd: string, args: string[]): string[];
  /** Any argv run on the home node / on the target node. */
  onHomeRaw(argv: string[]): string[];
  onAway(argv: string[]): string[];
  awayLog: string;
  stop(): Promise<void>;
}

async function startNodes(): Promise<BenchNodes> {
  if (netns) {
    // No CPU limit in effect (quota = both cores): a quota of one CPU
    // throttles a node whose guest uses it all, and its daemon then waits
    // up to tens of ms for the next quota period: an artifact of the quota,
    // not a cost of migration.
    const q = await startQuotaCluster({
      nodes: 3,
      quota: 2,
      balance: false,
      tag: `dmxm${Deno.pid % 10000}`,
    });
    return {
      homeDir: q.dirs[0],
      homeAddr: q.addrs[0],
      target: { kind: "node", id: q.ids[1], addr: q.addrs[1], port: 4660 },
      second: { kind: "node", id: q.ids[2], addr: q.addrs[2], port: 4660 },
      onHome: (cmd, args) => q.on(0, cmd, args),
      onHomeRaw: (argv) => q.exec(0, argv),
      onAway: (argv) => q.exec(1, argv),
      awayLog: join(q.dirs[1], "log"),
      stop: () => q.stop(),
    };
  }
  const c = await LocalCluster.start({
    nodes: 3,
    subnet: 51,
    port: 4751,
    daemonArgs: ["--no-balance"],
  });
  const [h, a, b] = c.nodes;
  return {
    homeDir: h.dir,
    homeAddr: h.addr,
    target: { kind: "node", id: a.id, addr: a.addr, port: 4751 },
    second: { kind: "node", id: b.id, addr: b.addr, port: 4751 },
    onHome: (cmd, args) => [Deno.execPath(), ...commandArgs(cmd, args)],
    onHomeRaw: (argv) => argv,
    onAway: (argv) => argv,
    awayLog: join(a.dir, "log"),
    stop: () => c.stop(),
  };
}

const nodes = await startNodes();
const home = { dir: nodes.homeDir, addr: nodes.homeAddr };
const target = nodes.target;
const work = await Deno.makeTempDir({ prefix: "dmosix-migbench-" });
console.log(
  netns
    ? "3 nodes in network namespaces joined by a bridge (veth)"
    : "3 nodes on loopback addresses",
);

/** Start mosrun with piped stdin; wait for its socket. */
async function start(args: string[]) {
  return await spawnProcess(
    nodes.onHome("mosrun", ["--dir", home.dir, ...args]),
    { cwd: work, runDir: home.dir, stdin: "piped" },
  );
}

/** ms to write `bytes` of freshly allocated memory once (page faults included). */
function freshTouchMs(bytes: number): number {
  const t0 = performance.now();
  new Uint8Array(bytes).fill(1);
  return performance.now() - t0;
}

/** Run a program that waits for a line, optionally moved away first; its stdout. */
async function runGo(
  prog: string,
  args: string[],
  moveAway: boolean,
): Promise<string> {
  const child = await start([PROG(prog), ...args]);
  if (moveAway) {
    await callProc(
      home.dir,
      child.pid,
      "migrate",
      { to: target, wait: true },
      60000,
    );
  }
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode("go\n"));
  await w.close();
  const out = await child.output();
  if (out.code !== 0) throw new Error(`${prog}: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout).trim();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

try {
  const reps = quick ? 1 : 3;
  // Warm the instrumentation caches of both nodes.
  await runGo("syscalls", ["10"], true);
  await runGo("cpu_work", ["1000"], true);
  {
    // The moved program too: its module reaches the target and its
    // resume modules are built (cached by both nodes) before timing.
    const warm = await start([PROG("touch_loop"), "1"]);
    await new Promise((r) => setTimeout(r, 500));
    for (const to of [target, nodes.second, { kind: "home" }]) {
      await callProc(home.dir, warm.pid, "migrate", { to, wait: true }, 60000);
    }
    warm.kill("SIGKILL");
    await warm.output();
  }

  // 1. Forwarded call vs plain TCP round trip.
  const calls = quick ? 2000 : 5000;
  const homeUs: number[] = [], awayUs: number[] = [];
  for (let r = 0; r < reps; r++) {
    homeUs.push(Number(await runGo("syscalls", [String(calls)], false)));
    awayUs.push(Number(await runGo("syscalls", [String(calls)], true)));
  }
  // The floor: the same request/reply over a plain authenticated link
  // between the same two nodes (server on the target, client at home).
  const ping = new URL("./link_ping.ts", import.meta.url).pathname;
  const deno = [Deno.execPath(), "run", "-A", ping];
  const serverArgv = nodes.onAway([...deno, "serve", target.addr, "4799"]);
  const server = new Deno.Command(serverArgv[0], {
    args: serverArgv.slice(1),
    stdout: "piped",
  }).spawn();
  const ready = server.stdout.getReader();
  await ready.read(); // "ready"
  ready.releaseLock();
  const pingArgv = nodes.onHomeRaw([
    ...deno,
    "ping",
    target.addr,
    "4799",
    String(calls),
    String(reps),
  ]);
  const pinged = await new Deno.Command(pingArgv[0], {
    args: pingArgv.slice(1),
  }).output();
  const tcpUs = dec.decode(pinged.stdout).trim().split("\n").map(Number);
  await server.status;
  console.log("\n1. one forwarded system call (lseek), µs, median of", reps);
  console.log(
    "   at home (SharedArrayBuffer link)   ",
    median(homeUs).toFixed(1),
  );
  console.log(
    "   away (TCP link to the deputy)      ",
    median(awayUs).toFixed(1),
  );
  console.log(
    "   plain authenticated TCP round trip ",
    median(tcpUs).toFixed(1),
  );
  console.log(
    "   away / plain TCP                   ",
    (median(awayUs) / median(tcpUs)).toFixed(2),
  );

  // 2. Migration time vs memory.
  console.log(
    `\n2. migration, ms, median of ${reps} (${
      reps * 3
    } for 1 MiB): frozen = freeze to resume (the process`,
  );
  console.log(
    "   stands still; a move copies the memory ahead, then what changed),",
  );
  console.log(
    "   request = the whole migrate --wait; fresh = writing that much newly",
  );
  console.log("   allocated memory once on this machine (page faults)");
  console.log(
    "   MiB   frozen: to node  node-node  home   request: to node  node-node  home   goal   fresh",
  );
  for (const mb of quick ? [1, 64] : [1, 64, 256]) {
    const child = await start([PROG("touch_loop"), String(mb)]);
    await new Promise((r) => setTimeout(r, 1000 + mb * 8)); // let it touch its memory
    const move = async (to: unknown) => {
      const t0 = performance.now();
      const r = await callProc<{ frozenMs: number }>(
        home.dir,
        child.pid,
        "migrate",
        { to, wait: true },
        120000,
      );
      return { frozen: r.frozenMs, request: performance.now() - t0 };
    };
    // Round trips: home -> node -> other node -> home, `reps` times;
    // medians below.
    type Move = { frozen: number; request: number };
    type Trip = { there: Move; across: Move; back: Move };
    const trips: Trip[] = [];
    for (let r = 0; r < (mb === 1 ? reps * 3 : reps); r++) {
      trips.push({
        there: await move(target),
        across: await move(nodes.second),
        back: await move({ kind: "home" }),
      });
    }
    child.kill("SIGKILL");
    await child.output();
    const med = (leg: keyof Trip, f: keyof Move) =>
      median(trips.map((t) => t[leg][f]));
    const [there, across, back] = (["there", "across", "back"] as const).map(
      (leg) => ({ frozen: med(leg, "frozen"), request: med(leg, "request") }),
    );
    const goal = 10 + mb * 1048576 / 1e9 * 1000;
    const fresh = freshTouchMs(mb * 1048576);
    const col = (x: number, w: number) => x.toFixed(0).padStart(w);
    console.log(
      `   ${String(mb).padStart(3)}   ${col(there.frozen, 15)} ${
        col(across.frozen, 10)
      } ${col(back.frozen, 5)}   ${col(there.request, 16)} ${
        col(across.request, 10)
      } ${col(back.request, 5)}   ${col(goal, 4)}   ${col(fresh, 5)}`,
    );
  }

  // 3. CPU-bound work away vs at home.
  const iters = quick ? "300000000" : "1500000000";
  const atHome: number[] = [], awayS: number[] = [];
  for (let r = 0; r < reps; r++) {
    atHome.push(
      Number((await runGo("cpu_work", [iters], false)).split(" ")[1]),
    );
    awayS.push(Number((await runGo("cpu_work", [iters], true)).split(" ")[1]));
  }
  console.log("\n3. CPU-bound run time, s, median of", reps);
  console.log("   at home ", median(atHome).toFixed(3));
  console.log("   away    ", median(awayS).toFixed(3));
  console.log(
    "   away / home",
    (median(awayS) / median(atHome)).toFixed(3),
    "(MOSIX reports about 1.01)",
  );
} catch (e) {
  console.error(`migration_bench: ${(e as Error).message}`);
  console.error(
    await Deno.readTextFile(nodes.awayLog).catch(() => "no log"),
  );
  throw e;
} finally {
  await nodes.stop();
  await Deno.remove(work, { recursive: true });
}

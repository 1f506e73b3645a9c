/**
 * What migration costs, measured side by side in one run on a 2-node
 * loopback cluster (balancing off, so only the bench moves processes):
 *
 * 1. a forwarded system call (lseek) at home (shared memory + Atomics to
 *    the deputy) and away (TCP link to the deputy), beside a plain
 *    request/reply round trip over an authenticated TCP link;
 * 2. `migrate --wait` time, home -> node and back, for 1, 64 and 256 MiB of
 *    touched memory, beside the goal 10 ms + size / 1 GB/s;
 * 3. a CPU-bound program's run time away from home vs at home.
 *
 * Usage: deno run -A bench/migration_bench.ts [--quick]
 *
 * @module
 */

import { join } from "node:path";
import { commandArgs, LocalCluster, waitFor } from "../tools/local_cluster.ts";
import { callProc } from "../core/proc_socket.ts";
import { FrameConn } from "../core/link/frame_conn.ts";

const quick = Deno.args.includes("--quick");
const PROG = (n: string) =>
  new URL(`./programs/${n}.wasm`, import.meta.url).pathname;
const dec = new TextDecoder();

const cluster = await LocalCluster.start({
  nodes: 2,
  subnet: 51,
  port: 4751,
  daemonArgs: ["--no-balance"],
});
const [home, away] = cluster.nodes;
const work = await Deno.makeTempDir({ prefix: "dmosix-migbench-" });
const target = { kind: "node", id: away.id, addr: away.addr, port: 4751 };

/** Start mosrun with piped stdin; wait for its socket. */
async function start(args: string[]) {
  const child = new Deno.Command(Deno.execPath(), {
    args: commandArgs("mosrun", ["--dir", home.dir, ...args]),
    cwd: work,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const sock = join(home.dir, "procs", `${child.pid}.sock`);
  await waitFor(() => Deno.stat(sock).then(() => true, () => false), 30000, 20);
  return child;
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

  // 1. Forwarded call vs plain TCP round trip.
  const calls = quick ? 2000 : 5000;
  const homeUs: number[] = [], awayUs: number[] = [];
  for (let r = 0; r < reps; r++) {
    homeUs.push(Number(await runGo("syscalls", [String(calls)], false)));
    awayUs.push(Number(await runGo("syscalls", [String(calls)], true)));
  }
  const key = new TextEncoder().encode("bench-link-key-0123456789abcdef-01");
  const listener = Deno.listen({ hostname: home.addr, port: 0 });
  const serverP = listener.accept().then((c) => FrameConn.accept(c, key, 1));
  const client = await FrameConn.connect(
    home.addr,
    (listener.addr as Deno.NetAddr).port,
    key,
    2,
  );
  const server = await serverP;
  (async () => {
    for (let m = await server.next(); m; m = await server.next()) {
      await server.reply(m, true, m.body);
    }
  })();
  const tcpUs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await client.request("ping", { i });
    tcpUs.push((performance.now() - t0) / calls * 1000);
  }
  client.close();
  server.close();
  listener.close();
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
  console.log("\n2. migrate --wait, ms (freeze, transfer, resume), loopback");
  console.log("   MiB   home->node   node->home   goal(10ms+size/1GB/s)");
  for (const mb of quick ? [1, 64] : [1, 64, 256]) {
    const child = await start([PROG("touch_loop"), String(mb)]);
    await new Promise((r) => setTimeout(r, 1000 + mb * 8)); // let it touch its memory
    const t0 = performance.now();
    await callProc(
      home.dir,
      child.pid,
      "migrate",
      { to: target, wait: true },
      120000,
    );
    const there = performance.now() - t0;
    const t1 = performance.now();
    await callProc(home.dir, child.pid, "migrate", {
      to: { kind: "home" },
      wait: true,
    }, 120000);
    const back = performance.now() - t1;
    child.kill("SIGKILL");
    await child.output();
    const goal = 10 + mb * 1048576 / 1e9 * 1000;
    console.log(
      `   ${String(mb).padStart(3)}   ${there.toFixed(0).padStart(10)}   ${
        back.toFixed(0).padStart(10)
      }   ${goal.toFixed(0).padStart(10)}`,
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
    await Deno.readTextFile(join(away.dir, "log")).catch(() => "no log"),
  );
  throw e;
} finally {
  await cluster.stop();
  await Deno.remove(work, { recursive: true });
}

/**
 * `deno task demo`: a 4-node cluster on loopback addresses, no privileges.
 * Starts the daemons with a static map, waits until every node sees all
 * four, starts 8 CPU-bound programs (examples/primes.wasm) from node 1 and
 * lets the cluster spread them, shows `mps` and `mon --once` while they
 * run, checks every result, and stops everything.
 *
 * The nodes share this machine, so they count load as the cluster
 * processes they run (`omdiscd --load cluster`).
 *
 * @module
 */

import { formatNodeId } from "../core/ids.ts";
import { callProc } from "../core/proc_socket.ts";
import { commandArgs, LocalCluster, waitFor } from "./local_cluster.ts";
import { liveCount } from "./cluster_probe.ts";

const N = 4;
const JOBS = 8;
const SPAN = 1_500_000;
const PRIMES = new URL("../examples/primes.wasm", import.meta.url).pathname;

function say(s: string): void {
  console.log(`\n== ${s}`);
}

/** Primes below `hi`, by sieve: the demo's check of every job's answer. */
function primeCounts(hi: number): Uint32Array {
  const composite = new Uint8Array(hi);
  const below = new Uint32Array(hi + 1);
  for (let i = 2; i < hi; i++) {
    below[i + 1] = below[i] + (composite[i] ? 0 : 1);
    if (!composite[i]) { for (let j = i * i; j < hi; j += i) composite[j] = 1; }
  }
  return below;
}

say(`starting ${N} omdiscd daemons on 127.0.1.1-${N} (static map, port 4660)`);
const cluster = await LocalCluster.start({
  nodes: N,
  daemonArgs: ["--load", "cluster"],
});
let failed = false;
try {
  const ms = await waitFor(async () => {
    const counts = await Promise.all(
      cluster.nodes.map((n) => liveCount(n.dir)),
    );
    return counts.every((c) => c === N);
  }, 15000);
  if (ms < 0) {
    throw new Error("the nodes did not all see each other within 15 s");
  }
  console.log(`every node sees all ${N} nodes (${ms} ms after start)`);
  const home = cluster.nodes[0];
  for (
    const [title, cmd, args] of [["showmap (node 1)", "showmap", []]] as const
  ) {
    say(title);
    const r = await cluster.run(0, cmd, [...args]);
    Deno.stdout.writeSync(new TextEncoder().encode(r.stdout));
  }

  say(
    `starting ${JOBS} CPU-bound programs on node 1: mosrun examples/primes.wasm LO HI`,
  );
  const work = await Deno.makeTempDir({ dir: cluster.root, prefix: "jobs-" });
  const t0 = Date.now();
  const jobs = Array.from({ length: JOBS }, (_, k) => {
    const lo = k * SPAN, hi = (k + 1) * SPAN;
    const child = new Deno.Command(Deno.execPath(), {
      args: commandArgs("mosrun", [
        "--dir",
        home.dir,
        PRIMES,
        String(lo),
        String(hi),
      ]),
      cwd: work,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    return { lo, hi, child, nodes: new Set<number>() };
  });
  let ended = 0;
  for (const j of jobs) j.child.status.then(() => ended++);
  const watch = setInterval(async () => {
    for (const j of jobs) {
      const s = await callProc<{ where: number }>(
        home.dir,
        j.child.pid,
        "status",
        {},
        1000,
      ).catch(() => null);
      if (s) j.nodes.add(s.where);
    }
  }, 300);
  // Show mps once some run away from home, before any has ended (8 mosruns
  // starting at once take seconds on a small machine).
  await waitFor(
    () =>
      Promise.resolve(
        ended > 0 ||
          jobs.filter((j) => [...j.nodes].some((n) => n !== 0)).length >= 2,
      ),
    20000,
    100,
  );
  for (
    const [title, i, cmd, args] of [
      ["mps (node 1): where the programs run now", 0, "mps", []],
      ["mon --once (node 1)", 0, "mon", ["--once"]],
    ] as const
  ) {
    say(title);
    const r = await cluster.run(i, cmd, [...args]);
    Deno.stdout.writeSync(new TextEncoder().encode(r.stdout));
  }
  const outs = await Promise.all(jobs.map((j) => j.child.output()));
  clearInterval(watch);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);

  say(`results (all finished in ${seconds} s), checked against a sieve`);
  const below = primeCounts(JOBS * SPAN);
  let wrong = 0;
  const used = new Set<number>();
  jobs.forEach((j, k) => {
    const got = new TextDecoder().decode(outs[k].stdout).trim();
    const want = `primes in [${j.lo},${j.hi}): ${below[j.hi] - below[j.lo]}`;
    const ok = got === want && outs[k].code === 0;
    if (!ok) wrong++;
    for (const n of j.nodes) used.add(n);
    const ran = [...j.nodes].map((n) => n === 0 ? "home" : formatNodeId(n))
      .join(" ");
    console.log(
      `${ok ? "ok " : "BAD"} ${
        got || new TextDecoder().decode(outs[k].stderr).trim()
      }   ran on: ${ran}`,
    );
  });
  console.log(
    `\n${
      JOBS - wrong
    }/${JOBS} results correct; the programs ran on ${used.size} of ${N} nodes`,
  );
  if (wrong > 0) throw new Error(`${wrong} results wrong`);
} catch (e) {
  console.error(`demo: ${(e as Error).message}`);
  failed = true;
} finally {
  say("stopping the cluster");
  await cluster.stop();
  console.log("stopped");
}
Deno.exit(failed ? 1 : 0);

/**
 * Automatic load balancing between real daemons on loopback: CPU-bound
 * processes started on one node spread over the cluster by themselves, and
 * every one finishes with the right result. Nodes share one machine here,
 * so they count load as the cluster processes they run (--load cluster).
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
import { callProc } from "../../core/proc_socket.ts";
import { allSeeLive, nodesOf } from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "processes started on one node spread over the cluster by themselves",
  opts,
  async () => {
    const cluster = await LocalCluster.start({
      nodes: 3,
      subnet: 44,
      port: 4704,
      // Equal speeds stated, so "every node gets work" is the right outcome.
      daemonArgs: ["--load", "cluster", "--speed", "10000"],
    });
    const home = cluster.nodes[0];
    const kids: Deno.ChildProcess[] = [];
    try {
      assert(
        await waitFor(() =>
          allSeeLive(
            cluster.nodes.map((n) => n.dir),
            cluster.nodes.map((n) => n.id),
          ), 5000) >= 0,
      );
      // A pinned process (-L) must stay home whatever the balancer wants.
      const pinnedArgs = [
        "-L",
        join(FIXTURES_DIR, "cpu_loop.wasm"),
        "3000000000",
      ];
      const jobArgs = [join(FIXTURES_DIR, "file_loop.wasm"), "40", "120000000"];
      for (let i = 0; i < 6; i++) {
        const cwd = await Deno.makeTempDir({
          dir: cluster.root,
          prefix: `job${i}-`,
        });
        kids.push(
          new Deno.Command(Deno.execPath(), {
            args: commandArgs("mosrun", [
              "--dir",
              home.dir,
              ...(i === 0 ? pinnedArgs : jobArgs),
            ]),
            cwd,
            stdout: "piped",
            stderr: "piped",
          }).spawn(),
        );
      }
      const where = () =>
        Promise.all(
          kids.map((k) =>
            callProc<{ where: number }>(home.dir, k.pid, "status").then(
              (s) => s.where,
              () => -1,
            )
          ),
        );
      const spread = await waitFor(
        async () => {
          const w = await where();
          return cluster.nodes.slice(1).every((n) => w.includes(n.id)) &&
            w[0] === 0;
        },
        20000,
        500,
      );
      const w = await where();
      assert(
        spread >= 0,
        `not spread: ${w.join(" ")}\n${
          JSON.stringify(await nodesOf(home.dir))
        }\n${await Deno.readTextFile(join(home.dir, "log"))}`,
      );
      assert.equal(w[0], 0, "the -L process left home");
      // mosctl bring: every own process comes home and stays there.
      const bring = await runCommand("mosctl", ["bring", "--dir", home.dir]);
      assert.equal(bring.code, 0, bring.stderr);
      assert.deepEqual(await where(), kids.map(() => 0));
      await new Promise((r) => setTimeout(r, 3000));
      assert.deepEqual(
        await where(),
        kids.map(() => 0),
        "brought processes left again",
      );
      // migrate PID balance: the balancer decides for that one, pinned or not.
      const bal = await runCommand("migrate", [
        String(kids[1].pid),
        "balance",
        "--dir",
        home.dir,
      ]);
      assert.equal(bal.code, 0, bal.stderr);
      assert.match(
        bal.stdout.trim(),
        /^0x2c0[23]$/,
        `${bal.stdout} ${bal.stderr}`,
      );
      kids[0].kill("SIGTERM");
      const outs = await Promise.all(
        kids.slice(1).map((k) => k.output()),
      );
      for (const o of outs) {
        assert.equal(o.code, 3, new TextDecoder().decode(o.stderr));
        const lines = new TextDecoder().decode(o.stdout).trim().split("\n");
        assert.equal(lines.length, 41);
        assert.equal(lines.at(-1), "done");
      }
      // Every job computed the same thing, wherever it ran.
      const texts = outs.map((o) => new TextDecoder().decode(o.stdout));
      assert(texts.every((t) => t === texts[0]));
    } finally {
      for (const k of kids) {
        try {
          k.kill("SIGKILL");
        } catch {
          // finished
        }
      }
      await cluster.stop();
    }
  },
);

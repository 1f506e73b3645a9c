/**
 * As root: 8 hosts in network namespaces joined by a bridge find each other
 * by multicast alone; a killed node is marked dead everywhere within the
 * dead bound; a restarted node rejoins; a node with another secret never
 * appears.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { commandArgs, waitFor } from "../../tools/local_cluster.ts";
import {
  allSeeLive,
  idsWithStatus,
  nodesOf,
  statusOf,
} from "../../tools/cluster_probe.ts";
import { canUseNetns, createLab } from "../../tools/netns.ts";
import { nodeIdFromIPv4 } from "../../core/ids.ts";

const N = 8;

Deno.test({
  name: "8 namespaced nodes: multicast discovery, death, rejoin, wrong secret",
  ignore: !canUseNetns(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const lab = await createLab(`dmx${Deno.pid % 10000}n`, N + 1);
    const root = await Deno.makeTempDir({ prefix: "dmosix-netns-" });
    const procs: (Deno.ChildProcess | null)[] = [];
    const dirs = lab.ns.map((_, i) => join(root, `node${i + 1}`));
    const ids = lab.addrs.map(nodeIdFromIPv4);
    const secret = "netns-test-cluster-secret-0123456789";
    const start = (i: number) => {
      procs[i] = new Deno.Command("ip", {
        args: [
          "netns",
          "exec",
          lab.ns[i],
          Deno.execPath(),
          ...commandArgs("omdiscd", [
            "-n",
            "--dir",
            dirs[i],
            "--addr",
            lab.addrs[i],
            "--log",
            join(dirs[i], "log"),
          ]),
        ],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
    };
    const kill = async (i: number, sig: Deno.Signal) => {
      const p = procs[i];
      if (!p) return;
      try {
        p.kill(sig);
      } catch {
        // gone
      }
      await p.status;
      procs[i] = null;
    };
    const waitSocket = (i: number) =>
      waitFor(async () => (await statusOf(dirs[i])) !== null, 20000, 100);
    try {
      for (let i = 0; i <= N; i++) {
        await Deno.mkdir(dirs[i], { recursive: true, mode: 0o700 });
        // The ninth node belongs to another cluster.
        const s = i < N ? secret : "some-other-cluster-secret-987654321";
        await Deno.writeTextFile(join(dirs[i], "secret"), s + "\n", {
          mode: 0o600,
        });
      }
      const live = ids.slice(0, N);
      const liveDirs = dirs.slice(0, N);

      await t.step(
        "every node lists all 8 within 5 s of the last start, by multicast alone",
        async () => {
          for (let i = 0; i < N; i++) start(i);
          for (let i = 0; i < N; i++) {
            assert(await waitSocket(i) >= 0, `node ${i + 1} did not start`);
          }
          const ms = await waitFor(() => allSeeLive(liveDirs, live), 5000);
          assert(
            ms >= 0,
            `not converged: ${
              JSON.stringify(
                await Promise.all(liveDirs.map((d) => idsWithStatus(d, "up"))),
              )
            }`,
          );
          console.log(`  converged ${ms} ms after the last daemon answered`);
          const st = await statusOf(dirs[0]);
          assert.equal(st!.discovery, "multicast");
        },
      );

      const deadAfter = Number((await statusOf(dirs[0]))!.deadAfter);
      await t.step(
        `a killed node is marked dead on every other node within deadAfter + 3 s (${deadAfter} s)`,
        async () => {
          assert(deadAfter > 0 && deadAfter <= 30, `deadAfter ${deadAfter}`);
          await kill(N - 1, "SIGKILL");
          const t0 = Date.now();
          const ms = await waitFor(async () => {
            const dead = await Promise.all(
              liveDirs.slice(0, N - 1).map((d) => idsWithStatus(d, "dead")),
            );
            return dead.every((d) => d.includes(ids[N - 1]));
          }, (deadAfter + 3) * 1000);
          assert(ms >= 0, "not marked dead everywhere in time");
          console.log(`  dead everywhere after ${Date.now() - t0} ms`);
        },
      );

      await t.step("the restarted node rejoins within 5 s", async () => {
        start(N - 1);
        assert(await waitSocket(N - 1) >= 0);
        const ms = await waitFor(() => allSeeLive(liveDirs, live), 5000);
        assert(
          ms >= 0,
          `did not rejoin: ${
            JSON.stringify(
              await Promise.all(liveDirs.map((d) => idsWithStatus(d, "up"))),
            )
          }`,
        );
      });

      await t.step(
        "a node with another secret never appears and is logged once",
        async () => {
          start(N);
          assert(await waitSocket(N) >= 0);
          const appeared = await waitFor(async () => {
            const views = await Promise.all(liveDirs.map(nodesOf));
            return views.some((v) => v?.some((n) => n.id === ids[N]) ?? false);
          }, 5000);
          assert.equal(appeared, -1, "the stranger appeared");
          const stranger = await nodesOf(dirs[N]);
          assert.deepEqual(
            stranger?.map((n) => n.id),
            [ids[N]],
            "the stranger learned of the cluster",
          );
          const log = await Deno.readTextFile(join(dirs[0], "log"));
          const lines = log.split("\n").filter((l) =>
            l.includes(lab.addrs[N]) && l.includes("secret")
          );
          assert.equal(lines.length, 1, log);
        },
      );
    } finally {
      for (let i = 0; i < procs.length; i++) await kill(i, "SIGKILL");
      await lab.destroy();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});

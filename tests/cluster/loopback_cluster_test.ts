/**
 * A real 4-node cluster on 127.0.1.x with a static map, as any user:
 * membership, the commands against live daemons, death and rejoin, a node
 * with another secret.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { LocalCluster, waitFor } from "../../tools/local_cluster.ts";
import {
  allSeeLive,
  idsWithStatus,
  nodesOf,
  statusOf,
} from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "a 4-node loopback cluster: membership, commands, death, rejoin, wrong secret",
  opts,
  async (t) => {
    const cluster = await LocalCluster.start({
      nodes: 4,
      subnet: 11,
      port: 4671,
    });
    const dirs = cluster.nodes.map((n) => n.dir);
    const ids = cluster.nodes.map((n) => n.id);
    try {
      await t.step("every node sees all four within 5 s", async () => {
        const ms = await waitFor(() => allSeeLive(dirs, ids), 5000);
        assert(ms >= 0, "nodes did not converge within 5 s");
      });

      await t.step("showmap prints the openMosix table", async () => {
        const r = await cluster.run(1, "showmap");
        assert.deepEqual(r.code, 0, r.stderr);
        assert.deepEqual(
          r.stdout,
          "My Node-Id: 0x0b02\n\nBase Node-Id Address          Count\n" +
            "------------ ---------------- -----\n0x0b01       127.0.11.1       4\n",
        );
        const j = await cluster.run(1, "showmap", ["--json"]);
        assert.deepEqual(JSON.parse(j.stdout).nodes, [{
          id: 2817,
          idHex: "0x0b01",
          address: "127.0.11.1",
          count: 4,
        }]);
      });

      await t.step("mon --once and --json list every node", async () => {
        const r = await cluster.run(0, "mon", ["--once"]);
        assert.deepEqual(r.code, 0, r.stderr);
        for (const n of cluster.nodes) {
          assert.match(r.stdout, new RegExp(n.addr.replaceAll(".", "\\.")));
        }
        const j = JSON.parse((await cluster.run(0, "mon", ["--json"])).stdout);
        assert.deepEqual(
          j.nodes.map((n: { id: number }) => n.id),
          ids,
        );
        assert(
          j.nodes.every((n: { memTotal: number; cpus: number }) =>
            n.memTotal > 0 && n.cpus > 0
          ),
        );
      });

      await t.step("setpe -r prints the map in force", async () => {
        const r = await cluster.run(2, "setpe", ["-r"]);
        assert.deepEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /^2817\s+127\.0\.11\.1\s+4$/m);
      });

      await t.step("mosctl queries answer about other nodes", async () => {
        const who = await cluster.run(0, "mosctl", ["whois", "2819"]);
        assert.deepEqual(who.stdout.trim(), "127.0.11.3");
        const id = await cluster.run(0, "mosctl", ["whois", "127.0.11.4"]);
        assert.deepEqual(id.stdout.trim(), "0x0b04");
        const me = await cluster.run(0, "mosctl", ["whois"]);
        assert.deepEqual(me.stdout.trim(), "0x0b01");
        const up = await cluster.run(0, "mosctl", ["isup", "0x0b02"]);
        assert.deepEqual([up.code, up.stdout.trim()], [0, "up"]);
        const mem = await cluster.run(0, "mosctl", ["getmem", "2818"]);
        assert(Number(mem.stdout) > 0, mem.stdout);
        const util = await cluster.run(0, "mosctl", ["getutil", "--json"]);
        const u = JSON.parse(util.stdout);
        assert(u.util >= 0 && u.util <= 100);
      });

      await t.step(
        "block and setspeed on one node reach the others by gossip",
        async () => {
          assert.deepEqual((await cluster.run(2, "mosctl", ["block"])).code, 0);
          assert.deepEqual(
            (await cluster.run(2, "mosctl", ["setspeed", "12345"])).code,
            0,
          );
          const ms = await waitFor(async () => {
            const v = (await nodesOf(dirs[0]))?.find((n) => n.id === ids[2]);
            return v?.status === "blocked" && v.speed === 12345;
          }, 5000);
          assert(ms >= 0, "block/speed did not propagate");
          const s = await cluster.run(0, "mosctl", [
            "getspeed",
            String(ids[2]),
          ]);
          assert.deepEqual(s.stdout.trim(), "12345");
          await cluster.run(2, "mosctl", ["noblock"]);
        },
      );

      const deadAfter = Number((await statusOf(dirs[0]))!.deadAfter);
      await t.step(
        `a killed node is marked dead everywhere within deadAfter + 3 s (deadAfter = ${deadAfter} s)`,
        async () => {
          assert(deadAfter > 0 && deadAfter <= 30, `deadAfter ${deadAfter}`);
          await cluster.signal(3, "SIGKILL");
          const ms = await waitFor(async () => {
            const dead = await Promise.all(
              dirs.slice(0, 3).map((d) => idsWithStatus(d, "dead")),
            );
            return dead.every((d) => d.includes(ids[3]));
          }, (deadAfter + 3) * 1000);
          assert(ms >= 0, "killed node not marked dead in time");
          const down = await cluster.run(0, "mosctl", ["isup", String(ids[3])]);
          assert.deepEqual([down.code, down.stdout.trim()], [1, "down"]);
        },
      );

      await t.step("the restarted node rejoins within 5 s", async () => {
        cluster.startNode(3);
        await cluster.waitSocket(3);
        const ms = await waitFor(() => allSeeLive(dirs, ids), 5000);
        assert(ms >= 0, "restarted node did not rejoin");
      });

      await t.step(
        "a node stopped with SIGTERM announces its leave at once",
        async () => {
          await cluster.signal(2, "SIGTERM");
          const ms = await waitFor(
            async () => (await idsWithStatus(dirs[0], "dead")).includes(ids[2]),
            2000,
          );
          assert(ms >= 0, "clean leave not seen within 2 s");
          cluster.startNode(2);
          await cluster.waitSocket(2);
          assert(await waitFor(() => allSeeLive(dirs, ids), 5000) >= 0);
        },
      );

      await t.step(
        "a node with another secret never appears, and is logged once",
        async () => {
          await cluster.signal(3, "SIGKILL");
          const secret = join(dirs[3], "secret");
          await Deno.writeTextFile(
            secret,
            "another-cluster-secret-0123456789\n",
            { mode: 0o600 },
          );
          cluster.startNode(3);
          await cluster.waitSocket(3);
          // Its old identity must first die everywhere; then it must stay out.
          const died = await waitFor(async () => {
            const dead = await Promise.all(
              dirs.slice(0, 3).map((d) => idsWithStatus(d, "dead")),
            );
            return dead.every((d) => d.includes(ids[3]));
          }, (deadAfter + 5) * 1000);
          assert(died >= 0, "old entry of the re-keyed node did not die");
          const seenUp = await waitFor(async () => {
            const views = await Promise.all(
              dirs.slice(0, 3).map((d) => idsWithStatus(d, "up")),
            );
            return views.some((v) => v.includes(ids[3]));
          }, 4000);
          assert.deepEqual(seenUp, -1, "node with the wrong secret appeared");
          const log = await Deno.readTextFile(join(dirs[0], "log"));
          const warnings = log.split("\n").filter((l) =>
            l.includes("127.0.11.4") && l.includes("secret")
          );
          assert.deepEqual(warnings.length, 1, log);
          const s = await statusOf(dirs[0]);
          assert(
            ((s!.stats as { dropped: Record<string, number> }).dropped.mac ??
              0) > 0,
          );
        },
      );
    } finally {
      await cluster.stop();
    }
  },
);

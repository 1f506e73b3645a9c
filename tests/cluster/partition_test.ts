/**
 * As root: a node hosting a guest is cut off the network for 30 s (its
 * bridge port down: packets vanish, nothing resets the connections) and
 * connected again. Its daemon stops the guest once home has been silent
 * for GUEST_GIVES_UP_MS; home gives the node up later (HOME_GIVES_UP_MS)
 * and resumes the process from its checkpoint. The process runs exactly
 * once: output and file equal an undisturbed run. Gossip heals after the
 * cut: every node sees every other up again, and the cut node hosts nothing.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { canUseNetns } from "../../tools/netns.ts";
import { canUseCgroups } from "../../tools/cgroup.ts";
import { startQuotaCluster } from "../../tools/quota_cluster.ts";
import {
  spawnProcess,
  waitFor,
  waitForPath,
} from "../../tools/local_cluster.ts";
import { callProc } from "../../core/proc_socket.ts";
import { nodesOf, statusOf } from "../../tools/cluster_probe.ts";
import {
  GUEST_GIVES_UP_MS,
  HOME_GIVES_UP_MS,
} from "../../core/guest_protocol.ts";

const dec = new TextDecoder();
const ARGS = [join(FIXTURES_DIR, "file_loop.wasm"), "40", "60000000"];
const CUT_MS = 30_000;

Deno.test({
  name:
    "a node cut off for 30 s: its guest resumes at home from its checkpoint and runs once; gossip heals",
  ignore: !canUseNetns() || !canUseCgroups(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const c = await startQuotaCluster({
      nodes: 3,
      quota: 0.6,
      balance: false,
      tag: `dmxp${Deno.pid % 10000}`,
    });
    try {
      const refDir = await Deno.makeTempDir({ dir: c.root, prefix: "ref-" });
      const refArgv = c.alone("mosrun", ["-h", ...ARGS]);
      const ref = await new Deno.Command(refArgv[0], {
        args: refArgv.slice(1),
        cwd: refDir,
        stdout: "piped",
      }).output();
      assert.equal(ref.code, 3);

      const cwd = await Deno.makeTempDir({ dir: c.root, prefix: "cut-" });
      const base = join(cwd, "ck");
      const argv = c.on(0, "mosrun", [
        "--dir",
        c.dirs[0],
        "-C",
        base,
        "-A",
        "0.01",
        ...ARGS,
      ]);
      const child = await spawnProcess(argv, { cwd, runDir: c.dirs[0] });
      const r = await callProc<{ where: number }>(
        c.dirs[0],
        child.pid,
        "migrate",
        {
          to: { kind: "node", id: c.ids[1], addr: c.addrs[1], port: 4660 },
          wait: true,
        },
        30000,
      );
      assert.equal(r.where, c.ids[1]);
      assert(
        await waitForPath(`${base}.2`, 20000, 50),
        "no checkpoint written while away",
      );

      await new Promise((r) => setTimeout(r, 250)); // running there again
      await c.cut(1);
      const cutAt = performance.now();
      // The cut node stops its guest before home gives up on it.
      const stopped = await waitFor(
        async () =>
          ((await statusOf(c.dirs[1]))?.guests as number | undefined) === 0,
        GUEST_GIVES_UP_MS + 5000,
        200,
      );
      assert(stopped >= 0, "the cut node kept running its guest");
      const stoppedAfter = performance.now() - cutAt;
      assert(
        stoppedAfter < HOME_GIVES_UP_MS,
        `guest stopped after ${stoppedAfter} ms, home gives up at ${HOME_GIVES_UP_MS}`,
      );
      // Home resumes it meanwhile; it finishes during the cut.
      const out = await child.output();
      const err = dec.decode(out.stderr);
      assert.equal(out.code, 3, err);
      // Lost while running there (resumed from the checkpoint), or while a
      // checkpoint was sending it back there (continued from that state).
      assert.match(
        err,
        /was lost; resumed from .*ck\.\d+ at home|could not continue on node \d+: .*; continuing at home/,
      );
      assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
      assert.equal(
        await Deno.readTextFile(join(cwd, "log.txt")),
        await Deno.readTextFile(join(refDir, "log.txt")),
      );

      await new Promise((r) =>
        setTimeout(r, Math.max(0, CUT_MS - (performance.now() - cutAt)))
      );
      await c.heal(1);
      const healed = await waitFor(
        async () => {
          const views = await Promise.all(c.dirs.map(nodesOf));
          return views.every((v) =>
            v !== null && v.length === 3 && v.every((n) => n.status === "up")
          );
        },
        20000,
        250,
      );
      assert(
        healed >= 0,
        "gossip did not heal within 20 s of the reconnection",
      );
      console.log(
        `  guest stopped ${
          (stoppedAfter / 1000).toFixed(1)
        } s into the cut; gossip healed ${
          (healed / 1000).toFixed(1)
        } s after it`,
      );
      assert.equal((await statusOf(c.dirs[1]))?.guests, 0);
    } finally {
      await c.stop();
    }
  },
});

/**
 * A node dies with a guest on it (its daemon SIGKILLed). With checkpoints
 * (-C/-A) the process resumes from its last checkpoint at home and ends
 * with the output and file of an undisturbed run: output written since the
 * checkpoint is not repeated (the at-most-once rule, core/wasi/deputy.ts
 * Deputy.recover). Without checkpoints mosrun says so in one line and
 * exits 1.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  waitFor,
} from "../../tools/local_cluster.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { callProc } from "../../core/proc_socket.ts";
import { allSeeLive } from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const dec = new TextDecoder();
const ARGS = [join(FIXTURES_DIR, "file_loop.wasm"), "40", "60000000"];

Deno.test("a process lost with its node", opts, async (t) => {
  const cluster = await LocalCluster.start({
    nodes: 3,
    subnet: 45,
    port: 4705,
    daemonArgs: ["--no-balance"],
  });
  const [home] = cluster.nodes;
  const work = await Deno.makeTempDir({ prefix: "dmosix-loss-" });
  try {
    assert(
      await waitFor(() =>
        allSeeLive(
          cluster.nodes.map((n) => n.dir),
          cluster.nodes.map((n) => n.id),
        ), 5000) >= 0,
    );
    const refDir = join(work, "ref");
    await Deno.mkdir(refDir);
    const ref = await new Deno.Command(Deno.execPath(), {
      args: commandArgs("mosrun", ["-h", ...ARGS]),
      cwd: refDir,
      stdout: "piped",
    }).output();
    assert.equal(ref.code, 3);
    const refLog = await Deno.readTextFile(join(refDir, "log.txt"));

    /** Start a process in `cwd` and move it to node i. */
    const startAway = async (cwd: string, extra: string[], i: number) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: commandArgs("mosrun", ["--dir", home.dir, ...extra, ...ARGS]),
        cwd,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const sock = join(home.dir, "procs", `${child.pid}.sock`);
      assert(
        await waitFor(
          () => Deno.stat(sock).then(() => true, () => false),
          20000,
          20,
        ) >= 0,
      );
      const n = cluster.nodes[i];
      const r = await callProc<{ where: number }>(
        home.dir,
        child.pid,
        "migrate",
        {
          to: { kind: "node", id: n.id, addr: n.addr, port: 4705 },
          wait: true,
        },
      );
      assert.equal(r.where, n.id);
      return child;
    };

    await t.step(
      "with checkpoints it resumes at home, output and file as if nothing happened",
      async () => {
        const cwd = join(work, "ck");
        await Deno.mkdir(cwd);
        const base = join(cwd, "ck");
        const child = await startAway(cwd, ["-C", base, "-A", "0.01"], 1);
        // A checkpoint taken while away, then the node dies.
        assert(
          await waitFor(
            () => Deno.stat(`${base}.2`).then(() => true, () => false),
            20000,
            50,
          ) >= 0,
          "no checkpoint written",
        );
        await cluster.signal(1, "SIGKILL");
        const out = await child.output();
        const err = dec.decode(out.stderr);
        assert.equal(out.code, 3, err);
        assert.match(err, /was lost; resumed from .*ck\.\d+ at home/);
        assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
        assert.equal(await Deno.readTextFile(join(cwd, "log.txt")), refLog);
      },
    );

    await t.step(
      "without checkpoints mosrun reports the loss in one line and exits 1",
      async () => {
        const cwd = join(work, "nock");
        await Deno.mkdir(cwd);
        const child = await startAway(cwd, [], 2);
        await new Promise((r) => setTimeout(r, 300));
        await cluster.signal(2, "SIGKILL");
        const out = await child.output();
        const err = dec.decode(out.stderr).trim();
        assert.equal(out.code, 1, err);
        assert.equal(err.split("\n").length, 1, err);
        assert.match(err, /^mosrun: .*lost with node \d+ .*no checkpoint/);
      },
    );
  } finally {
    await cluster.stop();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
});

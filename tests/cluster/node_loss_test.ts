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
  spawnProcess,
  waitFor,
  waitForPath,
} from "../../tools/local_cluster.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { callProc } from "../../core/proc_socket.ts";
import { allSeeLive } from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const dec = new TextDecoder();
const ARGS = [join(FIXTURES_DIR, "file_loop.wasm"), "40", "60000000"];

Deno.test("a process lost with its node", opts, async (t) => {
  const cluster = await LocalCluster.start({
    nodes: 7,
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
        ), 20000) >= 0,
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

    /** Start a process in `cwd`; move it to node i unless i is 0. */
    const startAway = async (
      cwd: string,
      extra: string[],
      i: number,
      args = ARGS,
    ) => {
      const child = await spawnProcess(
        [
          Deno.execPath(),
          ...commandArgs("mosrun", ["--dir", home.dir, ...extra, ...args]),
        ],
        { cwd, runDir: home.dir },
      );
      if (i === 0) return child;
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
          await waitForPath(`${base}.2`, 20000, 50),
          "no checkpoint written",
        );
        // Past the checkpoint's return trip: running there when it dies.
        await new Promise((r) => setTimeout(r, 250));
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

    const to = (i: number) => ({
      kind: "node",
      id: cluster.nodes[i].id,
      addr: cluster.nodes[i].addr,
      port: 4705,
    });

    await t.step(
      "a target that dies during a move: the process, never stopped for it, runs on at home, once",
      async () => {
        const mem = [
          join(FIXTURES_DIR, "mem_steps.wasm"),
          "96",
          "8",
          "30000000",
        ];
        const refDir = join(work, "memref");
        await Deno.mkdir(refDir);
        const memRef = await new Deno.Command(Deno.execPath(), {
          args: commandArgs("mosrun", ["-h", ...mem]),
          cwd: refDir,
          stdout: "piped",
        }).output();
        assert.equal(memRef.code, 0);
        const cwd = join(work, "target");
        await Deno.mkdir(cwd);
        const child = await startAway(cwd, [], 0, mem);
        await new Promise((r) => setTimeout(r, 500));
        // The target takes the connection but never answers, then dies.
        // Its memory goes ahead before the freeze (pre-copy), so the
        // process does not stop for a target that cannot take it.
        cluster.nodes[3].process!.kill("SIGSTOP");
        // Judged as soon as it settles: it fails once the target is gone.
        const failed = assert.rejects(
          callProc(home.dir, child.pid, "migrate", {
            to: to(3),
            wait: true,
          }, 30000),
          /cannot reach node/,
        );
        await new Promise((r) => setTimeout(r, 1000));
        await cluster.signal(3, "SIGKILL");
        await failed;
        const st = await callProc<{ where: number; migrations: number }>(
          home.dir,
          child.pid,
          "status",
        );
        assert.deepEqual([st.where, st.migrations], [0, 0]);
        const out = await child.output();
        const err = dec.decode(out.stderr);
        assert.equal(out.code, 0, err);
        assert.equal(dec.decode(out.stdout), dec.decode(memRef.stdout));
        assert.equal(
          await Deno.readTextFile(join(cwd, "log.txt")),
          await Deno.readTextFile(join(refDir, "log.txt")),
        );
      },
    );

    await t.step(
      "a source that dies in the middle of a migration: resumed once from the checkpoint",
      async () => {
        const cwd = join(work, "source");
        await Deno.mkdir(cwd);
        const base = join(cwd, "ck");
        const child = await startAway(cwd, ["-C", base, "-A", "0.01"], 4);
        assert(
          await waitForPath(`${base}.2`, 20000, 50),
          "no checkpoint written",
        );
        await new Promise((r) => setTimeout(r, 250)); // running there again
        // Asked to freeze for the move home, the source never answers: it
        // dies with the process half-way out.
        cluster.nodes[4].process!.kill("SIGSTOP");
        const moving = callProc(home.dir, child.pid, "migrate", {
          to: { kind: "home" },
          wait: true,
        }, 30000).catch((e) => e);
        await new Promise((r) => setTimeout(r, 500));
        await cluster.signal(4, "SIGKILL");
        await moving;
        const out = await child.output();
        const err = dec.decode(out.stderr);
        assert.equal(out.code, 3, err);
        assert.match(err, /was lost; resumed from .*ck\.\d+ at home/);
        assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
        assert.equal(await Deno.readTextFile(join(cwd, "log.txt")), refLog);
      },
    );
    await t.step(
      "a target that dies during a node-to-node move: the process ends as if nothing happened",
      async () => {
        const mem = [
          join(FIXTURES_DIR, "mem_steps.wasm"),
          "48",
          "12",
          "20000000",
        ];
        const refDir = join(work, "handref");
        await Deno.mkdir(refDir);
        const memRef = await new Deno.Command(Deno.execPath(), {
          args: commandArgs("mosrun", ["-h", ...mem]),
          cwd: refDir,
          stdout: "piped",
        }).output();
        assert.equal(memRef.code, 0);
        const cwd = join(work, "handoff");
        await Deno.mkdir(cwd);
        const base = join(cwd, "ck");
        const child = await startAway(cwd, ["-C", base, "-A", "0.02"], 5, mem);
        assert(
          await waitForPath(`${base}.1`, 20000, 50),
          "no checkpoint written",
        );
        // Node 6 dies while node 5 hands it the state, or just before or
        // after: the process goes on at home (from node 5 or from its
        // checkpoint) and nothing is lost or done twice.
        const moving = callProc(home.dir, child.pid, "migrate", {
          to: to(6),
          wait: true,
        }, 30000).catch((e) => e);
        await new Promise((r) => setTimeout(r, 120));
        await cluster.signal(6, "SIGKILL");
        await moving;
        const out = await child.output();
        const err = dec.decode(out.stderr);
        assert.equal(out.code, 0, err);
        assert.match(
          err,
          /continuing at home|resumed from .*ck\.\d+ at home/,
        );
        assert.equal(dec.decode(out.stdout), dec.decode(memRef.stdout));
        assert.equal(
          await Deno.readTextFile(join(cwd, "log.txt")),
          await Deno.readTextFile(join(refDir, "log.txt")),
        );
      },
    );
  } finally {
    await cluster.stop();
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
});

/**
 * A node leaves (setpe -off) with guests on it: they are sent home first.
 * A home without room for them freezes them to disk (STAT F in mps, their
 * memory in parked files) and takes them back when room returns; they end
 * with the output and files of an undisturbed run, never killed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  runCommand,
  spawnProcess,
  waitFor,
} from "../../tools/local_cluster.ts";
import { FIXTURES_DIR } from "../../tools/build_fixtures.ts";
import { callProc } from "../../core/proc_socket.ts";
import { allSeeLive } from "../../tools/cluster_probe.ts";
import { RESERVE_FILE } from "../../core/home_memory.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const dec = new TextDecoder();
const ARGS = [join(FIXTURES_DIR, "file_loop.wasm"), "40", "30000000"];

Deno.test(
  "a leaving node sends its guests home; a full home parks them on disk and resumes them later",
  opts,
  async () => {
    const cluster = await LocalCluster.start({
      nodes: 2,
      subnet: 46,
      port: 4706,
      daemonArgs: ["--no-balance"],
    });
    const [home, a] = cluster.nodes;
    const work = await Deno.makeTempDir({ prefix: "dmosix-leave-" });
    const kids: Deno.ChildProcess[] = [];
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

      const cwds: string[] = [];
      for (let i = 0; i < 2; i++) {
        const cwd = join(work, `p${i}`);
        await Deno.mkdir(cwd);
        cwds.push(cwd);
        const child = await spawnProcess(
          [
            Deno.execPath(),
            ...commandArgs("mosrun", ["--dir", home.dir, `-${a.id}`, ...ARGS]),
          ],
          { cwd, runDir: home.dir },
        );
        kids.push(child);
        assert.equal(
          (await callProc<{ where: number }>(home.dir, child.pid, "status"))
            .where,
          a.id,
        );
      }
      // Home has no room now (an admin's reserve beyond its memory).
      await Deno.writeTextFile(join(home.dir, RESERVE_FILE), "100000000\n");
      const off = await runCommand("setpe", ["-off", "--dir", a.dir]);
      assert.equal(off.code, 0, off.stderr);

      const parked = await waitFor(async () => {
        const r = await runCommand("mps", ["--json", "--dir", home.dir]);
        const rows = (JSON.parse(r.stdout) as {
          processes: { pid: number; stat: string }[];
        }).processes;
        return kids.every((k) =>
          rows.some((row) => row.pid === k.pid && row.stat === "F")
        );
      }, 15000);
      assert(parked >= 0, "the returning processes were not parked (STAT F)");
      const files = [...Deno.readDirSync(home.dir)].filter((e) =>
        e.name.startsWith("parked-")
      );
      assert.equal(files.length, 2, "parked memory files");
      // Still parked a while later: nothing resumes without room.
      await new Promise((r) => setTimeout(r, 1500));
      for (const k of kids) {
        const s = await callProc<{ stat: string }>(home.dir, k.pid, "status");
        assert.equal(s.stat, "F");
      }

      await Deno.remove(join(home.dir, RESERVE_FILE));
      const outs = await Promise.all(kids.map((k) => k.output()));
      for (const [i, o] of outs.entries()) {
        const err = dec.decode(o.stderr);
        assert.equal(o.code, 3, err);
        assert.match(err, /not enough memory at home .*frozen to .*parked-/);
        assert.equal(dec.decode(o.stdout), dec.decode(ref.stdout));
        assert.equal(await Deno.readTextFile(join(cwds[i], "log.txt")), refLog);
      }
      assert.equal(
        [...Deno.readDirSync(home.dir)].filter((e) =>
          e.name.startsWith("parked-")
        ).length,
        0,
        "parked files left behind",
      );
    } finally {
      for (const k of kids) {
        try {
          k.kill("SIGKILL");
        } catch {
          // finished
        }
      }
      await cluster.stop();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
);

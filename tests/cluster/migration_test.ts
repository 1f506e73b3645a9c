/**
 * Process migration between real daemons on loopback: a process writing a
 * file and printing while it moves home -> A -> B -> home many times ends
 * with the output and file of a run without migration; stdin typed at home
 * reaches it wherever it runs; mosrun -NODE starts it away; a node that
 * expels its guests or stops sends them home, still running.
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
import { allSeeLive, statusOf } from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const FIX = (n: string) => join(FIXTURES_DIR, `${n}.wasm`);
const dec = new TextDecoder();

interface Status {
  where: number;
  stat: string;
  migrations: number;
}

/** Start mosrun in `cwd` against node directory `dir`; wait for its socket. */
function mosrun(
  dir: string,
  cwd: string,
  args: string[],
  stdin: "piped" | "null" = "null",
) {
  return spawnProcess(
    [Deno.execPath(), ...commandArgs("mosrun", ["--dir", dir, ...args])],
    { cwd, runDir: dir, stdin },
  );
}

Deno.test(
  "processes migrate between loopback nodes and lose nothing",
  opts,
  async (t) => {
    const cluster = await LocalCluster.start({
      nodes: 3,
      subnet: 41,
      port: 4701,
    });
    const [home, a, b] = cluster.nodes;
    const work = await Deno.makeTempDir({ prefix: "dmosix-mig-" });
    try {
      assert(
        await waitFor(() =>
          allSeeLive(
            cluster.nodes.map((n) => n.dir),
            cluster.nodes.map((n) => n.id),
          ), 5000) >= 0,
      );
      const args = [FIX("file_loop"), "60", "12000000"];

      // The reference: the same program, never moved.
      const refDir = join(work, "ref");
      await Deno.mkdir(refDir);
      const ref = await new Deno.Command(Deno.execPath(), {
        args: commandArgs("mosrun", ["-h", ...args]),
        cwd: refDir,
        stdout: "piped",
      }).output();
      assert.equal(ref.code, 3);
      const refLog = await Deno.readTextFile(join(refDir, "log.txt"));

      await t.step(
        "home -> A -> B -> home, many times, with output and file intact",
        async () => {
          const cwd = join(work, "moved");
          await Deno.mkdir(cwd);
          const child = await mosrun(home.dir, cwd, args);
          const route = [a.id, b.id, 0, b.id, a.id, 0, a.id, b.id, 0];
          let moves = 0;
          for (const id of route) {
            const to = id === 0 ? { kind: "home" } : {
              kind: "node",
              id,
              addr: cluster.nodes.find((n) => n.id === id)!.addr,
              port: 4701,
            };
            try {
              const t0 = performance.now();
              const r = await callProc<{ where: number; frozenMs: number }>(
                home.dir,
                child.pid,
                "migrate",
                { to, wait: true },
              );
              const took = performance.now() - t0;
              assert.equal(r.where, id);
              // It stood still for part of the request, never longer.
              assert(
                r.frozenMs > 0 && r.frozenMs <= took,
                `frozen ${r.frozenMs} ms of a ${took} ms request`,
              );
              moves++;
            } catch (e) {
              if (
                /ended before answering|no cluster process|not running/.test(
                  (e as Error).message,
                )
              ) break;
              throw e;
            }
          }
          const out = await child.output();
          assert.equal(out.code, 3, dec.decode(out.stderr));
          assert(
            moves >= 4,
            `only ${moves} migrations happened before the end (make the work longer)`,
          );
          assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
          assert.equal(await Deno.readTextFile(join(cwd, "log.txt")), refLog);
          // The module went to each node once; later visits reused it. A
          // move from node to node went straight there, not through home.
          const done = [0, ...route.slice(0, moves)];
          for (const n of [a, b]) {
            const visits = done.filter((id) => id === n.id);
            const handedTo = done.filter((id, i) =>
              id === n.id && i > 0 && done[i - 1] !== 0
            );
            const st = await statusOf(n.dir) as {
              modules: { received: number; reused: number };
              handoffs: { sent: number; received: number };
            };
            assert.deepEqual(st.modules, {
              received: 1,
              reused: visits.length - 1,
            });
            assert.equal(st.handoffs.received, handedTo.length);
          }
        },
      );

      await t.step(
        "a target declines a balancer's move that gains it nothing, before the process stops",
        async () => {
          const cwd = join(work, "admit");
          await Deno.mkdir(cwd);
          // Pinned (-L): only this test's requests move it, not the balancer.
          const child = await mosrun(home.dir, cwd, ["-L", ...args]);
          const to = { kind: "node", id: a.id, addr: a.addr, port: 4701 };
          // Faster where it is than it could ever be on A: declined.
          await assert.rejects(
            callProc(home.dir, child.pid, "migrate", {
              to,
              wait: true,
              admit: { reason: "load", rateHere: 1e12, weight: 1 },
            }),
            /declined: no gain there now/,
          );
          const st = await callProc<Status>(home.dir, child.pid, "status", {});
          assert.equal(st.where, 0);
          assert.equal(st.migrations, 0, "it never left");
          // A move that gains: admitted and done.
          const r = await callProc<{ where: number }>(
            home.dir,
            child.pid,
            "migrate",
            {
              to,
              wait: true,
              admit: { reason: "load", rateHere: 0, weight: 1 },
            },
          );
          assert.equal(r.where, a.id);
          const out = await child.output();
          assert.equal(out.code, 3, dec.decode(out.stderr));
          assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
        },
      );

      await t.step(
        "stdin typed at home reaches the process wherever it runs",
        async () => {
          const cwd = join(work, "stdin");
          await Deno.mkdir(cwd);
          const child = await mosrun(
            home.dir,
            cwd,
            [FIX("stdin_echo")],
            "piped",
          );
          const w = child.stdin.getWriter();
          const say = (s: string) => w.write(new TextEncoder().encode(s));
          await say("at home\n");
          await callProc(home.dir, child.pid, "migrate", {
            to: { kind: "node", id: a.id, addr: a.addr, port: 4701 },
            wait: true,
          });
          await say("on A\n");
          // Node to node by the command, as a script would.
          const mig = await runCommand("migrate", [
            String(child.pid),
            String(b.id),
            "--wait",
            "--json",
            "--dir",
            home.dir,
          ]);
          assert.equal(mig.code, 0, mig.stderr);
          const j = JSON.parse(mig.stdout);
          assert.equal(j.where, "0x2903");
          assert(j.frozenMs > 0, mig.stdout);
          await say("on B\n");
          const st = await callProc<Status>(home.dir, child.pid, "status");
          assert.equal(st.where, b.id);
          // Home again, taken while blocked in a read of stdin at home.
          await callProc(home.dir, child.pid, "migrate", {
            to: { kind: "home" },
            wait: true,
          });
          await say("home again\n");
          await w.close();
          const out = await child.output();
          assert.equal(out.code, 0, dec.decode(out.stderr));
          assert.equal(
            dec.decode(out.stdout),
            "   1: at home\n   2: on A\n   3: on B\n   4: home again\nlines=4 bytes=29\n",
          );
        },
      );

      await t.step(
        "mosrun -NODE starts away; mps shows where; expel sends it home, still running",
        async () => {
          const cwd = join(work, "expel");
          await Deno.mkdir(cwd);
          const child = await mosrun(home.dir, cwd, [`-${b.id}`, ...args]);
          const st = await callProc<Status>(home.dir, child.pid, "status");
          assert.equal(st.where, b.id);
          assert.equal(st.migrations, 0, "it started there, it was not moved");
          const mps = await runCommand("mps", ["--dir", home.dir]);
          assert.match(
            mps.stdout,
            new RegExp(`^\\s*${child.pid} 0x2903 `, "m"),
          );
          const guests = await runCommand("mps", [
            "--all",
            "--json",
            "--dir",
            b.dir,
          ]);
          assert(
            JSON.parse(guests.stdout).processes.some((
              p: { pid: number; stat: string },
            ) => p.pid === child.pid && p.stat === "G"),
          );
          const ex = await runCommand("mosctl", ["expel", "--dir", b.dir]);
          assert.equal(ex.code, 0, ex.stderr);
          const back = await waitFor(
            async () =>
              (await callProc<Status>(home.dir, child.pid, "status")).where ===
                0,
            10000,
          );
          assert(back >= 0, "not sent home");
          await runCommand("mosctl", ["noblock", "--dir", b.dir]);
          const out = await child.output();
          assert.equal(out.code, 3, dec.decode(out.stderr));
          assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
          assert.equal(await Deno.readTextFile(join(cwd, "log.txt")), refLog);
        },
      );

      await t.step(
        "a node stopped with SIGTERM sends its guest home first",
        async () => {
          const cwd = join(work, "sigterm");
          await Deno.mkdir(cwd);
          const child = await mosrun(home.dir, cwd, [`-${a.id}`, ...args]);
          assert.equal(
            (await callProc<Status>(home.dir, child.pid, "status")).where,
            a.id,
          );
          await cluster.signal(1, "SIGTERM");
          const out = await child.output();
          assert.equal(out.code, 3, dec.decode(out.stderr));
          assert.equal(dec.decode(out.stdout), dec.decode(ref.stdout));
          assert.equal(await Deno.readTextFile(join(cwd, "log.txt")), refLog);
        },
      );

      await t.step(
        "64-bit calls (seek, pread, fstat, stat) are served the same away as at home",
        async () => {
          for (const name of ["file_io", "stat_times"]) {
            const outs: string[] = [];
            for (const where of ["-h", `-${b.id}`]) {
              const cwd = await Deno.makeTempDir({ dir: work });
              const r = await new Deno.Command(Deno.execPath(), {
                args: commandArgs("mosrun", [
                  "--dir",
                  home.dir,
                  where,
                  FIX(name),
                ]),
                cwd,
                stdout: "piped",
                stderr: "piped",
              }).output();
              assert.equal(
                r.code,
                0,
                `${name} ${where}: ${dec.decode(r.stderr)}`,
              );
              outs.push(dec.decode(r.stdout));
            }
            assert.equal(outs[1], outs[0], `${name} away differs from home`);
          }
        },
      );

      await t.step(
        "a blocked node is refused: mosrun -NODE fails, -F falls back home",
        async () => {
          await runCommand("mosctl", ["block", "--dir", b.dir]);
          await waitFor(async () => {
            const r = await runCommand("mosctl", [
              "status",
              String(b.id),
              "--json",
              "--dir",
              home.dir,
            ]);
            return JSON.parse(r.stdout).status === "blocked";
          }, 5000);
          const refused = await runCommand("mosrun", [
            "--dir",
            home.dir,
            `-${b.id}`,
            FIX("exit_code"),
            "5",
          ]);
          assert.equal(refused.code, 1);
          assert.match(refused.stderr, /^mosrun: node \d+ is blocked .*use -F/);
          const fallback = await runCommand("mosrun", [
            "--dir",
            home.dir,
            "-F",
            `-${b.id}`,
            FIX("exit_code"),
            "5",
          ]);
          assert.equal(fallback.code, 5, fallback.stderr);
        },
      );
    } finally {
      await cluster.stop();
      await Deno.remove(work, { recursive: true });
    }
  },
);

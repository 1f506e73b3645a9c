/**
 * Native batch jobs between real daemons on loopback (mosrun -E): exit
 * codes and signals carried home, tens of MiB of output in order per
 * stream, stdin piped through, cwd and environment kept, mps and the
 * target's load showing the job, refusals and -F, and a target that dies
 * in the middle of a job.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  runCommand,
  waitFor,
} from "../../tools/local_cluster.ts";
import { allSeeLive, nodesOf } from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const PORT = 4761;
const dec = new TextDecoder();

/** mosrun against `dir`, in `cwd`, with its streams piped. */
function mosrun(
  dir: string,
  args: string[],
  o: { cwd?: string; env?: Record<string, string>; stdin?: boolean } = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: commandArgs("mosrun", ["--dir", dir, ...args]),
    cwd: o.cwd,
    env: o.env,
    stdin: o.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Read a child's stdout as it comes; `text()` is what arrived so far. */
function follow(child: Deno.ChildProcess) {
  let text = "";
  const done = (async () => {
    for await (const chunk of child.stdout) text += dec.decode(chunk);
  })();
  return {
    text: () => text,
    done,
    until: (s: string, ms = 15000) =>
      waitFor(() => Promise.resolve(text.includes(s)), ms, 20),
  };
}

async function errText(child: Deno.ChildProcess): Promise<string> {
  return dec.decode(await new Response(child.stderr).arrayBuffer());
}

function oneLine(stderr: string): void {
  assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
}

/** The same command's output run here, no cluster. */
async function local(argv: string[]) {
  const o = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { stdout: dec.decode(o.stdout), stderr: dec.decode(o.stderr) };
}

Deno.test(
  "batch jobs run on other nodes as if they ran at home",
  opts,
  async (t) => {
    const cluster = await LocalCluster.start({
      nodes: 3,
      subnet: 61,
      port: PORT,
      // Root submits the jobs here, so root must be allowed.
      // One CPU each: mosrun -q starts one job per node at a time.
      daemonArgs: [
        "--load",
        "cluster",
        "--cpus",
        "1",
        "--batch-root",
        "--no-balance",
      ],
    });
    const [home, b, c] = cluster.nodes;
    const work = await Deno.makeTempDir({ prefix: "dmosix-batch-" });
    const onB = `-${b.id}`;
    try {
      assert(
        await waitFor(() =>
          allSeeLive(
            cluster.nodes.map((n) => n.dir),
            cluster.nodes.map((n) => n.id),
          ), 8000) >= 0,
        "the cluster did not form",
      );

      await t.step(
        "exit codes: the job's, 128+N for a signal, 127 not found",
        async () => {
          const cases: [string[], number][] = [
            [[onB, "-E", "sh", "-c", "exit 3"], 3],
            [[onB, "sh", "-c", "exit 0"], 0],
            [[onB, "sh", "-c", "kill -KILL $$"], 137],
            [[onB, "-E", "no-such-program-x"], 127],
          ];
          for (const [args, code] of cases) {
            const r = await runCommand("mosrun", ["--dir", home.dir, ...args]);
            assert.equal(r.code, code, `${args.join(" ")}: ${r.stderr}`);
          }
          const nf = await runCommand("mosrun", [
            "--dir",
            home.dir,
            onB,
            "-E",
            "no-such-program-x",
          ]);
          assert.equal(
            nf.stderr,
            `mosrun: no-such-program-x: command not found on node 0x3d02\n`,
          );
          assert.match(
            await Deno.readTextFile(join(b.dir, "log")),
            /batch: job \d+ \(pid \d+\) for root from node 0x3d01/,
          );
        },
      );

      await t.step(
        "with no daemon a native program runs here, listed as home B",
        async () => {
          const alone = join(work, "alone");
          await Deno.mkdir(alone);
          const r = await runCommand("mosrun", [
            "--dir",
            alone,
            "-b",
            "sh",
            "-c",
            "echo local; exit 5",
          ]);
          assert.equal(r.code, 5, r.stderr);
          assert.equal(r.stdout, "local\n");
          assert.equal(r.stderr, "");
          const child = mosrun(alone, [
            "-E",
            "sh",
            "-c",
            "echo up; exec sleep 20",
          ]);
          const out = follow(child);
          try {
            assert(await out.until("up") >= 0);
            const mps = await runCommand("mps", ["--dir", alone]);
            assert.match(
              mps.stdout,
              new RegExp(`^\\s*${child.pid} home +B .*sh -c`, "m"),
              mps.stdout,
            );
          } finally {
            child.kill("SIGINT");
            assert.equal((await child.status).code, 130);
            await child.stderr.cancel();
          }
        },
      );

      await t.step(
        "output nobody reads any more gives the job SIGPIPE, as at home",
        async () => {
          const argv = [
            Deno.execPath(),
            ...commandArgs("mosrun", ["--dir", home.dir, onB, "-E", "yes"]),
          ].map((a) => `'${a}'`).join(" ");
          const o = await new Deno.Command("bash", {
            args: ["-c", `${argv} | head -2; echo "status \${PIPESTATUS[0]}"`],
            stdout: "piped",
            stderr: "piped",
          }).output();
          assert.equal(dec.decode(o.stdout), "y\ny\nstatus 141\n");
        },
      );

      await t.step(
        "SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2 at home reach the job",
        async () => {
          const sigs = ["INT", "TERM", "HUP", "QUIT", "USR1"];
          const script = sigs.map((s) =>
            `trap "echo got ${s}" ${s};`
          ).join(" ") +
            ' trap "echo got USR2; exit 9" USR2; echo ready;' +
            " i=0; while [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done; exit 1";
          const child = mosrun(home.dir, [onB, "-E", "sh", "-c", script]);
          const out = follow(child);
          const err = errText(child);
          assert(await out.until("ready") >= 0, "job did not start");
          for (const s of [...sigs, "USR2"]) {
            child.kill(`SIG${s}` as Deno.Signal);
            assert(
              await out.until(`got ${s}\n`, 5000) >= 0,
              `no ${s}: ${out.text()}`,
            );
          }
          const st = await child.status;
          await out.done;
          assert.equal(st.code, 9, await err);
          assert.equal(
            out.text(),
            `ready\n${[...sigs, "USR2"].map((s) => `got ${s}\n`).join("")}`,
          );

          // Untrapped: the job dies of it, mosrun exits 128+15.
          const sleeper = mosrun(home.dir, [
            onB,
            "-E",
            "sh",
            "-c",
            "echo up; exec sleep 20",
          ]);
          const o2 = follow(sleeper);
          assert(await o2.until("up") >= 0);
          sleeper.kill("SIGTERM");
          assert.equal((await sleeper.status).code, 143);
          await sleeper.stderr.cancel();
        },
      );

      await t.step(
        "tens of MiB of stdout and stderr arrive whole, in order per stream",
        async () => {
          const cmd = ["sh", "-c", "seq 1 3000000 & seq 1 1200000 >&2; wait"];
          const want = await local(["seq", "1", "3000000"]);
          const wantErr = await local(["seq", "1", "1200000"]);
          const t0 = performance.now();
          const child = mosrun(home.dir, [onB, "-E", ...cmd]);
          const o = await child.output();
          const secs = (performance.now() - t0) / 1000;
          const out = dec.decode(o.stdout), err = dec.decode(o.stderr);
          assert.equal(o.code, 0, err.slice(-300));
          assert.equal(out.length, want.stdout.length);
          assert.ok(out === want.stdout, "stdout differs");
          assert.ok(err === wantErr.stdout, "stderr differs");
          console.log(
            `  ${
              ((out.length + err.length) / 2 ** 20).toFixed(1)
            } MiB carried in ${secs.toFixed(1)} s`,
          );
        },
      );

      await t.step("stdin is piped through to the job", async () => {
        const data = new Uint8Array(8 * 1024 * 1024).map((_, i) =>
          (i * 7 + (i >> 12)) & 0xff
        );
        const child = mosrun(home.dir, [onB, "-E", "cat"], { stdin: true });
        const writing = (async () => {
          const w = child.stdin.getWriter();
          for (let i = 0; i < data.length; i += 65536) {
            await w.write(data.subarray(i, i + 65536));
          }
          await w.close();
        })();
        const o = await child.output();
        await writing;
        assert.equal(o.code, 0, dec.decode(o.stderr));
        assert.equal(o.stdout.length, data.length);
        assert.ok(
          o.stdout.every((x, i) => x === data[i]),
          "stdin came back changed",
        );
      });

      await t.step(
        "cwd and environment are the user's; -E/CWD sets the directory",
        async () => {
          const cwd = join(work, "cwd test");
          await Deno.mkdir(cwd);
          await Deno.writeTextFile(
            join(cwd, "here.sh"),
            "#!/bin/sh\necho script in $(pwd)\n",
            { mode: 0o755 },
          );
          const env = { ...Deno.env.toObject(), BATCH_VAR: "x y=z" };
          const r = await mosrun(home.dir, [
            onB,
            "sh",
            "-c",
            'pwd; echo "$BATCH_VAR"; ./here.sh',
          ], { cwd, env }).output();
          assert.equal(r.code, 0, dec.decode(r.stderr));
          assert.equal(
            dec.decode(r.stdout),
            `${cwd}\nx y=z\nscript in ${cwd}\n`,
          );
          const r2 = await mosrun(home.dir, [onB, `-E${work}`, "pwd"], { cwd })
            .output();
          assert.equal(dec.decode(r2.stdout), `${work}\n`);
        },
      );

      await t.step(
        "mps shows STAT B where it runs, the target counts it as load, migrate refuses",
        async () => {
          const child = mosrun(home.dir, [
            onB,
            "-E",
            "sh",
            "-c",
            "echo up; exec sleep 30",
          ]);
          const out = follow(child);
          try {
            assert(await out.until("up") >= 0);
            const mps = await runCommand("mps", ["--dir", home.dir]);
            assert.match(
              mps.stdout,
              new RegExp(`^\\s*${child.pid} 0x3d02 +B `, "m"),
              mps.stdout,
            );
            const there = await runCommand("mps", [
              "--all",
              "--json",
              "--dir",
              b.dir,
            ]);
            const rows = JSON.parse(there.stdout).processes as {
              pid: number;
              stat: string;
              home: string;
              node: string;
            }[];
            assert.ok(
              rows.some((p) =>
                p.pid === child.pid && p.stat === "B" && p.home === "0x3d01" &&
                p.node === "here"
              ),
              there.stdout,
            );
            const loaded = await waitFor(async () => {
              const v = (await nodesOf(home.dir))?.find((n) => n.id === b.id);
              return (v?.load ?? 0) >= 1;
            }, 8000);
            assert(
              loaded >= 0,
              "the target's gossiped load did not count the job",
            );
            const mig = await runCommand("migrate", [
              String(child.pid),
              String(c.id),
              "--dir",
              home.dir,
            ]);
            assert.equal(mig.code, 1);
            oneLine(mig.stderr);
            assert.match(mig.stderr, /never migrates/);
          } finally {
            child.kill("SIGTERM");
            assert.equal((await child.status).code, 143);
            await child.stderr.cancel();
          }
        },
      );

      await t.step(
        "mosrun -q: six jobs on three one-CPU nodes start three at a time, one per node",
        async () => {
          const t0 = Date.now();
          const kids = Array.from(
            { length: 6 },
            (_, i) =>
              mosrun(home.dir, [
                "-b",
                "-q",
                "-E",
                "sh",
                "-c",
                `sleep 1.5; echo ${i}`,
              ]),
          );
          const running = async () => {
            const r = await runCommand("mps", ["--json", "--dir", home.dir]);
            return (JSON.parse(r.stdout).processes as {
              stat: string;
              node: string;
            }[])
              .filter((p) => p.stat === "B");
          };
          let most = 0;
          const seen = new Set<string>();
          const watch = (async () => {
            while (Date.now() - t0 < 15000) {
              const r = await running();
              most = Math.max(most, r.length);
              if (r.length === 3) { for (const p of r) seen.add(p.node); }
              if (kids.length === 0) return;
              await new Promise((res) => setTimeout(res, 100));
            }
          })();
          const outs = await Promise.all(kids.map((k) => k.output()));
          const secs = (Date.now() - t0) / 1000;
          kids.length = 0;
          await watch;
          for (const [i, o] of outs.entries()) {
            assert.equal(o.code, 0, dec.decode(o.stderr));
            assert.equal(dec.decode(o.stdout), `${i}\n`);
          }
          assert.equal(most, 3, "at most one job per one-CPU node at once");
          assert.deepEqual([...seen].sort(), ["0x3d02", "0x3d03", "home"]);
          assert.ok(secs >= 3, `two rounds of 1.5 s took ${secs} s`);
        },
      );

      await t.step(
        "a node that takes no batch jobs refuses in one line; -F runs the job home",
        async () => {
          await cluster.signal(2, "SIGTERM");
          cluster.startNode(2, ["--no-batch"]);
          await cluster.waitSocket(2);
          assert(
            await waitFor(() =>
              allSeeLive(
                cluster.nodes.map((n) => n.dir),
                cluster.nodes.map((n) => n.id),
              ), 8000) >= 0,
            "the restarted node did not come back",
          );
          const r = await runCommand("mosrun", [
            "--dir",
            home.dir,
            `-${c.id}`,
            "-E",
            "true",
          ]);
          assert.equal(r.code, 1);
          oneLine(r.stderr);
          assert.match(
            r.stderr,
            /cannot start on node 0x3d03: node 0x3d03 does not take batch jobs \(use -F/,
          );
          const f = await runCommand("mosrun", [
            "--dir",
            home.dir,
            "-F",
            `-${c.id}`,
            "-E",
            "sh",
            "-c",
            "echo at home; exit 4",
          ]);
          assert.equal(f.code, 4);
          assert.equal(f.stdout, "at home\n");
          assert.match(f.stderr, /running at home/);
        },
      );

      await t.step(
        "a target that stops ends its jobs and tells their homes why",
        async () => {
          const child = mosrun(home.dir, [
            onB,
            "-E",
            "sh",
            "-c",
            "echo up; exec sleep 30",
          ]);
          const out = follow(child);
          const err = errText(child);
          assert(await out.until("up") >= 0);
          await cluster.signal(1, "SIGTERM");
          assert.equal((await child.status).code, 143);
          assert.match(
            await err,
            /^mosrun: job stopped: node 0x3d02 is stopping\n$/,
          );
          cluster.startNode(1);
          await cluster.waitSocket(1);
          assert(
            await waitFor(() =>
              allSeeLive(
                cluster.nodes.map((n) => n.dir),
                cluster.nodes.map((n) => n.id),
              ), 8000) >= 0,
            "the restarted node did not come back",
          );
        },
      );

      await t.step(
        "a target that dies mid-job: one line, non-zero exit",
        async () => {
          const child = mosrun(home.dir, [
            onB,
            "-E",
            "sh",
            "-c",
            "i=0; while [ $i -lt 200 ]; do echo tick $i; sleep 0.05; i=$((i+1)); done",
          ]);
          const out = follow(child);
          const err = errText(child);
          assert(await out.until("tick 3") >= 0);
          const killedAt = Date.now();
          await cluster.signal(1, "SIGKILL");
          const st = await child.status;
          const took = Date.now() - killedAt;
          const e = await err;
          assert.notEqual(st.code, 0);
          oneLine(e);
          assert.match(e, /^mosrun: lost node 0x3d02 during the job/);
          assert.ok(took < 5000, `noticed after ${took} ms`);
        },
      );
    } finally {
      await cluster.stop();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
);

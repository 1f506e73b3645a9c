/**
 * The compile farm (examples/compile_farm) on a loopback cluster:
 * `make -j8 CC="mosrun -b -E cc"` spreads the compilations over every node
 * and the program it links runs right.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  commandArgs,
  LocalCluster,
  waitFor,
} from "../../tools/local_cluster.ts";
import { allSeeLive } from "../../tools/cluster_probe.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const EXAMPLE =
  new URL("../../examples/compile_farm/", import.meta.url).pathname;

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) await copyDir(join(from, e.name), join(to, e.name));
    else if (e.isFile && !e.name.endsWith(".o") && e.name !== "farm") {
      await Deno.copyFile(join(from, e.name), join(to, e.name));
    }
  }
}

Deno.test(
  "make -j8 with mosrun -b -E cc spreads the compilations over the cluster",
  opts,
  async () => {
    const cluster = await LocalCluster.start({
      nodes: 3,
      subnet: 62,
      port: 4762,
      // Equal speeds stated: an even spread is the right outcome.
      daemonArgs: [
        "--load",
        "cluster",
        "--speed",
        "10000",
        "--batch-root",
        "--no-balance",
      ],
    });
    const work = await Deno.makeTempDir({ prefix: "dmosix-farm-" });
    try {
      assert(
        await waitFor(() =>
          allSeeLive(
            cluster.nodes.map((n) => n.dir),
            cluster.nodes.map((n) => n.id),
          ), 8000) >= 0,
        "the cluster did not form",
      );
      const src = join(work, "farm");
      await copyDir(EXAMPLE, src);
      const bin = join(work, "bin");
      await Deno.mkdir(bin);
      const quoted = [Deno.execPath(), ...commandArgs("mosrun", [])]
        .map((a) => `'${a}'`).join(" ");
      await Deno.writeTextFile(
        join(bin, "mosrun"),
        `#!/bin/sh\nexec ${quoted} "$@"\n`,
        {
          mode: 0o755,
        },
      );
      const env = {
        ...Deno.env.toObject(),
        PATH: `${bin}:${Deno.env.get("PATH")}`,
        DMOSIX_DIR: cluster.nodes[0].dir,
      };
      const t0 = performance.now();
      const make = await new Deno.Command("make", {
        args: ["-j8", "CC=mosrun -b -E cc"],
        cwd: src,
        env,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const secs = (performance.now() - t0) / 1000;
      const err = new TextDecoder().decode(make.stderr);
      assert.equal(make.code, 0, err.slice(-2000));
      const jobs = new TextDecoder().decode(make.stdout).split("\n")
        .filter((l) => l.startsWith("mosrun -b -E cc")).length;
      assert.equal(jobs, 42, "41 compilations and a link");

      const check = await new Deno.Command("make", {
        args: ["check"],
        cwd: src,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(check.code, 0, new TextDecoder().decode(check.stdout));

      // Jobs each remote node ran, from its log; the rest ran at home.
      const remote = await Promise.all(
        cluster.nodes.slice(1).map(async (n) =>
          (await Deno.readTextFile(join(n.dir, "log"))).split("\n")
            .filter((l) =>
              /batch: job \d+ \(pid \d+\) for root from node 0x3e01/.test(l)
            ).length
        ),
      );
      const perNode = [jobs - remote[0] - remote[1], ...remote];
      console.log(
        `  ${jobs} jobs in ${secs.toFixed(1)} s, per node: ${
          perNode.join(", ")
        }`,
      );
      for (const n of perNode) {
        assert.ok(n >= 8, `jobs per node ${perNode.join(", ")}: not spread`);
      }
    } finally {
      await cluster.stop();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
);

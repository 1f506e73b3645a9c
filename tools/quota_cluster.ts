/**
 * A cluster of real daemons in network namespaces, each node held to a CPU
 * quota by a cgroup (root only): the balancing test and bench run on it.
 * Programs started "on" node i run inside node i's namespace and cgroup.
 *
 * @module
 */

import { join } from "node:path";
import { commandArgs, waitFor } from "./local_cluster.ts";
import { liveCount } from "./cluster_probe.ts";
import { createLab, type NetnsLab } from "./netns.ts";
import { type CpuGroup, createCpuGroup, removeCpuGroups } from "./cgroup.ts";
import { nodeIdFromIPv4 } from "../core/ids.ts";

/** Result of one command run on a node. */
export interface TimedRun {
  /** Wall seconds. */
  s: number;
  /** Standard output. */
  out: string;
  /** Exit status. */
  code: number;
}

/** Run argv to completion and time it. */
export async function timed(argv: string[], cwd: string): Promise<TimedRun> {
  const t0 = performance.now();
  const o = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    s: (performance.now() - t0) / 1000,
    out: new TextDecoder().decode(o.stdout),
    code: o.code,
  };
}

/** A running quota cluster. */
export interface QuotaCluster {
  /** Node directories. */
  dirs: string[];
  /** Node IDs. */
  ids: number[];
  /** Node addresses (link port: the default, 4660). */
  addrs: string[];
  /** Scratch directory (cwd of programs). */
  root: string;
  /** argv running `cmd args` on node i (its namespace and cgroup). */
  on(i: number, cmd: string, args: string[]): string[];
  /** argv running any `argv` on node i (its namespace and cgroup). */
  exec(i: number, argv: string[]): string[];
  /** Cut node i off the network / connect it again. */
  cut(i: number): Promise<void>;
  heal(i: number): Promise<void>;
  /** argv running `cmd args` alone on one full CPU, no daemon. */
  alone(cmd: string, args: string[]): string[];
  /** argv running any `argv` alone on one full CPU. */
  aloneExec(argv: string[]): string[];
  /** Stop everything and clean up namespaces and cgroups. */
  stop(): Promise<void>;
}

/**
 * Start `nodes` daemons, each limited to `quota` CPUs, or node i to
 * `quotas[i]` (a faster CPU emulated by a larger quota; state it with
 * `speeds[i]` and the same `cpus` for all). `cpus` (the daemons' --cpus)
 * defaults to the quota.
 */
export async function startQuotaCluster(opts: {
  nodes: number;
  quota: number;
  quotas?: number[];
  cpus?: number;
  speeds?: number[];
  balance?: boolean;
  /** More omdiscd arguments for every node. */
  daemonArgs?: string[];
  tag?: string;
}): Promise<QuotaCluster> {
  const tag = opts.tag ?? `dmxq${Deno.pid % 10000}`;
  const lab: NetnsLab = await createLab(`${tag}n`, opts.nodes, 2);
  const root = await Deno.makeTempDir({ prefix: "dmosix-quota-" });
  const dirs = lab.ns.map((_, i) => join(root, `node${i + 1}`));
  const groups: CpuGroup[] = lab.ns.map((_, i) =>
    createCpuGroup(tag, `node${i + 1}`, opts.quotas?.[i] ?? opts.quota)
  );
  const full = createCpuGroup(tag, "alone", 1);
  const daemons: Deno.ChildProcess[] = [];
  const exec = (i: number, argv: string[]) =>
    groups[i].wrap(["ip", "netns", "exec", lab.ns[i], ...argv]);
  const on = (i: number, cmd: string, args: string[]) =>
    exec(i, [Deno.execPath(), ...commandArgs(cmd, args)]);
  const stop = async () => {
    for (const d of daemons) {
      try {
        d.kill("SIGKILL");
      } catch {
        // gone
      }
      await d.status;
    }
    await lab.destroy();
    await removeCpuGroups(tag);
    await Deno.remove(root, { recursive: true }).catch(() => {});
  };
  try {
    for (let i = 0; i < opts.nodes; i++) {
      await Deno.mkdir(dirs[i], { recursive: true, mode: 0o700 });
      await Deno.writeTextFile(
        join(dirs[i], "secret"),
        "quota-cluster-secret-0123456789abcdef\n",
        { mode: 0o600 },
      );
      const argv = on(i, "omdiscd", [
        "-n",
        "--dir",
        dirs[i],
        "--addr",
        lab.addrs[i],
        "--cpus",
        String(opts.cpus ?? opts.quotas?.[i] ?? opts.quota),
        "--speed",
        String(opts.speeds?.[i] ?? 10000),
        "--load",
        "cluster",
        "--log",
        join(dirs[i], "log"),
        ...(opts.balance === false ? ["--no-balance"] : []),
        ...(opts.daemonArgs ?? []),
      ]);
      daemons.push(
        new Deno.Command(argv[0], {
          args: argv.slice(1),
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn(),
      );
    }
    const ids = lab.addrs.map(nodeIdFromIPv4);
    const formed = await waitFor(async () => {
      const counts = await Promise.all(dirs.map(liveCount));
      return counts.every((n) => n === opts.nodes);
    }, 30000);
    if (formed < 0) throw new Error("the quota cluster did not form in 30 s");
    return {
      dirs,
      ids,
      addrs: lab.addrs,
      root,
      on,
      exec,
      cut: lab.cut,
      heal: lab.heal,
      alone: (cmd, args) =>
        full.wrap([Deno.execPath(), ...commandArgs(cmd, args)]),
      aloneExec: (argv) => full.wrap(argv),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * CPU quotas per emulated node with the cgroup v1 `cpu` controller (root
 * only): each node's daemon and the programs started on it run in a cgroup
 * limited to a fraction of one CPU.
 *
 * @module
 */

import { join } from "node:path";

const CPU_ROOT = "/sys/fs/cgroup/cpu";

/** True when cgroup v1 cpu quotas can be set here. */
export function canUseCgroups(): boolean {
  if (Deno.uid() !== 0) return false;
  try {
    return Deno.statSync(join(CPU_ROOT, "cpu.cfs_quota_us")).isFile;
  } catch {
    return false;
  }
}

/** A cgroup holding one node's processes. */
export interface CpuGroup {
  /** Its directory. */
  path: string;
  /** A shell command prefix: moves the shell into the group, then execs the rest. */
  wrap(argv: string[]): string[];
}

/** Create `name` under a parent group with a quota of `cpus` CPUs. */
export function createCpuGroup(
  parent: string,
  name: string,
  cpus: number,
): CpuGroup {
  const path = join(CPU_ROOT, parent, name);
  Deno.mkdirSync(path, { recursive: true });
  Deno.writeTextFileSync(join(path, "cpu.cfs_period_us"), "100000");
  Deno.writeTextFileSync(
    join(path, "cpu.cfs_quota_us"),
    String(Math.round(cpus * 100000)),
  );
  return {
    path,
    wrap: (argv) => [
      "sh",
      "-c",
      `echo $$ > ${join(path, "cgroup.procs")} && exec "$@"`,
      "sh",
      ...argv,
    ],
  };
}

/** Remove a parent group and its children (their processes must be gone). */
export async function removeCpuGroups(parent: string): Promise<void> {
  const root = join(CPU_ROOT, parent);
  let children: string[] = [];
  try {
    children = [...Deno.readDirSync(root)].filter((e) => e.isDirectory).map((
      e,
    ) => join(root, e.name));
  } catch {
    return;
  }
  for (const dir of [...children, root]) {
    for (let i = 0; i < 50; i++) {
      try {
        Deno.removeSync(dir);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100)); // processes still leaving
      }
    }
  }
}

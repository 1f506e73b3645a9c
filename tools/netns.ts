/**
 * Test hosts in network namespaces (root only): N namespaces, each with one
 * veth into a bridge that lives in a namespace of its own, so nothing
 * touches the machine's interfaces. Multicast (224.0.0.0/4) is routed to the
 * veth inside each namespace; it cannot reach the default interface.
 *
 * @module
 */

/** A set of namespaces joined by a bridge. */
export interface NetnsLab {
  /** Namespace name of host i (0-based). */
  ns: string[];
  /** IPv4 address of host i. */
  addrs: string[];
  /** Cut host i off (its bridge port down: packets vanish, no reset). */
  cut(i: number): Promise<void>;
  /** Connect host i again. */
  heal(i: number): Promise<void>;
  /** Remove every namespace (veths and bridge go with them). */
  destroy(): Promise<void>;
}

async function ip(args: string[]): Promise<void> {
  const out = await new Deno.Command("ip", {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `ip ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
}

/** True when this process may create namespaces (root with iproute2). */
export function canUseNetns(): boolean {
  if (Deno.uid() !== 0) return false;
  try {
    return new Deno.Command("ip", {
      args: ["netns", "list"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Create `count` hosts 10.213.`net`.1..count on one bridge. */
export async function createLab(
  prefix: string,
  count: number,
  net = 0,
): Promise<NetnsLab> {
  const bridge = `${prefix}br`;
  const ns = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
  const addrs = ns.map((_, i) => `10.213.${net}.${i + 1}`);
  const destroy = async () => {
    for (const n of [...ns, bridge]) {
      await ip(["netns", "del", n]).catch(() => {});
    }
  };
  await destroy(); // leftovers of an interrupted run
  try {
    await ip(["netns", "add", bridge]);
    await ip([
      "-n",
      bridge,
      "link",
      "add",
      "br0",
      "type",
      "bridge",
      "mcast_snooping",
      "0",
    ]);
    await ip(["-n", bridge, "link", "set", "br0", "up"]);
    for (let i = 0; i < count; i++) {
      await ip(["netns", "add", ns[i]]);
      await ip([
        "link",
        "add",
        "eth0",
        "netns",
        ns[i],
        "type",
        "veth",
        "peer",
        "name",
        `p${i + 1}`,
        "netns",
        bridge,
      ]);
      await ip(["-n", bridge, "link", "set", `p${i + 1}`, "master", "br0"]);
      await ip(["-n", bridge, "link", "set", `p${i + 1}`, "up"]);
      await ip(["-n", ns[i], "link", "set", "lo", "up"]);
      await ip(["-n", ns[i], "addr", "add", `${addrs[i]}/24`, "dev", "eth0"]);
      await ip(["-n", ns[i], "link", "set", "eth0", "up"]);
      await ip(["-n", ns[i], "route", "add", "224.0.0.0/4", "dev", "eth0"]);
    }
  } catch (e) {
    await destroy();
    throw e;
  }
  const port = (i: number, state: "up" | "down") =>
    ip(["-n", bridge, "link", "set", `p${i + 1}`, state]);
  return {
    ns,
    addrs,
    cut: (i) => port(i, "down"),
    heal: (i) => port(i, "up"),
    destroy,
  };
}

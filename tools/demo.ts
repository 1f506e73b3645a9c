/**
 * `deno task demo`: a 4-node cluster on loopback addresses, no privileges.
 * Starts the daemons with a static map, waits until every node sees all
 * four, shows `showmap` and `mon --once` from node 1, stops everything.
 *
 * @module
 */

import { ControlClient } from "../core/control_client.ts";
import type { NodeView } from "../core/node_info.ts";
import { LocalCluster, waitFor } from "./local_cluster.ts";
import { join } from "node:path";

const N = 4;

function say(s: string): void {
  console.log(`\n== ${s}`);
}

async function upCount(dir: string): Promise<number> {
  try {
    const c = await ControlClient.connect(join(dir, "omdiscd.sock"));
    try {
      const r = await c.call<{ nodes: NodeView[] }>("nodes");
      return r.nodes.filter((n) => n.status !== "dead").length;
    } finally {
      c.close();
    }
  } catch {
    return 0;
  }
}

say(`starting ${N} omdiscd daemons on 127.0.1.1-${N} (static map, port 4660)`);
const cluster = await LocalCluster.start({ nodes: N });
let failed = false;
try {
  const ms = await waitFor(async () => {
    const counts = await Promise.all(cluster.nodes.map((n) => upCount(n.dir)));
    return counts.every((c) => c === N);
  }, 15000);
  if (ms < 0) {
    throw new Error("the nodes did not all see each other within 15 s");
  }
  console.log(`every node sees all ${N} nodes (${ms} ms after start)`);

  for (
    const [title, cmd, args] of [
      ["showmap (node 1)", "showmap", []],
      ["mon --once (node 1)", "mon", ["--once"]],
      ["mosctl status (node 2)", "mosctl", ["status"]],
    ] as const
  ) {
    say(title);
    const r = await cluster.run(title.includes("node 2") ? 1 : 0, cmd, [
      ...args,
    ]);
    Deno.stdout.writeSync(new TextEncoder().encode(r.stdout));
    if (r.code !== 0) throw new Error(`${cmd} failed: ${r.stderr.trim()}`);
  }
} catch (e) {
  console.error(`demo: ${(e as Error).message}`);
  failed = true;
} finally {
  say("stopping the cluster");
  await cluster.stop();
  console.log("stopped");
}
Deno.exit(failed ? 1 : 0);

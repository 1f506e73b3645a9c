/**
 * Test entry for tests/cli/mon_screen_test.ts: runs the real screen loop on
 * the real terminal (a pseudo-terminal there) with a fake fetch of 4 nodes
 * and a fixed clock, then prints why it ended.
 *
 * Usage: deno run mon_screen_fixture.ts [INTERVAL_MS]
 *
 * @module
 */

import { DEFAULT_MON_STATE } from "../../core/mon_view.ts";
import type { NodeView } from "../../core/node_info.ts";
import { runScreen } from "../../cli/mon_screen.ts";

const GB = 1024 ** 3;

function node(id: number, over: Partial<NodeView>): NodeView {
  return {
    id,
    address: `127.0.1.${id}`,
    status: "up",
    load: 0.5,
    speed: 10000,
    cpus: 2,
    memTotal: 8 * GB,
    memFree: 4 * GB,
    memRaw: 2 * GB,
    util: 0.25,
    age: 1,
    self: false,
    ...over,
  };
}

/** The 4 nodes the fake daemon reports. */
export const FIXTURE_NODES: NodeView[] = [
  node(1, { self: true, age: 0, load: 1.5 }),
  node(2, { status: "blocked", load: 2 }),
  node(3, { status: "dead", age: 90 }),
  node(4, { memTotal: 16 * GB, memFree: 2 * GB, speed: 20000 }),
];

if (import.meta.main) {
  const interval = Number(Deno.args[0] ?? "200");
  const why = await runScreen({
    fetch: () => Promise.resolve(FIXTURE_NODES),
    intervalMs: interval,
    initial: DEFAULT_MON_STATE,
    clock: () => "12:34:56",
  });
  Deno.stdout.writeSync(new TextEncoder().encode(`\r\nexit: ${why}\r\n`));
}

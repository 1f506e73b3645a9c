import { deepEqual } from "node:assert/strict";
import { chooseStart } from "../../core/mosrun_start.ts";
import { parseMosrunArgs } from "../../core/mosrun_args.ts";
import type { NodeView } from "../../core/node_info.ts";

function view(id: number, over: Partial<NodeView> = {}): NodeView {
  return {
    id,
    address: `10.0.0.${id}`,
    port: 4660,
    status: "up",
    load: 0,
    speed: 10000,
    cpus: 1,
    memTotal: 2 ** 33,
    memFree: 2 ** 33,
    memRaw: 2 ** 33,
    util: 0,
    age: 1,
    self: id === 1,
    ...over,
  };
}

const nodes = [view(1), view(2), view(3, { status: "dead" })];
const plain = parseMosrunArgs(["prog.wasm"]);

Deno.test("without a where-option a process starts where the daemon placed it", async () => {
  deepEqual(await chooseStart(plain, { nodes, placed: 2 }), {
    kind: "node",
    id: 2,
    addr: "10.0.0.2",
    port: 4660,
  });
});

Deno.test("without a where-option it starts home when not placed, placed home, or placed on a node gone since", async () => {
  const home = { kind: "home" };
  deepEqual(await chooseStart(plain, null), home);
  deepEqual(await chooseStart(plain, { nodes }), home);
  deepEqual(await chooseStart(plain, { nodes, placed: null }), home);
  deepEqual(await chooseStart(plain, { nodes, placed: 3 }), home);
  deepEqual(await chooseStart(plain, { nodes, placed: 9 }), home);
});

Deno.test("-h starts home whatever the daemon said", async () => {
  const h = parseMosrunArgs(["-h", "prog.wasm"]);
  deepEqual(await chooseStart(h, { nodes, placed: 2 }), { kind: "home" });
});

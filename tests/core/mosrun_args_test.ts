import assert from "node:assert/strict";
import { MosrunUsageError, parseMosrunArgs } from "../../core/mosrun_args.ts";

Deno.test("options stop at the program; its own flags are left alone", () => {
  const a = parseMosrunArgs(["-L", "-m", "100", "sim.wasm", "-n", "400", "-h"]);
  assert.deepEqual(a.command, ["sim.wasm", "-n", "400", "-h"]);
  assert.equal(a.migratable, false);
  assert.equal(a.memoryMb, 100);
  assert.deepEqual(a.where, { kind: "default" });
});

Deno.test("where-options: home, node number, hex node, host, random list, best", () => {
  assert.deepEqual(parseMosrunArgs(["-h", "p"]).where, { kind: "home" });
  assert.deepEqual(parseMosrunArgs(["-2780", "p"]).where, {
    kind: "node",
    node: 2780,
  });
  assert.deepEqual(parseMosrunArgs(["-0x0adc", "p"]).where, {
    kind: "node",
    node: 2780,
  });
  assert.deepEqual(parseMosrunArgs(["-r", "10.0.0.7", "p"]).where, {
    kind: "node",
    node: "10.0.0.7",
  });
  assert.deepEqual(parseMosrunArgs(["-j", "1,5-7,5", "p"]).where, {
    kind: "random",
    nodes: [1, 5, 6, 7],
  });
  assert.deepEqual(parseMosrunArgs(["-b", "-F", "p"]).where, { kind: "best" });
});

Deno.test("-E with and without a cwd, checkpoints, resume and preopens", () => {
  assert.deepEqual(parseMosrunArgs(["-E", "cc", "-c", "x.c"]).batch, {
    cwd: null,
  });
  assert.deepEqual(parseMosrunArgs(["-E/tmp/b", "cc"]).batch, {
    cwd: "/tmp/b",
  });
  const c = parseMosrunArgs([
    "-C",
    "ck",
    "-A",
    "0.5",
    "--preopen",
    "/data::/d",
    "p.wasm",
  ]);
  assert.equal(c.checkpointBase, "ck");
  assert.equal(c.checkpointMinutes, 0.5);
  assert.deepEqual(c.preopens, ["/data::/d"]);
  assert.equal(parseMosrunArgs(["-R", "ck.3"]).resume, "ck.3");
});

Deno.test("bad command lines are usage errors with one-line reasons", () => {
  for (
    const [argv, re] of [
      [[], /missing PROGRAM/],
      [["-h", "-b", "p"], /at most one/],
      [["-m"], /-m needs a value/],
      [["-m", "-3", "p"], /positive/],
      [["-A", "1", "p"], /-A needs -C/],
      [["-R", "ck", "p"], /-R takes no program/],
      [["-E", "-C", "x", "cc"], /cannot be checkpointed/],
      [["-Z", "p"], /unknown option '-Z'/],
      [["-99999", "p"], /out of range/],
      [["-j", "9-3", "p"], /bad node range/],
    ] as const
  ) {
    assert.throws(
      () => parseMosrunArgs([...argv]),
      (e: Error) => e instanceof MosrunUsageError && re.test(e.message),
    );
  }
});

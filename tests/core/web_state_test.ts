import assert from "node:assert/strict";
import {
  type ClusterProcess,
  keepSilent,
  mergeProcesses,
  normalizeReport,
} from "../../core/web_state.ts";

Deno.test("mergeProcesses lists each home's processes where they run, in mps terms", () => {
  const list = mergeProcesses([
    {
      node: 0x0102,
      own: [
        { pid: 7, where: 0, stat: "R", time: 3, command: "a.wasm" },
        { pid: 5, where: 0x0101, stat: "M", time: 1, command: "b.wasm" },
      ],
      guests: [],
    },
    {
      node: 0x0101,
      own: [],
      guests: [{ pid: 5, home: 0x0102, name: "b.wasm", time: 1 }],
    },
  ]);
  assert.deepEqual(list.map((p) => [p.home, p.pid, p.where, p.node, p.stat]), [
    [0x0102, 5, 0x0101, "0x0101", "M"],
    [0x0102, 7, 0x0102, "home", "R"],
  ]);
  assert.equal(list[0].homeHex, "0x0102");
});

Deno.test("mergeProcesses lists a guest from its host when its home did not report", () => {
  const list = mergeProcesses([{
    node: 3,
    own: [],
    guests: [{ pid: 9, home: 4, name: "c.wasm", time: 8 }],
  }]);
  assert.deepEqual(list, [{
    pid: 9,
    home: 4,
    homeHex: "0x0004",
    where: 3,
    node: "0x0003",
    stat: "G",
    time: 8,
    command: "c.wasm",
  }]);
});

Deno.test("keepSilent keeps the processes of homes that did not answer this time", () => {
  const p = (home: number, pid: number): ClusterProcess => ({
    pid,
    home,
    homeHex: "",
    where: home,
    node: "home",
    stat: "R",
    time: 0,
    command: "",
  });
  const before = [p(1, 10), p(2, 20)];
  assert.deepEqual(keepSilent(before, [p(1, 11)], new Set([2])), [
    p(1, 11),
    p(2, 20),
  ]);
  assert.deepEqual(keepSilent(before, [p(1, 11)], new Set()), [p(1, 11)]);
});

Deno.test("normalizeReport keeps well-typed rows and trusts the node asked", () => {
  const r = normalizeReport(5, {
    node: 99,
    own: [
      { pid: 3, where: 6, stat: "R", time: 2, command: "x" },
      { pid: -1 },
      null,
      { pid: 4, where: 1e9, stat: 7, command: ["y"] },
    ],
    guests: [{ pid: 1, home: 70000 }, { pid: 2, home: 8, name: "g" }],
  });
  assert.deepEqual(r, {
    node: 5,
    own: [
      { pid: 3, where: 6, stat: "R", time: 2, command: "x" },
      { pid: 4, where: 0, stat: "?", time: 0, command: "" },
    ],
    guests: [{ pid: 2, home: 8, name: "g", time: 0 }],
  });
  assert.deepEqual(normalizeReport(1, "junk"), {
    node: 1,
    own: [],
    guests: [],
  });
});

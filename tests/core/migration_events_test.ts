import assert from "node:assert/strict";
import { diffProcesses } from "../../core/migration_events.ts";
import type { ClusterProcess } from "../../core/web_state.ts";

function proc(home: number, pid: number, where: number): ClusterProcess {
  return {
    pid,
    home,
    homeHex: "",
    where,
    node: "",
    stat: "R",
    time: 0,
    command: `p${pid}`,
  };
}

Deno.test("diffProcesses reports a changed node as a migration from the old to the new", () => {
  const ev = diffProcesses([proc(1, 10, 1)], [proc(1, 10, 2)], 5000);
  assert.deepEqual(ev, [{
    kind: "migration",
    pid: 10,
    home: 1,
    from: 1,
    to: 2,
    command: "p10",
    at: 5000,
  }]);
});

Deno.test("diffProcesses reports starts and exits, migrations first", () => {
  const ev = diffProcesses(
    [proc(1, 10, 1), proc(2, 11, 2)],
    [proc(2, 11, 3), proc(1, 12, 1)],
    0,
  );
  assert.deepEqual(
    ev.map((e) => [e.kind, e.home, e.pid, e.from, e.to]),
    [
      ["migration", 2, 11, 2, 3],
      ["start", 1, 12, null, 1],
      ["exit", 1, 10, 1, null],
    ],
  );
});

Deno.test("diffProcesses tells apart equal PIDs of different homes", () => {
  const ev = diffProcesses([proc(1, 10, 1)], [proc(2, 10, 2)], 0);
  assert.deepEqual(ev.map((e) => [e.kind, e.home]), [["start", 2], [
    "exit",
    1,
  ]]);
});

Deno.test("diffProcesses finds nothing when nothing moved", () => {
  const list = [proc(1, 10, 3), proc(2, 4, 2)];
  assert.deepEqual(diffProcesses(list, [...list].reverse(), 0), []);
});

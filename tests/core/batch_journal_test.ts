import assert from "node:assert/strict";
import { join } from "node:path";
import {
  journalPath,
  pidAlive,
  withJournal,
} from "../../core/batch_journal.ts";

Deno.test("concurrent placements see each other through the locked journal", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-journal-" });
  try {
    const path = journalPath(dir, 1234);
    assert.equal(path, join(dir, "batch", "placed-1234.json"));
    const seen: number[] = [];
    // Ten "mosruns" at once, each placing on the node with the fewest entries.
    await Promise.all(
      Array.from(
        { length: 10 },
        () =>
          withJournal(path, Date.now, async (j) => {
            seen.push(j.placed.length);
            await new Promise((r) => setTimeout(r, 5)); // others wait meanwhile
            const counts = [1, 2].map((n) =>
              j.placed.filter((p) => p.node === n).length
            );
            const node = counts[0] <= counts[1] ? 1 : 2;
            return {
              value: node,
              next: {
                ...j,
                placed: [...j.placed, { node, at: Date.now(), pid: Deno.pid }],
              },
            };
          }),
      ),
    );
    assert.deepEqual(seen.sort((a, b) => a - b), [...Array(10).keys()]);
    const final = JSON.parse(await Deno.readTextFile(path)).placed;
    assert.equal(final.filter((p: { node: number }) => p.node === 1).length, 5);
    assert.equal(final.filter((p: { node: number }) => p.node === 2).length, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("jobs whose mosrun is gone are marked ended, and leave the queue", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-journal-" });
  try {
    const path = journalPath(dir, 1);
    await Deno.mkdir(join(dir, "batch"));
    const dead = 2 ** 30; // above pid_max
    assert.equal(pidAlive(dead), false);
    assert.equal(pidAlive(Deno.pid), true);
    await Deno.writeTextFile(
      path,
      JSON.stringify({
        placed: [
          { node: 7, at: Date.now(), pid: dead },
          { node: 8, at: Date.now(), pid: Deno.pid },
        ],
        waiting: [{ pid: dead, since: 1 }, { pid: Deno.pid, since: 2 }],
      }),
    );
    const got = await withJournal(path, Date.now, (j) =>
      Promise.resolve({
        value: [
          j.placed.map((p) => [p.node, p.end !== undefined]),
          j.waiting.map((w) => w.pid),
        ],
      }));
    assert.deepEqual(got, [[[7, true], [8, false]], [Deno.pid]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without a usable journal the choice is still made, from nothing", async () => {
  const got = await withJournal(
    "/proc/no-such-dir/placed.json",
    Date.now,
    (j) =>
      Promise.resolve({
        value: j.placed.length + j.waiting.length,
        next: { placed: [{ node: 1, at: 0, pid: 1 }], waiting: [] },
      }),
  );
  assert.equal(got, 0);
});

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  hasRoom,
  type HomeMemory,
  parkUntilRoom,
  RESERVE_FILE,
  systemHomeMemory,
} from "../../core/home_memory.ts";
import { PAGE_SIZE, type Snapshot } from "../../core/runtime/snapshot.ts";
import {
  liveMemory,
  newProcessMemory,
} from "../../core/runtime/memory_pages.ts";

/** A snapshot of one present page (compact). */
function onePage(): Snapshot {
  const data = new Uint8Array(PAGE_SIZE).map((_, i) => i * 7);
  return {
    moduleHash: "x",
    memory: { pageCount: 3, pages: new Uint32Array([1]), data },
    globals: [],
    frames: [],
  };
}

Deno.test("parkUntilRoom leaves a process that fits alone", async () => {
  const dir = await Deno.makeTempDir();
  const m: HomeMemory = {
    available: () => 100_000,
    reserve: () => 10_000,
    dir,
    pollMs: 1,
    random: () => 0,
  };
  const s = onePage();
  assert.equal(await parkUntilRoom(m, s, () => assert.fail("parked")), false);
  assert.equal(s.memory.data.length, PAGE_SIZE);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("parkUntilRoom keeps the memory on disk, not in the snapshot, until there is room", async () => {
  const dir = await Deno.makeTempDir();
  let free = 30_000;
  const looks: number[] = [];
  const m: HomeMemory = {
    available: () => free,
    reserve: () => 10_000,
    dir,
    pollMs: 1000,
    random: () => 0.25,
  };
  const s = onePage();
  const want = s.memory.data.slice();
  let parkedAt = "";
  const done = await parkUntilRoom(m, s, (p) => parkedAt = p, (ms) => {
    looks.push(ms);
    // While it waits, the memory is only in the file.
    assert.equal(s.memory.data.length, 0);
    assert.deepEqual(Deno.readFileSync(parkedAt), want);
    if (looks.length === 3) free = 100_000;
    return Promise.resolve();
  });
  assert.equal(done, true);
  assert.deepEqual(looks, [750, 750, 750], "jittered waits, 0.5..1.5 x poll");
  assert.deepEqual(s.memory.data, want);
  assert(s.memory.data.buffer instanceof SharedArrayBuffer);
  assert.throws(() => Deno.statSync(parkedAt), Deno.errors.NotFound);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("systemHomeMemory reads MemAvailable and takes the reserve from the run directory when set", async () => {
  const dir = await Deno.makeTempDir();
  const meminfo =
    "MemTotal: 4096000 kB\nMemFree: 1000 kB\nMemAvailable: 2048000 kB\n";
  const m = systemHomeMemory(dir, () => meminfo);
  assert.equal(m.available(), 2048000 * 1024);
  assert.equal(m.reserve(), 4096000 * 1024 * 0.05);
  assert(hasRoom(m, 1 << 30));
  await Deno.writeTextFile(join(dir, RESERVE_FILE), "100000\n");
  assert.equal(m.reserve(), 100000 * 1048576);
  assert(!hasRoom(m, 1));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("parkUntilRoom parks a frozen program's whole memory as its present pages, and lets the memory go", async () => {
  const dir = await Deno.makeTempDir();
  const memory = newProcessMemory(4);
  new Uint8Array(memory.buffer).fill(5, 2 * PAGE_SIZE, 3 * PAGE_SIZE);
  const s: Snapshot = {
    moduleHash: "x",
    memory: liveMemory(memory),
    globals: [],
    frames: [],
  };
  let free = 0;
  const m: HomeMemory = {
    available: () => free,
    reserve: () => 0,
    dir,
    pollMs: 1,
    random: () => 0,
  };
  let parkedAt = "";
  assert(
    await parkUntilRoom(m, s, (p) => parkedAt = p, () => {
      assert.equal(s.memory.memory, undefined);
      assert.equal(Deno.statSync(parkedAt).size, PAGE_SIZE);
      free = PAGE_SIZE;
      return Promise.resolve();
    }),
  );
  assert.deepEqual([...s.memory.pages], [2]);
  assert.equal(s.memory.data.length, PAGE_SIZE);
  assert(s.memory.data.every((v) => v === 5));
  await Deno.remove(dir, { recursive: true });
});

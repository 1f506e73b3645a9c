/**
 * Room at home for processes coming back. A node that leaves, expels or runs
 * out of memory sends its guests home all at once; if home cannot hold one
 * now, its memory is frozen to disk ("parked") and brought back when there
 * is room, each waiting a random share of the poll interval, so parked
 * processes resume gradually and are never killed.
 *
 * @module
 */

import { join } from "node:path";
import { writeAll } from "./frame_decoder.ts";
import { parseMeminfo } from "./load.ts";
import {
  PAGE_SIZE,
  pageRuns,
  runBytes,
  type Snapshot,
} from "./runtime/snapshot.ts";

/** How a home judges and uses its memory. */
export interface HomeMemory {
  /** Bytes programs can still get now (MemAvailable). */
  available(): number;
  /** Bytes that must stay free after a process comes back. */
  reserve(): number;
  /** Directory for parked memory (the node's run directory). */
  dir: string;
  /** Mean wait between two looks while parked, ms. */
  pollMs: number;
  /** Random numbers in [0, 1), for the jitter. */
  random: () => number;
}

/** File in the run directory holding the reserve in MiB, if an admin set one. */
export const RESERVE_FILE = "home-reserve-mb";

/**
 * The machine's memory from /proc/meminfo: room means MemAvailable minus a
 * reserve of 5 % of MemTotal (at least 64 MiB), or the MiB written in
 * DIR/home-reserve-mb (read at every look, so it can be changed while
 * processes wait).
 */
export function systemHomeMemory(
  dir: string,
  read: () => string = () => Deno.readTextFileSync("/proc/meminfo"),
): HomeMemory {
  let total = 0;
  try {
    total = parseMeminfo(read()).memTotal;
  } catch {
    // No /proc: room is never refused below.
  }
  return {
    available: () => {
      try {
        return parseMeminfo(read()).memAvailable;
      } catch {
        return Infinity;
      }
    },
    reserve: () => {
      try {
        const mb = Number(Deno.readTextFileSync(join(dir, RESERVE_FILE)));
        if (Number.isFinite(mb) && mb >= 0) return mb * 1048576;
      } catch {
        // Not set.
      }
      return Math.max(64 << 20, total * 0.05);
    },
    dir,
    pollMs: 1000,
    random: Math.random,
  };
}

/** Whether `bytes` more fit at home now, keeping the reserve free. */
export function hasRoom(m: HomeMemory, bytes: number): boolean {
  return m.available() - bytes >= m.reserve();
}

/**
 * If `snap`'s memory does not fit at home now, write it to a file, drop it
 * from the snapshot (every holder of the object lets it go), wait until it
 * fits, and read it back into the same object. `onPark` runs once when it
 * parks, with the file's path. Resolves true if it parked.
 */
export async function parkUntilRoom(
  m: HomeMemory,
  snap: Snapshot,
  onPark: (path: string) => void,
  sleep: (ms: number) => Promise<void> = (ms) =>
    new Promise((r) => setTimeout(r, ms)),
): Promise<boolean> {
  const bytes = snap.memory.pages.length * PAGE_SIZE;
  if (hasRoom(m, bytes)) return false;
  await Deno.mkdir(m.dir, { recursive: true, mode: 0o700 });
  const path = join(m.dir, `parked-${Deno.pid}-${crypto.randomUUID()}`);
  // Its present pages, in order (a whole memory is not copied first).
  const file = await Deno.open(path, {
    write: true,
    createNew: true,
    mode: 0o600,
  });
  try {
    for (const [i, j] of pageRuns(snap.memory)) {
      await writeAll(file, runBytes(snap.memory, i, j));
    }
  } finally {
    file.close();
  }
  snap.memory.data = new Uint8Array(0);
  snap.memory.memory = undefined;
  onPark(path);
  try {
    do {
      await sleep(m.pollMs * (0.5 + m.random()));
    } while (!hasRoom(m, bytes));
    const back = await Deno.readFile(path);
    if (back.length !== bytes) {
      throw new Error(
        `parked memory ${path} is damaged (${back.length} bytes)`,
      );
    }
    // Compact now; a shared buffer, so a Worker gets it uncopied.
    const data = new Uint8Array(new SharedArrayBuffer(bytes));
    data.set(back);
    snap.memory.data = data;
  } finally {
    await Deno.remove(path).catch(() => {});
  }
  return true;
}

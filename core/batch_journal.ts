/**
 * The home's journal of recent batch placements (core/batch_placement.ts)
 * and queued jobs (core/batch_queue.ts), one small JSON file per user in
 * the node's run directory, read, updated and written under an exclusive
 * file lock so that many `mosrun`s starting at once place one after
 * another. Without a writable run directory the choice is made without it.
 *
 * @module
 */

import { join } from "node:path";
import { type Journal, parseJournal, pruneJournal } from "./batch_queue.ts";

/** The journal of user `uid` in run directory `runDir`. */
export function journalPath(runDir: string, uid: number): string {
  return join(runDir, "batch", `placed-${uid}.json`);
}

/** True while process `pid` exists (Linux /proc). */
export function pidAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * Run `update` with the journal at `path` (pruned), under its lock, and
 * write back the journal it returns as `next` (if any). Without a usable
 * journal, `update` gets an empty one and nothing is written.
 */
export async function withJournal<T>(
  path: string,
  now: () => number,
  update: (j: Journal) => Promise<{ value: T; next?: Journal }>,
): Promise<T> {
  let file: Deno.FsFile;
  try {
    await Deno.mkdir(join(path, ".."), { recursive: true, mode: 0o755 });
    file = await Deno.open(path, {
      read: true,
      write: true,
      create: true,
      mode: 0o600,
    });
  } catch {
    return (await update({ placed: [], waiting: [] })).value;
  }
  try {
    await file.lock(true);
    let text = "";
    try {
      text = new TextDecoder().decode(await readAll(file));
    } catch {
      // unreadable: start afresh
    }
    const r = await update(pruneJournal(parseJournal(text), pidAlive, now()));
    if (!r.next) return r.value;
    try {
      const bytes = new TextEncoder().encode(JSON.stringify(r.next));
      await file.truncate(0);
      await file.seek(0, Deno.SeekMode.Start);
      let off = 0;
      while (off < bytes.length) off += await file.write(bytes.subarray(off));
    } catch {
      // a journal that cannot be written only makes placement less exact
    }
    return r.value;
  } finally {
    try {
      await file.unlock();
    } catch {
      // closing releases it too
    }
    file.close();
  }
}

async function readAll(file: Deno.FsFile): Promise<Uint8Array> {
  await file.seek(0, Deno.SeekMode.Start);
  const chunks: Uint8Array[] = [];
  const buf = new Uint8Array(16384);
  let total = 0;
  for (;;) {
    const n = await file.read(buf);
    if (n === null || n === 0) break;
    chunks.push(buf.slice(0, n));
    total += n;
    if (total > 4 * 1024 * 1024) break; // never a real journal
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

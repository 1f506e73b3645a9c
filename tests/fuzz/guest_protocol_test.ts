/**
 * Fuzzing the guest link's blob and snapshot assembly (core/guest_protocol.ts):
 * chunk bodies of every wrong shape, huge announced sizes, chunks out of
 * order or of another size, and snapshot refs into mutated blobs.
 * Properties: BlobAssembler and takeSnapshot throw only plain Errors (or
 * SnapshotFormatError) with one-line messages, a complete blob holds
 * exactly the bytes sent, and the bytes held stay within the limits.
 */

import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  BLOB_CHUNK,
  BlobAssembler,
  MAX_BLOB,
  MAX_PENDING_BLOBS,
  MAX_PENDING_BYTES,
  takeSnapshot,
} from "../../core/guest_protocol.ts";
import {
  encodeSnapshot,
  PAGE_SIZE,
  type Snapshot,
} from "../../core/runtime/snapshot.ts";
import {
  edgeU32,
  expectOnly,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutate,
  type Rng,
} from "../../tools/fuzz.ts";

// A plain Error (the documented "malformed" refusals) or a snapshot error:
// never a TypeError or RangeError from inside.
const isDocumented = (e: unknown) =>
  e instanceof Error &&
  (e.constructor === Error || e.name === "SnapshotFormatError");

function snapshot(r: Rng): Snapshot {
  const pages = Uint32Array.from(
    [...new Set(Array.from({ length: r.int(4) }, () => r.int(8)))].sort(),
  );
  return {
    moduleHash: "cd".repeat(32),
    memory: {
      pageCount: 8,
      pages,
      data: new Uint8Array(pages.length * PAGE_SIZE).fill(r.int(256)),
    },
    globals: [{ name: "sp", type: "i32", bits: r.int(65536) }],
    frames: [],
  };
}

/** The blob bodies sendBlob would send for `bytes`. */
function chunksOf(id: number, bytes: Uint8Array, size: number) {
  const out = [];
  for (let at = 0; at < bytes.length || at === 0; at += size) {
    out.push({
      id,
      at,
      total: bytes.length,
      bulk: bytes.subarray(at, Math.min(at + size, bytes.length)),
    });
    if (bytes.length === 0) break;
  }
  return out;
}

/** A chunk body with one field made hostile. */
function hostileChunk(r: Rng, good: Record<string, unknown>): unknown {
  const junk = r.pick<unknown>([
    null,
    undefined,
    -1,
    1.5,
    NaN,
    2 ** 53,
    MAX_BLOB + 1,
    edgeU32(r),
    "1",
    [],
    {},
    new Uint8Array(3),
    10n,
  ]);
  if (r.chance(0.1)) return junk;
  return { ...good, [r.pick(["id", "at", "total", "bulk", "shared"])]: junk };
}

Deno.test("BlobAssembler assembles what was sent and refuses hostile chunks with one-line Errors", async () => {
  const cfg = fuzzConfig(3000);
  const stats = new FuzzStats();
  await fuzzLoop("blob assembler", cfg, (r) => {
    const blobs = new BlobAssembler();
    const sent = new Map<number, Uint8Array>();
    const bodies: unknown[] = [];
    for (let n = 1 + r.int(3); n > 0; n--) {
      const id = r.int(5);
      if (sent.has(id)) continue;
      const bytes = r.bytes(r.int(3000));
      sent.set(id, bytes);
      bodies.push(...chunksOf(id, bytes, 1 + r.int(1000)));
    }
    const hostile = r.int(4);
    if (hostile === 1 && bodies.length) { // a field made hostile
      const i = r.int(bodies.length);
      bodies[i] = hostileChunk(r, bodies[i] as Record<string, unknown>);
    } else if (hostile === 2 && bodies.length > 1) { // out of order, or again
      const i = r.int(bodies.length);
      bodies.splice(r.int(bodies.length), 0, bodies[i]);
    } else if (hostile === 3) { // too large, or too many blobs
      for (let k = 0; k < 1 + r.int(12); k++) {
        bodies.push({
          id: 100 + k,
          at: 0,
          // Small enough to be cheap here; the test below takes the big ones.
          total: r.pick([MAX_BLOB + 1, 1 << 16, 1 << 20]),
          bulk: new Uint8Array(1),
        });
      }
    }
    let failed = false;
    for (const b of bodies) {
      const out = expectOnly("add", () => blobs.add(b), isDocumented);
      if (!out.ok) {
        failed = true;
        stats.add(`refused-${hostile}`);
        break; // the link is closed after a bad message
      }
    }
    if (failed) return;
    for (const [id, bytes] of sent) {
      const out = expectOnly("take", () => blobs.take(id), isDocumented);
      if (out.ok) {
        // A hostile field may turn a chunk into another valid one (other
        // data of the same size): only untouched streams must match.
        if (hostile !== 1) {
          deepEqual(out.value, bytes, "a blob with other bytes than sent");
        }
        stats.add("taken");
      } else stats.add("incomplete");
    }
  });
  ok(stats.get("taken") > 0, stats.toString());
  for (const k of [1, 2, 3]) {
    ok(stats.get(`refused-${k}`) > 0, `kind ${k} never refused: ${stats}`);
  }
});

Deno.test("BlobAssembler never holds more than its limits, however large the announced blobs", () => {
  const blobs = new BlobAssembler();
  let held = 0;
  let refused = 0;
  for (let id = 0; id < 100; id++) {
    const total = id % 2 ? MAX_BLOB : 1 << 20;
    try {
      blobs.add({ id, at: 0, total, bulk: new Uint8Array(1) });
      held += total;
    } catch (e) {
      equal((e as Error).message, "too many blobs pending on this link");
      refused++;
    }
  }
  ok(held <= MAX_PENDING_BYTES, `holds ${held} bytes`);
  ok(refused >= 100 - MAX_PENDING_BLOBS, `refused only ${refused}`);
  // A complete blob taken out frees its room.
  const b2 = new BlobAssembler();
  for (let id = 0; id < MAX_PENDING_BLOBS * 3; id++) {
    b2.add({ id, at: 0, total: 4, bulk: new Uint8Array(4) });
    equal(b2.take(id).length, 4);
  }
  throws(() => b2.take(0), /missing or incomplete/);
});

/** The chunks sendSnapshot sends for memory `m` as blob `id` (one per page). */
function memoryChunksOf(id: number, m: Snapshot["memory"]) {
  const head = {
    id,
    total: m.pageCount * PAGE_SIZE,
    memory: m.pages.length * PAGE_SIZE,
  };
  const out = [...m.pages].map((p, i) => ({
    ...head,
    at: p * PAGE_SIZE,
    bulk: m.data.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE),
  }));
  return out.length ? out : [{ ...head, at: 0, bulk: new Uint8Array(0) }];
}

Deno.test("takeSnapshot throws only documented errors on mutated blobs and refs", async () => {
  const cfg = fuzzConfig(1000);
  const stats = new FuzzStats();
  await fuzzLoop("take snapshot", cfg, (r) => {
    const s = snapshot(r);
    const header = encodeSnapshot({
      ...s,
      memory: {
        pageCount: s.memory.pageCount,
        pages: new Uint32Array(0),
        data: new Uint8Array(0),
      },
    });
    const pages = new Uint8Array(s.memory.pages.buffer.slice(0));
    const kind = r.int(4);
    // Blob ids of header, page list and memory (kind 2: mixed up).
    const ids = kind === 2 ? [10 + r.int(3), 10 + r.int(3), 10 + r.int(3)] : [
      10,
      11,
      12,
    ];
    let byteParts = [header, pages];
    let mem = memoryChunksOf(ids[2], s.memory);
    if (kind === 1) {
      const i = r.int(3);
      if (i < 2) {
        byteParts = byteParts.map((p, j) =>
          j === i ? mutate(r, p, { maxLength: p.length + 64 }) : p
        );
      } else {
        // A page lost, cut short, or moved.
        const c = r.int(mem.length);
        const how = r.int(3);
        if (how === 0) mem = mem.filter((_, k) => k !== c);
        else if (how === 1) {
          mem[c] = { ...mem[c], bulk: mem[c].bulk.subarray(0, r.int(100)) };
        } else {
          mem[c] = { ...mem[c], at: mem[c].at + PAGE_SIZE * (r.int(3) - 1) };
        }
      }
    }
    const blobs = new BlobAssembler();
    const chunks = [
      ...chunksOf(ids[0], byteParts[0], BLOB_CHUNK),
      ...chunksOf(ids[1], byteParts[1], BLOB_CHUNK),
      ...mem,
    ];
    for (const c of chunks) {
      expectOnly("add", () => blobs.add(c), isDocumented);
    }
    const ref = kind === 3
      ? r.pick<unknown>([
        null,
        {},
        { header: 10, pages: 10, data: 10 },
        { header: "10", pages: 11, data: 12 },
        [10, 11, 12],
      ])
      : { header: 10, pages: 11, data: 12 };
    const out = expectOnly(
      "takeSnapshot",
      () => takeSnapshot(blobs, ref),
      isDocumented,
    );
    if (out.ok) {
      const t = out.value;
      equal(t.memory.data.length, t.memory.pageCount * PAGE_SIZE);
      ok(t.memory.memory instanceof WebAssembly.Memory);
      t.memory.pages.forEach((p) => ok(p < t.memory.pageCount));
      stats.add(kind === 0 ? "intact" : "accepted");
    } else stats.add(`refused-${kind}`);
  });
  ok(stats.get("intact") > 0, stats.toString());
  ok(stats.get("refused-1") > 0 && stats.get("refused-3") > 0, `${stats}`);
});

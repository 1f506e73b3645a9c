/**
 * Bulk transfer over a link, side by side with plain TCP between the same
 * two processes: how fast a snapshot's memory can cross. The receiver is a
 * child process (two processes, as between two nodes), on loopback.
 *
 * - plain TCP: the bytes written from one buffer and read into one buffer
 *   of the full size (where a snapshot must land);
 * - link: the same bytes as a memory (core/guest_protocol.ts sendMemory)
 *   over an authenticated FrameConn, assembled in a new process memory, as
 *   a migration sends them.
 *
 * Usage: deno run -A bench/link_bulk_bench.ts [--quick]
 *        (internal: --recv PORT)
 *
 * @module
 */

import { FrameConn } from "../core/link/frame_conn.ts";
import { BlobAssembler, sendMemory } from "../core/guest_protocol.ts";
import { PAGE_SIZE } from "../core/runtime/snapshot.ts";

const key = new TextEncoder().encode("bench-link-key-0123456789abcdef-01");
const HOST = "127.0.0.1";

async function readFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  for (let at = 0; at < buf.length;) {
    const n = await c.read(buf.subarray(at));
    if (n === null) throw new Error("short read");
    at += n;
  }
}

async function writeFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  for (let at = 0; at < buf.length;) at += await c.write(buf.subarray(at));
}

/** The receiving side: plain rounds on the first connection, link rounds on the second. */
async function receiver(port: number): Promise<void> {
  const listener = Deno.listen({ hostname: HOST, port });
  console.log("ready");
  const plain = await listener.accept();
  const hdr = new Uint8Array(4);
  while (true) {
    await readFull(plain, hdr);
    const n = new DataView(hdr.buffer).getUint32(0);
    if (n === 0) break;
    await readFull(plain, new Uint8Array(new SharedArrayBuffer(n)));
    await writeFull(plain, hdr);
  }
  plain.close();
  const fc = await FrameConn.accept(await listener.accept(), key, 1);
  let blobs = new BlobAssembler();
  blobs.attach(fc);
  for (let m = await fc.next(); m; m = await fc.next()) {
    if (m.type === "blob") blobs.add(m.body);
    else if (m.type === "done") {
      const got = blobs.takeMemory((m.body as { id: number }).id).data;
      await fc.reply(m, true, { bytes: got.length, last: got[got.length - 1] });
      blobs = new BlobAssembler();
      blobs.attach(fc);
    }
  }
  listener.close();
}

if (Deno.args[0] === "--recv") {
  await receiver(Number(Deno.args[1]));
  Deno.exit(0);
}

const quick = Deno.args.includes("--quick");
const port = 4890 + (Deno.pid % 50);
const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL(import.meta.url).pathname, "--recv", `${port}`],
  stdout: "piped",
}).spawn();
const out = child.stdout.getReader();
await out.read(); // "ready"

const sizes = quick ? [1, 64] : [1, 64, 256];
const reps = quick ? 2 : 3;
const data = new Uint8Array(sizes.at(-1)! << 20);
for (let i = 0; i < data.length; i += 4096) data[i] = (i >> 12) & 255 | 1;

const plain = await Deno.connect({ hostname: HOST, port });
plain.setNoDelay(true);
const plainMs = new Map<number, number[]>();
for (const mb of sizes) {
  for (let r = 0; r < reps; r++) {
    const hdr = new Uint8Array(4);
    new DataView(hdr.buffer).setUint32(0, mb << 20);
    const t0 = performance.now();
    await writeFull(plain, hdr);
    await writeFull(plain, data.subarray(0, mb << 20));
    await readFull(plain, hdr);
    plainMs.set(mb, [...plainMs.get(mb) ?? [], performance.now() - t0]);
  }
}
await writeFull(plain, new Uint8Array(4));
plain.close();

const fc = await FrameConn.connect(HOST, port, key, 2);
const linkMs = new Map<number, number[]>();
let id = 1;
for (const mb of sizes) {
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const bytes = data.subarray(0, mb << 20);
    const pageCount = bytes.length / PAGE_SIZE;
    await sendMemory(fc, id, {
      pageCount,
      pages: Uint32Array.from({ length: pageCount }, (_, i) => i),
      data: bytes,
    });
    const res = await fc.request<{ bytes: number }>("done", { id }, 60000);
    if (res.bytes !== bytes.length) throw new Error("blob size mismatch");
    id++;
    linkMs.set(mb, [...linkMs.get(mb) ?? [], performance.now() - t0]);
  }
}
fc.close();
await child.status;

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`bulk transfer on loopback, two processes, median of ${reps}`);
console.log("   MiB   plain TCP ms   link ms   link GB/s   link / plain");
for (const mb of sizes) {
  const p = median(plainMs.get(mb)!), l = median(linkMs.get(mb)!);
  console.log(
    `   ${String(mb).padStart(3)}   ${p.toFixed(1).padStart(12)}   ${
      l.toFixed(1).padStart(7)
    }   ${(mb / 1024 / (l / 1000)).toFixed(2).padStart(9)}   ${
      (l / p).toFixed(2).padStart(12)
    }`,
  );
}

/**
 * The floor for a forwarded call: request/reply round trips over one
 * authenticated link (core/link/frame_conn.ts), run as two processes so it
 * can cross namespaces, and the same round trip as plain TCP (a u32 length
 * and the bytes) for comparison. `serve ADDR PORT` answers until the client
 * leaves; `ping ADDR PORT N [REPS] [SIZE]` prints the mean round trip in µs,
 * REPS times (SIZE: bytes of a `data` string in each request, default 0);
 * `tcp-serve` and `tcp-ping` take the same arguments.
 *
 * @module
 */

import { FrameConn } from "../core/link/frame_conn.ts";

const key = new TextEncoder().encode("bench-link-key-0123456789abcdef-01");
const [mode, addr, port, n, reps, size] = Deno.args;

async function readFull(c: Deno.Conn, buf: Uint8Array): Promise<boolean> {
  for (let at = 0; at < buf.length;) {
    const k = await c.read(buf.subarray(at));
    if (k === null) return false;
    at += k;
  }
  return true;
}

async function writeFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  for (let at = 0; at < buf.length;) at += await c.write(buf.subarray(at));
}

/** One plain-TCP message: u32 length, then the bytes, echoed back. */
async function tcpRound(
  c: Deno.Conn,
  out: Uint8Array,
  hdr: Uint8Array,
  inBuf: Uint8Array,
): Promise<boolean> {
  await writeFull(c, out);
  if (!await readFull(c, hdr)) return false;
  const len = new DataView(hdr.buffer).getUint32(0);
  return readFull(c, inBuf.subarray(0, len));
}

if (mode === "serve") {
  const listener = Deno.listen({ hostname: addr, port: Number(port) });
  console.log("ready");
  const server = await FrameConn.accept(await listener.accept(), key, 1);
  for (let m = await server.next(); m; m = await server.next()) {
    await server.reply(m, true, m.body);
  }
  listener.close();
} else if (mode === "ping") {
  const client = await FrameConn.connect(addr, Number(port), key, 2);
  const calls = Number(n);
  const data = new Uint8Array(Number(size ?? 0));
  for (let i = 0; i < 200; i++) await client.request("ping", { i, data }); // warm
  for (let r = 0; r < Number(reps ?? 1); r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await client.request("ping", { i, data });
    console.log(((performance.now() - t0) / calls * 1000).toFixed(2));
  }
  client.close();
} else if (mode === "tcp-serve") {
  const listener = Deno.listen({ hostname: addr, port: Number(port) });
  console.log("ready");
  const c = await listener.accept();
  c.setNoDelay(true);
  const hdr = new Uint8Array(4);
  const buf = new Uint8Array(64 * 1024 * 1024 + 4);
  while (await readFull(c, hdr)) {
    const len = new DataView(hdr.buffer).getUint32(0);
    if (!await readFull(c, buf.subarray(4, 4 + len))) break;
    buf.set(hdr, 0);
    await writeFull(c, buf.subarray(0, 4 + len));
  }
  listener.close();
} else if (mode === "tcp-ping") {
  const c = await Deno.connect({ hostname: addr, port: Number(port) });
  c.setNoDelay(true);
  const calls = Number(n);
  const len = Number(size ?? 0) + 16;
  const out = new Uint8Array(4 + len);
  new DataView(out.buffer).setUint32(0, len);
  const hdr = new Uint8Array(4);
  const inBuf = new Uint8Array(len);
  for (let i = 0; i < 200; i++) await tcpRound(c, out, hdr, inBuf); // warm
  for (let r = 0; r < Number(reps ?? 1); r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await tcpRound(c, out, hdr, inBuf);
    console.log(((performance.now() - t0) / calls * 1000).toFixed(2));
  }
  c.close();
} else {
  console.error(
    "usage: link_ping.ts {serve|tcp-serve} ADDR PORT | {ping|tcp-ping} ADDR PORT N [REPS] [SIZE]",
  );
  Deno.exit(2);
}

/**
 * Direct communication measured side by side in one run: two processes on
 * different nodes, each away from home (homes H1, H2; they run on X and Y
 * of a 4-node loopback cluster), exchange messages of 1 KiB .. 8 MiB:
 *
 * - direct: their mailboxes travel with them, messages go X <-> Y;
 * - via home: mailboxes stay home (DMOSIX_DICOM_ROUTE=home), as without
 *   direct communication: X -> H1 -> H2 -> Y;
 * - plain TCP between two processes on X's and Y's addresses: the floor.
 *
 * Latency is a ping-pong round trip; throughput a one-way stream of
 * messages, ended by an answer. The program is examples/dicom/bulk.c.
 * Goals: direct within 1.2x of plain TCP at every size, and at least 2x
 * faster than via home for large messages.
 *
 * The three are run interleaved `--reps` times (default 3) and each cell
 * is the median, so load from other work on the machine hits all alike.
 *
 * Then the two floors under direct communication, measured here: one
 * system call's hand-over from a sleeping Worker to its sleeping host
 * thread and back (a message crosses one half on each side: it leaves its
 * sender's Worker and wakes its receiver's), and HMAC-SHA256's rate (every byte
 * between nodes is MAC'ed by the sender's node and checked by the
 * receiver's).
 *
 * Usage: deno run -A bench/dicom_bench.ts [--quick] [--reps N]
 *        (internal: --tcp-serve ADDR PORT | --tcp-client ADDR PORT BUDGET SIZE...)
 *
 * @module
 */

import { createHmac } from "node:crypto";
import { commandArgs, LocalCluster, waitFor } from "../tools/local_cluster.ts";
import { allSeeLive } from "../tools/cluster_probe.ts";
import {
  createChannelBuffer,
  serveSyncChannel,
} from "../core/link/sync_channel.ts";

const SUBNET = 94;
const PORT = 4794;
const TCP_PORT = 4795;
const BULK = new URL("../examples/dicom/bulk.wasm", import.meta.url).pathname;
const KIB = 1024;
const MIB = 1024 * KIB;

/** One size's result: round trip in µs and stream rate in MB/s. */
interface Row {
  size: number;
  rtUs: number;
  mbps: number;
}

/** Pings and stream messages for one size, as bulk.c counts them. */
function counts(budget: number, size: number): { pings: number; msgs: number } {
  const clamp = (x: number, lo: number, hi: number) =>
    Math.max(lo, Math.min(hi, Math.floor(x)));
  return {
    pings: clamp(budget / size / 4, 3, 300),
    msgs: clamp(budget / size, 4, 3000),
  };
}

function parseRows(text: string): Row[] {
  const rows: Row[] = [];
  for (const m of text.matchAll(/^size (\d+) rt_us ([\d.]+) mbps ([\d.]+)/gm)) {
    rows.push({ size: +m[1], rtUs: +m[2], mbps: +m[3] });
  }
  return rows;
}

// ---- plain TCP, framed: u32 length, then the message (first byte: kind) ----

async function readFull(c: Deno.Conn, buf: Uint8Array): Promise<boolean> {
  let at = 0;
  while (at < buf.length) {
    const n = await c.read(buf.subarray(at));
    if (n === null) return false;
    at += n;
  }
  return true;
}

async function writeFull(c: Deno.Conn, buf: Uint8Array): Promise<void> {
  let at = 0;
  while (at < buf.length) at += await c.write(buf.subarray(at));
}

async function readMsg(
  c: Deno.Conn,
  big: Uint8Array,
): Promise<Uint8Array | null> {
  const hdr = new Uint8Array(4);
  if (!await readFull(c, hdr)) return null;
  const n = new DataView(hdr.buffer).getUint32(0, true);
  const body = big.subarray(0, n);
  return await readFull(c, body) ? body : null;
}

function frame(msg: Uint8Array, out: Uint8Array): Uint8Array {
  new DataView(out.buffer, out.byteOffset).setUint32(0, msg.length, true);
  if (msg.buffer !== out.buffer || msg.byteOffset !== out.byteOffset + 4) {
    out.set(msg, 4);
  }
  return out.subarray(0, msg.length + 4);
}

async function tcpServe(addr: string, port: number): Promise<void> {
  const l = Deno.listen({ hostname: addr, port });
  console.log("ready");
  const c = await l.accept();
  c.setNoDelay(true);
  const big = new Uint8Array(8 * MIB + 8);
  const out = new Uint8Array(8 * MIB + 8);
  let bytes = 0, msgs = 0;
  for (;;) {
    const m = await readMsg(c, big);
    if (m === null || m[0] === 0x51) break; // 'Q'
    if (m[0] === 0x50) await writeFull(c, frame(m, out)); // 'P': echo
    else if (m[0] === 0x53) { // 'S'
      bytes += m.length;
      msgs++;
    } else if (m[0] === 0x45) { // 'E': answer the count
      await writeFull(
        c,
        frame(new TextEncoder().encode(`A ${bytes} ${msgs}`), out),
      );
      bytes = msgs = 0;
    }
  }
  c.close();
  l.close();
}

async function tcpClient(
  addr: string,
  port: number,
  budget: number,
  sizes: number[],
): Promise<void> {
  const c = await Deno.connect({ hostname: addr, port });
  c.setNoDelay(true);
  const big = new Uint8Array(8 * MIB + 8);
  const buf = new Uint8Array(8 * MIB + 8);
  for (const size of sizes) {
    const { pings, msgs } = counts(budget, size);
    const msg = buf.subarray(4, 4 + size);
    msg.fill(0x5a);
    msg[0] = 0x50;
    let t0 = 0;
    for (let i = -1; i < pings; i++) {
      if (i === 0) t0 = performance.now();
      await writeFull(c, frame(msg, buf));
      if ((await readMsg(c, big))?.length !== size) throw new Error("pong");
    }
    const rt = (performance.now() - t0) / pings;
    msg[0] = 0x53;
    t0 = performance.now();
    for (let i = 0; i < msgs; i++) await writeFull(c, frame(msg, buf));
    await writeFull(c, frame(new Uint8Array([0x45]), new Uint8Array(5)));
    const ack = await readMsg(c, big);
    const dt = performance.now() - t0;
    if (
      !ack || !new TextDecoder().decode(ack).startsWith(`A ${size * msgs} `)
    ) {
      throw new Error("stream count");
    }
    console.log(
      `size ${size} rt_us ${(rt * 1000).toFixed(1)} mbps ${
        (size * msgs / dt / 1000).toFixed(1)
      }`,
    );
  }
  await writeFull(c, frame(new Uint8Array([0x51]), new Uint8Array(5)));
  c.close();
}

// ---- the cluster runs ----

async function collect(child: Deno.ChildProcess): Promise<string> {
  const out = await child.output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `exit ${out.code}: ${text} ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return text;
}

/** First stdout line of a running child (the rest stays readable). */
async function firstLine(child: Deno.ChildProcess): Promise<
  { line: string; rest: Promise<string> }
> {
  const reader = child.stdout.getReader();
  const dec = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`ended before its first line: ${text}`);
    text += dec.decode(value, { stream: true });
  }
  const rest = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += dec.decode(value, { stream: true });
    }
  })();
  return { line: text.slice(0, text.indexOf("\n")), rest };
}

export async function runPair(
  c: LocalCluster,
  route: "direct" | "home",
  budget: number,
  sizes: number[],
): Promise<Row[]> {
  const [h1, h2, x, y] = c.nodes;
  const env = { DMOSIX_DICOM_ROUTE: route };
  const server = new Deno.Command(Deno.execPath(), {
    args: commandArgs("mosrun", ["--dir", h1.dir, `-${x.id}`, BULK, "serve"]),
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const { line, rest } = await firstLine(server);
  const m = /^self (\d+) (\d+)$/.exec(line);
  if (!m) throw new Error(`server said: ${line}`);
  const client = new Deno.Command(Deno.execPath(), {
    args: commandArgs("mosrun", [
      "--dir",
      h2.dir,
      `-${y.id}`,
      BULK,
      "bench",
      m[1],
      m[2],
      String(budget / MIB),
      ...sizes.map(String),
    ]),
    env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const text = await collect(client);
  await rest;
  await server.status;
  return parseRows(text);
}

export async function runTcp(
  c: LocalCluster,
  budget: number,
  sizes: number[],
): Promise<Row[]> {
  const [, , x, y] = c.nodes;
  const self = new URL(import.meta.url).pathname;
  const server = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", self, "--tcp-serve", x.addr, String(TCP_PORT)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const { rest } = await firstLine(server);
  const client = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      self,
      "--tcp-client",
      x.addr,
      String(TCP_PORT),
      String(budget),
      ...sizes.map(String),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  void y; // the client connects from the host's loopback, like Y's daemon would
  const text = await collect(client);
  await rest;
  await server.status;
  return parseRows(text);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per size, the median round trip and rate of several runs. */
function medians(runs: Row[][], sizes: number[]): Row[] {
  return sizes.map((size) => {
    const rows = runs.map((r) => r.find((x) => x.size === size))
      .filter((x): x is Row => x !== undefined);
    return {
      size,
      rtUs: median(rows.map((r) => r.rtUs)),
      mbps: median(rows.map((r) => r.mbps)),
    };
  });
}

/**
 * Median round trip of a sync-channel call from a Worker to this thread,
 * µs, each call after `gapMs` with both asleep (as a message finds them).
 */
async function handoverUs(n: number, gapMs: number): Promise<number> {
  const sab = createChannelBuffer();
  const server = serveSyncChannel(sab, () => ({ errno: 0, n: 1 }), () => ({}));
  const w = new Worker(new URL("./sync_call_worker.ts", import.meta.url), {
    type: "module",
  });
  try {
    const us = new Promise<number>((r) => w.onmessage = (e) => r(e.data));
    w.postMessage({ sab, n, gapMs });
    return await us;
  } finally {
    w.terminate();
    server.close();
  }
}

/** HMAC-SHA256 over 8 MiB pieces, MB/s (best of 5). */
function hmacMbps(): number {
  const key = new Uint8Array(32).fill(7);
  const data = new Uint8Array(8 * MIB).fill(1);
  let best = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    createHmac("sha256", key).update(data).digest();
    best = Math.max(best, data.length / (performance.now() - t0) / 1000);
  }
  return best;
}

function fmtSize(n: number): string {
  return n >= MIB ? `${n / MIB} MiB` : `${n / KIB} KiB`;
}

async function main(): Promise<void> {
  const quick = Deno.args.includes("--quick");
  const sizes = quick
    ? [KIB, 64 * KIB, MIB, 8 * MIB]
    : [KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB, 8 * MIB];
  const budget = (quick ? 16 : 64) * MIB;
  const at = Deno.args.indexOf("--reps");
  const reps = at >= 0 ? Math.max(1, Number(Deno.args[at + 1]) || 1) : 3;
  const c = await LocalCluster.start({
    nodes: 4,
    subnet: SUBNET,
    port: PORT,
    daemonArgs: ["--no-balance"],
  });
  try {
    await waitFor(
      () => allSeeLive(c.nodes.map((n) => n.dir), c.nodes.map((n) => n.id)),
      10000,
    );
    // Instrument bulk.wasm once before timing anything.
    await runPair(c, "direct", KIB * 64, [KIB]);
    const runs = {
      tcp: [] as Row[][],
      direct: [] as Row[][],
      home: [] as Row[][],
    };
    for (let i = 0; i < reps; i++) {
      runs.tcp.push(await runTcp(c, budget, sizes));
      runs.direct.push(await runPair(c, "direct", budget, sizes));
      runs.home.push(await runPair(c, "home", budget, sizes));
    }
    const tcp = medians(runs.tcp, sizes);
    const direct = medians(runs.direct, sizes);
    const home = medians(runs.home, sizes);
    console.log(
      "DiCOM: two processes away from home on different nodes (loopback), " +
        `${quick ? "quick" : "full"} run, medians of ${reps}`,
    );
    console.log(
      "size     | round trip µs: direct  via-home     tcp | direct/tcp home/direct" +
        " | MB/s: direct via-home     tcp | tcp/direct direct/home",
    );
    let within = true, twice = true;
    for (const size of sizes) {
      const d = direct.find((r) => r.size === size);
      const h = home.find((r) => r.size === size);
      const t = tcp.find((r) => r.size === size);
      if (!d || !h || !t) throw new Error(`no result for ${size}`);
      const latRatio = d.rtUs / t.rtUs;
      const thrRatio = t.mbps / d.mbps;
      const homeLat = h.rtUs / d.rtUs;
      const homeThr = d.mbps / h.mbps;
      if (latRatio > 1.2 || thrRatio > 1.2) within = false;
      if (size >= MIB && (homeLat < 2 || homeThr < 2)) twice = false;
      console.log(
        `${fmtSize(size).padEnd(8)} | ${d.rtUs.toFixed(0).padStart(20)} ${
          h.rtUs.toFixed(0).padStart(9)
        } ${t.rtUs.toFixed(0).padStart(7)} | ${
          latRatio.toFixed(2).padStart(10)
        } ${homeLat.toFixed(2).padStart(11)} | ${
          d.mbps.toFixed(0).padStart(12)
        } ${h.mbps.toFixed(0).padStart(8)} ${t.mbps.toFixed(0).padStart(7)} | ${
          thrRatio.toFixed(2).padStart(10)
        } ${homeThr.toFixed(2).padStart(11)}`,
      );
    }
    console.log(
      `goal direct within 1.2x of tcp at every size: ${
        within ? "met" : "NOT met"
      }; ` +
        `direct at least 2x via-home from 1 MiB: ${twice ? "met" : "NOT met"}`,
    );
    // The floors, beside what TCP does in this same run.
    const hand = [];
    for (let i = 0; i < reps; i++) hand.push(await handoverUs(300, 1));
    const handUs = median(hand);
    const tcpRt = tcp[0].rtUs;
    const mac = hmacMbps();
    const tcpMax = Math.max(...tcp.map((r) => r.mbps));
    console.log(
      `floors: a system call's hand-over, Worker -> host -> Worker, both asleep before: ${
        handUs.toFixed(1)
      } µs, ${(handUs / tcpRt).toFixed(2)} x the ${
        fmtSize(sizes[0])
      } TCP round trip (${tcpRt.toFixed(0)} µs). Each way a message leaves ` +
        `the sender's Worker and enters the receiver's (one hand-over in ` +
        `all), so a direct round trip is at least ${
          ((tcpRt + 2 * handUs) / tcpRt).toFixed(2)
        } x TCP`,
    );
    console.log(
      `        HMAC-SHA256: ${mac.toFixed(0)} MB/s on one core; TCP streamed ${
        tcpMax.toFixed(0)
      } MB/s. The sender's node MACs every byte and the receiver's checks ` +
        `it, so even with a core each a stream is at least ${
          (tcpMax / mac).toFixed(2)
        } x slower than TCP`,
    );
  } finally {
    await c.stop();
  }
}

if (import.meta.main) {
  const a = Deno.args;
  if (a[0] === "--tcp-serve") await tcpServe(a[1], Number(a[2]));
  else if (a[0] === "--tcp-client") {
    await tcpClient(a[1], Number(a[2]), Number(a[3]), a.slice(4).map(Number));
  } else await main();
}

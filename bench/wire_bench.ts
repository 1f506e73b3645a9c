/**
 * Wire format throughput: datagrams per second (encode, decode) for a
 * gossip-sized message, and keyed frame MB/s (encode, decode through a
 * FrameDecoder fed 64 KiB chunks) for 1 KiB, 64 KiB and 1 MiB bodies.
 * Each figure runs for about 0.3 s; the whole script takes a few seconds.
 *
 *     deno run -A bench/wire_bench.ts
 *
 * @module
 */

import { FrameDecoder } from "../core/frame_decoder.ts";
import { deriveKey, KeyPurpose } from "../core/secret.ts";
import {
  decodeDatagram,
  encodeDatagram,
  encodeFrame,
  type Envelope,
} from "../core/wire.ts";

const RUN_MS = 300;
const CHUNK = 64 * 1024;
const secret = new TextEncoder().encode("bench secret, not for real use");
const KEY = deriveKey(secret, KeyPurpose.Datagram);

/** Run `f` repeatedly for about RUN_MS; returns calls per second. */
function rate(f: () => void): number {
  for (let i = 0; i < 3; i++) f(); // warm up
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < RUN_MS) {
    f();
    n++;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

/** A gossip message: a window of 16 load-vector entries. */
function gossip(seq: number): Envelope {
  const entries = Array.from({ length: 16 }, (_, i) => ({
    node: 1000 + i,
    age: i * 250,
    load: 1234 + i,
    speed: 10000,
    cpus: 8,
    memFree: 12_345_678_900,
    memTotal: 25_000_000_000,
    util: 0.42,
  }));
  return {
    type: "gossip",
    from: 2780,
    boot: 1_700_000_000_000_123,
    seq,
    ts: Date.now(),
    body: { entries },
  };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits });
}

const g = gossip(1);
const dgram = encodeDatagram(KEY, g);
console.log(`datagram (gossip window of 16, ${dgram.length} bytes):`);
let seq = 1;
console.log(
  `  encode  ${fmt(rate(() => encodeDatagram(KEY, { ...g, seq: seq++ })))} /s`,
);
console.log(`  decode  ${fmt(rate(() => decodeDatagram(KEY, dgram)))} /s`);

console.log(`keyed frames (decoder fed ${CHUNK / 1024} KiB chunks):`);
for (const size of [1024, 64 * 1024, 1024 * 1024]) {
  const body = new Uint8Array(size).fill(7);
  const env: Envelope = { ...g, type: "link.data", body };
  const frame = encodeFrame(KEY, env);
  const chunks: Uint8Array[] = [];
  // Several frames per batch so small frames share chunks, as on a socket.
  const batch = Math.max(1, Math.floor(CHUNK / frame.length));
  const frames = Array.from(
    { length: batch },
    (_, i) => encodeFrame(KEY, { ...env, seq: i + 1 }),
  );
  const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let off = 0;
  for (const f of frames) {
    stream.set(f, off);
    off += f.length;
  }
  for (let at = 0; at < stream.length; at += CHUNK) {
    chunks.push(stream.slice(at, at + CHUNK));
  }
  const enc = rate(() => encodeFrame(KEY, env)) * size;
  const dec = rate(() => {
    const d = new FrameDecoder({ key: KEY });
    let got = 0;
    for (const c of chunks) got += d.push(c).length;
    if (got !== batch) throw new Error("bench: lost frames");
  }) * size * batch;
  const label = size >= 1024 * 1024
    ? `${size / 1024 / 1024} MiB`
    : `${size / 1024} KiB`;
  console.log(
    `  ${label.padStart(7)} body  encode ${fmt(enc / 1e6, 1)} MB/s  decode ${
      fmt(dec / 1e6, 1)
    } MB/s`,
  );
}

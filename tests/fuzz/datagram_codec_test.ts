/**
 * Fuzzing DatagramCodec.open (core/datagram_codec.ts) and the ReplayGuard
 * under it: hostile bytes never throw, and nothing but the exact datagrams
 * a node sealed is ever accepted, each at most once.
 */

import { equal, ok } from "node:assert/strict";
import { DatagramCodec } from "../../core/datagram_codec.ts";
import { ReplayGuard } from "../../core/replay_guard.ts";
import { encodeDatagram, MAX_DATAGRAM } from "../../core/wire.ts";
import {
  concat,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutate,
  randomCbor,
  type Rng,
} from "../../tools/fuzz.ts";

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);
const NOW = 1_700_000_000_000;
const REASONS = new Set([
  "short",
  "magic",
  "version",
  "mac",
  "cbor",
  "shape",
  "size",
  "replay",
  "stale",
  "old-boot",
]);

const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function randomBody(r: Rng): unknown {
  return r.pick([
    null,
    { entries: [] },
    { entries: [{ id: r.int(70000), load: r.next() }] },
    { s: "x".repeat(r.int(100)), b: r.bytes(r.int(50)) },
    [1, [2, [3]]],
  ]);
}

Deno.test("DatagramCodec.open accepts only datagrams it was sent, once, and never throws", async () => {
  const cfg = fuzzConfig(3000);
  const stats = new FuzzStats();
  // Three senders; the receiver's guard sees all of their traffic.
  const senders = [1, 2, 3].map((id) =>
    new DatagramCodec(KEY, () => id, NOW * 1000 + id)
  );
  const stranger = new DatagramCodec(OTHER_KEY, () => 4, NOW * 1000);
  const rx = new DatagramCodec(KEY, () => 9, NOW * 1000 + 9);
  const sealed = new Set<string>();
  const accepted = new Set<string>();
  const history: Uint8Array[] = [];
  let clock = NOW;
  await fuzzLoop("datagram codec", cfg, (r) => {
    clock += r.int(50);
    let pkt: Uint8Array;
    const kind = r.int(7);
    if (kind <= 1 || history.length === 0) { // fresh, authentic
      pkt = r.pick(senders).seal("gossip", randomBody(r), clock);
      sealed.add(hex(pkt));
      history.push(pkt);
      if (history.length > 64) history.shift();
    } else if (kind === 2) { // replay of an earlier one
      pkt = r.pick(history);
    } else if (kind === 3) { // mutated authentic datagram
      pkt = mutate(r, r.pick(history), { corpus: history });
    } else if (kind === 4) { // another cluster's datagram
      pkt = stranger.seal("gossip", randomBody(r), clock);
    } else if (kind === 5) { // garbage, sometimes huge
      pkt = r.chance(0.05)
        ? new Uint8Array(MAX_DATAGRAM + r.int(100))
        : concat(r.bytes(4), randomCbor(r), r.bytes(32));
    } else { // authentic but stale, from the future, or an old boot
      const ts = r.pick([clock - 120_000, clock + 120_000, clock]);
      pkt = encodeDatagram(KEY, {
        type: "gossip",
        from: 1 + r.int(3),
        boot: r.chance(0.5) ? 1 : NOW * 1000 + 1,
        seq: 1 + r.int(1e6),
        ts,
        body: null,
      });
    }
    const res = rx.open(pkt, clock);
    if (!res.ok) {
      ok(REASONS.has(res.reason), `unknown reason ${res.reason}`);
      stats.add(res.reason);
      return;
    }
    const h = hex(pkt);
    if (sealed.has(h)) {
      ok(!accepted.has(h), "a replayed datagram was accepted");
      accepted.add(h);
      stats.add("accepted");
    } else {
      // Only the forged-with-the-key kind may pass without being sealed
      // by a sender here, and it must be fresh.
      equal(kind, 6, "a datagram nobody sealed was accepted");
      stats.add("forged-with-key");
    }
  });
  ok(stats.get("accepted") > cfg.iters / 10, stats.toString());
  for (const reason of ["replay", "mac", "stale", "old-boot"]) {
    ok(stats.get(reason) > 0, `${reason} never reached: ${stats}`);
  }
});

Deno.test("ReplayGuard never accepts a (sender, boot, seq) twice and tracks a bounded number of senders", async () => {
  const cfg = fuzzConfig(20000);
  const g = new ReplayGuard({ window: 64, maxSenders: 16 });
  const small = new ReplayGuard({ window: 64, maxSenders: 4 });
  const seen = new Set<string>();
  const boots = new Map<number, number>();
  const tops = new Map<number, number>();
  const stats = new FuzzStats();
  await fuzzLoop("replay guard", cfg, (r) => {
    const from = 1 + r.int(10);
    const b = boots.get(from) ?? 1;
    const boot = r.chance(0.01) ? b + 1 : r.chance(0.01) ? b - 1 : b;
    const seq = Math.max(1, (tops.get(from) ?? 0) + r.range(-80, 3));
    const v = g.accept(from, boot, seq, NOW, NOW);
    small.accept(from, boot, seq, NOW, NOW);
    ok(small.size <= 4, `tracks ${small.size} senders, at most 4 allowed`);
    stats.add(v);
    if (v !== "ok") return;
    const k = `${from}/${boot}/${seq}`;
    ok(!seen.has(k), `accepted ${k} twice`);
    seen.add(k);
    if (boot > b) tops.set(from, 0);
    boots.set(from, Math.max(b, boot));
    tops.set(from, Math.max(tops.get(from) ?? 0, seq));
  });
  for (const v of ["ok", "replay", "old-boot"]) {
    ok(stats.get(v) > 0, `${v} never reached: ${stats}`);
  }
});

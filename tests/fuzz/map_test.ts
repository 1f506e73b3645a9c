/**
 * Fuzzing the node map parser (core/map.ts): token-level mutations of valid
 * maps and huge inputs. Properties: parseMap and resolveMapHosts throw only
 * MapError, with a one-line `FILE[:LINE]: ` message; an accepted map obeys
 * the map rules and survives formatMap -> parseMap unchanged.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import {
  expandMap,
  formatMap,
  MapError,
  MAX_MAP_BYTES,
  MAX_MAP_LINES,
  type NodeMap,
  parseMap,
  resolveMapHosts,
} from "../../core/map.ts";
import { isIPv4, parseIPv4 } from "../../core/ids.ts";
import {
  EDGE_TOKENS,
  expectOnly,
  expectOnlyAsync,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutateText,
  type Rng,
} from "../../tools/fuzz.ts";

const CORPUS = [
  "# FIRST-ID HOST-OR-IP COUNT\n2780 192.168.10.220 4\n0x0a4e node7.lan 1\n2780 10.0.0.220 ALIAS\n",
  "1 10.0.0.1 255\n256 10.0.1.1 1\n",
  "65535 10.9.9.9 1\n65534 10.9.9.8 1 # last two\n",
  "\t3073   127.0.12.1\t2   \r\n# comment only\n\n3074 127.0.13.7 alias\n",
  "100 a.b.c 10\n200 a-1.example.org. 3\n",
];

const TOKENS = [...EDGE_TOKENS, "2780", "0x0adc", "10.0.0.1", "ALIAS", "4"];

const isMapError = (e: unknown) => e instanceof MapError;

/** The rules an accepted map must obey. */
function checkMap(m: NodeMap): void {
  const ids = new Set<number>();
  const ips = new Set<number>();
  for (const r of m.ranges) {
    ok(Number.isInteger(r.first) && r.first >= 1, `first ${r.first}`);
    ok(Number.isInteger(r.count) && r.count >= 1, `count ${r.count}`);
    ok(r.first + r.count - 1 <= 65535, "range past 65535");
    for (let id = r.first; id < r.first + r.count; id++) {
      ok(!ids.has(id), `id ${id} twice`);
      ids.add(id);
    }
    if (!isIPv4(r.host)) continue;
    const base = parseIPv4(r.host);
    ok((base & 255) + r.count - 1 <= 255, "range past .255");
    for (let i = 0; i < r.count; i++) {
      ok(!ips.has(base + i), "address twice");
      ips.add(base + i);
    }
  }
  for (const a of m.aliases) {
    ok(ids.has(a.id), "alias of an undefined id");
    ok(!ips.has(parseIPv4(a.ip)), "alias address twice");
    ips.add(parseIPv4(a.ip));
  }
}

function randomMap(r: Rng): string {
  if (r.chance(0.7)) {
    let t = r.pick(CORPUS);
    for (let n = r.int(4); n >= 0; n--) t = mutateText(r, t, TOKENS);
    return t;
  }
  // Lines built from tokens alone.
  return Array.from(
    { length: 1 + r.int(6) },
    () =>
      Array.from({ length: r.int(5) }, () => r.pick(TOKENS)).join(
        r.pick([" ", "\t", "  "]),
      ),
  ).join("\n");
}

Deno.test("parseMap throws only one-line MapErrors and accepts only valid maps", async () => {
  const cfg = fuzzConfig(4000);
  const stats = new FuzzStats();
  await fuzzLoop("map", cfg, (r) => {
    const text = randomMap(r);
    const out = expectOnly(
      "parseMap",
      () => parseMap(text, "m.map"),
      isMapError,
    );
    if (!out.ok) {
      ok(/^m\.map(:\d+)?: /.test(out.error.message), out.error.message);
      stats.add("refused");
      return;
    }
    const m = out.value;
    checkMap(m);
    // The canonical text parses back to the same map.
    const again = parseMap(formatMap(m), "again");
    checkMap(again);
    if (m.ranges.every((x) => isIPv4(x.host))) {
      deepEqual(expandMap(again), expandMap(m));
      equal(
        expandMap(m).length,
        m.ranges.reduce((n, x) => n + x.count, 0),
      );
    }
    stats.add("accepted");
  });
  ok(stats.get("accepted") > cfg.iters / 20, stats.toString());
  ok(stats.get("refused") > cfg.iters / 4, stats.toString());
});

Deno.test("resolveMapHosts throws only MapError whatever the lookup answers", async () => {
  const cfg = fuzzConfig(1000);
  const stats = new FuzzStats();
  const base = parseMap("100 a.lan 10\n200 b.lan 3\n300 10.1.1.1 2\n");
  await fuzzLoop("resolve map", cfg, async (r) => {
    const answers = new Map<string, string | Error>();
    const lookup = (host: string) => {
      if (!answers.has(host)) {
        answers.set(
          host,
          r.chance(0.1) ? new Error("no such host\nsecond line") : r.pick([
            "10.1.1.1",
            `10.2.${r.int(3)}.${r.pick([1, 250, 255])}`,
            "224.0.0.1",
            "0.1.2.3",
            "::1",
            "",
            "x".repeat(500),
            "10.3.3.3",
          ]),
        );
      }
      const a = answers.get(host)!;
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    };
    const out = await expectOnlyAsync(
      "resolveMapHosts",
      () => resolveMapHosts(base, lookup, "r.map"),
      isMapError,
    );
    if (out.ok) {
      checkMap(out.value);
      ok(out.value.ranges.every((x) => isIPv4(x.host)));
      stats.add("resolved");
    } else stats.add("refused");
  });
  ok(stats.get("resolved") > 0 && stats.get("refused") > 0, stats.toString());
});

Deno.test("parseMap refuses oversized maps quickly", () => {
  const started = performance.now();
  const tooBig = "1 10.0.0.1 1 #".padEnd(MAX_MAP_BYTES + 10, "x");
  const manyLines = "\n".repeat(MAX_MAP_LINES + 1);
  const multiByte = "#" + "é".repeat(MAX_MAP_BYTES / 2 + 1);
  for (const t of [tooBig, manyLines, multiByte]) {
    const out = expectOnly("parseMap", () => parseMap(t, "big"), isMapError);
    ok(!out.ok, "an oversized map was accepted");
  }
  // Every node ID once, in one range per /24: the largest valid map.
  const lines: string[] = [];
  for (let id = 1; id <= 65535; id += 255) {
    const n = Math.min(255, 65536 - id);
    const net = (id - 1) / 255;
    lines.push(`${id} 10.${net >> 8}.${net & 255}.1 ${n}`);
  }
  equal(expandMap(parseMap(lines.join("\n"))).length, 65535);
  ok(performance.now() - started < 5000, "map limits are slow");
});

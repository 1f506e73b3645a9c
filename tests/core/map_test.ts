import {
  deepEqual,
  equal,
  match,
  ok,
  rejects,
  throws,
} from "node:assert/strict";
import {
  collapseNodes,
  expandMap,
  findNode,
  formatMap,
  isHostName,
  MapError,
  type NodeMap,
  parseMap,
  resolveMapHosts,
} from "../../core/map.ts";

/** The MapError parseMap throws for `text`, checked to name file and line. */
function mapError(text: string, line: number, file = "test.map"): MapError {
  try {
    parseMap(text, file);
  } catch (e) {
    ok(e instanceof MapError, `not a MapError: ${e}`);
    equal(e.file, file);
    equal(e.line, line);
    ok(e.message.startsWith(line > 0 ? `${file}:${line}: ` : `${file}: `));
    return e;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

Deno.test("parseMap reads ranges, aliases, comments and blank lines", () => {
  const map = parseMap(
    [
      "# cluster map",
      "",
      "1 10.0.0.1 3   # three nodes",
      "  0x0adc\t192.168.10.220   1",
      "2 10.1.0.2 alias",
      "2780 172.16.0.9 ALIAS#no space before comment",
      "   ",
    ].join("\n"),
  );
  deepEqual(map.ranges, [
    { first: 1, host: "10.0.0.1", count: 3, line: 3 },
    { first: 2780, host: "192.168.10.220", count: 1, line: 4 },
  ]);
  deepEqual(map.aliases, [
    { id: 2, ip: "10.1.0.2", line: 5 },
    { id: 2780, ip: "172.16.0.9", line: 6 },
  ]);
});

Deno.test("parseMap tolerates CRLF line ends", () => {
  const map = parseMap("1 10.0.0.1 2\r\n# c\r\n1 10.0.1.1 ALIAS\r\n");
  deepEqual(map.ranges, [{ first: 1, host: "10.0.0.1", count: 2, line: 1 }]);
  deepEqual(map.aliases, [{ id: 1, ip: "10.0.1.1", line: 3 }]);
});

Deno.test("parseMap accepts host names and an empty map", () => {
  const map = parseMap("5 node-5.cluster.lan 1\n6 Gateway. 1\n");
  deepEqual(map.ranges.map((r) => r.host), ["node-5.cluster.lan", "Gateway."]);
  deepEqual(parseMap("# nothing yet\n\n"), {
    ranges: [],
    aliases: [],
    file: "map",
  });
});

Deno.test("parseMap reports file and line for a wrong field count", () => {
  match(mapError("1 10.0.0.1 1\n2 10.0.0.2\n", 2).message, /3 fields.*got 2/);
  match(mapError("\n\n1 10.0.0.1 1 extra\n", 3).message, /got 4/);
});

Deno.test("parseMap reports file and line for a bad or out-of-range ID", () => {
  match(mapError("node1 10.0.0.1 1\n", 1).message, /bad node ID "node1"/);
  match(mapError("0 10.0.0.1 1\n", 1).message, /out of range/);
  match(mapError("# x\n65536 10.0.0.1 1\n", 2).message, /out of range/);
  match(mapError("0x10000 10.0.0.1 1\n", 1).message, /out of range/);
  match(mapError("65535 10.0.0.1 2\n", 1).message, /past the last node ID/);
  // The last ID exactly is fine.
  equal(parseMap("65534 10.0.0.1 2\n").ranges[0].count, 2);
});

Deno.test("parseMap reports file and line for a bad count", () => {
  for (const count of ["0", "-2", "1.5", "two", "0x2"]) {
    match(mapError(`1 10.0.0.1 ${count}\n`, 1).message, /bad count/, count);
  }
});

Deno.test("parseMap reports file and line for bad addresses and names", () => {
  match(mapError("1 10.0.0.256 1\n", 1).message, /bad IP address/);
  match(mapError("1 10.0.0 1\n", 1).message, /bad IP address/);
  match(mapError("1 bad_name.lan 1\n", 1).message, /bad host name/);
  match(mapError("1 -lead.lan 1\n", 1).message, /bad host name/);
  match(mapError("1 224.0.0.1 1\n", 1).message, /not a unicast/);
  match(mapError("1 0.1.2.3 1\n", 1).message, /not a unicast/);
  match(mapError("1 10.0.0.1 1\n1 node1.lan ALIAS\n", 2).message, /IPv4/);
});

Deno.test("parseMap rejects a range that runs past .255", () => {
  match(mapError("1 10.0.0.250 7\n", 1).message, /runs past 10\.0\.0\.255/);
  equal(parseMap("1 10.0.0.250 6\n").ranges[0].count, 6);
});

Deno.test("parseMap rejects overlapping IDs and names the earlier line", () => {
  const e = mapError("1 10.0.0.1 10\n# gap\n5 10.0.1.1 1\n", 3);
  match(e.message, /0x0005.*line 1/);
  mapError("0x10 10.0.0.1 1\n16 10.0.0.2 1\n", 2);
});

Deno.test("parseMap rejects one address given to two IDs", () => {
  const e = mapError("1 10.0.0.1 4\n20 10.0.0.3 1\n", 2);
  match(e.message, /10\.0\.0\.3 is already node 0x0003 on line 1/);
});

Deno.test("parseMap rejects an ALIAS for an ID no range defines", () => {
  // Order does not matter for a defined ID, only existence does.
  equal(parseMap("7 10.0.1.7 ALIAS\n7 10.0.0.7 1\n").aliases.length, 1);
  match(mapError("1 10.0.0.1 2\n3 10.0.1.3 ALIAS\n", 2).message, /no range/);
});

Deno.test("parseMap rejects an ALIAS that duplicates an address", () => {
  match(mapError("1 10.0.0.1 2\n1 10.0.0.2 ALIAS\n", 2).message, /already/);
  mapError("1 10.0.0.1 2\n1 10.0.1.1 ALIAS\n2 10.0.1.1 ALIAS\n", 3);
  mapError("1 10.0.0.1 1\n1 10.0.0.1 alias\n", 2);
});

Deno.test("parseMap limits size and line count with a clear error", () => {
  const lines = "#\n".repeat(100_001);
  match(mapError(lines, 0).message, /too many lines/);
  const big = "#" + "x".repeat(1024 * 1024) + "\n";
  match(mapError(big, 0).message, /too large/);
  // A map of 65025 nodes in 255 ranges is accepted.
  const full = Array.from(
    { length: 255 },
    (_, i) => `${i * 256 + 1} 10.${i >> 8}.${i & 255}.1 255`,
  ).join("\n");
  equal(parseMap(full).ranges.length, 255);
});

Deno.test("MapError without a file name uses 'map'", () => {
  throws(() => parseMap("1 10.0.0.1\n"), /^MapError: map:1: /);
});

Deno.test("isHostName follows RFC 1123 label rules", () => {
  ok(isHostName("a"));
  ok(isHostName("node-7.example.org"));
  ok(isHostName("1node.lan"));
  ok(!isHostName("a".repeat(64) + ".lan"));
  ok(!isHostName("node-.lan"));
  ok(!isHostName("no..de"));
  ok(!isHostName("10.0.0.1"));
  ok(!isHostName(""));
});

Deno.test("resolveMapHosts replaces names with addresses, once per name", async () => {
  const asked: string[] = [];
  const lookup = (host: string) => {
    asked.push(host);
    return Promise.resolve(host.startsWith("a.") ? "10.0.0.1" : "10.0.0.9");
  };
  const map = parseMap("1 a.lan 2\n5 b.lan 1\n9 A.LAN 1\n9 10.1.0.9 ALIAS\n");
  const resolved = await resolveMapHosts(map, lookup).catch((e) => e);
  // A.LAN is a.lan: both ranges get 10.0.0.1, which must be refused.
  match(String(resolved), /map:3: address 10\.0\.0\.1 is already node 0x0001/);
  deepEqual(asked, ["a.lan", "b.lan"], "one lookup per name, case-insensitive");
  asked.length = 0;

  const good = parseMap("1 a.lan 2\n5 b.lan 1\n5 10.1.0.5 ALIAS\n");
  const done = await resolveMapHosts(good, lookup);
  deepEqual(done.ranges.map((r) => r.host), ["10.0.0.1", "10.0.0.9"]);
  deepEqual(done.aliases, good.aliases);
  equal(good.ranges[0].host, "a.lan", "input map unchanged");
  deepEqual(expandMap(done).map((n) => n.ip), [
    "10.0.0.1",
    "10.0.0.2",
    "10.0.0.9",
  ]);
});

Deno.test("resolveMapHosts names file and line of a failed lookup", async () => {
  const map = parseMap("1 10.0.0.1 1\n\n2 nowhere.lan 1\n", "/etc/dmosix/map");
  await rejects(
    resolveMapHosts(map, () => Promise.reject(new Error("NXDOMAIN"))),
    (e: unknown) =>
      e instanceof MapError &&
      e.message.startsWith("/etc/dmosix/map:3: ") &&
      e.message.includes("NXDOMAIN"),
  );
  await rejects(
    resolveMapHosts(map, () => Promise.resolve("fe80::1")),
    /map:3: .*not an IPv4/,
  );
});

Deno.test("resolveMapHosts checks the resolved addresses again", async () => {
  const map = parseMap("1 10.0.0.1 4\n10 dup.lan 1\n20 far.lan 3\n");
  await rejects(
    resolveMapHosts(
      map,
      (h) => Promise.resolve(h === "dup.lan" ? "10.0.0.2" : "10.0.5.1"),
    ),
    /map:2: address 10\.0\.0\.2 is already node 0x0002/,
  );
  await rejects(
    resolveMapHosts(
      map,
      (h) => Promise.resolve(h === "dup.lan" ? "10.0.4.1" : "10.0.5.254"),
    ),
    /map:3: .*runs past 10\.0\.5\.255/,
  );
});

Deno.test("expandMap lists every node sorted by ID with its aliases", () => {
  const map = parseMap(
    "0x0adc 192.168.10.220 1\n1 10.0.0.1 3\n2 10.9.0.2 ALIAS\n2 10.8.0.2 ALIAS\n",
  );
  deepEqual(expandMap(map), [
    { id: 1, ip: "10.0.0.1", aliases: [] },
    { id: 2, ip: "10.0.0.2", aliases: ["10.9.0.2", "10.8.0.2"] },
    { id: 3, ip: "10.0.0.3", aliases: [] },
    { id: 2780, ip: "192.168.10.220", aliases: [] },
  ]);
});

Deno.test("expandMap refuses unresolved host names", () => {
  throws(() => expandMap(parseMap("1 node.lan 1\n")), /resolveMapHosts/);
});

Deno.test("formatMap output parses back to the same nodes", () => {
  const text = [
    "0x0adc 192.168.10.220 1 # main",
    "1\t10.0.0.1   3",
    "2 10.9.0.2 Alias",
    "2780 172.16.0.1 ALIAS",
    "300 node.lan 2",
  ].join("\r\n");
  const map = parseMap(text);
  const again = parseMap(formatMap(map));
  deepEqual(
    again.ranges.map(({ first, host, count }) => ({ first, host, count })),
    [
      { first: 1, host: "10.0.0.1", count: 3 },
      { first: 300, host: "node.lan", count: 2 },
      { first: 2780, host: "192.168.10.220", count: 1 },
    ],
  );
  deepEqual(
    again.aliases.map(({ id, ip }) => ({ id, ip })),
    [{ id: 2, ip: "10.9.0.2" }, { id: 2780, ip: "172.16.0.1" }],
  );
  equal(formatMap(again), formatMap(map), "canonical form is stable");
});

Deno.test("formatMap of an empty map is still a valid map", () => {
  const empty: NodeMap = { ranges: [], aliases: [] };
  deepEqual(parseMap(formatMap(empty)).ranges, []);
});

Deno.test("collapseNodes joins runs where ID and address both go up by 1", () => {
  deepEqual(
    collapseNodes([
      { id: 2780, ip: "192.168.10.220" },
      { id: 2638, ip: "192.168.10.78" },
      { id: 2639, ip: "192.168.10.79" },
      { id: 2640, ip: "192.168.10.80" },
      { id: 2641, ip: "192.168.10.90" }, // ID follows, address does not
      { id: 5, ip: "10.0.0.255" },
      { id: 6, ip: "10.0.1.0" }, // would cross .255: new row
    ]),
    [
      { first: 2780, ip: "192.168.10.220", count: 1 },
      { first: 2638, ip: "192.168.10.78", count: 3 },
      { first: 2641, ip: "192.168.10.90", count: 1 },
      { first: 5, ip: "10.0.0.255", count: 1 },
      { first: 6, ip: "10.0.1.0", count: 1 },
    ],
  );
  deepEqual(collapseNodes([]), []);
});

Deno.test("collapseNodes of an expanded map gives back its ranges", () => {
  const map = parseMap("1 10.0.0.1 200\n300 10.0.2.1 5\n201 10.0.1.1 1\n");
  deepEqual(collapseNodes(expandMap(map)), [
    { first: 1, ip: "10.0.0.1", count: 200 },
    { first: 201, ip: "10.0.1.1", count: 1 },
    { first: 300, ip: "10.0.2.1", count: 5 },
  ]);
});

Deno.test("findNode finds by decimal ID, hex ID, address or alias", () => {
  const nodes = expandMap(
    parseMap("2780 192.168.10.220 2\n2781 10.0.0.1 ALIAS\n"),
  );
  equal(findNode(nodes, "2780")?.ip, "192.168.10.220");
  equal(findNode(nodes, "0x0ADD")?.ip, "192.168.10.221");
  equal(findNode(nodes, "192.168.10.221")?.id, 2781);
  equal(findNode(nodes, "10.0.0.1")?.id, 2781);
  equal(findNode(nodes, "10.0.0.2"), undefined);
  equal(findNode(nodes, "7"), undefined);
  equal(findNode(nodes, "nonsense"), undefined);
});

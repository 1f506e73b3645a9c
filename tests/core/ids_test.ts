import { equal, ok, throws } from "node:assert/strict";
import {
  formatIPv4,
  formatNodeId,
  isIPv4,
  MAX_NODE_ID,
  nodeIdFromIPv4,
  parseIPv4,
  parseNodeId,
} from "../../core/ids.ts";

Deno.test("isIPv4 accepts dotted quads with octets 0..255 only", () => {
  for (
    const good of ["0.0.0.0", "127.0.1.5", "192.168.10.220", "255.255.255.255"]
  ) {
    ok(isIPv4(good), good);
  }
  for (
    const bad of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "1.2.3.256",
      "1.2.3.-4",
      "a.b.c.d",
      " 1.2.3.4",
      "1.2.3.4 ",
      "1234.1.1.1",
    ]
  ) {
    ok(!isIPv4(bad), JSON.stringify(bad));
  }
});

Deno.test("parseIPv4 and formatIPv4 round-trip and stay unsigned", () => {
  for (
    const ip of ["0.0.0.0", "10.0.0.1", "192.168.10.220", "255.255.255.255"]
  ) {
    const n = parseIPv4(ip);
    ok(n >= 0 && n <= 0xffffffff, ip);
    equal(formatIPv4(n), ip);
  }
  equal(parseIPv4("1.2.3.4"), ((1 * 256 + 2) * 256 + 3) * 256 + 4);
});

Deno.test("parseIPv4 throws RangeError on malformed addresses", () => {
  for (const bad of ["1.2.3", "1.2.3.300", "host.example", ""]) {
    throws(() => parseIPv4(bad), RangeError, bad);
  }
});

Deno.test("nodeIdFromIPv4 takes the last two octets (openMosix rule)", () => {
  equal(nodeIdFromIPv4("192.168.10.220"), 10 * 256 + 220);
  equal(nodeIdFromIPv4("10.1.0.7"), 7);
  equal(nodeIdFromIPv4("10.1.255.255"), MAX_NODE_ID);
});

Deno.test("formatNodeId pads to four hex digits after 0x", () => {
  equal(formatNodeId(2780), "0x0adc");
  equal(formatNodeId(1), "0x0001");
  equal(formatNodeId(MAX_NODE_ID), "0xffff");
});

Deno.test("parseNodeId reads decimal and hex and inverts formatNodeId", () => {
  equal(parseNodeId("2780"), 2780);
  equal(parseNodeId("0x0adc"), 2780);
  equal(parseNodeId("0X0ADC"), 2780);
  equal(parseNodeId(" 17 "), 17);
  for (const id of [1, 255, 2780, 40000, MAX_NODE_ID]) {
    equal(parseNodeId(formatNodeId(id)), id);
  }
});

Deno.test("parseNodeId rejects zero, out-of-range and non-numeric IDs", () => {
  for (
    const bad of [
      "0",
      "0x0000",
      "65536",
      "0x10000",
      "-1",
      "1.5",
      "abc",
      "",
      "0x",
    ]
  ) {
    throws(() => parseNodeId(bad), RangeError, JSON.stringify(bad));
  }
});

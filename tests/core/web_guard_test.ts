import assert from "node:assert/strict";
import {
  allowedHosts,
  checkAction,
  checkHost,
  parseAction,
  parseHttpListen,
  sameToken,
} from "../../core/web_guard.ts";

Deno.test("parseHttpListen: a port alone means loopback", () => {
  assert.deepEqual(parseHttpListen("4780"), {
    hostname: "127.0.0.1",
    port: 4780,
  });
  assert.deepEqual(parseHttpListen("10.1.2.3:80"), {
    hostname: "10.1.2.3",
    port: 80,
  });
  assert.deepEqual(parseHttpListen("localhost:8080"), {
    hostname: "127.0.0.1",
    port: 8080,
  });
});

Deno.test("parseHttpListen refuses bad ports and addresses with a one-line reason", () => {
  for (const bad of ["", "0", "65536", "x:80", "1.2.3:80", "80:", "a"]) {
    assert.throws(() => parseHttpListen(bad), RangeError, bad);
  }
  assert.throws(() => parseHttpListen("example.org:80"), /IPv4 address/);
});

Deno.test("allowedHosts: the bound address, and localhost on loopback only", () => {
  assert.deepEqual(
    [...allowedHosts({ hostname: "127.0.0.1", port: 4780 })].sort(),
    ["127.0.0.1:4780", "localhost:4780"],
  );
  assert.deepEqual(
    [...allowedHosts({ hostname: "10.0.0.5", port: 4780 })],
    ["10.0.0.5:4780"],
  );
  const any = allowedHosts({ hostname: "0.0.0.0", port: 80 }, [
    "10.0.0.5",
  ], "Node1");
  assert(any.has("10.0.0.5:80") && any.has("10.0.0.5") && any.has("node1:80"));
});

const allowed = allowedHosts({ hostname: "127.0.0.1", port: 4780 });
const token = "s3cret-token";
const ok = {
  host: "127.0.0.1:4780",
  origin: "http://127.0.0.1:4780",
  token,
};

Deno.test("checkHost refuses an unknown Host (DNS rebinding)", () => {
  assert.equal(checkHost("127.0.0.1:4780", allowed), null);
  assert.equal(checkHost("LOCALHOST:4780", allowed), null);
  assert.equal(checkHost("evil.example:4780", allowed)?.status, 421);
  assert.equal(checkHost(null, allowed)?.status, 421);
});

Deno.test("checkAction accepts the page's own request with the token", () => {
  assert.equal(checkAction(ok, allowed, token), null);
  assert.equal(
    checkAction(
      { ...ok, host: "localhost:4780", origin: "http://localhost:4780" },
      allowed,
      token,
    ),
    null,
  );
});

Deno.test("checkAction refuses other origins, a missing Origin, and a missing or wrong token", () => {
  const cases: [Partial<typeof ok>, RegExp][] = [
    [{ origin: "http://evil.example" }, /cross-origin/],
    [{ origin: "https://127.0.0.1:4780" }, /cross-origin/],
    [{ origin: "null" }, /cross-origin/],
    [{ origin: null as unknown as string }, /cross-origin/],
    [{ token: null as unknown as string }, /missing token/],
    [{ token: "" }, /missing token/],
    [{ token: "s3cret-tokeN" }, /wrong token/],
    [{ token: "s3cret-token-longer" }, /wrong token/],
    [{ host: "evil.example:4780", origin: "http://evil.example:4780" }, /Host/],
  ];
  for (const [change, why] of cases) {
    const r = checkAction({ ...ok, ...change }, allowed, token);
    assert.notEqual(r, null, JSON.stringify(change));
    assert.match(r!.reason, why);
    assert(r!.status === 403 || r!.status === 421);
  }
});

Deno.test("sameToken compares whole tokens", () => {
  assert(sameToken("abc", "abc"));
  assert(!sameToken("abc", "abd"));
  assert(!sameToken("abc", "abcd"));
  assert(!sameToken("", "a"));
});

Deno.test("parseAction reads migrate and node actions", () => {
  assert.deepEqual(parseAction("/api/migrate", { pid: 12, home: 3, to: 4 }), {
    kind: "migrate",
    pid: 12,
    home: 3,
    to: 4,
  });
  assert.deepEqual(parseAction("/api/node", { id: 4, op: "expel" }), {
    kind: "node",
    id: 4,
    op: "expel",
  });
});

Deno.test("parseAction refuses malformed bodies with a reason", () => {
  const bad: [string, unknown][] = [
    ["/api/migrate", { pid: "12", home: 3, to: 4 }],
    ["/api/migrate", { pid: 1.5, home: 3, to: 4 }],
    ["/api/migrate", { pid: 12, home: 0, to: 4 }],
    ["/api/migrate", { pid: 12, home: 3, to: 70000 }],
    ["/api/migrate", null],
    ["/api/node", { id: 4, op: "off" }],
    ["/api/node", { op: "block" }],
    ["/api/other", { id: 4, op: "block" }],
  ];
  for (const [path, body] of bad) {
    assert.throws(() => parseAction(path, body), RangeError, path);
  }
});

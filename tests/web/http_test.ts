/**
 * The web monitor over plain HTTP, against a real 3-node loopback cluster
 * (no browser): the JSON endpoints carry what `mon --json` and `mps --json`
 * print, for the whole cluster; the event stream reports a migration made
 * with `migrate`; actions without the token, with a wrong one, from another
 * origin or under another Host are refused; bad requests get 4xx and the
 * daemon keeps serving; `mosctl webtoken` prints the token the daemon keeps
 * in a 0600 file.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand, waitFor } from "../../tools/local_cluster.ts";
import { callProc } from "../../core/proc_socket.ts";
import {
  endSleeper,
  migrateCmd,
  startSleeper,
  startWebCluster,
  type WatchedProcess,
} from "./web_cluster.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** One raw HTTP/1.1 request (headers exactly as given); the status and body. */
async function raw(
  addr: string,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = "",
): Promise<{ status: number; body: string }> {
  const conn = await Deno.connect({ hostname: addr, port });
  try {
    const bytes = new TextEncoder().encode(body);
    const head = [
      `${method} ${path} HTTP/1.1`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      `content-length: ${bytes.length}`,
      "connection: close",
      "",
      "",
    ].join("\r\n");
    await conn.write(new TextEncoder().encode(head));
    if (bytes.length) await conn.write(bytes);
    const chunks: Uint8Array[] = [];
    const buf = new Uint8Array(65536);
    const deadline = Date.now() + 10000;
    for (;;) {
      const n = await conn.read(buf);
      if (n === null || Date.now() > deadline) break;
      chunks.push(buf.slice(0, n));
    }
    const text = new TextDecoder().decode(
      new Uint8Array(chunks.flatMap((c) => [...c])),
    );
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0);
    return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
  } finally {
    conn.close();
  }
}

Deno.test(
  "web monitor over HTTP: JSON endpoints, event stream, guarded actions",
  opts,
  async (t) => {
    const wc = await startWebCluster(3, 82, 4783, 4784);
    const { cluster, token } = wc;
    const [n1, n2, n3] = cluster.nodes;
    const host = `${n1.addr}:4784`;
    const origin = `http://${host}`;
    const post = (
      path: string,
      body: unknown,
      h: Record<string, string> = {},
    ) =>
      raw(n1.addr, 4784, "POST", path, {
        host,
        origin,
        "content-type": "application/json",
        "x-dmosix-token": token,
        ...h,
      }, typeof body === "string" ? body : JSON.stringify(body));
    const get = async (path: string) => {
      const r = await fetch(`${wc.base}${path}`);
      assert.equal(r.status, 200, path);
      return await r.json();
    };
    const procs: WatchedProcess[] = [];
    try {
      const a = await startSleeper(n1.dir);
      procs.push(a);
      const b = await startSleeper(n2.dir);
      procs.push(b);

      await t.step("/api/nodes is what mon --json prints", async () => {
        const mon = JSON.parse(
          (await cluster.run(0, "mon", ["--json"])).stdout,
        );
        const web = await get("/api/nodes");
        const shape = (d: { nodes: Record<string, unknown>[] }) =>
          d.nodes.map((n) => [n.id, n.idHex, n.address, n.status, n.self]);
        assert.deepEqual(shape(web), shape(mon));
        assert.deepEqual(Object.keys(web.nodes[0]), Object.keys(mon.nodes[0]));
      });

      await t.step(
        "/api/processes lists every node's processes, as mps --json rows with home",
        async () => {
          const list = (await get("/api/processes")).processes;
          const mine = list.find((p: { pid: number }) => p.pid === a.pid);
          const theirs = list.find((p: { pid: number }) => p.pid === b.pid);
          assert.equal(mine.home, n1.id);
          assert.equal(theirs.home, n2.id);
          assert.equal(theirs.where, n2.id);
          const mps = JSON.parse(
            (await cluster.run(1, "mps", ["--json"])).stdout,
          );
          const row = mps.processes.find((p: { pid: number }) =>
            p.pid === b.pid
          );
          for (const k of ["pid", "node", "stat", "command"]) {
            assert.equal(theirs[k], row[k], k);
          }
          const state = await get("/api/state");
          assert.equal(state.self, n1.id);
          assert.equal(state.nodes.length, 3);
          assert(state.history.times.length >= 1);
        },
      );

      await t.step(
        "the event stream reports a migration made with migrate",
        async () => {
          const ctl = new AbortController();
          const res = await fetch(`${wc.base}/api/events`, {
            signal: ctl.signal,
          });
          assert.equal(res.headers.get("content-type"), "text/event-stream");
          const reader = res.body!.pipeThrough(new TextDecoderStream())
            .getReader();
          let seen = "";
          const found = (async () => {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return null;
              seen += value;
              for (const m of seen.matchAll(/event: proc\ndata: (.*)\n/g)) {
                const e = JSON.parse(m[1]);
                if (e.kind === "migration" && e.pid === b.pid) return e;
              }
            }
          })();
          // The stream starts with the history and the state.
          await waitFor(
            () => Promise.resolve(seen.includes("event: state")),
            5000,
            50,
          );
          assert.match(seen, /^event: hello\n/);
          await migrateCmd(n2.dir, b.pid, String(n3.id));
          const timer = setTimeout(() => ctl.abort(), 10000);
          const e = await found.catch(() => null);
          clearTimeout(timer);
          ctl.abort();
          assert.deepEqual(
            [e?.home, e?.from, e?.to],
            [n2.id, n2.id, n3.id],
            "no migration event",
          );
        },
      );

      await t.step(
        "actions are refused without the right token and origin",
        async () => {
          const body = { id: n3.id, op: "block" };
          const cases: [Record<string, string>, number, RegExp][] = [
            [{ "x-dmosix-token": "" }, 403, /missing token/],
            [{ "x-dmosix-token": token.slice(1) + "x" }, 403, /wrong token/],
            [{ origin: "http://evil.example" }, 403, /cross-origin/],
            [{ origin: "" }, 403, /cross-origin/],
            [
              { host: "evil.example:4784", origin: "http://evil.example:4784" },
              421,
              /Host/,
            ],
          ];
          for (const [h, status, why] of cases) {
            const r = await post("/api/node", body, h);
            assert.equal(r.status, status, JSON.stringify(h));
            assert.match(JSON.parse(r.body).error, why);
          }
          const rebound = await raw(n1.addr, 4784, "GET", "/api/nodes", {
            host: "evil.example:4784",
          });
          assert.equal(rebound.status, 421);
          const v = JSON.parse(
            (await cluster.run(2, "mosctl", [
              "status",
              "--json",
            ])).stdout,
          );
          assert.equal(v.blocked, false, "node 3 was blocked after all");
        },
      );

      await t.step(
        "bad requests get 4xx and the daemon keeps serving",
        async () => {
          const cases: [string, string, unknown, number][] = [
            ["POST", "/api/node", "{not json", 400],
            ["POST", "/api/node", { id: n3.id, op: "reboot" }, 400],
            ["POST", "/api/migrate", { pid: 1, home: 99, to: 1 }, 409],
            ["POST", "/api/nothing", {}, 404],
            ["POST", "/api/node", "x".repeat(5000), 413],
            ["GET", "/nothing", "", 404],
            ["PUT", "/api/node", "", 405],
          ];
          for (const [method, path, body, status] of cases) {
            const r = method === "POST"
              ? await post(path, body)
              : await raw(n1.addr, 4784, method, path, { host });
            assert.equal(r.status, status, `${method} ${path}`);
          }
          // Not even HTTP.
          const c = await Deno.connect({ hostname: n1.addr, port: 4784 });
          await c.write(new TextEncoder().encode("\x00\xff garbage\r\n\r\n"));
          c.close();
          assert.equal((await get("/api/nodes")).nodes.length, 3);
          const st = await cluster.run(0, "mosctl", ["status"]);
          assert.equal(st.code, 0, st.stderr);
        },
      );

      await t.step(
        "with the token, migrate and block work, across nodes",
        async () => {
          const r = await post("/api/migrate", {
            pid: b.pid,
            home: n2.id,
            to: n1.id,
          });
          assert.equal(r.status, 200, r.body);
          const moved = await waitFor(
            async () =>
              (await callProc<{ where: number }>(n2.dir, b.pid, "status"))
                .where === n1.id,
            15000,
          );
          assert(moved >= 0, "the process did not move");
          assert.equal(
            (await post("/api/node", { id: n3.id, op: "block" })).status,
            200,
          );
          const st = JSON.parse(
            (await cluster.run(2, "mosctl", [
              "status",
              "--json",
            ])).stdout,
          );
          assert.equal(st.blocked, true);
          assert.equal(
            (await post("/api/node", { id: n3.id, op: "noblock" })).status,
            200,
          );
        },
      );

      await t.step(
        "mosctl webtoken prints the daemon's 0600 token",
        async () => {
          const file = join(n1.dir, "webtoken");
          assert.equal((await Deno.readTextFile(file)).trim(), token);
          assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
          const r = await cluster.run(0, "mosctl", ["webtoken"]);
          assert.equal(r.stdout, `${token}\n`);
          const off = await cluster.run(1, "mosctl", ["webtoken"]);
          assert.equal(off.code, 1);
          assert.match(off.stderr, /^mosctl: .*web monitor is off/);
        },
      );

      await t.step(
        "--http is checked, and a taken port is a clean error",
        async () => {
          const bad = await runCommand("omdiscd", ["-n", "--http", "x:y"]);
          assert.equal(bad.code, 2);
          assert.match(bad.stderr, /^omdiscd: .*--http/);
          await cluster.signal(1, "SIGTERM");
          const taken = await runCommand("omdiscd", [
            "-n",
            "--dir",
            n2.dir,
            "--addr",
            n2.addr,
            "--port",
            "4783",
            "--no-multicast",
            "--http",
            host,
          ], { timeoutMs: 20000 });
          assert.equal(taken.code, 1);
          assert.match(taken.stderr, /cannot serve --http on .*4784/);
          cluster.startNode(1);
          await cluster.waitSocket(1);
        },
      );
    } finally {
      await Promise.all(procs.map(endSleeper));
      await cluster.stop();
    }
  },
);

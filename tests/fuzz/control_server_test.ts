/**
 * Fuzzing the daemon's control socket (daemon/control_server.ts) in
 * process, over a real Unix socket: garbage, oversized and truncated
 * frames, random CBOR, requests with hostile fields, forged or borrowed
 * admin tags, and genuine requests split across many small writes.
 * Properties: the server answers every well-formed request with its id and
 * never runs an admin operation without the right tag; a bad client is
 * dropped alone; a genuine client is served throughout.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { ControlServer } from "../../daemon/control_server.ts";
import { memoryLogger } from "../../daemon/log.ts";
import {
  ADMIN_OPS,
  controlAuth,
  type ControlResponse,
  type Hello,
  READ_OPS,
} from "../../core/control_protocol.ts";
import { FrameDecoder, writeAll } from "../../core/frame_decoder.ts";
import { encodeFrame, MAGIC } from "../../core/wire.ts";
import {
  concat,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutate,
  randomCbor,
  type Rng,
} from "../../tools/fuzz.ts";

const KEY = new Uint8Array(32).fill(0x21);

/** A raw control client. */
class Client {
  readonly conn: Deno.UnixConn;
  hello!: Hello;
  #dec = new FrameDecoder({ key: null, maxFrame: 1 << 24 });
  #ready: unknown[] = [];
  #buf = new Uint8Array(65536);

  private constructor(conn: Deno.UnixConn) {
    this.conn = conn;
  }

  static async open(path: string): Promise<Client> {
    const c = new Client(await Deno.connect({ transport: "unix", path }));
    c.hello = await c.next() as Hello;
    ok(c.hello?.nonce instanceof Uint8Array, "no hello");
    return c;
  }

  async write(bytes: Uint8Array): Promise<boolean> {
    try {
      await writeAll(this.conn, bytes);
      return true;
    } catch {
      return false; // the server hung up: allowed for bad input
    }
  }

  /** The next frame, or null at the end of the stream or after 2 s. */
  async next(): Promise<unknown> {
    const deadline = Date.now() + 2000;
    while (this.#ready.length === 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        this.conn.read(this.#buf).catch(() => null),
        new Promise<"late">((r) => timer = setTimeout(() => r("late"), 2000)),
      ]).finally(() => clearTimeout(timer));
      if (n === null || n === "late" || Date.now() > deadline) return null;
      this.#ready.push(...this.#dec.push(this.#buf.slice(0, n)));
    }
    return this.#ready.shift();
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // closed
    }
  }
}

function sameBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && a.length === b.length &&
    a.every((x, i) => x === b[i]);
}

function hostileRequest(r: Rng, c: Client, other: Client): unknown {
  const op = r.chance(0.8)
    ? r.pick([...READ_OPS, ...ADMIN_OPS])
    : r.pick<unknown>(["", "STATUS", "__proto__", 5, null, ["status"]]);
  const req: Record<string, unknown> = {
    id: r.chance(0.8) ? r.int(1000) : r.pick<unknown>([-1, 1.5, "x", null]),
    op,
    args: r.chance(0.8)
      ? { text: "1 10.0.0.1 1\n", id: r.int(70000) }
      : r.pick<unknown>([null, 5, "args", [1], { __proto__: null }]),
  };
  switch (r.int(5)) {
    case 0: // a forged tag
      req.auth = r.bytes(r.pick([0, 31, 32, 33, 1000]));
      break;
    case 1: // the right tag for another connection
      req.auth = controlAuth(KEY, other.hello.nonce);
      break;
    case 2: // not bytes
      req.auth = r.pick<unknown>(["x", 32, [1, 2], null]);
      break;
    case 3: // the right tag
      req.auth = controlAuth(KEY, c.hello.nonce);
  }
  return req;
}

Deno.test("the control server answers or drops hostile clients alone and never runs an unauthorized admin op", async () => {
  const cfg = fuzzConfig(250);
  const stats = new FuzzStats();
  const dir = await Deno.makeTempDir({ prefix: "dmosix-fuzz-ctl-" });
  const path = join(dir, "omdiscd.sock");
  const log: string[] = [];
  // Admin calls the handler saw, to match against requests with a valid tag.
  const calls: string[] = [];
  let authorized = 0;
  const server = await ControlServer.listen(
    path,
    KEY,
    (op, args) => {
      calls.push(op);
      if (op === "status") return { id: 7, echo: args };
      if (op === "map.get") return { text: "x".repeat(200_000) };
      return { done: op };
    },
    memoryLogger(log),
  );
  try {
    const other = await Client.open(path);
    await fuzzLoop("control server", cfg, async (r) => {
      const c = await Client.open(path);
      try {
        const kind = r.int(6);
        if (kind === 0) { // garbage or random CBOR frames
          const payload = r.chance(0.5) ? r.bytes(1 + r.int(5000)) : (() => {
            const p = concat(MAGIC, randomCbor(r));
            const h = new Uint8Array(4);
            new DataView(h.buffer).setUint32(0, p.length);
            return concat(h, p);
          })();
          await c.write(payload);
          stats.add("garbage");
          return;
        }
        if (kind === 1) { // an oversized or mutated frame
          const f = encodeFrame(null, { id: 1, op: "status" });
          await c.write(
            r.chance(0.5)
              ? concat(Uint8Array.of(0xff, 0xff, 0xff, r.int(256)), f)
              : mutate(r, f),
          );
          stats.add("mutated");
          return;
        }
        const reqs = Array.from(
          { length: 1 + r.int(3) },
          () => hostileRequest(r, c, other),
        );
        const bytes = concat(...reqs.map((q) => encodeFrame(null, q)));
        // Split into small writes with pauses: the server reads it in pieces.
        const pieces = kind === 2 ? 2 + r.int(6) : 1;
        const size = Math.ceil(bytes.length / pieces);
        for (let at = 0; at < bytes.length; at += size) {
          if (!await c.write(bytes.subarray(at, at + size))) break;
          if (pieces > 1) await new Promise((res) => setTimeout(res, 2));
        }
        for (const q of reqs) {
          const req = q as Record<string, unknown>;
          const res = await c.next() as ControlResponse | null;
          ok(res !== null, `no answer to ${JSON.stringify(req.op)}`);
          equal(res.id, typeof req.id === "number" ? req.id : 0);
          const admin = (ADMIN_OPS as readonly unknown[]).includes(req.op);
          const valid = sameBytes(req.auth, controlAuth(KEY, c.hello.nonce));
          if (res.ok) {
            ok(!admin || valid, `admin op ${req.op} ran without its tag`);
            if (admin) authorized++;
            stats.add(admin ? "admin-ok" : "read-ok");
            if (req.op === "map.get") {
              equal((res.result as { text: string }).text.length, 200_000);
            }
          } else stats.add(admin ? "admin-refused" : "refused");
        }
      } finally {
        c.close();
      }
    });
    // Every admin call the handler saw had a valid tag.
    const adminCalls = calls.filter((op) =>
      (ADMIN_OPS as readonly string[]).includes(op)
    ).length;
    equal(adminCalls, authorized, "the handler ran unauthorized admin ops");
    // Still serving, to a genuine client.
    const g = await Client.open(path);
    await g.write(encodeFrame(null, { id: 99, op: "status", args: { a: 1 } }));
    deepEqual(await g.next(), {
      id: 99,
      ok: true,
      result: { id: 7, echo: { a: 1 } },
    });
    g.close();
    other.close();
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
  for (
    const k of ["garbage", "read-ok", "admin-ok", "admin-refused", "refused"]
  ) {
    ok(stats.get(k) > 0, `${k} never reached: ${stats}`);
  }
});

/**
 * Replayed and forged traffic against live daemons, beyond what
 * hostile_input_test.ts sends (garbage, bit flips, another secret, one
 * forged-then-repeated datagram): a real datagram captured off the wire and
 * replayed; stale, future and old-boot datagrams; a datagram whose tag is
 * cut or zeroed, or made with the link key or as a link frame; a recorded
 * link connection that blocked a node, replayed; a link signed with another
 * key; control requests with forged and borrowed admin tags; node-to-node
 * hand-offs nobody announced, or claimed twice. Each is
 * dropped (and counted, for datagrams: `mosctl status --json`, stats.dropped)
 * and the daemons keep serving.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  LocalCluster,
  runCommand,
  waitFor,
} from "../../tools/local_cluster.ts";
import { allSeeLive, statusOf } from "../../tools/cluster_probe.ts";
import { deriveKey, loadSecret } from "../../core/secret.ts";
import {
  decodeDatagram,
  encodeDatagram,
  encodeFrame,
  type Envelope,
} from "../../core/wire.ts";
import { FrameDecoder, writeAll } from "../../core/frame_decoder.ts";
import { controlAuth, type Hello } from "../../core/control_protocol.ts";
import { FrameConn } from "../../core/link/frame_conn.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const SUBNET = 71;
const PORT = 4772;
const SPY = `127.0.${SUBNET}.3`;

type Stats = {
  received: number;
  accepted: number;
  dropped: Record<string, number>;
};

async function stats(dir: string): Promise<Stats> {
  const r = await runCommand("mosctl", ["status", "--json", "--dir", dir]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).stats as Stats;
}

const dropped = (s: Stats, why: string) => s.dropped[why] ?? 0;

/** A raw TCP link client that records what it sends. */
class RawLink {
  readonly sent: Uint8Array[] = [];
  #dec: FrameDecoder;
  #buf = new Uint8Array(65536);
  #ready: Envelope[] = [];
  #seq = 0;
  readonly boot = Date.now() * 1000 + 1;

  private constructor(readonly conn: Deno.Conn, key: Uint8Array) {
    this.#dec = new FrameDecoder({ key, monotonic: false });
  }

  static async open(addr: string, key: Uint8Array): Promise<RawLink> {
    return new RawLink(await Deno.connect({ hostname: addr, port: PORT }), key);
  }

  frame(
    key: Uint8Array,
    type: string,
    body: unknown,
    from: number,
  ): Uint8Array {
    return encodeFrame(key, {
      type,
      from,
      boot: this.boot,
      seq: ++this.#seq,
      ts: Date.now(),
      body,
    });
  }

  async send(bytes: Uint8Array): Promise<void> {
    this.sent.push(bytes);
    await writeAll(this.conn, bytes).catch(() => {});
  }

  /** The next frame, or null when the daemon hangs up or stays silent. */
  async next(ms = 3000): Promise<Envelope | null> {
    const deadline = Date.now() + ms;
    while (this.#ready.length === 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const n = await Promise.race([
        this.conn.read(this.#buf).catch(() => null),
        new Promise<null>((r) =>
          timer = setTimeout(() => r(null), deadline - Date.now())
        ),
      ]).finally(() => clearTimeout(timer));
      if (n === null) return null;
      try {
        this.#ready.push(
          ...this.#dec.push(this.#buf.slice(0, n)) as Envelope[],
        );
      } catch {
        return null;
      }
    }
    return this.#ready.shift()!;
  }

  close(): void {
    try {
      this.conn.close();
    } catch {
      // closed
    }
  }
}

/** A raw control-socket client. */
async function control(dir: string) {
  const conn = await Deno.connect({
    transport: "unix",
    path: join(dir, "omdiscd.sock"),
  });
  const dec = new FrameDecoder({ key: null });
  const buf = new Uint8Array(1 << 16);
  const pending: unknown[] = [];
  const next = async () => {
    while (pending.length === 0) {
      const n = await conn.read(buf);
      if (n === null) return null;
      pending.push(...dec.push(buf.slice(0, n)));
    }
    return pending.shift();
  };
  const hello = await next() as Hello;
  return {
    hello,
    async call(req: Record<string, unknown>) {
      await writeAll(conn, encodeFrame(null, req));
      return await next() as { ok: boolean; error?: string };
    },
    close: () => conn.close(),
  };
}

Deno.test(
  "replayed and forged datagrams, links and control requests are dropped and counted while the daemons keep serving",
  opts,
  async (t) => {
    const cluster = await LocalCluster.start({
      nodes: 2,
      subnet: SUBNET,
      port: PORT,
      daemonArgs: ["--unit", "0.25", "--no-balance"],
    });
    const dirs = cluster.nodes.map((n) => n.dir);
    const ids = cluster.nodes.map((n) => n.id);
    const secret = await loadSecret(join(dirs[0], "secret"));
    const dgramKey = deriveKey(secret, "datagram");
    const linkKey = deriveKey(secret, "link");
    const controlKey = deriveKey(secret, "control");
    const sock = Deno.listenDatagram({
      transport: "udp",
      hostname: SPY,
      port: PORT,
    });
    const to = (i: number) => ({
      transport: "udp" as const,
      hostname: cluster.nodes[i].addr,
      port: PORT,
    });
    try {
      assert(
        await waitFor(() => allSeeLive(dirs, ids), 10000) >= 0,
        "cluster did not form",
      );

      await t.step(
        "a real datagram captured off the wire and replayed is dropped as a replay",
        async () => {
          // Put a spy in the map: the daemons then gossip to it too.
          const map = `${ids[0]} ${cluster.nodes[0].addr} 3\n`;
          for (let i = 0; i < 2; i++) {
            const r = await cluster.run(i, "setpe", ["-w"], map);
            assert.equal(r.code, 0, r.stderr);
          }
          let captured: Uint8Array | null = null;
          let sender = 0;
          const deadline = Date.now() + 15000;
          while (captured === null && Date.now() < deadline) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            const got = await Promise.race([
              sock.receive(),
              new Promise<null>((r) => timer = setTimeout(() => r(null), 1000)),
            ]).finally(() => clearTimeout(timer));
            if (got === null) continue;
            const env = decodeDatagram(dgramKey, got[0]);
            sender = ids.indexOf(env.from);
            if (sender >= 0) captured = got[0].slice();
          }
          assert(captured !== null, "no datagram reached the spy");
          // Sent to the spy, so new to the other node: the first copy passes,
          // every further one is a replay.
          const target = 1 - sender;
          const before = await stats(dirs[target]);
          for (let i = 0; i < 5; i++) await sock.send(captured, to(target));
          assert(
            await waitFor(
              async () =>
                dropped(await stats(dirs[target]), "replay") -
                    dropped(before, "replay") >= 4,
              5000,
            ) >= 0,
            "replays not counted",
          );
          // Back to the two-node map.
          for (let i = 0; i < 2; i++) {
            const r = await cluster.run(
              i,
              "setpe",
              ["-w"],
              `${ids[0]} ${cluster.nodes[0].addr} 2\n`,
            );
            assert.equal(r.code, 0, r.stderr);
          }
        },
      );

      await t.step(
        "stale, future, old-boot and mis-keyed datagrams are dropped by reason",
        async () => {
          const before = await stats(dirs[0]);
          const env = (over: Partial<Envelope>): Envelope => ({
            type: "gossip",
            from: ids[1],
            boot: 1,
            seq: 1,
            ts: Date.now(),
            body: { entries: [] },
            ...over,
          });
          const hour = 3600_000;
          const send = (b: Uint8Array) => sock.send(b, to(0));
          await send(encodeDatagram(dgramKey, env({ ts: Date.now() - hour }))); // stale
          await send(encodeDatagram(dgramKey, env({ ts: Date.now() + hour }))); // future
          // Node 2's real boot is far above 1: an "old boot" of it.
          await send(encodeDatagram(dgramKey, env({ boot: 1, seq: 99 })));
          const good = encodeDatagram(dgramKey, env({ from: 3001, seq: 5 }));
          await send(good.subarray(0, good.length - 1)); // tag cut short
          const zeroed = good.slice();
          zeroed.fill(0, zeroed.length - 32);
          await send(zeroed); // tag zeroed
          await send(encodeDatagram(linkKey, env({ from: 3001, seq: 6 }))); // link key
          // A link frame's payload sent as a datagram: another MAC context.
          await send(
            encodeFrame(dgramKey, env({ from: 3001, seq: 7 })).subarray(4),
          );
          assert(
            await waitFor(async () => {
              const s = await stats(dirs[0]);
              return dropped(s, "stale") - dropped(before, "stale") >= 2 &&
                dropped(s, "old-boot") - dropped(before, "old-boot") >= 1 &&
                dropped(s, "mac") - dropped(before, "mac") >= 4;
            }, 5000) >= 0,
            `not all counted: ${JSON.stringify(await stats(dirs[0]))}`,
          );
        },
      );

      await t.step(
        "a recorded link connection that blocked a node, replayed, does nothing",
        async () => {
          // A genuine session through the "info." service: block node 1.
          const link = await RawLink.open(cluster.nodes[0].addr, linkKey);
          const hello = await link.next();
          assert.equal(hello?.type, "hello");
          const nonce = (hello!.body as { nonce: Uint8Array }).nonce;
          await link.send(link.frame(linkKey, "auth", {
            echo: nonce,
            nonce: crypto.getRandomValues(new Uint8Array(16)),
          }, ids[1]));
          assert.equal((await link.next())?.type, "ready");
          await link.send(
            link.frame(linkKey, "info.node", { op: "block", rid: 1 }, ids[1]),
          );
          const reply = await link.next();
          assert.equal((reply?.body as { ok?: boolean })?.ok, true);
          link.close();
          const recorded = link.sent;
          assert.equal((await statusOf(dirs[0]))?.blocked, true);
          const unblock = await cluster.run(0, "mosctl", ["noblock"]);
          assert.equal(unblock.code, 0, unblock.stderr);
          assert.equal((await statusOf(dirs[0]))?.blocked, false);

          // Replayed as a whole, or the request alone after a fresh genuine
          // handshake: neither gets an answer nor blocks the node.
          const replay = await RawLink.open(cluster.nodes[0].addr, linkKey);
          await replay.next(); // a fresh hello the recording cannot answer
          for (const b of recorded) await replay.send(b);
          let m = await replay.next(1500);
          assert(m === null, `the replayed link got ${m?.type}`);
          replay.close();
          const spliced = await RawLink.open(cluster.nodes[0].addr, linkKey);
          const h2 = await spliced.next();
          await spliced.send(spliced.frame(linkKey, "auth", {
            echo: (h2!.body as { nonce: Uint8Array }).nonce,
            nonce: crypto.getRandomValues(new Uint8Array(16)),
          }, ids[1]));
          assert.equal((await spliced.next())?.type, "ready");
          await spliced.send(recorded[recorded.length - 1]);
          m = await spliced.next(1500);
          assert(m === null, `the spliced request got ${m?.type}`);
          spliced.close();
          // Signed with another key: refused at the handshake.
          const other = deriveKey(
            new TextEncoder().encode("another-secret-0123456789"),
            "link",
          );
          const forged = await RawLink.open(cluster.nodes[0].addr, linkKey);
          const h3 = await forged.next();
          await forged.send(forged.frame(other, "auth", {
            echo: (h3!.body as { nonce: Uint8Array }).nonce,
            nonce: new Uint8Array(16),
          }, ids[1]));
          assert.equal(await forged.next(1500), null);
          forged.close();

          await new Promise((r) => setTimeout(r, 300));
          assert.equal(
            (await statusOf(dirs[0]))?.blocked,
            false,
            "replay blocked the node",
          );
          const log = await Deno.readTextFile(join(dirs[0], "log"));
          const refusals = log.split("\n").filter((l) =>
            /link refused/.test(l)
          );
          assert(refusals.length >= 2, `refusals not logged:\n${log}`);
        },
      );

      await t.step(
        "control requests with forged or borrowed admin tags are refused",
        async () => {
          const a = await control(dirs[0]);
          const b = await control(dirs[0]);
          try {
            const tries: unknown[] = [
              crypto.getRandomValues(new Uint8Array(32)), // forged
              controlAuth(controlKey, b.hello.nonce), // borrowed from another connection
              controlAuth(controlKey, a.hello.nonce).subarray(0, 16), // cut
              new Uint8Array(0),
              "tag",
            ];
            for (const auth of tries) {
              const res = await a.call({ id: 1, op: "block", auth });
              assert.equal(res.ok, false);
              assert.match(res.error ?? "", /not authorized/);
            }
            assert.equal((await statusOf(dirs[0]))?.blocked, false);
            // The genuine tag works, once per connection's own nonce.
            const okRes = await b.call({
              id: 2,
              op: "block",
              auth: controlAuth(controlKey, b.hello.nonce),
            });
            assert.equal(okRes.ok, true, okRes.error);
            assert.equal((await statusOf(dirs[0]))?.blocked, true);
            const undo = await b.call({
              id: 3,
              op: "noblock",
              auth: controlAuth(controlKey, b.hello.nonce),
            });
            assert.equal(undo.ok, true, undo.error);
          } finally {
            a.close();
            b.close();
          }
        },
      );

      await t.step(
        "a hand-off is taken only when its home announced it, from one source, once",
        async () => {
          const addr = cluster.nodes[1].addr;
          const open = (id: number) =>
            FrameConn.connect(addr, PORT, linkKey, id, 5000);
          const token = "0123456789abcdef0123456789abcdef";
          // Nobody announced it.
          const stray = await open(901);
          await assert.rejects(
            stray.request("guest.handoff", { token, home: 902 }, 5000),
            /no such hand-off expected here/,
          );
          stray.close();
          // A home announces it; a malformed token is refused.
          const home = await open(902);
          await assert.rejects(
            home.request("guest.expect", { token: "../x" }, 5000),
            /malformed hand-off token/,
          );
          await home.request("guest.expect", { token }, 5000);
          // Naming another home does not take it.
          const wrong = await open(903);
          await assert.rejects(
            wrong.request("guest.handoff", { token, home: 904 }, 5000),
            /no such hand-off expected here/,
          );
          wrong.close();
          const source = await open(903);
          await source.request("guest.handoff", { token, home: 902 }, 5000);
          // Claimed: a second source is refused.
          const second = await open(905);
          await assert.rejects(
            second.request("guest.handoff", { token, home: 902 }, 5000),
            /no such hand-off expected here/,
          );
          second.close();
          source.close();
          home.close();
        },
      );

      await t.step("the daemons keep serving", async () => {
        for (const dir of dirs) {
          const s = await runCommand("mosctl", [
            "status",
            "--json",
            "--dir",
            dir,
          ]);
          assert.equal(s.code, 0, s.stderr);
        }
        assert(await waitFor(() => allSeeLive(dirs, ids), 10000) >= 0);
        for (const n of cluster.nodes) {
          assert(n.process !== null, "a daemon died");
        }
      });
    } finally {
      sock.close();
      await cluster.stop();
    }
  },
);

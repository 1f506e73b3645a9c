/**
 * Bad input against live daemons: garbage, truncated, oversized, forged and
 * replayed datagrams; garbage and oversized control frames; malformed maps;
 * a dead control socket; bad usage. The daemon keeps serving throughout.
 */

import assert from "node:assert/strict";
import { seededRandom } from "../../core/gossip_sim.ts";
import { join } from "node:path";
import {
  LocalCluster,
  runCommand,
  waitFor,
} from "../../tools/local_cluster.ts";
import { allSeeLive, statusOf } from "../../tools/cluster_probe.ts";
import { encodeDatagram, MAX_DATAGRAM } from "../../core/wire.ts";
import { deriveKey, loadSecret } from "../../core/secret.ts";
import { encodeFrame } from "../../core/wire.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

function oneLineError(stderr: string, cmd: string): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `not one line: ${stderr}`);
  assert.match(lines[0], new RegExp(`^${cmd}: `));
  assert.doesNotMatch(stderr, /^\s+at /m, "stack trace leaked");
}

Deno.test(
  "daemons survive thousands of hostile datagrams and frames",
  opts,
  async (t) => {
    const cluster = await LocalCluster.start({
      nodes: 2,
      subnet: 12,
      port: 4672,
    });
    const dirs = cluster.nodes.map((n) => n.dir);
    const ids = cluster.nodes.map((n) => n.id);
    const target = {
      transport: "udp" as const,
      hostname: cluster.nodes[0].addr,
      port: 4672,
    };
    try {
      assert(
        await waitFor(() => allSeeLive(dirs, ids), 5000) >= 0,
        "cluster did not form",
      );
      const key = deriveKey(
        await loadSecret(join(dirs[0], "secret")),
        "datagram",
      );
      const sock = Deno.listenDatagram({
        transport: "udp",
        hostname: "127.0.12.200",
        port: 0,
      });
      const rand = seededRandom(Number(Deno.env.get("DMOSIX_FUZZ_SEED") ?? 1));
      const iters = Number(Deno.env.get("DMOSIX_FUZZ_ITERS") ?? 4000);
      const valid = (seq: number, body: unknown) =>
        encodeDatagram(key, {
          type: "gossip",
          from: 3000,
          boot: 1,
          seq,
          ts: Date.now(),
          body,
        });

      await t.step(
        `${iters} garbage, truncated, mutated, oversized and forged datagrams`,
        async () => {
          for (let i = 0; i < iters; i++) {
            let pkt: Uint8Array;
            switch (i % 6) {
              case 0: // random bytes
                pkt = crypto.getRandomValues(
                  new Uint8Array(1 + Math.floor(rand() * 1400)),
                );
                break;
              case 1: { // a valid datagram cut short
                const v = valid(i + 1, { entries: [] });
                pkt = v.subarray(0, Math.floor(rand() * v.length));
                break;
              }
              case 2: { // a valid datagram with one bit flipped
                pkt = valid(i + 1, { entries: [] }).slice();
                const at = Math.floor(rand() * pkt.length);
                pkt[at] ^= 1 << Math.floor(rand() * 8);
                break;
              }
              case 3: // the largest datagram UDP carries, of noise
                pkt = new Uint8Array(MAX_DATAGRAM).fill(i & 255);
                break;
              case 4: // correctly signed, but a body of the wrong shape
                pkt = valid(
                  i + 1,
                  [
                    { entries: "x" },
                    { entries: [{ id: -1 }] },
                    null,
                    42,
                  ][i % 4],
                );
                break;
              default: // signed by another secret
                pkt = encodeDatagram(
                  deriveKey(
                    new TextEncoder().encode("not-our-secret-123456"),
                    "datagram",
                  ),
                  {
                    type: "gossip",
                    from: 3001,
                    boot: 1,
                    seq: i + 1,
                    ts: Date.now(),
                    body: { entries: [] },
                  },
                );
            }
            await sock.send(pkt, target);
            // Big ones fill the daemon's socket buffer fast: give it time.
            if (pkt.length > 10000) await new Promise((r) => setTimeout(r, 1));
            if (i % 50 === 49) await new Promise((r) => setTimeout(r, 15)); // let the daemon drain
          }
        },
      );

      await t.step("a replayed datagram is dropped", async () => {
        const pkt = valid(1_000_000, { entries: [] });
        await sock.send(pkt, target);
        await sock.send(pkt, target);
        const ok = await waitFor(async () => {
          const s = await statusOf(dirs[0]);
          return ((s?.stats as { dropped: Record<string, number> })?.dropped
            .replay ?? 0) >= 1;
        }, 3000);
        assert(ok >= 0, "replay not counted");
      });
      sock.close();

      await t.step(
        "garbage, oversized and truncated control frames drop only that client",
        async () => {
          const path = join(dirs[0], "omdiscd.sock");
          const payloads = [
            crypto.getRandomValues(new Uint8Array(4096)),
            new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3]), // 4 GiB length prefix
            encodeFrame(null, { id: 1, op: "status" }).subarray(0, 7), // cut short
            encodeFrame(null, {
              id: 1,
              op: "map.set",
              args: { text: "1 127.0.0.1 1\n" },
            }), // no auth
            encodeFrame(null, { id: 2, op: "no-such-op" }),
          ];
          for (let i = 0; i < 300; i++) {
            const c = await Deno.connect({ transport: "unix", path });
            try {
              await c.write(payloads[i % payloads.length]);
            } catch {
              // the daemon may already have hung up: that is the point
            }
            c.close();
          }
          const s = await runCommand("mosctl", [
            "status",
            "--json",
            "--dir",
            dirs[0],
          ]);
          assert.equal(s.code, 0, s.stderr);
          assert.equal(JSON.parse(s.stdout).id, ids[0]);
        },
      );

      await t.step("the cluster is intact after the storm", async () => {
        assert(await waitFor(() => allSeeLive(dirs, ids), 5000) >= 0);
        const s = await statusOf(dirs[0]);
        const stats = s!.stats as {
          received: number;
          dropped: Record<string, number>;
        };
        // Nearly every datagram must arrive and be judged (loopback may drop a few).
        assert(stats.received >= iters * 0.95, JSON.stringify(stats));
        const rejected = Object.values(stats.dropped).reduce((a, b) => a + b);
        // Five kinds of six fail authentication; the sixth is refused by shape.
        assert(rejected >= iters * 0.75, JSON.stringify(stats));
        assert((stats.dropped.mac ?? 0) > iters / 6, JSON.stringify(stats));
      });

      await t.step(
        "a malformed map is refused with file and line, the old map stays",
        async () => {
          const r = await cluster.run(
            0,
            "setpe",
            ["-w"],
            "# ok\n3073 127.0.12.1 2\n5 10.0.0.1 zero\n",
          );
          assert.equal(r.code, 1);
          oneLineError(r.stderr, "setpe");
          assert.match(r.stderr, /<stdin>:3/);
          const m = await cluster.run(0, "setpe", ["-r"]);
          assert.match(m.stdout, /^3073\s+127\.0\.12\.1\s+2$/m);
        },
      );

      await t.step("a map without this node is refused", async () => {
        const r = await cluster.run(0, "setpe", ["-w"], "7 127.0.99.1 2\n");
        assert.equal(r.code, 1);
        oneLineError(r.stderr, "setpe");
        assert.match(r.stderr, /not in the map/);
      });
    } finally {
      await cluster.stop();
    }
  },
);

Deno.test(
  "commands report a dead control socket and bad usage in one line",
  opts,
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "dmosix-dead-" });
    try {
      // A socket file whose daemon is gone.
      const l = Deno.listen({
        transport: "unix",
        path: join(dir, "omdiscd.sock"),
      });
      l.close();
      for (
        const [cmd, args] of [["mosctl", ["status"]], ["showmap", []], [
          "setpe",
          ["-r"],
        ], ["mon", ["--once"]]] as const
      ) {
        const r = await runCommand(cmd, [...args, "--dir", dir]);
        assert.equal(r.code, 1, `${cmd}: ${r.stderr}`);
        oneLineError(r.stderr, cmd);
        assert.match(r.stderr, /cannot reach omdiscd/);
      }
      for (
        const [cmd, args] of [
          ["mosctl", ["frobnicate"]],
          ["showmap", ["--bogus"]],
          ["setpe", ["-w", "-r"]],
          ["omdiscd", ["--port", "x"]],
          ["mosctl", ["isup", "0x1ffff"]],
        ] as const
      ) {
        const r = await runCommand(cmd, [...args, "--dir", dir]);
        assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
        oneLineError(r.stderr, cmd);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

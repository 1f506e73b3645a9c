/**
 * Direct communication between cluster processes on real daemons on
 * loopback: two processes away from home, on different nodes, exchange
 * messages straight between those nodes (their homes relay nothing); a
 * ring of 6 processes on 3 nodes passes tokens while the processes are
 * migrated at random, and every process gets every token, in order, once.
 */

import assert from "node:assert/strict";
import {
  commandArgs,
  LocalCluster,
  type LocalNode,
  waitFor,
} from "../../tools/local_cluster.ts";
import { callProc } from "../../core/proc_socket.ts";
import { allSeeLive, statusOf } from "../../tools/cluster_probe.ts";
import { seededRandom } from "../../core/gossip_sim.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const PORT = 4793;
const EX = (n: string) =>
  new URL(`../../examples/dicom/${n}.wasm`, import.meta.url).pathname;

/** A mosrun child whose stdout is collected as it comes. */
class Proc {
  readonly child: Deno.ChildProcess;
  out = "";
  err = "";
  readonly done: Promise<Deno.CommandStatus>;
  #writer: WritableStreamDefaultWriter<Uint8Array>;

  constructor(
    node: LocalNode,
    cwd: string,
    args: string[],
    env?: Record<string, string>,
  ) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: commandArgs("mosrun", ["--dir", node.dir, ...args]),
      cwd,
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#writer = this.child.stdin.getWriter();
    const collect = async (s: ReadableStream<Uint8Array>, err: boolean) => {
      const dec = new TextDecoder();
      for await (const c of s) {
        if (err) this.err += dec.decode(c, { stream: true });
        else this.out += dec.decode(c, { stream: true });
      }
    };
    const a = collect(this.child.stdout, false);
    const b = collect(this.child.stderr, true);
    this.done = Promise.all([a, b]).then(() => this.child.status);
  }

  get pid(): number {
    return this.child.pid;
  }

  async say(line: string): Promise<void> {
    await this.#writer.write(new TextEncoder().encode(line));
  }

  async closeStdin(): Promise<void> {
    await this.#writer.close().catch(() => {});
  }

  /** Wait (bounded) for stdout to match. */
  async expect(re: RegExp, ms = 30000): Promise<RegExpMatchArray> {
    const end = Date.now() + ms;
    for (;;) {
      const m = this.out.match(re);
      if (m) return m;
      if (Date.now() > end) {
        throw new Error(
          `no ${re} from ${this.pid}: out=${this.out} err=${this.err}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function to(node: LocalNode | null) {
  return node === null
    ? { kind: "home" }
    : { kind: "node", id: node.id, addr: node.addr, port: PORT };
}

Deno.test(
  "direct communication between cluster processes on loopback daemons",
  opts,
  async (t) => {
    const cluster = await LocalCluster.start({
      nodes: 3,
      subnet: 93,
      port: PORT,
      daemonArgs: ["--no-balance"],
    });
    const nodes = cluster.nodes;
    const work = await Deno.makeTempDir({ prefix: "dmosix-dicom-" });
    try {
      assert(
        await waitFor(() =>
          allSeeLive(
            nodes.map((n) => n.dir),
            nodes.map((n) => n.id),
          ), 10000) >= 0,
        "the nodes do not see each other",
      );

      await t.step(
        "two processes away from home, on different nodes, talk straight between those nodes",
        async () => {
          const [home, a, b] = nodes;
          const server = new Proc(home, work, [
            `-${a.id}`,
            EX("bulk"),
            "serve",
          ]);
          await server.expect(/^self \d+ \d+\n/);
          assert.equal(server.out, `self ${home.id} ${server.pid}\n`);
          const before = await statusOf(home.dir) as {
            dicom: { relayed: number; delivered: number };
          };
          const client = new Proc(home, work, [
            `-${b.id}`,
            EX("bulk"),
            "send",
            String(home.id),
            String(server.pid),
            "300000",
            "40",
          ]);
          const [sc, cc] = await Promise.all([server.done, client.done]);
          assert.equal(cc.code, 0, client.out + client.err);
          assert.equal(sc.code, 0, server.out + server.err);
          assert.match(client.out, /^sent 40 x 300000 bytes/);
          // Both ran away from home: the home node carried none of it.
          const after = await statusOf(home.dir) as {
            dicom: { relayed: number; delivered: number };
          };
          assert.equal(after.dicom.delivered, before.dicom.delivered);
          const onA = await statusOf(a.dir) as {
            dicom: { delivered: number };
          };
          assert(onA.dicom.delivered >= 42, JSON.stringify(onA.dicom));
        },
      );

      await t.step(
        "with mailboxes kept at home (DMOSIX_DICOM_ROUTE=home) the same pair talks through the homes",
        async () => {
          const [home, a, b] = nodes;
          const env = { DMOSIX_DICOM_ROUTE: "home" };
          const server = new Proc(
            home,
            work,
            [`-${a.id}`, EX("bulk"), "serve"],
            env,
          );
          await server.expect(/^self \d+ \d+\n/);
          const before = await statusOf(home.dir) as {
            dicom: { relayed: number };
          };
          const client = new Proc(home, work, [
            `-${b.id}`,
            EX("bulk"),
            "send",
            String(home.id),
            String(server.pid),
            "100000",
            "10",
          ], env);
          const [sc, cc] = await Promise.all([server.done, client.done]);
          assert.equal(cc.code, 0, client.out + client.err);
          assert.equal(sc.code, 0, server.out + server.err);
          const after = await statusOf(home.dir) as {
            dicom: { relayed: number };
          };
          // Every message went through the home's mosrun.
          assert(after.dicom.relayed - before.dicom.relayed >= 12);
        },
      );

      await t.step(
        "a ring of 6 processes on 3 nodes keeps every token in order while they migrate at random",
        async () => {
          const TOKENS = 3, ROUNDS = 60;
          const ring: Proc[] = [];
          const homeOf: LocalNode[] = [];
          for (let i = 0; i < 6; i++) {
            const home = nodes[i % 3];
            homeOf.push(home);
            ring.push(
              new Proc(home, work, [
                EX("ring"),
                String(TOKENS),
                String(ROUNDS),
                "4",
              ]),
            );
          }
          for (let i = 0; i < 6; i++) {
            const m = await ring[i].expect(/^self (\d+) (\d+)\n/);
            assert.deepEqual([Number(m[1]), Number(m[2])], [
              homeOf[i].id,
              ring[i].pid,
            ]);
          }
          // Tell each its successor; the last gets its line first so that
          // every receiver is ready before process 0 starts the tokens.
          for (let i = 5; i >= 0; i--) {
            const next = (i + 1) % 6;
            await ring[i].say(
              `${i} 6 ${homeOf[next].id} ${ring[next].pid}\n`,
            );
          }
          let finished = false;
          const all = Promise.all(ring.map((p) => p.done)).finally(() =>
            finished = true
          );
          const rnd = seededRandom(7);
          let moves = 0;
          const deadline = Date.now() + 120_000;
          while (!finished && Date.now() < deadline) {
            const i = Math.floor(rnd() * 6);
            const where = [null, ...nodes][Math.floor(rnd() * 4)];
            try {
              await callProc(homeOf[i].dir, ring[i].pid, "migrate", {
                to: to(
                  where !== null && where.id === homeOf[i].id ? null : where,
                ),
                wait: true,
              }, 30000);
              moves++;
            } catch (e) {
              // A process ending meanwhile fails the move: fine only then.
              const ended = await Promise.race([
                ring[i].done.then(() => true),
                new Promise<boolean>((r) => setTimeout(() => r(false), 20000)),
              ]);
              if (!ended) throw e;
            }
            await new Promise((r) => setTimeout(r, 50 + rnd() * 150));
          }
          const status = await all;
          for (let i = 0; i < 6; i++) {
            assert.equal(
              status[i].code,
              0,
              `process ${i}: ${ring[i].out} ${ring[i].err}`,
            );
            assert.match(
              ring[i].out,
              new RegExp(`ok ${TOKENS * ROUNDS} tokens\\n$`),
            );
          }
          assert(
            moves >= 8,
            `only ${moves} migrations during the ring (make it longer)`,
          );
        },
      );
    } finally {
      await cluster.stop();
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  },
);

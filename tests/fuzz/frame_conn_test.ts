/**
 * Fuzzing FrameConn (core/link/frame_conn.ts) over real loopback TCP:
 * hostile connectors and acceptors send garbage, mutated, forged, replayed
 * and oversized handshakes, stall, or misbehave after the handshake.
 * Properties: accept and connect settle with LinkError, and only that,
 * within their timeout; a recorded connection replayed never authenticates;
 * a bad frame after the handshake closes the link with a LinkError; and a
 * genuine peer is served throughout.
 */

import { equal, ok } from "node:assert/strict";
import { FrameDecoder, writeAll } from "../../core/frame_decoder.ts";
import { FrameConn, LinkError } from "../../core/link/frame_conn.ts";
import { encodeFrame, type Envelope } from "../../core/wire.ts";
import {
  concat,
  expectOnlyAsync,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  mutate,
  type Rng,
} from "../../tools/fuzz.ts";

const KEY = new Uint8Array(32).fill(0x4c);
const WRONG_KEY = new Uint8Array(32).fill(0x4d);
const HOST = "127.0.0.1";
const TIMEOUT_MS = 400;
const isLink = (e: unknown) => e instanceof LinkError;

let bootSeq = 1;

/** A raw client: writes bytes, reads frames with the real key. */
class Raw {
  readonly conn: Deno.Conn;
  readonly sent: Uint8Array[] = [];
  #dec = new FrameDecoder({ key: KEY, monotonic: false });
  #ready: Envelope[] = [];
  #buf = new Uint8Array(65536);
  seq = 0;
  readonly boot = bootSeq++;

  constructor(conn: Deno.Conn) {
    this.conn = conn;
  }

  static async open(port: number): Promise<Raw> {
    return new Raw(await Deno.connect({ hostname: HOST, port }));
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.sent.push(bytes);
    await writeAll(this.conn, bytes).catch(() => {});
  }

  frame(type: string, body: unknown, key = KEY, from = 2): Uint8Array {
    return encodeFrame(key, {
      type,
      from,
      boot: this.boot,
      seq: ++this.seq,
      ts: Date.now(),
      body,
    });
  }

  async read(): Promise<Envelope | null> {
    const deadline = Date.now() + TIMEOUT_MS * 4;
    while (this.#ready.length === 0) {
      if (Date.now() > deadline) return null;
      const n = await this.conn.read(this.#buf).catch(() => null);
      if (n === null) return null;
      this.#ready.push(
        ...this.#dec.push(this.#buf.slice(0, n)) as Envelope[],
      );
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

/** Outcomes of FrameConn.accept on the server side, in order. */
interface Server {
  port: number;
  outcomes: Promise<FrameConn | Error>[];
  listener: Deno.Listener;
  loop: Promise<void>;
}

function startServer(): Server {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  const s: Server = {
    port: (listener.addr as Deno.NetAddr).port,
    outcomes: [],
    listener,
    loop: Promise.resolve(),
  };
  s.loop = (async () => {
    for await (const conn of listener) {
      const started = Date.now();
      s.outcomes.push(
        FrameConn.accept(conn, KEY, 1, TIMEOUT_MS).then(
          (fc) => fc,
          (e) => {
            // Settles within its timeout, whatever the peer does.
            ok(
              Date.now() - started < TIMEOUT_MS + 1000,
              "accept hung past its timeout",
            );
            return e as Error;
          },
        ),
      );
    }
  })().catch(() => {});
  return s;
}

/** The outcome of the `n`-th accepted connection (0-based), once accepted. */
async function outcome(s: Server, n: number): Promise<FrameConn | Error> {
  const deadline = Date.now() + 5000;
  while (s.outcomes.length <= n) {
    if (Date.now() > deadline) {
      throw new Error(`connection ${n} never accepted`);
    }
    await new Promise((res) => setTimeout(res, 2));
  }
  return await s.outcomes[n];
}

/** A genuine client: handshake, echo request, answered by the server. */
async function genuineRoundTrip(s: Server): Promise<void> {
  const n = s.outcomes.length;
  const client = await FrameConn.connect(HOST, s.port, KEY, 2, 2000);
  const fc = await outcome(s, n);
  ok(fc instanceof FrameConn, `genuine peer refused: ${fc}`);
  const served = (async () => {
    const m = await fc.next();
    await fc.reply(m!, true, { echo: (m!.body as { x: number }).x });
  })();
  const res = await client.request<{ echo: number }>("ping", { x: 42 }, 2000);
  equal(res.echo, 42);
  await served;
  client.close();
  fc.close();
}

/** Record the bytes of one genuine client handshake. */
async function recordHandshake(s: Server): Promise<Uint8Array> {
  const n = s.outcomes.length;
  const raw = await Raw.open(s.port);
  const hello = await raw.read();
  ok(hello?.type === "hello");
  await raw.write(
    raw.frame("auth", {
      echo: (hello!.body as { nonce: Uint8Array }).nonce,
      nonce: crypto.getRandomValues(new Uint8Array(16)),
    }),
  );
  const ready = await raw.read();
  equal(ready?.type, "ready", "the recorded handshake did not succeed");
  await raw.write(raw.frame("ping", { rid: 1, x: 1 }));
  raw.close();
  ok((await outcome(s, n)) instanceof FrameConn);
  return concat(...raw.sent);
}

async function hostileClient(
  r: Rng,
  s: Server,
  recorded: Uint8Array,
  stats: FuzzStats,
): Promise<void> {
  const n = s.outcomes.length;
  const raw = await Raw.open(s.port);
  const kind = r.int(7);
  try {
    if (kind === 0) { // the recorded connection, replayed as is or mutated
      await raw.write(r.chance(0.5) ? recorded : mutate(r, recorded));
    } else if (kind === 1) { // garbage
      await raw.write(r.bytes(1 + r.int(2000)));
    } else if (kind === 2) { // a huge length prefix
      const h = new Uint8Array(4);
      new DataView(h.buffer).setUint32(0, 0xffffffff - r.int(1000));
      await raw.write(concat(h, r.bytes(r.int(100))));
    } else {
      const hello = await raw.read();
      const nonce = (hello?.body as { nonce?: Uint8Array })?.nonce;
      const body = r.pick<unknown>([
        { echo: nonce, nonce: r.bytes(16) },
        { echo: nonce },
        { echo: r.bytes(16), nonce: r.bytes(16) },
        { echo: nonce, nonce: "x" },
        null,
        [nonce],
      ]);
      const valid = kind === 3 && body !== null && !Array.isArray(body) &&
        (body as { nonce?: unknown }).nonce instanceof Uint8Array &&
        (body as { echo?: unknown }).echo === nonce;
      if (kind === 3) {
        await raw.write(raw.frame("auth", body));
      } else if (kind === 4) { // signed with another cluster's key
        await raw.write(
          raw.frame("auth", { echo: nonce, nonce: r.bytes(16) }, WRONG_KEY),
        );
      } else if (kind === 5) { // wrong type, or a frame cut short
        const f = raw.frame(r.pick(["hello", "ready", "auth2"]), body);
        await raw.write(r.chance(0.5) ? f : f.subarray(0, r.int(f.length)));
      } else { // a mutated genuine auth frame
        await raw.write(
          mutate(r, raw.frame("auth", { echo: nonce, nonce: r.bytes(16) })),
        );
      }
      if (valid) {
        stats.add("valid-auth");
        // The handshake passes: now misbehave on the open link.
        const ready = await raw.read();
        equal(ready?.type, "ready");
        const fc = await outcome(s, n);
        ok(fc instanceof FrameConn);
        const bad = r.pick([
          () => mutate(r, raw.frame("x", { a: 1 })),
          () => raw.sent[raw.sent.length - 1], // replayed frame
          () => raw.frame("x", {}, KEY, 3), // another node's identity
          () => raw.frame("x", {}, WRONG_KEY),
        ])();
        await raw.write(bad);
        raw.close(); // a frame cut short must not keep the link waiting
        const next = await fc.next();
        // A mutation may leave a valid frame; anything else ends the link.
        if (next === null) {
          ok(fc.error instanceof LinkError, `closed without LinkError`);
          stats.add("link-closed");
        }
        fc.close();
        return;
      }
    }
  } finally {
    raw.close();
  }
  const out = await outcome(s, n);
  if (out instanceof FrameConn) {
    // Only a handshake the fuzzer could legitimately complete gets here.
    ok(kind >= 3 && kind !== 4, `kind ${kind} authenticated`);
    out.close();
    stats.add("accepted");
    return;
  }
  ok(isLink(out), `accept failed with ${out}`);
  stats.add(kind === 0 ? "replay-refused" : "refused");
}

Deno.test("FrameConn.accept refuses hostile, forged and replayed handshakes with LinkError and keeps serving", async () => {
  const cfg = fuzzConfig(120);
  const stats = new FuzzStats();
  const s = startServer();
  try {
    const recorded = await recordHandshake(s);
    await fuzzLoop("frame conn accept", cfg, async (r, i) => {
      await hostileClient(r, s, recorded, stats);
      if (i % 20 === 0) await genuineRoundTrip(s);
    });
    // A client that says nothing, or stops half way, times out.
    for (const part of [new Uint8Array(0), new Uint8Array([0, 0, 1])]) {
      const n = s.outcomes.length;
      const raw = await Raw.open(s.port);
      await raw.write(part);
      const out = await outcome(s, n);
      ok(isLink(out) && /timed out/.test((out as Error).message), `${out}`);
      raw.close();
    }
    await genuineRoundTrip(s);
  } finally {
    s.listener.close();
    await s.loop;
  }
  for (const k of ["replay-refused", "refused", "valid-auth", "link-closed"]) {
    ok(stats.get(k) > 0, `${k} never reached: ${stats}`);
  }
});

Deno.test("FrameConn.connect refuses hostile acceptors with LinkError", async () => {
  const cfg = fuzzConfig(60);
  const stats = new FuzzStats();
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  // A recorded genuine "ready" (echoing an old nonce) to replay.
  const oldReady = encodeFrame(KEY, {
    type: "ready",
    from: 1,
    boot: 1,
    seq: 2,
    ts: Date.now(),
    body: { echo: crypto.getRandomValues(new Uint8Array(16)) },
  });
  try {
    await fuzzLoop("frame conn connect", cfg, async (r) => {
      const accepted = listener.accept();
      const client = expectOnlyAsync(
        "connect",
        () => FrameConn.connect(HOST, port, KEY, 2, TIMEOUT_MS),
        isLink,
      );
      const conn = await accepted;
      const raw = new Raw(conn);
      const hello = raw.frame("hello", { nonce: r.bytes(16) }, KEY, 1);
      const kind = r.int(5);
      if (kind === 0) await raw.write(concat(hello, oldReady));
      else if (kind === 1) await raw.write(mutate(r, hello));
      else if (kind === 2) await raw.write(r.bytes(1 + r.int(500)));
      else if (kind === 3) {
        await raw.write(raw.frame("hello", r.pick([null, 5, {}]), KEY, 1));
      } else {
        await raw.write(hello);
        await raw.read(); // the client's auth
        await raw.write(raw.frame("ready", { echo: r.bytes(16) }, KEY, 1));
      }
      // Mostly hang up at once; sometimes stall so the timeout must act.
      const stall = r.chance(0.1);
      if (!stall) raw.close();
      const out = await client;
      raw.close();
      if (stall) stats.add("stalled");
      ok(!out.ok, `connect succeeded against hostile acceptor kind ${kind}`);
      stats.add(`refused-${kind}`);
    });
  } finally {
    listener.close();
  }
  ok(stats.get("refused-0") > 0, stats.toString());
});

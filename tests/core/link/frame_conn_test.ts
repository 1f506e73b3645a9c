import assert from "node:assert/strict";
import { FrameConn, LinkError } from "../../../core/link/frame_conn.ts";

const KEY = new TextEncoder().encode("link-key-0123456789abcdef-0123456");
const OTHER = new TextEncoder().encode("another-key-0123456789abcdef-0123");

async function pair(serverKey = KEY, clientKey = KEY) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const acceptP = listener.accept().then((c) =>
    FrameConn.accept(c, serverKey, 2, 2000)
  );
  const clientP = FrameConn.connect("127.0.0.1", port, clientKey, 1, 2000);
  const [server, client] = await Promise.allSettled([acceptP, clientP]);
  listener.close();
  return { server, client };
}

Deno.test("a link authenticates both ends and keeps messages in order", async () => {
  const { server, client } = await pair();
  assert(server.status === "fulfilled" && client.status === "fulfilled");
  const s = server.value, c = client.value;
  assert.equal(s.peer, 1);
  assert.equal(c.peer, 2);
  for (let i = 0; i < 200; i++) {
    c.send("n", { i, data: new Uint8Array(i * 100) });
  }
  for (let i = 0; i < 200; i++) {
    const m = await s.next();
    assert.equal((m!.body as { i: number }).i, i);
  }
  c.close();
  s.close();
});

Deno.test("requests are matched to their replies, errors come back as LinkError", async () => {
  const { server, client } = await pair();
  assert(server.status === "fulfilled" && client.status === "fulfilled");
  const s = server.value, c = client.value;
  (async () => {
    for (let m = await s.next(); m; m = await s.next()) {
      const x = (m.body as { x: number }).x;
      await s.reply(m, x >= 0, x >= 0 ? x * 2 : "negative");
    }
  })();
  const results = await Promise.all(
    [3, 5, 7].map((x) => c.request<number>("double", { x })),
  );
  assert.deepEqual(results, [6, 10, 14]);
  await assert.rejects(
    c.request("double", { x: -1 }),
    (e: Error) => e instanceof LinkError && e.message === "negative",
  );
  c.close();
  await s.finished;
  assert.equal(await s.next(), null);
});

Deno.test("a peer with another key fails the handshake", async () => {
  const { server, client } = await pair(KEY, OTHER);
  assert.equal(server.status, "rejected");
  assert.equal(client.status, "rejected");
});

Deno.test("garbage on an established link closes it with a one-line error", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const acceptP = listener.accept().then((c) =>
    FrameConn.accept(c, KEY, 2, 2000)
  );
  const raw = await Deno.connect({ hostname: "127.0.0.1", port });
  await raw.write(new Uint8Array([0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]));
  await assert.rejects(acceptP, LinkError);
  raw.close();
  listener.close();
});

Deno.test("a recorded client session replayed to a new server is refused", async () => {
  // Record what a real client sends, then replay those bytes to a fresh accept.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const real = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port2 = (real.addr as Deno.NetAddr).port;
  const recorded: Uint8Array[] = [];
  const tap = (async () => {
    const conn = await listener.accept();
    const up = await Deno.connect({ hostname: "127.0.0.1", port: port2 });
    const pump = async (from: Deno.Conn, to: Deno.Conn, rec: boolean) => {
      const buf = new Uint8Array(65536);
      for (
        let n = await from.read(buf);
        n !== null;
        n = await from.read(buf).catch(() => null)
      ) {
        if (rec) recorded.push(buf.slice(0, n));
        await to.write(buf.subarray(0, n)).catch(() => {});
      }
      try {
        to.close();
      } catch { /* closed */ }
    };
    await Promise.all([pump(conn, up, true), pump(up, conn, false)]);
  })();
  const serverP = real.accept().then((c) => FrameConn.accept(c, KEY, 2, 2000));
  const c = await FrameConn.connect("127.0.0.1", port, KEY, 1, 2000);
  const s = await serverP;
  await c.send("cmd", { x: 1 });
  assert.equal(((await s.next())!.body as { x: number }).x, 1);
  c.close();
  s.close();
  await tap.catch(() => {});
  // Replay.
  const replayP = real.accept().then((conn) =>
    FrameConn.accept(conn, KEY, 2, 1000)
  );
  const attacker = await Deno.connect({ hostname: "127.0.0.1", port: port2 });
  for (const chunk of recorded) await attacker.write(chunk).catch(() => {});
  await assert.rejects(replayP, LinkError);
  attacker.close();
  real.close();
  listener.close();
});

Deno.test("keepAlive keeps an idle link open while both ends tick", async () => {
  const { server, client } = await pair();
  assert(server.status === "fulfilled" && client.status === "fulfilled");
  const s = server.value, c = client.value;
  s.keepAlive(40, 400);
  c.keepAlive(40, 400);
  await new Promise((r) => setTimeout(r, 900));
  assert(!s.closed && !c.closed, "an idle but live link was given up");
  // Ticks are not messages: the next message is the real one.
  c.send("real", { x: 1 });
  assert.equal((await s.next())?.type, "real");
  c.close();
  s.close();
});

Deno.test("keepAlive gives up a silent peer after deadAfterMs with a clear error", async () => {
  const { server, client } = await pair();
  assert(server.status === "fulfilled" && client.status === "fulfilled");
  const s = server.value, c = client.value;
  c.keepAlive(40, 300); // the server never ticks: as if cut off
  const t0 = Date.now();
  assert.equal(await c.next(), null);
  const waited = Date.now() - t0;
  assert(waited >= 300 && waited < 2000, `gave up after ${waited} ms`);
  assert.match(
    c.error?.message ?? "",
    /^no sign of life from node 2 for \d+ s$/,
  );
  s.close();
});

Deno.test("request timeouts fire each at its own deadline, answered ones resolve", async () => {
  const { server, client } = await pair();
  assert(server.status === "fulfilled" && client.status === "fulfilled");
  const s = server.value, c = client.value;
  const held: Parameters<typeof s.reply>[0][] = [];
  (async () => {
    for (let m = await s.next(); m; m = await s.next()) held.push(m);
  })();
  const t0 = performance.now();
  const long = c.request("slow", {}, 400);
  const short = c.request("fast", {}, 60);
  const answered = c.request<string>("late", {}, 5000);
  await assert.rejects(
    short,
    (e: Error) =>
      e instanceof LinkError && e.message === "fast: timed out after 60 ms",
  );
  const shortAt = performance.now() - t0;
  assert(shortAt >= 55 && shortAt < 350, `short timed out after ${shortAt}`);
  await assert.rejects(long, /slow: timed out after 400 ms/);
  assert(performance.now() - t0 >= 395);
  const late = held.find((m) => m.type === "late")!;
  await s.reply(late, true, "done");
  assert.equal(await answered, "done");
  c.close();
  s.close();
});

Deno.test("small, large and bulk sends queued at once arrive whole and in order", async () => {
  const { server, client } = await pair();
  assert(server.status === "fulfilled" && client.status === "fulfilled");
  const s = server.value, c = client.value;
  const sizes = [10, 70_000, 5, 1_500_000, 300, 2_000_000, 0, 40_000];
  const sends = sizes.map((n, i) => {
    const data = new Uint8Array(n).map((_, k) => (k * 7 + i) & 255);
    return i % 3 === 2
      ? c.sendBulk("b", { i }, data)
      : c.send("n", { i, data });
  });
  for (let i = 0; i < sizes.length; i++) {
    const m = await s.next();
    const b = m!.body as { i: number; data?: Uint8Array; bulk?: Uint8Array };
    assert.equal(b.i, i);
    const got = b.bulk ?? b.data!;
    assert.equal(got.length, sizes[i]);
    assert(got.every((x, k) => x === ((k * 7 + i) & 255)), `message ${i}`);
  }
  await Promise.all(sends);
  c.close();
  s.close();
});

import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { seededRandom } from "../../core/gossip_sim.ts";
import {
  FrameDecoder,
  readFrames,
  writeAll,
} from "../../core/frame_decoder.ts";
import { encodeFrame, type Envelope, WireError } from "../../core/wire.ts";
import { concatBytes } from "../../core/bytes.ts";

const KEY = new Uint8Array(32).fill(42);

function env(seq: number, body: unknown, from = 7): Envelope {
  return { type: "link.data", from, boot: 99, seq, ts: 1000 + seq, body };
}

/** Split `bytes` into random pieces (some empty) of at most `max` bytes. */
function randomSplit(
  bytes: Uint8Array,
  rand: () => number,
  max: number,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = Math.floor(rand() * (max + 1));
    out.push(bytes.slice(at, at + n));
    at += n;
  }
  return out;
}

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    ok(e instanceof WireError, `expected WireError, got ${e}`);
    return e.reason;
  }
  throw new Error("expected a WireError, nothing was thrown");
}

Deno.test("FrameDecoder decodes keyed frames whatever the chunk splits", () => {
  const rand = seededRandom(1);
  const envs = Array.from(
    { length: 40 },
    (_, i) =>
      env(i + 1, {
        i,
        data: new Uint8Array(Math.floor(rand() * 400)).fill(i),
      }),
  );
  const stream = concatBytes(envs.map((e) => encodeFrame(KEY, e)));
  for (let trial = 0; trial < 30; trial++) {
    const dec = new FrameDecoder({ key: KEY });
    const got: unknown[] = [];
    const max = [1, 3, 7, 100, 5000][trial % 5];
    for (const chunk of randomSplit(stream, rand, max)) {
      got.push(...dec.push(chunk));
    }
    deepStrictEqual(got, envs, `trial ${trial}`);
    equal(dec.buffered, 0);
  }
});

Deno.test("FrameDecoder decodes keyless frames of any wire value", () => {
  const values = [
    { cmd: "status" },
    [1, 2],
    "text",
    5,
    null,
    new Uint8Array([1, 2]),
  ];
  const stream = concatBytes(values.map((v) => encodeFrame(null, v)));
  const dec = new FrameDecoder({ key: null });
  const got = randomSplit(stream, seededRandom(2), 4).flatMap((c) =>
    dec.push(c)
  );
  deepStrictEqual(got, values);
});

Deno.test("FrameDecoder rejects a huge length prefix before any payload arrives", () => {
  const dec = new FrameDecoder({ key: null });
  deepStrictEqual(dec.push(new Uint8Array([0xff, 0xff])), []);
  equal(reasonOf(() => dec.push(new Uint8Array([0xff, 0xff]))), "size");
  // Stays failed: the stream must be closed.
  equal(reasonOf(() => dec.push(encodeFrame(null, 1))), "size");
});

Deno.test("FrameDecoder honours a small maxFrame", () => {
  const dec = new FrameDecoder({ key: null, maxFrame: 100 });
  deepStrictEqual(dec.push(encodeFrame(null, new Uint8Array(50))), [
    new Uint8Array(50),
  ]);
  throws(
    () => dec.push(encodeFrame(null, new Uint8Array(200)).subarray(0, 4)),
    /limit is 100/,
  );
});

Deno.test("FrameDecoder yields nothing for a truncated frame", () => {
  const f = encodeFrame(KEY, env(1, "hello"));
  for (let n = 0; n < f.length; n++) {
    const dec = new FrameDecoder({ key: KEY });
    deepStrictEqual(dec.push(f.subarray(0, n)), [], `prefix ${n}`);
    equal(dec.buffered, n);
  }
});

Deno.test("FrameDecoder rejects a tampered or zero-length frame", () => {
  const f = encodeFrame(KEY, env(1, "hello"));
  f[f.length - 5] ^= 1;
  equal(reasonOf(() => new FrameDecoder({ key: KEY }).push(f)), "mac");
  equal(
    reasonOf(() => new FrameDecoder({ key: null }).push(new Uint8Array(4))),
    "short",
  );
});

Deno.test("FrameDecoder refuses replayed, reordered or foreign frames on a keyed stream", () => {
  const a1 = encodeFrame(KEY, env(1, 1));
  const a2 = encodeFrame(KEY, env(2, 2));
  const a5 = encodeFrame(KEY, env(5, 5));
  const b3 = encodeFrame(KEY, env(3, 3, 8));
  const dec = new FrameDecoder({ key: KEY });
  equal(dec.push(concatBytes([a1, a2, a5])).length, 3); // gaps are fine
  equal(reasonOf(() => dec.push(a5)), "replay");
  equal(
    reasonOf(() => new FrameDecoder({ key: KEY }).push(concatBytes([a2, a1]))),
    "replay",
  );
  equal(
    reasonOf(() => new FrameDecoder({ key: KEY }).push(concatBytes([a1, b3]))),
    "replay",
  );
  const lax = new FrameDecoder({ key: KEY, monotonic: false });
  equal(lax.push(concatBytes([a2, a1, a1, b3])).length, 4);
});

Deno.test("FrameDecoder assembles a 16 MiB frame from 64 KiB chunks", () => {
  const big = new Uint8Array(16 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big[i] = i >>> 12;
  const f = encodeFrame(KEY, env(1, big));
  const dec = new FrameDecoder({ key: KEY });
  const got: unknown[] = [];
  for (let at = 0; at < f.length; at += 65536) {
    got.push(...dec.push(f.slice(at, at + 65536)));
  }
  equal(got.length, 1);
  deepStrictEqual((got[0] as Envelope).body, big);
});

Deno.test("readFrames reads from a ReadableStream and from a read(p) reader", async () => {
  const envs = [
    env(1, "a"),
    env(2, { b: [1] }),
    env(3, new Uint8Array(100_000).fill(3)),
  ];
  const bytes = concatBytes(envs.map((e) => encodeFrame(KEY, e)));
  const chunks = randomSplit(bytes, seededRandom(3), 20_000);

  const stream = ReadableStream.from(chunks);
  const fromStream: unknown[] = [];
  for await (const v of readFrames(stream, new FrameDecoder({ key: KEY }))) {
    fromStream.push(v);
  }
  deepStrictEqual(fromStream, envs);

  let at = 0;
  const reader = {
    read(p: Uint8Array): Promise<number | null> {
      if (at >= bytes.length) return Promise.resolve(null);
      const n = Math.min(p.length, 1 + (at % 9000), bytes.length - at);
      p.set(bytes.subarray(at, at + n));
      at += n;
      return Promise.resolve(n);
    },
  };
  const fromReader: unknown[] = [];
  for await (const v of readFrames(reader, new FrameDecoder({ key: KEY }))) {
    fromReader.push(v);
  }
  deepStrictEqual(fromReader, envs);
});

Deno.test("readFrames ends quietly on a truncated last frame and throws on a bad one", async () => {
  const good = encodeFrame(null, "ok");
  const cut = encodeFrame(null, "never").subarray(0, 6);
  const dec = new FrameDecoder({ key: null });
  const got: unknown[] = [];
  for await (
    const v of readFrames(ReadableStream.from([concatBytes([good, cut])]), dec)
  ) got.push(v);
  deepStrictEqual(got, ["ok"]);
  equal(dec.buffered, 6);

  const bad = new Uint8Array([0, 0, 0, 5, 1, 2, 3, 4, 5]);
  let error: unknown;
  try {
    for await (
      const _ of readFrames(
        ReadableStream.from([bad]),
        new FrameDecoder({ key: null }),
      )
    ) {
      // nothing
    }
  } catch (e) {
    error = e;
  }
  ok(error instanceof WireError && error.reason === "magic");
});

Deno.test("writeAll loops over short writes", async () => {
  const written: number[] = [];
  const w = {
    write(p: Uint8Array): Promise<number> {
      const n = Math.min(3, p.length);
      written.push(...p.subarray(0, n));
      return Promise.resolve(n);
    },
  };
  await writeAll(w, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  deepStrictEqual(written, [1, 2, 3, 4, 5, 6, 7, 8]);
  let failed = false;
  await writeAll({ write: () => Promise.resolve(0) }, new Uint8Array(1)).catch(
    () => {
      failed = true;
    },
  );
  ok(failed);
});

Deno.test("frames travel over a loopback TCP connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const envs = Array.from(
    { length: 20 },
    (_, i) => env(i + 1, new Uint8Array(i * 5000).fill(i)),
  );
  const server = (async () => {
    const conn = await listener.accept();
    const got: unknown[] = [];
    for await (const v of readFrames(conn, new FrameDecoder({ key: KEY }))) {
      got.push(v);
    }
    conn.close();
    return got;
  })();
  const client = await Deno.connect({ hostname: "127.0.0.1", port });
  for (const e of envs) await writeAll(client, encodeFrame(KEY, e));
  client.close();
  deepStrictEqual(await server, envs);
  listener.close();
});

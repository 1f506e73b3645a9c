/**
 * A batch job between a client (core/batch_client.ts) and a host
 * (daemon/batch_host.ts) in one process, over a real authenticated TCP link
 * on loopback: ordered output, flow control, input, signals, refusals, the
 * job killed when home goes away, and the user identity of a root daemon.
 */
import assert from "node:assert/strict";
import {
  type ByteWriter,
  RemoteBatchJob,
  type StartRefusal,
} from "../../core/batch_client.ts";
import type { BatchStart } from "../../core/batch_protocol.ts";
import { FrameConn } from "../../core/link/frame_conn.ts";
import { BatchHost, type BatchHostOptions } from "../../daemon/batch_host.ts";
import { LinkServer } from "../../daemon/link_server.ts";
import { memoryLogger } from "../../daemon/log.ts";
import { concatBytes } from "../../core/bytes.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const KEY = new Uint8Array(32).fill(7);
const HOST_ID = 0x3d09;
const dec = new TextDecoder();

function host(o: Partial<BatchHostOptions> = {}) {
  const lines: string[] = [];
  const h = new BatchHost({
    self: () => HOST_ID,
    enabled: true,
    allowRoot: true,
    blocked: () => false,
    log: memoryLogger(lines),
    ...o,
  });
  const listener = Deno.listen({ hostname: "127.0.61.9", port: 0 });
  const server = new LinkServer(KEY, () => HOST_ID, memoryLogger(lines))
    .route("batch.", (fc, first) => h.serve(fc, first));
  const loop = server.acceptAll(listener);
  return {
    host: h,
    lines,
    target: {
      id: HOST_ID,
      addr: "127.0.61.9",
      port: (listener.addr as Deno.NetAddr).port,
    },
    access: { self: 0x3d01, key: KEY },
    async close() {
      listener.close();
      await loop;
    },
  };
}

function spec(program: string, args: string[], o: Partial<BatchStart> = {}) {
  return {
    program,
    args,
    cwd: "/tmp",
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", FOO: "bar" },
    user: "root",
    homePid: Deno.pid,
    ...o,
  };
}

/** A sink keeping what it is given; `gate` holds writes while closed. */
class Sink implements ByteWriter {
  chunks: Uint8Array[] = [];
  bytes = 0;
  gate: Promise<void> | null = null;
  async write(p: Uint8Array): Promise<number> {
    if (this.gate) await this.gate;
    this.chunks.push(p.slice());
    this.bytes += p.length;
    return p.length;
  }
  text(): string {
    return dec.decode(concatBytes(this.chunks));
  }
}

async function started(
  p: Promise<RemoteBatchJob | StartRefusal>,
): Promise<RemoteBatchJob> {
  const j = await p;
  assert.ok(j instanceof RemoteBatchJob, JSON.stringify(j));
  return j;
}

Deno.test(
  "a slow reader at home holds the job back, and nothing is lost",
  opts,
  async () => {
    const h = await host();
    try {
      const job = await started(RemoteBatchJob.start(
        h.target,
        h.access,
        spec("sh", ["-c", "head -c 6000000 /dev/zero; echo done >&2"]),
      ));
      const out = new Sink(), err = new Sink();
      let open!: () => void;
      out.gate = new Promise((r) => open = r);
      const running = job.run({ stdin: null, stdout: out, stderr: err });
      await new Promise((r) => setTimeout(r, 1000));
      // Held: the window (1 MiB) and pipe buffers, not 6 MB, left the job.
      assert.equal(out.bytes, 0);
      // Without flow control the host would have read all 6 MB and the
      // job would be over; it is still there, blocked writing its pipe.
      const state = (await Deno.readTextFile(`/proc/${job.pid}/stat`))
        .replace(/^.*\) /, "")[0];
      assert.match(state, /[SR]/, `job state ${state}`);
      assert.equal(h.host.running, 1);
      assert.equal(h.host.jobs()[0].homePid, Deno.pid);
      open();
      out.gate = null;
      const r = await running;
      assert.deepEqual(r, { kind: "exit", exit: { code: 0, signal: null } });
      assert.equal(out.bytes, 6_000_000);
      assert.ok(concatBytes(out.chunks).every((b) => b === 0));
      assert.equal(err.text(), "done\n");
      assert.equal(h.host.running, 0);
    } finally {
      await h.close();
    }
  },
);

Deno.test(
  "input is carried to the job and its end closes the job's stdin",
  opts,
  async () => {
    const h = await host();
    try {
      const job = await started(RemoteBatchJob.start(
        h.target,
        h.access,
        spec("sh", ["-c", "wc -c; echo $FOO; pwd"]),
      ));
      const data = new Uint8Array(3_000_000).map((_, i) => i & 0xff);
      const stdin = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < data.length; i += 100_000) {
            c.enqueue(data.slice(i, i + 100_000));
          }
          c.close();
        },
      });
      const out = new Sink(), err = new Sink();
      const r = await job.run({ stdin, stdout: out, stderr: err });
      assert.equal(r.kind, "exit");
      assert.deepEqual(out.text().split(/\s+/).filter(Boolean), [
        "3000000",
        "bar",
        "/tmp",
      ]);
    } finally {
      await h.close();
    }
  },
);

Deno.test("signals from home reach the job's process group", opts, async () => {
  const h = await host();
  try {
    const job = await started(RemoteBatchJob.start(
      h.target,
      h.access,
      spec("sh", [
        "-c",
        'trap "echo got USR1; exit 7" USR1; echo ready; while :; do sleep 0.05; done',
      ]),
    ));
    const err = new Sink();
    let ready!: () => void;
    const isReady = new Promise<void>((r) => ready = r);
    const out = new Sink();
    const w = out.write.bind(out);
    out.write = async (p) => {
      const n = await w(p);
      if (out.text().includes("ready")) ready();
      return n;
    };
    const running = job.run({ stdin: null, stdout: out, stderr: err });
    await isReady;
    job.signal("SIGUSR1");
    const r = await running;
    assert.deepEqual(r, { kind: "exit", exit: { code: 7, signal: null } });
    assert.equal(out.text(), "ready\ngot USR1\n");
  } finally {
    await h.close();
  }
});

Deno.test("the job is killed when its home goes away", opts, async () => {
  const h = await host();
  try {
    const fc = await FrameConn.connect(
      h.target.addr,
      h.target.port,
      KEY,
      0x3d01,
    );
    const r = await fc.request<{ pid: number }>(
      "batch.start",
      spec("sleep", ["30"]),
    );
    assert.ok(r.pid > 0);
    assert.equal(h.host.running, 1);
    fc.close();
    const gone = Date.now();
    while (h.host.running > 0 && Date.now() - gone < 5000) {
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.equal(h.host.running, 0);
    assert.throws(() => Deno.statSync(`/proc/${r.pid}/status`));
    assert.ok(
      h.lines.some((l) => /link to home lost/.test(l)),
      h.lines.join("\n"),
    );
  } finally {
    await h.close();
  }
});

Deno.test(
  "nodes refuse jobs with a reason: disabled, blocked, unknown user, root, missing directory",
  opts,
  async () => {
    const cases: [Partial<BatchHostOptions>, Partial<BatchStart>, RegExp][] = [
      [{ enabled: false }, {}, /node 0x3d09 does not take batch jobs/],
      [{ blocked: () => true }, {}, /node 0x3d09 is blocked/],
      [
        { daemonUid: 0, lookup: () => Promise.resolve(undefined) },
        { user: "ghost" },
        /user 'ghost' is unknown on node 0x3d09/,
      ],
      [{ daemonUid: 0, allowRoot: false }, { user: "root" }, /--batch-root/],
      [
        {},
        { cwd: "/no/such/dir" },
        /no directory \/no\/such\/dir on node 0x3d09/,
      ],
    ];
    for (const [o, s, re] of cases) {
      const h = await host(o);
      try {
        const r = await RemoteBatchJob.start(
          h.target,
          h.access,
          spec("true", [], s),
        );
        assert.ok(!(r instanceof RemoteBatchJob));
        assert.equal(r.kind, "refused");
        assert.match(r.reason, re);
        assert.equal(h.host.running, 0);
      } finally {
        await h.close();
      }
    }
    const h = await host();
    try {
      const r = await RemoteBatchJob.start(
        h.target,
        h.access,
        spec("no-such-program-x", []),
      );
      assert.ok(!(r instanceof RemoteBatchJob));
      assert.deepEqual(r, {
        started: false,
        kind: "exec",
        status: 127,
        reason: "no-such-program-x: command not found on node 0x3d09",
      });
    } finally {
      await h.close();
    }
  },
);

Deno.test({
  name: "a root daemon runs the job with the user's uid and gid",
  ignore: Deno.uid() !== 0,
  ...opts,
  async fn() {
    const h = await host({ allowRoot: false });
    try {
      const job = await started(RemoteBatchJob.start(
        h.target,
        h.access,
        spec("id", ["-u"], { user: "nobody" }),
      ));
      const out = new Sink();
      await job.run({ stdin: null, stdout: out, stderr: new Sink() });
      const nobody = (await Deno.readTextFile("/etc/passwd")).split("\n")
        .find((l) => l.startsWith("nobody:"))!.split(":")[2];
      assert.equal(out.text().trim(), nobody);
    } finally {
      await h.close();
    }
  },
});

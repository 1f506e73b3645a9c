/**
 * The /dev/mosix devices from unmodified C programs, for processes running
 * at home on one node: a node's router (DicomService behind a link
 * listener, as in omdiscd) on loopback, and HomeProcesses attached to it
 * as mosrun attaches them.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DicomService } from "../../../daemon/dicom_service.ts";
import { LinkServer } from "../../../daemon/link_server.ts";
import { memoryLogger } from "../../../daemon/log.ts";
import { HomeProcess } from "../../../core/home_process.ts";
import { nodeIdFromIPv4 } from "../../../core/ids.ts";
import {
  collectOutput,
  inputFromText,
  type PushInput,
  pushInput,
} from "../../../core/wasi/stdio.ts";
import { Errno } from "../../../core/wasi/errno.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ADDR = "127.0.91.1";
const PORT = 4790;
const SELF = nodeIdFromIPv4(ADDR);
const here = new URL(".", import.meta.url).pathname;
const PROBE = Deno.readFileSync(join(here, "probe.wasm"));
const BULK = Deno.readFileSync(
  new URL("../../../examples/dicom/bulk.wasm", import.meta.url),
);
const cacheDir = Deno.makeTempDirSync({ prefix: "dmosix-cache-" });
// Shared by this file's tests (instrumenting once), removed when they are done.
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(cacheDir, { recursive: true });
  } catch {
    // already gone
  }
});

/** One node's router on loopback, as omdiscd runs it. */
function startNode() {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const log: string[] = [];
  const service = new DicomService({
    self: () => SELF,
    key,
    peerAddress: () => undefined,
    hosted: () => [],
    log: memoryLogger(log),
  });
  const listener = Deno.listen({ hostname: ADDR, port: PORT });
  const links = new LinkServer(key, () => SELF, memoryLogger(log))
    .route("dicom.", (fc, first) => service.serve(fc, first));
  const loop = links.acceptAll(listener);
  return {
    key,
    service,
    async stop() {
      listener.close();
      service.close();
      await loop;
    },
  };
}

type Node = ReturnType<typeof startNode>;

async function run(
  node: Node,
  pid: number,
  module: Uint8Array,
  args: string[],
  stdin: PushInput | null = null,
) {
  const stdout = collectOutput();
  const stderr = collectOutput();
  const cwd = Deno.makeTempDirSync({ prefix: "dmosix-dicom-" });
  const p = await HomeProcess.start({
    module,
    name: args[0],
    args,
    env: [],
    cwd,
    stdio: { stdin: stdin ?? inputFromText(""), stdout, stderr },
    cacheDir,
    pid,
    cluster: {
      self: SELF,
      key: node.key,
      daemon: { addr: ADDR, port: PORT },
    },
  });
  return { p, stdout, stderr };
}

/** Wait (bounded) until `text()` matches. */
async function until(text: () => string, re: RegExp, ms = 20000) {
  const end = Date.now() + ms;
  while (!re.test(text())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${re}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test(
  "two processes at home exchange messages through /dev/mosix, in order and whole",
  opts,
  async () => {
    const node = startNode();
    try {
      const rx = await run(node, 5001, PROBE, [
        "probe",
        "self",
        "read",
        "64",
        "from",
        "read",
        "64",
        "read",
        "64",
      ]);
      const tx = await run(node, 5002, PROBE, [
        "probe",
        "to",
        String(SELF),
        "5001",
        "write",
        "first",
        "write",
        "second",
        "write",
        "third",
      ]);
      assert.equal(await tx.p.wait(), 0);
      assert.equal(await rx.p.wait(), 0);
      assert.equal(
        tx.stdout.text(),
        "to ok\nwrite 5 first\nwrite 6 second\nwrite 5 third\n",
      );
      assert.equal(
        rx.stdout.text(),
        `self 11 ${SELF} 5001.\nread 5 first\nfrom 11 ${SELF} 5002.\n` +
          "read 6 second\nread 5 third\n",
      );
    } finally {
      await node.stop();
    }
  },
);

Deno.test(
  "messages larger than the link buffer arrive as one message; a small buffer gets EMSGSIZE and the message stays",
  opts,
  async () => {
    const node = startNode();
    try {
      const size = 3 * 1024 * 1024 + 123;
      const go = pushInput();
      const rx = await run(node, 5011, PROBE, [
        "probe",
        "waitline",
        "stat",
        "read",
        "100",
        "bigread",
        String(size + 10),
      ], go);
      const tx = await run(node, 5012, PROBE, [
        "probe",
        "to",
        String(SELF),
        "5011",
        "bigwrite",
        String(size),
      ]);
      assert.equal(await tx.p.wait(), 0);
      assert.equal(tx.stdout.text(), `to ok\nbigwrite ${size}\n`);
      go.push(new TextEncoder().encode("go\n"));
      assert.equal(await rx.p.wait(), 0);
      assert.equal(
        rx.stdout.text(),
        `waitline go\nstat ${size}\nread errno=${Errno.MSGSIZE}\n` +
          `bigread ${size} bad=0\n`,
      );
    } finally {
      await node.stop();
    }
  },
);

Deno.test(
  "writing to a process that does not exist fails with ESRCH; an empty mailbox gives EAGAIN without blocking",
  opts,
  async () => {
    const node = startNode();
    try {
      const p = await run(node, 5021, PROBE, [
        "probe",
        "nbread",
        "10",
        "to",
        String(SELF),
        "99999",
        "write",
        "hello",
        "write",
        "again",
        "to",
        "bogus",
        "1",
      ]);
      assert.equal(await p.p.wait(), 0);
      assert.equal(
        p.stdout.text(),
        `nbread errno=${Errno.AGAIN}\nto ok\nwrite errno=${Errno.SRCH}\n` +
          `write errno=${Errno.SRCH}\nto errno=${Errno.NOENT}\n`,
      );
    } finally {
      await node.stop();
    }
  },
);

Deno.test(
  "poll wakes on a message in the mailbox, also beside stdin",
  opts,
  async () => {
    const node = startNode();
    try {
      const rx = await run(node, 5031, PROBE, [
        "probe",
        "poll",
        "50",
        "self",
        "poll",
        "20000",
        "read",
        "10",
      ], pushInput());
      await until(() => rx.stdout.text(), /self/);
      const t0 = Date.now();
      const tx = await run(node, 5032, PROBE, [
        "probe",
        "to",
        String(SELF),
        "5031",
        "write",
        "wake",
      ]);
      assert.equal(await tx.p.wait(), 0);
      assert.equal(await rx.p.wait(), 0);
      assert(Date.now() - t0 < 15000, "poll did not wake on the message");
      assert.match(
        rx.stdout.text(),
        /^poll 0 mbox=0 stdin=0\nself .*\npoll 1 mbox=1 stdin=0\nread 4 wake\n$/,
      );
    } finally {
      await node.stop();
    }
  },
);

Deno.test(
  "a bulk pair streams checked messages between two home processes",
  opts,
  async () => {
    const node = startNode();
    try {
      const server = await run(node, 5041, BULK, ["bulk", "serve"]);
      const client = await run(node, 5042, BULK, [
        "bulk",
        "send",
        String(SELF),
        "5041",
        "200000",
        "30",
      ]);
      assert.equal(await client.p.wait(), 0, client.stdout.text());
      assert.equal(await server.p.wait(), 0);
      assert.match(
        client.stdout.text(),
        /^sent 30 x 200000 bytes, [\d.]+ MB\/s\n$/,
      );
      assert.equal(server.stdout.text(), `self ${SELF} 5041\nserved\n`);
    } finally {
      await node.stop();
    }
  },
);

Deno.test(
  "a checkpoint keeps the mailbox and the device fds: the resumed process reads what was sent before",
  opts,
  async () => {
    const node = startNode();
    const dir = Deno.makeTempDirSync({ prefix: "dmosix-dicom-ck-" });
    try {
      const stdin = pushInput();
      const stdout = collectOutput();
      const rx = await HomeProcess.start({
        module: PROBE,
        name: "probe",
        args: ["probe", "stat", "waitline", "read", "64", "read", "64"],
        env: [],
        cwd: dir,
        stdio: { stdin, stdout, stderr: collectOutput() },
        cacheDir,
        pid: 5051,
        checkpoint: { base: join(dir, "ck"), everyMs: 0 },
        cluster: {
          self: SELF,
          key: node.key,
          daemon: { addr: ADDR, port: PORT },
        },
      });
      await until(() => stdout.text(), /^stat 0\n/);
      const tx = await run(node, 5052, PROBE, [
        "probe",
        "to",
        String(SELF),
        "5051",
        "write",
        "kept",
        "write",
        "also",
      ]);
      assert.equal(await tx.p.wait(), 0);
      const file = await rx.checkpoint();
      rx.kill(9);
      await rx.wait();
      const stdin2 = pushInput();
      const stdout2 = collectOutput();
      const again = await HomeProcess.resume(file, {
        stdio: { stdin: stdin2, stdout: stdout2, stderr: collectOutput() },
        cacheDir,
        pid: 5053,
        cluster: {
          self: SELF,
          key: node.key,
          daemon: { addr: ADDR, port: PORT },
        },
      });
      stdin2.push(new TextEncoder().encode("go\n"));
      assert.equal(await again.wait(), 0);
      assert.equal(
        stdout2.text(),
        "waitline go\nread 4 kept\nread 4 also\n",
      );
    } finally {
      await node.stop();
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

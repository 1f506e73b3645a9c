import assert from "node:assert/strict";
import {
  BatchProtocolError,
  exitStatus,
  isDeliverableSignal,
  MAX_START_BYTES,
  parseAck,
  parseBatchExit,
  parseBatchOut,
  parseBatchStart,
  parseStartResult,
  signalNumber,
} from "../../core/batch_protocol.ts";

const good = {
  program: "cc",
  args: ["-c", "a.c"],
  cwd: "/home/u/src",
  env: { PATH: "/usr/bin", HOME: "/home/u" },
  user: "u",
  homePid: 4012,
  rid: 7,
};

Deno.test("parseBatchStart keeps a good request and drops unknown fields", () => {
  assert.deepEqual(parseBatchStart(good), {
    program: "cc",
    args: ["-c", "a.c"],
    cwd: "/home/u/src",
    env: { PATH: "/usr/bin", HOME: "/home/u" },
    user: "u",
    homePid: 4012,
  });
});

Deno.test("parseBatchStart rejects malformed requests with a reason", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ program: "" }, /program: empty/],
    [{ program: 5 }, /program: not a string/],
    [{ args: "x" }, /args: not a list/],
    [{ args: ["ok", 3] }, /args\[1\]: not a string/],
    [{ args: ["a\0b"] }, /holds NUL/],
    [{ cwd: "rel/dir" }, /cwd: not an absolute path/],
    [{ env: { "A=B": "x" } }, /env: bad name/],
    [{ env: { A: 1 } }, /env A: not a string/],
    [{ env: [] }, /env: not a map/],
    [{ user: "../etc" }, /user: bad name/],
    [{ user: "-rf" }, /user: bad name/],
    [{ homePid: -1 }, /homePid/],
    [{ homePid: 1.5 }, /homePid/],
    [{ args: ["x".repeat(MAX_START_BYTES)] }, /exceed/],
  ];
  for (const [patch, re] of cases) {
    assert.throws(
      () => parseBatchStart({ ...good, ...patch }),
      (e: Error) => e instanceof BatchProtocolError && re.test(e.message),
      JSON.stringify(patch).slice(0, 80),
    );
  }
  assert.throws(() => parseBatchStart(null), BatchProtocolError);
  for (
    const user of ["alice", "john.doe", "jd@corp.example", "host$", "_svc"]
  ) {
    assert.equal(parseBatchStart({ ...good, user }).user, user);
  }
});

Deno.test("exitStatus is the code, or 128 plus the signal number", () => {
  assert.equal(exitStatus({ code: 3, signal: null }), 3);
  assert.equal(exitStatus({ code: 0, signal: null }), 0);
  assert.equal(exitStatus({ code: 143, signal: "SIGTERM" }), 143);
  assert.equal(exitStatus({ code: 130, signal: "SIGINT" }), 130);
  assert.equal(exitStatus({ code: 0, signal: "SIGKILL" }), 137);
  assert.equal(exitStatus({ code: 300, signal: null }), 44);
  assert.equal(signalNumber("SIGUSR2"), 12);
  assert.equal(signalNumber("SIGNOPE"), null);
});

Deno.test("only forwarded signals and SIGPIPE may be delivered", () => {
  for (
    const s of [
      "SIGINT",
      "SIGTERM",
      "SIGHUP",
      "SIGQUIT",
      "SIGUSR1",
      "SIGUSR2",
      "SIGPIPE",
    ]
  ) {
    assert.ok(isDeliverableSignal(s), s);
  }
  for (const s of ["SIGKILL", "SIGSTOP", "", 9, null]) {
    assert.ok(!isDeliverableSignal(s), String(s));
  }
});

Deno.test("stream, ack, exit and start-result bodies are validated", () => {
  const data = new Uint8Array([1, 2]);
  assert.deepEqual(parseBatchOut({ fd: 2, data }), { fd: 2, data });
  assert.throws(() => parseBatchOut({ fd: 0, data }), /fd/);
  assert.throws(() => parseBatchOut({ fd: 1, data: "x" }), /bytes/);
  assert.deepEqual(parseAck({ bytes: 10 }), { fd: 0, bytes: 10 });
  assert.deepEqual(parseAck({ fd: 1, bytes: 0 }), { fd: 1, bytes: 0 });
  assert.throws(() => parseAck({ fd: 1, bytes: -1 }), /bytes/);
  assert.deepEqual(parseBatchExit({ code: 1, signal: null }), {
    code: 1,
    signal: null,
  });
  assert.deepEqual(
    parseBatchExit({ code: 143, signal: "SIGTERM", lost: "stopping" }),
    { code: 143, signal: "SIGTERM", lost: "stopping" },
  );
  assert.throws(() => parseBatchExit({ code: "1" }), /code/);
  assert.deepEqual(parseStartResult({ started: true, job: 1, pid: 99 }), {
    started: true,
    job: 1,
    pid: 99,
  });
  assert.deepEqual(
    parseStartResult({
      started: false,
      kind: "exec",
      status: 127,
      reason: "x",
    }),
    { started: false, kind: "exec", status: 127, reason: "x" },
  );
  assert.deepEqual(parseStartResult({ started: false }), {
    started: false,
    kind: "refused",
    reason: "refused",
  });
});

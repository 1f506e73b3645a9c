import assert from "node:assert/strict";
import {
  decodeDicomState,
  type DicomState,
  encodeDicomState,
} from "../../../core/dicom/state.ts";
import { deviceAt, parseDevice } from "../../../core/dicom/address.ts";
import { Mailbox } from "../../../core/dicom/mailbox.ts";
import {
  decodeSnapshot,
  encodeSnapshot,
  type Snapshot,
} from "../../../core/runtime/snapshot.ts";

const snap: Snapshot = {
  moduleHash: "ab".repeat(32),
  memory: {
    pageCount: 2,
    pages: new Uint32Array([1]),
    data: new Uint8Array(65536).fill(7),
  },
  globals: [{ name: "g", type: "i32", bits: 5 }],
  frames: [{ fid: 1, site: 2, values: [3, 4n] }],
};

Deno.test("a snapshot carries its extra state through encoding, and one without stays as it was", () => {
  const extra = new Uint8Array([1, 2, 3, 4, 5]);
  const back = decodeSnapshot(encodeSnapshot({ ...snap, extra }));
  assert.deepEqual(back.extra, extra);
  assert.deepEqual(back.frames, snap.frames);
  assert.deepEqual(back.memory.data, snap.memory.data);
  const plain = decodeSnapshot(encodeSnapshot(snap));
  assert.equal(plain.extra, undefined);
  assert.equal("extra" in plain, false);
});

Deno.test("direct-communication state round-trips and malformed state is refused", () => {
  const s: DicomState = {
    v: 1,
    mailbox: {
      queue: [{ from: { home: 1, pid: 2 }, data: new Uint8Array([9]) }],
      next: [["1:2:3", 4]],
    },
    lastFrom: { home: 1, pid: 2 },
    channels: [{
      to: { home: 5, pid: 6 },
      chan: 7,
      nextSeq: 3,
      pending: [{ seq: 2, data: new Uint8Array([8]) }],
      open: true,
    }],
    fds: [{
      fd: 4,
      dev: "mbox",
      fdflags: 0,
      rightsBase: 2,
      rightsInheriting: 0,
    }],
  };
  assert.deepEqual(decodeDicomState(encodeDicomState(s)), s);
  assert.throws(
    () => decodeDicomState(encodeDicomState({ ...s, v: 2 } as never)),
    /malformed/,
  );
  assert.throws(
    () =>
      decodeDicomState(
        encodeDicomState({ ...s, channels: [{ pending: [1] }] } as never),
      ),
    /malformed/,
  );
});

Deno.test("device paths: /dev/mosix names under the root preopen only", () => {
  assert.deepEqual(deviceAt("/", "dev/mosix/mbox"), { kind: "mbox" });
  assert.deepEqual(deviceAt("/", "./dev//mosix/to/2780/41"), {
    kind: "to",
    to: { home: 2780, pid: 41 },
  });
  assert.deepEqual(deviceAt("/dev", "mosix/self"), { kind: "self" });
  assert.equal(deviceAt("/", "dev/mosix/nothing"), "none");
  assert.equal(deviceAt(".", "dev/mosix/mbox"), null);
  assert.equal(deviceAt("/", "devices/mbox"), null);
  assert.deepEqual(parseDevice("to/192.168.10.220/7"), {
    kind: "to",
    to: { home: 2780, pid: 7 },
  });
  assert.deepEqual(parseDevice("to/0x0adc/7"), {
    kind: "to",
    to: { home: 2780, pid: 7 },
  });
  assert.equal(parseDevice("to/0/7"), null);
  assert.equal(parseDevice("to/70000/7"), null);
  assert.equal(parseDevice("to/5/0"), null);
});

Deno.test("Mailbox: a sender whose earlier messages a restored mailbox lost starts again at its oldest unanswered one", () => {
  const m = new Mailbox(1 << 20, { queue: [], next: [["1:2:3", 4]] });
  const msg = (seq: number, since?: number) => ({
    to: { home: 9, pid: 9 },
    from: { home: 1, pid: 2 },
    chan: 3,
    seq,
    since,
    data: new Uint8Array([seq]),
  });
  // Messages 4..9 were accepted by the mailbox's later self, lost since.
  assert.deepEqual(m.deliver(msg(11, 10)), { r: "gap", expect: 4 });
  assert.deepEqual(m.deliver(msg(10, 10)), { r: "ok" });
  assert.deepEqual(m.deliver(msg(11, 10)), { r: "ok" });
  assert.deepEqual(m.deliver(msg(10, 10)), { r: "dup" });
  assert.equal(m.length, 2);
});

/**
 * The daemon's direct-communication service on its link port: malformed
 * requests get an error answer and change nothing; an attach is only for
 * this node's own processes; a process sends only as itself.
 */

import assert from "node:assert/strict";
import { DicomService } from "../../../daemon/dicom_service.ts";
import { LinkServer } from "../../../daemon/link_server.ts";
import { memoryLogger } from "../../../daemon/log.ts";
import { FrameConn } from "../../../core/link/frame_conn.ts";
import { nodeIdFromIPv4 } from "../../../core/ids.ts";
import { messageToWire } from "../../../core/dicom/message.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ADDR = "127.0.91.2";
const PORT = 4791;
const SELF = nodeIdFromIPv4(ADDR);

Deno.test(
  "the dicom service answers malformed or forged requests with errors and keeps serving",
  opts,
  async () => {
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
    const loop = new LinkServer(key, () => SELF, memoryLogger(log))
      .route("dicom.", (fc, first) => service.serve(fc, first))
      .acceptAll(listener);
    try {
      // Another node's router.
      const peer = await FrameConn.connect(ADDR, PORT, key, 9);
      for (
        const body of [
          {},
          { msg: null },
          { msg: { to: [1], from: [1, 2], chan: 1, seq: 1, data: "x" } },
          { msgs: [] },
          { msgs: [{ to: [1, 1] }] },
        ]
      ) {
        const type = "msgs" in body ? "dicom.batch" : "dicom.msg";
        await assert.rejects(peer.request(type, body, 5000), /malformed/);
      }
      await assert.rejects(
        peer.request("dicom.nonsense", {}, 5000),
        /unknown request/,
      );
      // A well-formed message for a process this node does not have.
      const msg = {
        to: { home: SELF, pid: 77 },
        from: { home: 9, pid: 1 },
        chan: 1,
        seq: 1,
        data: new Uint8Array([1]),
      };
      assert.deepEqual(
        await peer.request("dicom.msg", { msg: messageToWire(msg) }, 5000),
        { r: "gone" },
      );
      assert.deepEqual(await peer.request("dicom.locate", { pid: 77 }, 5000), {
        gone: true,
      });
      // An attach claiming to be another node's process is refused.
      const stranger = await FrameConn.connect(ADDR, PORT, key, 9);
      await assert.rejects(
        stranger.request("dicom.attach", { pid: 5 }, 5000),
        /bad attach/,
      );
      // A local process attaches and may send only as itself.
      const local = await FrameConn.connect(ADDR, PORT, key, SELF);
      await local.request("dicom.attach", { pid: 5, where: SELF }, 5000);
      assert.deepEqual(service.router.locate(5), { node: SELF });
      await assert.rejects(
        local.request("dicom.send", {
          msg: messageToWire({ ...msg, from: { home: SELF, pid: 6 } }),
        }, 5000),
        /malformed/,
      );
      local.close();
      peer.close();
      stranger.close();
      const gone = Date.now() + 5000;
      while (!("gone" in service.router.locate(5)) && Date.now() < gone) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual(service.router.locate(5), { gone: true });
    } finally {
      listener.close();
      service.close();
      await loop;
    }
  },
);

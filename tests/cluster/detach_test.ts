/** omdiscd without -n detaches, answers, refuses a second start, and stops on SIGTERM. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand, waitFor } from "../../tools/local_cluster.ts";
import { statusOf } from "../../tools/cluster_probe.ts";

Deno.test("omdiscd detaches, refuses a second copy, and stops cleanly on SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-detach-" });
  let pid = 0;
  try {
    const args = [
      "--dir",
      dir,
      "--addr",
      "127.0.13.1",
      "--port",
      "4673",
      "--no-multicast",
    ];
    const r = await runCommand("omdiscd", args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^omdiscd: started \(pid \d+/);
    pid = Number((await Deno.readTextFile(join(dir, "omdiscd.pid"))).trim());
    assert((await statusOf(dir))?.pid === pid);
    const secret = await Deno.stat(join(dir, "secret"));
    assert.equal(secret.mode! & 0o777, 0o600);

    const again = await runCommand("omdiscd", args);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^omdiscd: .*already running/);

    Deno.kill(pid, "SIGTERM");
    const gone = await waitFor(async () => {
      try {
        await Deno.stat(join(dir, "omdiscd.sock"));
        return false;
      } catch {
        return true;
      }
    }, 5000);
    assert(gone >= 0, "socket not removed on SIGTERM");
    pid = 0;
    // Its last log line follows the socket's removal.
    const log = join(dir, "omdiscd.log");
    const stopped = await waitFor(
      async () => /stopped/.test(await Deno.readTextFile(log)),
      5000,
    );
    assert(stopped >= 0, await Deno.readTextFile(log));
  } finally {
    if (pid) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
});

/** Every command honours the common contract: --help, --version, a man page, usage errors. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCommand } from "../../tools/local_cluster.ts";
import { COMMANDS } from "../../tools/commands.ts";
import { VERSION } from "../../core/version.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

for (const cmd of COMMANDS) {
  Deno.test(`${cmd} --help, --version, a man page, and a one-line usage error`, async () => {
    const help = await runCommand(cmd, ["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, new RegExp(`^Usage: ${cmd}`));
    const ver = await runCommand(cmd, ["--version"]);
    assert.equal(ver.stdout.trim(), `${cmd} (dmosix) ${VERSION}`);
    const pages = [1, 8].map((s) => join(ROOT, "man", `${cmd}.${s}`));
    const found = await Promise.all(
      pages.map((p) => Deno.stat(p).then(() => true, () => false)),
    );
    assert(found.some(Boolean), `no man page for ${cmd}`);
    const bad = await runCommand(cmd, ["--no-such-flag"]);
    assert.equal(bad.code, 2);
    const lines = bad.stderr.trim().split("\n");
    assert.equal(lines.length, 1, bad.stderr);
    assert.match(lines[0], new RegExp(`^${cmd}: .*\\(see '${cmd} --help'\\)$`));
  });
}

Deno.test("deno task install puts every command in $DENO_INSTALL_ROOT/bin", async () => {
  const root = await Deno.makeTempDir({ prefix: "dmosix-install-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "tools", "install.ts")],
      env: { DENO_INSTALL_ROOT: root },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(out.success, new TextDecoder().decode(out.stderr));
    for (const cmd of COMMANDS) {
      const r = await new Deno.Command(join(root, "bin", cmd), {
        args: ["--version"],
        stdout: "piped",
      }).output();
      assert.equal(
        new TextDecoder().decode(r.stdout).trim(),
        `${cmd} (dmosix) ${VERSION}`,
      );
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

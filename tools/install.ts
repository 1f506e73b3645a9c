/**
 * `deno task install`: install every command with `deno install -g`
 * (into $DENO_INSTALL_ROOT/bin, default ~/.deno/bin).
 *
 * @module
 */

import { join } from "node:path";
import { COMMANDS } from "./commands.ts";

const root = new URL("..", import.meta.url).pathname;
for (const cmd of COMMANDS) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "install",
      "-g",
      "-f",
      "-q",
      "-A",
      "--unstable-net",
      "--config",
      join(root, "deno.json"),
      "-n",
      cmd,
      join(root, "cli", `${cmd}.ts`),
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) {
    console.error(`install: deno install failed for ${cmd}`);
    Deno.exit(1);
  }
}
const bin = join(
  Deno.env.get("DENO_INSTALL_ROOT") ??
    join(Deno.env.get("HOME") ?? "~", ".deno"),
  "bin",
);
console.log(`installed ${COMMANDS.join(", ")} in ${bin}`);

/**
 * `deno task compile`: standalone binaries in dist/ with `deno compile`
 * (needs internet access to download Deno's runtime once).
 *
 * @module
 */

import { join } from "node:path";
import { COMMANDS } from "./commands.ts";

const root = new URL("..", import.meta.url).pathname;
for (const cmd of COMMANDS) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "-A",
      "--unstable-net",
      "--config",
      join(root, "deno.json"),
      "-o",
      join(root, "dist", cmd),
      join(root, "cli", `${cmd}.ts`),
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) {
    console.error(
      `compile: deno compile failed for ${cmd} (it needs internet access to fetch the runtime)`,
    );
    Deno.exit(1);
  }
}
console.log(`compiled ${COMMANDS.join(", ")} into dist/`);

/**
 * `deno task bench`: run every benchmark in bench/ one after another (they
 * print their own tables). `--quick` is passed on to those that take it.
 *
 * @module
 */

const here = new URL(".", import.meta.url);
const quick = Deno.args.includes("--quick");
const files = [...Deno.readDirSync(here)]
  .map((e) => e.name)
  .filter((n) => n.endsWith("_bench.ts"))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n### ${f}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(f, here).pathname,
      ...(quick ? ["--quick"] : []),
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) {
    console.error(`bench: ${f} failed`);
    failed++;
  }
}
Deno.exit(failed ? 1 : 0);

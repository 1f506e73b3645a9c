/**
 * Build the C test programs in tests/fixtures to wasm32-wasi (committed next
 * to their sources) and, with `--native DIR`, to native executables in DIR
 * for comparisons.
 *
 * Usage: deno run -A tools/build_fixtures.ts [--native DIR] [--only NAME,...]
 *
 * A source may carry extra link flags for the wasm build in a comment line
 * `wasm-ldflags: FLAGS` (e.g. a bigger stack). Debug info is stripped (the
 * name section stays, for readable traps).
 *
 * @module
 */

import { parseArgs } from "node:util";

/** Where the fixtures live. */
export const FIXTURES_DIR = new URL("../tests/fixtures/", import.meta.url)
  .pathname;

/** One fixture source. */
export interface FixtureSource {
  name: string;
  source: string;
  wasmLdflags: string[];
}

/** The fixture sources, sorted by name. */
export function listFixtures(dir = FIXTURES_DIR): FixtureSource[] {
  const out: FixtureSource[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (!e.isFile || !e.name.endsWith(".c")) continue;
    const source = `${dir.replace(/\/$/, "")}/${e.name}`;
    const text = Deno.readTextFileSync(source);
    const m = text.match(/wasm-ldflags:\s*(.+)/);
    out.push({
      name: e.name.slice(0, -2),
      source,
      wasmLdflags: m ? m[1].replace(/\*\/.*$/, "").trim().split(/\s+/) : [],
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function run(cmd: string, args: string[]): Promise<void> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new Error(`build_fixtures: ${cmd} not found (install it)`);
    }
    throw err;
  }
  if (!out.success) {
    const msg = new TextDecoder().decode(out.stderr).trim();
    throw new Error(`build_fixtures: ${cmd} ${args.join(" ")} failed:\n${msg}`);
  }
}

/** Build one fixture to `out` as wasm32-wasi with clang. */
export async function buildWasm(f: FixtureSource, out: string): Promise<void> {
  await run("clang", [
    "--target=wasm32-wasi",
    "-O2",
    "-Wl,--strip-debug",
    ...f.wasmLdflags,
    f.source,
    "-o",
    out,
  ]);
}

/** Build one fixture natively with cc to `out`. */
export async function buildNative(
  f: FixtureSource,
  out: string,
): Promise<void> {
  await run("cc", ["-O2", f.source, "-o", out]);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      native: { type: "string" },
      only: { type: "string" },
    },
  });
  const only = values.only?.split(",");
  const fixtures = listFixtures().filter((f) => !only || only.includes(f.name));
  for (const f of fixtures) {
    if (values.native) {
      Deno.mkdirSync(values.native, { recursive: true });
      await buildNative(f, `${values.native}/${f.name}`);
      console.log(`native ${values.native}/${f.name}`);
    } else {
      const out = `${FIXTURES_DIR}${f.name}.wasm`;
      await buildWasm(f, out);
      console.log(`wasm ${out} (${Deno.statSync(out).size} bytes)`);
    }
  }
  return 0;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(1);
  }
}

/**
 * Is the program given to `mosrun` WebAssembly or a native executable? A
 * `.wasm` module is a migratable cluster process; anything else that
 * exists is run as a batch job. A name without a slash is looked for in the
 * current directory first (as mosrun always has for modules), then in PATH
 * (as a shell does).
 *
 * @module
 */

import { join, resolve } from "node:path";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** The first bytes of a regular file, or null when it is not one or cannot be read. */
async function head(path: string): Promise<Uint8Array | null> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(path, { read: true });
  } catch {
    return null;
  }
  try {
    if (!(await f.stat()).isFile) return null;
    const buf = new Uint8Array(4);
    let n = 0;
    while (n < 4) {
      const r = await f.read(buf.subarray(n));
      if (r === null || r === 0) break;
      n += r;
    }
    return buf.subarray(0, n);
  } catch {
    return null;
  } finally {
    f.close();
  }
}

/** True when `bytes` start like a WebAssembly module. */
export function isWasmHeader(bytes: Uint8Array): boolean {
  return WASM_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * True when `program` names an existing file that is not WebAssembly: a
 * native program for a batch job. False for a module, and for what cannot
 * be found or read (the WebAssembly path reports those).
 */
export async function isNativeProgram(
  program: string,
  cwd: string,
  pathVar: string,
): Promise<boolean> {
  const here = await head(resolve(cwd, program));
  if (program.includes("/")) return here !== null && !isWasmHeader(here);
  if (here !== null && isWasmHeader(here)) return false;
  for (const dir of pathVar.split(":")) {
    const found = await head(join(resolve(cwd, dir || "."), program));
    if (found !== null) return !isWasmHeader(found);
  }
  return here !== null;
}

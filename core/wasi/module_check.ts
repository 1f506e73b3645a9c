/**
 * Checking that a binary is a WASI preview1 command we can run, with a
 * one-line reason when it is not: not wasm, not a command, an import we do
 * not provide, or a WASI import declared with the wrong type. WASI imports
 * that are not preview1 functions are allowed and answer ENOSYS.
 *
 * The JS API does not give import signatures, so the type and import
 * sections are read here (a small LEB128 reader; nothing else is parsed).
 *
 * @module
 */

import {
  formatSignature,
  sameSignature,
  type Signature,
  type ValType,
  WASI_MODULE,
  WASI_SIGNATURES,
} from "./signatures.ts";

/** Why a module cannot run; the message is one line. */
export class WasiModuleError extends Error {
  /** Make the error. */
  constructor(message: string) {
    super(message);
    this.name = "WasiModuleError";
  }
}

/** A module that passed {@linkcode checkWasiModule}. */
export interface CheckedModule {
  module: WebAssembly.Module;
  /** wasi_snapshot_preview1 imports that are not preview1 functions. */
  unknown: Record<string, Signature>;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

const VALTYPES: Record<number, ValType> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "ref",
  0x6f: "ref",
};

class Reader {
  at = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.at >= this.b.length) throw new RangeError("truncated");
    return this.b[this.at++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const x = this.byte();
      result += (x & 0x7f) * 2 ** shift;
      if ((x & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new RangeError("bad LEB128");
    }
  }
  name(): string {
    const len = this.u32();
    const s = this.b.subarray(this.at, this.at + len);
    this.at += len;
    return new TextDecoder().decode(s);
  }
}

/**
 * Signatures of the function imports, keyed "module.name"; null when the
 * sections use encodings this reader does not know (signatures unchecked).
 */
export function importSignatures(
  bytes: Uint8Array,
): Map<string, Signature> | null {
  try {
    const r = new Reader(bytes);
    r.at = 8;
    const types: (Signature | null)[] = [];
    const out = new Map<string, Signature>();
    while (r.at < bytes.length) {
      const id = r.byte();
      const size = r.u32();
      const end = r.at + size;
      if (id === 1) {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          if (r.byte() !== 0x60) return null; // GC / rec groups: give up
          const vec = () => {
            const k = r.u32();
            const list: ValType[] = [];
            for (let j = 0; j < k; j++) {
              const t = VALTYPES[r.byte()];
              if (t === undefined) throw new RangeError("valtype");
              list.push(t);
            }
            return list;
          };
          const params = vec();
          types.push({ params, results: vec() });
        }
      } else if (id === 2) {
        const n = r.u32();
        for (let i = 0; i < n; i++) {
          const mod = r.name();
          const name = r.name();
          const kind = r.byte();
          if (kind === 0) {
            const t = types[r.u32()];
            if (!t) return null;
            out.set(`${mod}.${name}`, t);
          } else return out; // non-function import: names come from the JS API
        }
        return out;
      }
      r.at = end;
    }
    return out;
  } catch {
    return null;
  }
}

/** Check `bytes` is a runnable WASI command; `name` prefixes messages. */
export async function checkWasiModule(
  bytes: Uint8Array<ArrayBuffer>,
  name: string,
): Promise<CheckedModule> {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WasiModuleError(`${name}: not a WebAssembly module (bad magic)`);
  }
  const version = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) |
    (bytes[7] << 24);
  if (version !== 1) {
    throw new WasiModuleError(
      `${name}: WebAssembly binary version ${version} is not supported (only 1)`,
    );
  }
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new WasiModuleError(
      `${name}: invalid WebAssembly: ${msg.split("\n")[0]}`,
    );
  }
  const exports = WebAssembly.Module.exports(module);
  const has = (n: string, kind: string) =>
    exports.some((e) => e.name === n && e.kind === kind);
  if (!has("_start", "function") || !has("memory", "memory")) {
    const reactor = has("_initialize", "function")
      ? " (it is a reactor: it exports _initialize)"
      : "";
    throw new WasiModuleError(
      `${name}: not a WASI command: needs exports _start and memory${reactor}`,
    );
  }
  const sigs = importSignatures(bytes);
  const unknown: Record<string, Signature> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const full = `${imp.module}.${imp.name}`;
    if (imp.module !== WASI_MODULE) {
      throw new WasiModuleError(
        `${name}: imports ${full} (a ${imp.kind}), which is not provided (only ${WASI_MODULE} functions are)`,
      );
    }
    if (imp.kind !== "function") {
      throw new WasiModuleError(
        `${name}: imports ${full} as a ${imp.kind}; only functions are provided`,
      );
    }
    const want = WASI_SIGNATURES[imp.name];
    const got = sigs?.get(full);
    if (want === undefined) {
      unknown[imp.name] = got ?? { params: [], results: ["i32"] };
    } else if (got !== undefined && !sameSignature(got, want)) {
      throw new WasiModuleError(
        `${name}: imports ${full} with type ${formatSignature(got)}, expected ${
          formatSignature(want)
        }`,
      );
    }
  }
  return { module, unknown };
}

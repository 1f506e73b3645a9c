/**
 * A tiny WebAssembly binary writer for tests: just enough to make modules
 * with function imports, one memory, exports and simple bodies, so module
 * checks and runner paths are tested without a compiler.
 *
 * @module
 */

/** A function type: value type bytes (0x7f i32, 0x7e i64). */
export interface FuncType {
  params: number[];
  results: number[];
}

/** What to put in the module. */
export interface ModuleSpec {
  types: FuncType[];
  imports?: { module: string; name: string; type: number }[];
  /** Defined functions: type index and body bytes (without locals/end). */
  funcs?: { type: number; body: number[] }[];
  memory?: boolean;
  exports?: { name: string; kind: "func" | "memory"; index: number }[];
}

/** i32 / i64 value type bytes. */
export const I32 = 0x7f;
/** i64 value type byte. */
export const I64 = 0x7e;

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function str(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...leb(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...leb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

/** Encode `spec` as a wasm binary. */
export function buildModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  out.push(...section(
    1,
    vec(
      spec.types.map((
        t,
      ) => [
        0x60,
        ...vec(t.params.map((p) => [p])),
        ...vec(t.results.map((r) => [r])),
      ]),
    ),
  ));
  if (spec.imports?.length) {
    out.push(...section(
      2,
      vec(
        spec.imports.map((
          i,
        ) => [...str(i.module), ...str(i.name), 0x00, ...leb(i.type)]),
      ),
    ));
  }
  if (spec.funcs?.length) {
    out.push(...section(3, vec(spec.funcs.map((f) => leb(f.type)))));
  }
  if (spec.memory) out.push(...section(5, vec([[0x00, 0x01]])));
  if (spec.exports?.length) {
    out.push(...section(
      7,
      vec(
        spec.exports.map((
          e,
        ) => [...str(e.name), e.kind === "func" ? 0 : 2, ...leb(e.index)]),
      ),
    ));
  }
  if (spec.funcs?.length) {
    out.push(...section(
      10,
      vec(spec.funcs.map((f) => {
        const body = [0x00, ...f.body, 0x0b];
        return [...leb(body.length), ...body];
      })),
    ));
  }
  return new Uint8Array(out);
}

/** Instruction bytes: call FUNC. */
export const call = (index: number): number[] => [0x10, ...leb(index)];
/** Instruction bytes: i32.const N, for 0 <= N < 64 (one-byte signed LEB). */
export const i32Const = (n: number): number[] => [0x41, ...leb(n)];
/** Instruction byte: unreachable. */
export const UNREACHABLE = [0x00];

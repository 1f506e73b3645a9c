/**
 * Make a WASI command's running state freezable at any moment.
 *
 * What the instrumented module carries (see runtime_abi.ts for the ABI):
 * - preemption points: a countdown in a local at every loop header calls
 *   `dmosix.preempt` every `interval` iterations, from outside the loop
 *   body (the loop exits to the call and is re-entered, so the hot loop
 *   holds no call); functions in call-graph cycles (recursion, where short
 *   loops may never count down) count down a global at entry, and a loop
 *   that calls such a function counts down only on the paths of an
 *   iteration that call none (placeEdgeCounts);
 * - unwind support only: every call that can unwind (to preempt, to the
 *   blocking WASI imports, or to a function that can) sits in a try whose
 *   handler saves the locals live at that call (liveness.ts; after it for
 *   calls to module functions, whose frames resume with the result) and
 *   rethrows;
 *   the runtime sets the state global and the call site that started it
 *   throws. Nothing runs on the normal path but the countdowns (V8's try is
 *   zero-cost). No rewind code exists in the running module: resuming uses
 *   continuation functions generated from the flat module kept in the
 *   `dmosix.flat` section (resume_module.ts), so both come from one
 *   transformation and agree on the frame format;
 * - every mutable global (the stack pointer too) reachable through getter
 *   and setter exports for snapshots.
 *
 * Only functions that can unwind are flattened and re-optimised; the rest
 * keep the compiler's code. Options select the measured alternatives
 * (state checks instead of exceptions, a shared-memory flag instead of the
 * countdown).
 *
 * @module
 */

import binaryen from "binaryen";
import { InstrumentError } from "./instrument_error.ts";
import {
  buildTree,
  bx,
  type IrNode,
  localGets,
  replaceInParent,
  UnsupportedIrError,
  walk,
} from "./ir_tree.ts";
import { liveBefore } from "./liveness.ts";
import {
  DEFAULT_UNWIND_IMPORTS,
  FLAGS_EXPORT,
  FLAT_SECTION,
  GLOBAL_GET_PREFIX,
  GLOBAL_SET_PREFIX,
  type GlobalInfo,
  INFO_SECTION,
  INSTRUMENTER_VERSION,
  type InstrumentInfo,
  RT,
  RUNTIME_MODULE,
  STATE_EXPORT,
  UNWIND_EXPORT,
  type WasmValType,
} from "./runtime_abi.ts";
import {
  appendCustomSection,
  appendSharedPageMemory,
  hasWasmHeader,
  shareFirstMemory,
} from "./wasm_sections.ts";
export { readInstrumentInfo } from "./instrument_info.ts";

/** How to instrument. */
export interface InstrumentOptions {
  /** Loop iterations between two preemption calls (default 10000). */
  interval?: number;
  /** "module.name" of imports that may unwind (default DEFAULT_UNWIND_IMPORTS). */
  unwindImports?: readonly string[];
  /** Binaryen optimisation level for the re-optimised functions (default 2). */
  optimizeLevel?: number;
  /**
   * How preemption points learn of a freeze: "countdown" (default) calls
   * `dmosix.preempt`, which reads the freeze flag, every `interval`
   * iterations; "flag" loads the flag at every point from a one-page
   * shared memory the module exports as `__dmosix_flags` (measured slower
   * in tight loops, e.g. matmul 1.21x against 0.87x).
   */
  preemption?: "flag" | "countdown";
  /**
   * How frames above the unwinding call learn of it: "exception" (default)
   * wraps each call that can unwind in a zero-cost try whose handler saves
   * the frame and rethrows; "check" tests the state global after each call.
   */
  unwind?: "exception" | "check";
  /** For cost measurements only: leave out parts (the result cannot always freeze). */
  experiment?: {
    noLoopChecks?: boolean;
    noEntryChecks?: boolean;
    noSiteChecks?: boolean;
    inlineCountdown?: boolean;
  };
}

/** An instrumented module and what was done to it. */
export interface InstrumentedModule {
  /** The module to run (carries `dmosix.flat` and `dmosix.info` sections). */
  wasm: Uint8Array;
  /** What the instrumenter did. */
  info: InstrumentInfo;
}

/** Features V8 (Deno 2) runs by default; the output never needs more. */
export const WASM_FEATURES: number = binaryen.Features.MutableGlobals |
  binaryen.Features.NontrappingFPToInt | binaryen.Features.SIMD128 |
  binaryen.Features.BulkMemory | binaryen.Features.SignExt |
  binaryen.Features.TailCall | binaryen.Features.ReferenceTypes |
  binaryen.Features.Multivalue | binaryen.Features.ExtendedConst |
  binaryen.Features.BulkMemoryOpt | binaryen.Features.CallIndirectOverlong |
  binaryen.Features.MultiMemory | binaryen.Features.Atomics |
  binaryen.Features.ExceptionHandling;

/** Internal names of what the instrumenter adds. */
export const N = {
  preempt: "__dmosix_preempt",
  framePrefix: "__dmosix_frame_",
  loadI32: "__dmosix_load_i32",
  loadI64: "__dmosix_load_i64",
  resumeNext: "__dmosix_resume_next",
  state: "__dmosix_state",
  tag: "__dmosix_unwind",
  budget: "__dmosix_budget",
} as const;

const ENTRY = "_start";

/** The value type name of a binaryen type, or undefined for others. */
export function valTypeName(t: number): WasmValType | undefined {
  switch (t) {
    case binaryen.i32:
      return "i32";
    case binaryen.i64:
      return "i64";
    case binaryen.f32:
      return "f32";
    case binaryen.f64:
      return "f64";
    case binaryen.v128:
      return "v128";
  }
  return undefined;
}

/** Parse `wasm` with binaryen, mapping failures to InstrumentError. */
export function readModule(wasm: Uint8Array): binaryen.Module {
  if (!hasWasmHeader(wasm)) {
    throw new InstrumentError(
      "not-wasm",
      "not a WebAssembly module (bad magic or version)",
    );
  }
  try {
    // readBinary takes the features as an optional second argument.
    // deno-lint-ignore no-explicit-any
    return (binaryen.readBinary as any)(wasm, WASM_FEATURES);
  } catch (e) {
    throw new InstrumentError(
      "not-wasm",
      `not a valid WebAssembly module (${(e as Error).message ?? e})`,
    );
  }
}

interface FnFacts {
  name: string;
  calls: Set<string>;
  indirect: boolean;
  loops: number;
}

function functionNames(
  m: binaryen.Module,
): { defined: string[]; imports: Map<string, string> } {
  const defined: string[] = [];
  const imports = new Map<string, string>();
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const fi = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    if (fi.module) imports.set(fi.name, `${fi.module}.${fi.base}`);
    else defined.push(fi.name);
  }
  return { defined, imports };
}

function facts(m: binaryen.Module, name: string): FnFacts {
  const f: FnFacts = { name, calls: new Set(), indirect: false, loops: 0 };
  const body = bx.Function.getBody(m.getFunction(name));
  if (!body) return f;
  walk(buildTree(body), (n) => {
    if (
      n.id === binaryen.TryId || n.id === binaryen.ThrowId ||
      n.id === binaryen.RethrowId
    ) {
      throw new UnsupportedIrError(`exception handling (in ${name})`);
    }
    if (n.id === binaryen.CallId) f.calls.add(n.info.target);
    else if (n.id === binaryen.CallIndirectId) f.indirect = true;
    else if (n.id === binaryen.LoopId) f.loops++;
  });
  return f;
}

function tableFunctions(m: binaryen.Module): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < m.getNumElementSegments(); i++) {
    const seg = binaryen.getElementSegmentInfo(m.getElementSegmentByIndex(i));
    for (const n of seg.data) out.add(n);
  }
  return out;
}

/** Functions on a call-graph cycle (Tarjan's SCC, iterative). */
function inCycles(names: string[], edges: Map<string, string[]>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Set<string>();
  let next = 0;
  for (const root of names) {
    if (index.has(root)) continue;
    const work: [string, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const [v, i] = top;
      const succ = edges.get(v) ?? [];
      if (i < succ.length) {
        top[1]++;
        const w = succ[i];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1][0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || succ.includes(v)) {
          comp.forEach((c) => out.add(c));
        }
      }
    }
  }
  return out;
}

interface Plan {
  facts: Map<string, FnFacts>;
  unwinds: Set<string>;
  indirectUnwinds: boolean;
  recursive: Set<string>;
  unwindImportNames: Map<string, string>;
}

function plan(m: binaryen.Module, unwindList: readonly string[]): Plan {
  const { defined, imports } = functionNames(m);
  const allFacts = new Map(defined.map((n) => [n, facts(m, n)]));
  const table = tableFunctions(m);
  const tableDefined = [...table].filter((n) => allFacts.has(n));
  const unwindImportNames = new Map(
    [...imports].filter(([, ext]) => unwindList.includes(ext)),
  );
  const edges = new Map<string, string[]>();
  for (const f of allFacts.values()) {
    const e = [...f.calls].filter((c) => allFacts.has(c));
    if (f.indirect) e.push(...tableDefined);
    edges.set(f.name, e);
  }
  const recursive = inCycles(defined, edges);
  const unwinds = new Set<string>();
  for (const f of allFacts.values()) {
    if (
      f.loops > 0 || recursive.has(f.name) ||
      [...f.calls].some((c) => unwindImportNames.has(c))
    ) unwinds.add(f.name);
  }
  let indirectUnwinds = [...table].some((n) =>
    unwinds.has(n) || unwindImportNames.has(n)
  );
  for (let changed = true; changed;) {
    changed = false;
    for (const f of allFacts.values()) {
      if (unwinds.has(f.name)) continue;
      if (
        (f.indirect && indirectUnwinds) ||
        [...f.calls].some((c) => unwinds.has(c))
      ) {
        unwinds.add(f.name);
        changed = true;
        if (table.has(f.name)) indirectUnwinds = true;
      }
    }
  }
  return {
    facts: allFacts,
    unwinds,
    indirectUnwinds,
    recursive,
    unwindImportNames,
  };
}

/** Zero of a function's result type, for `return` while unwinding. */
function zeroOf(m: binaryen.Module, t: number): number | undefined {
  switch (t) {
    case binaryen.none:
      return undefined;
    case binaryen.i32:
      return m.i32.const(0);
    case binaryen.i64:
      return m.i64.const(0n as unknown as number);
    case binaryen.f32:
      return m.f32.const(0);
    case binaryen.f64:
      return m.f64.const(0);
    case binaryen.v128:
      return m.v128.const(new Array(16).fill(0));
  }
  throw new UnsupportedIrError(
    "multi-value or reference results in a function that can unwind",
  );
}

/** The types of all locals of `func` (params first). */
export function localTypes(func: number): number[] {
  const params = binaryen.expandType(bx.Function.getParams(func));
  const vars: number[] = [];
  for (let i = 0; i < bx.Function.getNumVars(func); i++) {
    vars.push(bx.Function.getVar(func, i));
  }
  return [...params, ...vars];
}

function addVar(func: number, type: number): number {
  return bx._BinaryenFunctionAddVar(func, type);
}

/** The values saving local `idx` of type `t`, with their signature letters. */
function saveLocal(
  m: binaryen.Module,
  idx: number,
  t: number,
): [number, string][] {
  const get = () => m.local.get(idx, t);
  switch (t) {
    case binaryen.i32:
      return [[get(), "i"]];
    case binaryen.i64:
      return [[get(), "I"]];
    case binaryen.f32:
      return [[m.i32.reinterpret(get()), "i"]];
    case binaryen.f64:
      return [[m.i64.reinterpret(get()), "I"]];
    case binaryen.v128:
      return [0, 1].map((
        lane,
      ) => [m.i64x2.extract_lane(get(), lane as unknown as number), "I"]);
  }
  throw new UnsupportedIrError(
    "a reference-typed local is live across a call that can unwind",
  );
}

/** The frame-saving import for value signature `sig`, added on first use. */
function frameImport(ctx: Ctx, sig: string): string {
  const name = `${N.framePrefix}${sig}`;
  if (!ctx.frameImports.has(sig)) {
    ctx.frameImports.add(sig);
    const params = [
      binaryen.i32,
      binaryen.i32,
      ...[...sig].map((c) => c === "i" ? binaryen.i32 : binaryen.i64),
    ];
    ctx.m.addFunctionImport(
      name,
      RUNTIME_MODULE,
      `${RT.framePrefix}${sig}`,
      binaryen.createType(params),
      binaryen.none,
    );
  }
  return name;
}

interface Ctx {
  m: binaryen.Module;
  plan: Plan;
  interval: number;
  experiment: NonNullable<InstrumentOptions["experiment"]>;
  frameImports: Set<string>;
  /** Internal name of the flags memory, or null in countdown mode. */
  flags: string | null;
  /** Unwind by exception (else by state checks). */
  exceptions: boolean;
  /** Functions that count down the budget at entry. */
  checked: Set<string>;
}

/** Statements before a poll, the poll condition, and the preempt statement. */
function poll(
  ctx: Ctx,
  c: number,
): { pre: number[]; cond: number; call: number } {
  const { m } = ctx;
  const i32 = binaryen.i32;
  if (ctx.flags !== null) {
    return {
      pre: [],
      cond: m.i32.atomic.load(0, m.i32.const(0), ctx.flags),
      call: m.drop(m.call(N.preempt, [], i32)),
    };
  }
  return {
    pre: [m.local.set(c, m.i32.sub(m.local.get(c, i32), m.i32.const(1)))],
    cond: m.i32.eqz(m.local.get(c, i32)),
    call: m.local.set(c, m.call(N.preempt, [], i32)),
  };
}

function isSiteCall(ctx: Ctx, n: IrNode): boolean {
  if (n.id === binaryen.CallId) {
    if (n.info.isReturn) return false;
    const t = n.info.target as string;
    return t === N.preempt || ctx.plan.unwinds.has(t) ||
      ctx.plan.unwindImportNames.has(t);
  }
  return n.id === binaryen.CallIndirectId && !n.info.isReturn &&
    ctx.plan.indirectUnwinds;
}

const STATEMENT_PARENTS = new Set([
  binaryen.BlockId,
  binaryen.LoopId,
  binaryen.IfId,
]);

/** The call of a site statement (see siteStatement). */
function siteCallOf(s: IrNode): IrNode {
  return s.id === binaryen.LocalSetId || s.id === binaryen.DropId
    ? s.kids[0]
    : s;
}

/**
 * True when site call `call` may be where an unwind starts (the innermost
 * frame, whose call is made again on resume, so its operands are saved);
 * the other frames resume with the callee's result.
 */
function startsUnwind(ctx: Ctx, call: IrNode): boolean {
  return call.id === binaryen.CallIndirectId ||
    call.info.target === N.preempt ||
    ctx.plan.unwindImportNames.has(call.info.target);
}

/** The statement holding site call `call` (the call or its local.set). */
function siteStatement(call: IrNode): IrNode {
  let s = call;
  if (
    s.parent &&
    (s.parent.id === binaryen.LocalSetId || s.parent.id === binaryen.DropId)
  ) {
    s = s.parent;
  }
  if (s.parent !== null && !STATEMENT_PARENTS.has(s.parent.id)) {
    throw new UnsupportedIrError(
      "a call that can unwind is not in statement position",
    );
  }
  if (s.parent?.id === binaryen.IfId && s.field === "condition") {
    throw new UnsupportedIrError("a call that can unwind is an if condition");
  }
  return s;
}

function countdown(ctx: Ctx, c: number): number[] {
  const p = poll(ctx, c);
  return [...p.pre, ctx.m.if(p.cond, p.call)];
}

/**
 * Countdown whose preempt call sits outside the loop: the loop exits to a
 * handler that calls preempt and re-enters it at its header, so the hot
 * loop contains no call (V8 spills values live across a call).
 */
function outlineCountdown(
  ctx: Ctx,
  func: number,
  loop: IrNode,
  c: number,
  tag: string,
  marks: Set<number>,
): void {
  const { m } = ctx;
  const exit = `__dmosix_x${tag}`;
  const re = `__dmosix_r${tag}`;
  const pre = `__dmosix_p${tag}`;
  const p = poll(ctx, c);
  const test = m.br(pre, p.cond);
  [...p.pre, test].forEach((x) => marks.add(x));
  bx.Loop.setBody(loop.ptr, m.block(null, [...p.pre, test, loopBody(loop)]));
  const wrapped = m.block(exit, [
    m.loop(
      re,
      m.block(null, [m.block(pre, [loop.ptr, m.br(exit)]), p.call, m.br(re)]),
    ),
  ]);
  replaceInParent(func, loop, wrapped);
  for (let p = loop.parent; p !== null; p = p.parent) finalize(p.ptr);
}

/** A loop's current body (an inner loop's wrapper may have replaced the one in the tree). */
function loopBody(loop: IrNode): number {
  return (binaryen.getExpressionInfo(loop.ptr) as binaryen.LoopInfo).body;
}

/** Recompute an expression's type from its children. */
function finalize(ptr: number): void {
  bx._BinaryenExpressionFinalize(ptr);
}

function entryCheck(ctx: Ctx, c: number): number[] {
  const { m } = ctx;
  const i32 = binaryen.i32;
  if (ctx.flags !== null) return countdown(ctx, c);
  return [
    m.local.set(c, m.i32.sub(m.global.get(N.budget, i32), m.i32.const(1))),
    m.global.set(N.budget, m.local.get(c, i32)),
    m.if(
      m.i32.eqz(m.local.get(c, i32)),
      m.block(null, [
        m.local.set(c, m.call(N.preempt, [], i32)),
        m.global.set(N.budget, m.local.get(c, i32)),
      ]),
    ),
  ];
}

/** True when `n` holds a call to a function with an entry check. */
function callsChecked(ctx: Ctx, n: IrNode): boolean {
  let found = false;
  walk(n, (x) => {
    if (
      x.id === binaryen.CallId && !x.info.isReturn &&
      ctx.checked.has(x.info.target)
    ) found = true;
  });
  return found;
}

/** A control-flow edge into a merge, and whether a count or check precedes it. */
interface Edge {
  /** The branch (br, br_if, br_table). */
  node: IrNode;
  counted: boolean;
}

/**
 * Count down only on the paths through `loop` that call no function with
 * an entry check: a forward "counted since the header" analysis over the
 * structured body puts a countdown before each back edge not yet counted,
 * pushed back to the arm or branch without a call where paths with and
 * without one merge. Recursion unrolled into a loop around its recursive
 * call (Ackermann after clang -O2) then pays nothing per iteration.
 * Returns how many countdowns were inserted.
 */
function placeEdgeCounts(
  ctx: Ctx,
  func: number,
  loop: IrNode,
  count: () => number,
  marks: Set<number>,
): number {
  const root = buildTree(loop.ptr, loop.parent, loop.field, loop.index);
  const rootLabel = root.info.name as string;
  const merges = new Map<string, Edge[]>();
  const inner = new Set<string>();
  const edits: (() => void)[] = [];
  // What occupies a node's slot once wrapped (a node may be wrapped twice).
  const slot = new Map<IrNode, number>();
  let inserted = 0;
  const wrap = (n: IrNode, before: boolean) => {
    inserted++;
    edits.push(() => {
      const c = count();
      marks.add(c);
      const cur = slot.get(n) ?? n.ptr;
      const w = ctx.m.block(null, before ? [c, cur] : [cur, c]);
      replaceInParent(func, n, w);
      slot.set(n, w);
    });
  };
  const countBefore = (e: Edge) => {
    if (e.counted) return;
    e.counted = true;
    wrap(e.node, true);
  };
  const countAfter = (n: IrNode) => wrap(n, false);
  const branch = (label: string, e: Edge) => {
    if (label === rootLabel) countBefore(e);
    else if (!inner.has(label)) merges.get(label)?.push(e);
  };
  // State: true counted, false not, null unreachable.
  const visit = (n: IrNode, s: boolean | null): boolean | null => {
    if (s === null) return null;
    if (marks.has(n.ptr)) return true;
    switch (n.id) {
      case binaryen.BlockId: {
        const label = n.info.name as string;
        if (label) merges.set(label, []);
        let cur: boolean | null = s;
        let last: IrNode | null = null;
        for (const k of n.kids) {
          cur = visit(k, cur);
          last = k;
        }
        if (!label) return cur;
        const ins = merges.get(label)!;
        merges.delete(label);
        const any = ins.some((e) => e.counted) || cur === true;
        if (!any) return ins.length > 0 || cur === false ? false : null;
        ins.forEach(countBefore);
        if (cur === false) countAfter(last ?? n);
        return true;
      }
      case binaryen.LoopId: {
        const label = n.info.name as string;
        if (n !== root) {
          if (label) inner.add(label);
          const out = visit(n.kids[0], s);
          if (label) inner.delete(label);
          return out;
        }
        visit(n.kids[0], false);
        return null;
      }
      case binaryen.IfId: {
        const t = visit(n.kids[1], s);
        const f = n.kids[2] ? visit(n.kids[2], s) : s;
        if (t === null) return f;
        if (f === null) return t;
        if (t === f) return t;
        if (!t) countAfter(n.kids[1]);
        else if (n.kids[2]) countAfter(n.kids[2]);
        else {
          inserted++;
          edits.push(() => {
            const c = count();
            marks.add(c);
            bx.If.setIfFalse(n.ptr, c);
          });
        }
        return true;
      }
      case binaryen.BreakId: {
        const e: Edge = { node: n, counted: s };
        branch(n.info.name, e);
        return n.info.condition ? s : null;
      }
      case binaryen.SwitchId: {
        const e: Edge = { node: n, counted: s };
        for (const l of new Set([...n.info.names, n.info.defaultName])) {
          branch(l as string, e);
        }
        return null;
      }
      case binaryen.ReturnId:
      case binaryen.UnreachableId:
        return null;
    }
    if (binaryen.getExpressionType(n.ptr) === binaryen.unreachable) {
      return null;
    }
    return s || callsChecked(ctx, n);
  };
  visit(root, false);
  // Edits after the analysis: the tree's parent links stay valid.
  edits.forEach((f) => f());
  for (let p: IrNode | null = root; p !== null; p = p.parent) finalize(p.ptr);
  return inserted;
}

/** Give `name` preemption points and unwind support; returns counts. */
function transformFunction(
  ctx: Ctx,
  name: string,
  fid: number,
): { loops: number; entry: boolean; sites: number } {
  const { m } = ctx;
  m.runPassesOnFunction(name, ["flatten"]);
  const func = m.getFunction(name);
  const results = bx.Function.getResults(func);
  const loops: IrNode[] = [];
  walk(buildTree(bx.Function.getBody(func)), (n) => {
    if (n.id === binaryen.LoopId) loops.push(n);
  });
  if (ctx.experiment.noLoopChecks) loops.length = 0;
  const entry = ctx.checked.has(name);
  const prefix: number[] = [];
  let counted = 0;
  if (loops.length > 0 || entry) {
    const c = addVar(func, binaryen.i32);
    let localCount = false;
    // On the call-free paths of a loop that calls checked functions (see
    // placeEdgeCounts): a recursive function counts its global budget
    // there too (measured faster on Ackermann than a local countdown live
    // across the recursive call), others a local countdown.
    const t = entry ? addVar(func, binaryen.i32) : -1;
    const edgeCount = () => {
      if (t >= 0) return m.block(null, entryCheck(ctx, t));
      localCount = true;
      return m.block(null, countdown(ctx, c));
    };
    const marks = new Set<number>();
    // Innermost loops first, so a wrapper is typed after its contents.
    loops.slice().reverse().forEach((l, i) => {
      if (l.info.name && callsChecked(ctx, l)) {
        if (placeEdgeCounts(ctx, func, l, edgeCount, marks) > 0) counted++;
        return;
      }
      counted++;
      localCount = true;
      if (!ctx.experiment.inlineCountdown && l.info.name) {
        outlineCountdown(ctx, func, l, c, `${name}$${i}`, marks);
      } else {
        const p = countdown(ctx, c);
        p.forEach((x) => marks.add(x));
        bx.Loop.setBody(l.ptr, m.block(null, [...p, loopBody(l)]));
      }
    });
    if (entry) prefix.push(...entryCheck(ctx, c));
    if (localCount && ctx.flags === null) {
      prefix.push(m.local.set(c, m.i32.const(ctx.interval)));
    }
  }
  if (prefix.length > 0) {
    bx.Function.setBody(
      func,
      m.block(null, [...prefix, bx.Function.getBody(func)]),
    );
  }

  // A site whose result overwrites one of its own operands would lose the
  // operand a resumed import call needs: route the result through a temp.
  let tree = buildTree(bx.Function.getBody(func));
  let rewrote = false;
  const calls: IrNode[] = [];
  walk(tree, (n) => {
    if (isSiteCall(ctx, n)) calls.push(n);
  });
  for (const call of calls) {
    const s = siteStatement(call);
    if (
      s.id === binaryen.LocalSetId && localGets(call).includes(s.info.index)
    ) {
      const t = binaryen.getExpressionType(call.ptr);
      const tmp = addVar(func, t);
      replaceInParent(
        func,
        s,
        m.block(null, [
          m.local.set(tmp, call.ptr),
          m.local.set(s.info.index, m.local.get(tmp, t)),
        ]),
      );
      rewrote = true;
    }
  }
  if (rewrote) tree = buildTree(bx.Function.getBody(func));

  const statements = new Set<IrNode>();
  walk(tree, (n) => {
    if (isSiteCall(ctx, n)) statements.add(siteStatement(n));
  });
  const types = localTypes(func);
  const live = liveBefore(
    tree,
    types.length,
    (n) => statements.has(n),
    (s) => !startsUnwind(ctx, siteCallOf(s)),
  );
  let k = 0;
  if (ctx.experiment.noSiteChecks) statements.clear();
  for (const s of statements) {
    const saves = live.get(s)!.flatMap((i) => saveLocal(m, i, types[i]));
    const sig = saves.map(([, c]) => c).join("");
    const save = m.call(
      frameImport(ctx, sig),
      [m.i32.const(fid), m.i32.const(k), ...saves.map(([v]) => v)],
      binaryen.none,
    );
    if (ctx.exceptions) {
      // Only a call into the runtime or the host can start an unwind; it
      // sets the state, and the throw happens here. Calls to wasm functions
      // just let the exception through their handler.
      const body = startsUnwind(ctx, siteCallOf(s))
        ? m.block(null, [
          s.ptr,
          m.if(m.global.get(N.state, binaryen.i32), m.throw(N.tag, [])),
        ])
        : s.ptr;
      const label = `__dmosix_t${k}`;
      replaceInParent(
        func,
        s,
        m.try(label, body, [N.tag], [m.block(null, [save, m.rethrow(label)])]),
      );
      k++;
      continue;
    }
    const zero = zeroOf(m, results);
    const check = m.if(
      m.global.get(N.state, binaryen.i32),
      m.block(null, [save, m.return(zero)]),
    );
    replaceInParent(func, s, m.block(null, [s.ptr, check]));
    k++;
  }
  return { loops: counted, entry, sites: k };
}

function exportGlobals(m: binaryen.Module): GlobalInfo[] {
  const out: GlobalInfo[] = [];
  for (let i = 0; i < m.getNumGlobals(); i++) {
    const g = binaryen.getGlobalInfo(m.getGlobalByIndex(i));
    if (!g.mutable || g.module || g.name === N.state) continue;
    const type = valTypeName(g.type);
    if (type === undefined || type === "v128") {
      throw new InstrumentError(
        "unsupported",
        `unsupported: mutable global ${g.name} of type ${type ?? "reference"}`,
      );
    }
    const getter = `${GLOBAL_GET_PREFIX}${out.length}`;
    const setter = `${GLOBAL_SET_PREFIX}${out.length}`;
    const bits = type === "i32" || type === "f32" ? binaryen.i32 : binaryen.i64;
    const get = m.global.get(g.name, g.type);
    const fromBits = (v: number) =>
      type === "f32"
        ? m.f32.reinterpret(v)
        : type === "f64"
        ? m.f64.reinterpret(v)
        : v;
    const toBits = type === "f32"
      ? m.i32.reinterpret(get)
      : type === "f64"
      ? m.i64.reinterpret(get)
      : get;
    m.addFunction(getter, binaryen.none, bits, [], toBits);
    m.addFunction(
      setter,
      bits,
      binaryen.none,
      [],
      m.global.set(g.name, fromBits(m.local.get(0, bits))),
    );
    m.addFunctionExport(getter, getter);
    m.addFunctionExport(setter, setter);
    out.push({ getter, setter, name: g.name, type });
  }
  return out;
}

function checkCommand(m: binaryen.Module): void {
  let start: string | null = null;
  let memory = false;
  for (let i = 0; i < m.getNumExports(); i++) {
    const e = binaryen.getExportInfo(m.getExportByIndex(i));
    // The function's own name, which differs in a module without names.
    if (e.name === ENTRY && e.kind === binaryen.ExternalFunction) {
      start = e.value;
    }
    if (e.kind === binaryen.ExternalMemory) memory = true;
  }
  if (!start || !memory) {
    throw new InstrumentError(
      "not-wasi-command",
      `not a WASI command (no ${!start ? "_start" : "memory"} export)`,
    );
  }
  if (m.getStart()) {
    throw new InstrumentError(
      "unsupported",
      "unsupported: module has a start function",
    );
  }
  const fn = binaryen.getFunctionInfo(m.getFunction(start));
  if (fn.params !== binaryen.none || fn.results !== binaryen.none) {
    throw new InstrumentError(
      "not-wasi-command",
      "not a WASI command (_start must take and return nothing)",
    );
  }
}

/** Export the flags memory (the second one, added to the input unnamed, so "1"). */
function flagsMemory(m: binaryen.Module): string {
  let info: ReturnType<binaryen.Module["getMemoryInfo"]> | undefined;
  try {
    info = m.getMemoryInfo("1");
  } catch {
    info = undefined;
  }
  if (!info?.shared || info.initial !== 1) {
    throw new InstrumentError(
      "unsupported",
      "unsupported: module must define exactly one memory",
    );
  }
  m.addMemoryExport("1", FLAGS_EXPORT);
  return "1";
}

function addRuntime(m: binaryen.Module, interval: number): void {
  const { i32, none } = binaryen;
  m.addFunctionImport(N.preempt, RUNTIME_MODULE, RT.preempt, none, i32);
  m.addGlobal(N.state, i32, true, m.i32.const(0));
  m.addFunction(
    UNWIND_EXPORT,
    none,
    none,
    [],
    m.global.set(N.state, m.i32.const(1)),
  );
  m.addFunctionExport(UNWIND_EXPORT, UNWIND_EXPORT);
  m.addFunction(STATE_EXPORT, none, i32, [], m.global.get(N.state, i32));
  m.addFunctionExport(STATE_EXPORT, STATE_EXPORT);
  m.addGlobal(N.budget, i32, true, m.i32.const(interval));
  m.addTag(N.tag, none, none);
}

/** Emit with the name section, so function and global names survive. */
export function emitNamed(m: binaryen.Module): Uint8Array {
  const prev = binaryen.getDebugInfo();
  binaryen.setDebugInfo(true);
  try {
    return m.emitBinary();
  } finally {
    binaryen.setDebugInfo(prev);
  }
}

/** `wasm` with its memory shared; InstrumentError if it has none of its own. */
function sharedMemoryOf(wasm: Uint8Array): Uint8Array {
  try {
    return shareFirstMemory(wasm);
  } catch (e) {
    throw new InstrumentError(
      "unsupported",
      `unsupported: ${
        (e as Error).message
      } (the module must define its memory)`,
    );
  }
}

/**
 * Instrument a WASI command (see the module doc). Throws InstrumentError
 * for "not wasm", "not a WASI command" and unsupported constructs.
 */
export function instrument(
  wasm: Uint8Array,
  opts: InstrumentOptions = {},
): InstrumentedModule {
  const interval = opts.interval ?? 10_000;
  if (!(interval >= 1 && interval < 2 ** 31)) {
    throw new RangeError("interval out of range");
  }
  const flagMode = (opts.preemption ?? "countdown") === "flag";
  let input = wasm;
  if (flagMode && hasWasmHeader(wasm)) {
    try {
      input = appendSharedPageMemory(wasm);
    } catch {
      input = wasm; // checkCommand below says what is missing
    }
  }
  const m = readModule(input);
  try {
    checkCommand(m);
    const flags = flagMode ? flagsMemory(m) : null;
    const unwindList = opts.unwindImports ?? DEFAULT_UNWIND_IMPORTS;
    const p = plan(m, unwindList);
    const ctx: Ctx = {
      m,
      plan: p,
      interval,
      experiment: opts.experiment ?? {},
      frameImports: new Set(),
      flags,
      exceptions: (opts.unwind ?? "exception") === "exception",
      checked: opts.experiment?.noEntryChecks ? new Set() : p.recursive,
    };
    const { defined } = functionNames(m);
    addRuntime(m, interval);
    const counts = {
      functions: defined.length,
      instrumented: 0,
      loops: 0,
      entryChecks: 0,
      sites: 0,
    };
    defined.forEach((name, fid) => {
      if (!p.unwinds.has(name)) return;
      const r = transformFunction(ctx, name, fid);
      counts.instrumented++;
      counts.loops += r.loops;
      counts.entryChecks += r.entry ? 1 : 0;
      counts.sites += r.sites;
    });
    const globals = exportGlobals(m);
    if (!m.validate()) {
      throw new InstrumentError(
        "unsupported",
        "unsupported: instrumented module does not validate",
      );
    }
    const flat = emitNamed(m);
    binaryen.setOptimizeLevel(opts.optimizeLevel ?? 2);
    binaryen.setShrinkLevel(0);
    for (const name of defined) {
      if (p.unwinds.has(name)) m.optimizeFunction(name);
    }
    const info: InstrumentInfo = {
      version: INSTRUMENTER_VERSION,
      preemption: flagMode ? "flag" : "countdown",
      unwind: ctx.exceptions ? "exception" : "check",
      interval,
      unwindImports: [...p.unwindImportNames.values()],
      functions: defined,
      globals,
      entry: ENTRY,
      counts,
    };
    // Shared: a frozen program's memory goes to the thread that sends or
    // resumes it as it is, not as a copy.
    let out = sharedMemoryOf(emitNamed(m));
    out = appendCustomSection(out, FLAT_SECTION, flat);
    out = appendCustomSection(
      out,
      INFO_SECTION,
      new TextEncoder().encode(JSON.stringify(info)),
    );
    return { wasm: out, info };
  } catch (e) {
    if (e instanceof UnsupportedIrError) {
      throw new InstrumentError("unsupported", `unsupported: ${e.message}`);
    }
    throw e;
  } finally {
    m.dispose();
  }
}

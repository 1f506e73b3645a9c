/**
 * Build the module that resumes a frozen stack: the instrumented module
 * plus one continuation function per saved (function, site) and a
 * dispatcher per result type, exported as `__dmosix_resume`.
 *
 * A continuation of function f at site k is f's flat code from k onward,
 * made structured again: the call at k (or, in the innermost frame, the
 * import call itself, performed again) followed by the rest of every
 * enclosing block; an enclosing loop becomes "finish this iteration, then
 * run the whole loop". It starts by loading the locals saved at k, in the
 * order the unwind code saved them. Continuations are ordinary instrumented
 * code: the frozen frames run at full speed after a resume and can be
 * frozen again (they save themselves as f at k).
 *
 * @module
 */

import binaryen from "binaryen";
import { buildTree, bx, type IrNode, walk } from "./ir_tree.ts";
import { localTypes, N, readModule } from "./instrument.ts";
import { readInstrumentInfo } from "./instrument_info.ts";
import {
  FLAT_SECTION,
  RESUME_EXPORT,
  RT,
  RUNTIME_MODULE,
} from "./runtime_abi.ts";
import {
  getCustomSection,
  importFirstMemory,
  stripCustomSections,
} from "./wasm_sections.ts";
import { InstrumentError } from "./instrument_error.ts";

/** Where a saved frame stopped. */
export interface FrameSite {
  /** Function id (index in InstrumentInfo.functions). */
  fid: number;
  /** Site index within the function. */
  site: number;
}

/** A resume module and, per saved frame (innermost first), its continuation index. */
export interface ResumeModule {
  /** The module to instantiate instead of the instrumented one. */
  wasm: Uint8Array;
  /** continuation index for frames[i], as `resume_next` must return it. */
  contIds: number[];
}

const RESULT_TYPES: [string, number][] = [
  ["none", binaryen.none],
  ["i32", binaryen.i32],
  ["i64", binaryen.i64],
  ["f32", binaryen.f32],
  ["f64", binaryen.f64],
  ["v128", binaryen.v128],
];

function dispatcherName(t: number): string {
  const e = RESULT_TYPES.find(([, ty]) => ty === t);
  if (!e) {
    throw new InstrumentError(
      "unsupported",
      "unsupported: multi-value call that can unwind",
    );
  }
  return `__dmosix_resume_${e[0]}`;
}

function addResumeImports(m: binaryen.Module): void {
  m.addFunctionImport(
    N.loadI32,
    RUNTIME_MODULE,
    RT.loadI32,
    binaryen.none,
    binaryen.i32,
  );
  m.addFunctionImport(
    N.loadI64,
    RUNTIME_MODULE,
    RT.loadI64,
    binaryen.none,
    binaryen.i64,
  );
  m.addFunctionImport(
    N.resumeNext,
    RUNTIME_MODULE,
    RT.resumeNext,
    binaryen.none,
    binaryen.i32,
  );
}

interface SiteLocation {
  /** The statement performing the call at the site. */
  stmt: IrNode;
  /**
   * What wraps it: the `try` whose handler saves the frame (exception
   * mode), or the `if (state) {save...}` right after it (check mode).
   */
  guard: IrNode;
  /** Saved locals in save order. */
  saved: number[];
}

function isConst(n: IrNode, v: number): boolean {
  return n.id === binaryen.ConstId && n.info.value === v;
}

/** Internal names of the frame-saving imports (a binary round trip renames imports). */
function frameImports(m: binaryen.Module): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const fi = binaryen.getFunctionInfo(m.getFunctionByIndex(i));
    if (fi.module === RUNTIME_MODULE && fi.base?.startsWith(RT.framePrefix)) {
      out.add(fi.name);
    }
  }
  return out;
}

/** Find site `site` of function `fid` in the flat body. */
function locateSite(
  body: IrNode,
  saveFrame: Set<string>,
  fid: number,
  site: number,
): SiteLocation {
  let found: IrNode | undefined;
  walk(body, (n) => {
    if (
      found === undefined && n.id === binaryen.CallId &&
      saveFrame.has(n.info.target) &&
      isConst(n.kids[0], fid) && isConst(n.kids[1], site)
    ) found = n;
  });
  const bad = () =>
    new InstrumentError(
      "unsupported",
      `snapshot names a site the module lacks (${fid}:${site})`,
    );
  if (found === undefined) throw bad();
  let guard: IrNode | null = found.parent;
  while (guard !== null && guard.id === binaryen.BlockId) guard = guard.parent;
  let stmt: IrNode | undefined;
  if (guard?.id === binaryen.TryId) {
    const b = guard.kids[0];
    stmt = b.id === binaryen.BlockId ? b.kids[0] : b;
  } else if (
    guard?.id === binaryen.IfId && guard.parent?.id === binaryen.BlockId &&
    guard.index > 0
  ) {
    stmt = guard.parent.kids[guard.index - 1];
  }
  if (guard === null || stmt === undefined) throw bad();
  const saved: number[] = [];
  for (const k of found.kids.slice(2)) {
    let idx = -1;
    walk(k, (n) => {
      if (idx < 0 && n.id === binaryen.LocalGetId) idx = n.info.index;
    });
    // A v128 is saved as two halves of the same local.
    if (idx >= 0 && saved[saved.length - 1] !== idx) saved.push(idx);
  }
  return { stmt, guard, saved };
}

/** The call expression of a site statement. */
function siteCall(stmt: IrNode): IrNode {
  if (stmt.id === binaryen.CallId || stmt.id === binaryen.CallIndirectId) {
    return stmt;
  }
  return stmt.kids[0];
}

class Labels {
  n = 0;
  fresh(): string {
    return `__dmosix_l${this.n++}`;
  }
}

/** Give every label defined inside `ptr` a fresh name (copies may sit side by side). */
function freshenLabels(ptr: number, labels: Labels): void {
  const map = new Map<string, string>();
  walk(buildTree(ptr), (n) => {
    const named = n.id === binaryen.BlockId || n.id === binaryen.LoopId ||
      n.id === binaryen.TryId;
    if (named && n.info.name) {
      const nn = labels.fresh();
      map.set(n.info.name, nn);
      if (n.id === binaryen.BlockId) bx.Block.setName(n.ptr, nn);
      else if (n.id === binaryen.LoopId) bx.Loop.setName(n.ptr, nn);
      else bx.Try.setName(n.ptr, nn);
    }
  });
  renameBranches(ptr, map);
}

function renameBranches(ptr: number, map: Map<string, string>): void {
  if (map.size === 0) return;
  walk(buildTree(ptr), (n) => {
    if (n.id === binaryen.BreakId && map.has(n.info.name)) {
      bx.Break.setName(n.ptr, map.get(n.info.name)!);
    } else if (n.id === binaryen.RethrowId && map.has(n.info.target)) {
      bx.Rethrow.setTarget(n.ptr, map.get(n.info.target)!);
    } else if (n.id === binaryen.SwitchId) {
      (n.info.names as string[]).forEach((name, i) => {
        if (map.has(name)) bx.Switch.setNameAt(n.ptr, i, map.get(name)!);
      });
      if (map.has(n.info.defaultName)) {
        bx.Switch.setDefaultName(n.ptr, map.get(n.info.defaultName)!);
      }
    }
  });
}

function copy(m: binaryen.Module, ptr: number, labels: Labels): number {
  const c = m.copyExpression(ptr);
  freshenLabels(c, labels);
  return c;
}

function loadLocal(m: binaryen.Module, idx: number, t: number): number {
  const i32 = () => m.call(N.loadI32, [], binaryen.i32);
  const i64 = () => m.call(N.loadI64, [], binaryen.i64);
  switch (t) {
    case binaryen.i32:
      return m.local.set(idx, i32());
    case binaryen.i64:
      return m.local.set(idx, i64());
    case binaryen.f32:
      return m.local.set(idx, m.f32.reinterpret(i32()));
    case binaryen.f64:
      return m.local.set(idx, m.f64.reinterpret(i64()));
    case binaryen.v128:
      return m.local.set(
        idx,
        m.i64x2.replace_lane(
          m.i64x2.splat(i64()),
          1 as unknown as number,
          i64(),
        ),
      );
  }
  throw new InstrumentError(
    "unsupported",
    "unsupported: saved local of a reference type",
  );
}

/** The statement at the site, either performed again or fed by the dispatcher. */
function resumedStatement(
  m: binaryen.Module,
  loc: SiteLocation,
  innermost: boolean,
  labels: Labels,
): number {
  if (innermost) return copy(m, loc.stmt.ptr, labels);
  const call = siteCall(loc.stmt);
  const t = binaryen.getExpressionType(call.ptr);
  const resumed = m.call(dispatcherName(t), [], t);
  if (loc.stmt.id === binaryen.LocalSetId) {
    return m.local.set(loc.stmt.info.index, resumed);
  }
  return t === binaryen.none ? resumed : m.drop(resumed);
}

/** Build continuation `name` of `fname` at `site` inside the flat module. */
function buildContinuation(
  m: binaryen.Module,
  name: string,
  fname: string,
  fid: number,
  site: number,
  innermost: boolean,
): void {
  const func = m.getFunction(fname);
  const body = buildTree(bx.Function.getBody(func));
  const loc = locateSite(body, frameImports(m), fid, site);
  const labels = new Labels();
  const resumed = resumedStatement(m, loc, innermost, labels);
  let cur: number;
  if (loc.guard.id === binaryen.TryId) {
    // The same try, its call replaced; the handler keeps its rethrow label.
    const t = loc.guard;
    const b = t.kids[0];
    const body = b === loc.stmt ? resumed : m.block(b.info.name || null, [
      resumed,
      ...b.kids.slice(1).map((k) => copy(m, k.ptr, labels)),
    ]);
    cur = m.try(
      t.info.name,
      body,
      t.info.catchTags,
      t.kids.slice(1).map((k) => m.copyExpression(k.ptr)),
    );
  } else {
    cur = m.block(null, [resumed, copy(m, loc.guard.ptr, labels)]);
  }
  let node = loc.guard;
  for (let p = node.parent; p !== null; node = p, p = p.parent) {
    if (p.id === binaryen.BlockId) {
      const rest = p.kids.slice(node.index + 1).map((k) =>
        copy(m, k.ptr, labels)
      );
      cur = m.block(p.info.name || null, [cur, ...rest]);
    } else if (p.id === binaryen.LoopId) {
      const cont = labels.fresh();
      const exit = labels.fresh();
      if (p.info.name) renameBranches(cur, new Map([[p.info.name, cont]]));
      cur = m.block(exit, [
        m.block(cont, [cur, m.br(exit)]),
        copy(m, p.ptr, labels),
      ]);
    } else if (p.id !== binaryen.IfId || node.field === "condition") {
      throw new InstrumentError(
        "unsupported",
        `unsupported: site inside expression id ${p.id}`,
      );
    }
  }
  const types = localTypes(func);
  const results = bx.Function.getResults(func);
  const loads = loc.saved.map((i) => loadLocal(m, i, types[i]));
  const tail = results === binaryen.none ? [] : [m.unreachable()];
  m.addFunction(
    name,
    binaryen.none,
    results,
    types,
    m.block(null, [...loads, cur, ...tail]),
  );
}

function dispatcherBody(
  m: binaryen.Module,
  t: number,
  conts: { name: string; results: number }[],
): number {
  if (conts.length === 0) return m.unreachable();
  const labels = conts.map((_, i) => `d${i}`);
  let e = m.block(labels[0], [
    m.switch(labels, "dtrap", m.call(N.resumeNext, [], binaryen.i32)),
  ]);
  conts.forEach((c, i) => {
    const call = m.call(c.name, [], c.results);
    const body = c.results !== t
      ? m.unreachable()
      : t === binaryen.none
      ? m.block(null, [call, m.return()])
      : m.return(call);
    e = m.block(i === conts.length - 1 ? "dtrap" : labels[i + 1], [e, body]);
  });
  return m.block(null, [e, m.unreachable()]);
}

/**
 * Build the resume module of an instrumented module for saved frames
 * (innermost first).
 */
export function buildResumeModule(
  instrumented: Uint8Array,
  frames: FrameSite[],
): ResumeModule {
  const info = readInstrumentInfo(instrumented);
  const flatBytes = getCustomSection(instrumented, FLAT_SECTION);
  if (flatBytes === undefined) {
    throw new InstrumentError(
      "not-wasm",
      "instrumented module lacks its dmosix.flat section",
    );
  }
  const flat = readModule(flatBytes);
  const run = readModule(
    stripCustomSections(instrumented, (n) => n.startsWith("dmosix.")),
  );
  try {
    const keys = new Map<string, number>();
    const specs: { fid: number; site: number; innermost: boolean }[] = [];
    const contIds = frames.map((f, i) => {
      if (!(f.fid >= 0 && f.fid < info.functions.length)) {
        throw new InstrumentError(
          "unsupported",
          `snapshot names function ${f.fid}, module has ${info.functions.length}`,
        );
      }
      const innermost = i === 0;
      const key = `${f.fid}:${f.site}:${innermost ? 1 : 0}`;
      let id = keys.get(key);
      if (id === undefined) {
        id = specs.length;
        keys.set(key, id);
        specs.push({ fid: f.fid, site: f.site, innermost });
      }
      return id;
    });
    addResumeImports(flat);
    for (const [, t] of RESULT_TYPES) {
      flat.addFunction(
        dispatcherName(t),
        binaryen.none,
        t,
        [],
        flat.unreachable(),
      );
    }
    const conts = specs.map((s, i) => {
      const name = `__dmosix_cont_${i}`;
      buildContinuation(
        flat,
        name,
        info.functions[s.fid],
        s.fid,
        s.site,
        s.innermost,
      );
      return name;
    });
    if (!flat.validate()) {
      throw new InstrumentError(
        "unsupported",
        "continuation code does not validate",
      );
    }
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(0);
    for (const c of conts) flat.optimizeFunction(c);

    addResumeImports(run);
    const made = conts.map((name) => {
      const fi = binaryen.getFunctionInfo(flat.getFunction(name));
      run.addFunction(
        name,
        binaryen.none,
        fi.results,
        fi.vars,
        run.copyExpression(fi.body),
      );
      return { name, results: fi.results };
    });
    for (const [, t] of RESULT_TYPES) {
      run.addFunction(
        dispatcherName(t),
        binaryen.none,
        t,
        [],
        dispatcherBody(run, t, made),
      );
    }
    const entry = binaryen.getFunctionInfo(run.getFunction(info.entry));
    run.addFunctionExport(dispatcherName(entry.results), RESUME_EXPORT);
    if (!run.validate()) {
      throw new InstrumentError(
        "unsupported",
        "resume module does not validate",
      );
    }
    // It adopts the memory the snapshot is in (context_run.ts), as it is.
    return { wasm: importFirstMemory(run.emitBinary()), contIds };
  } finally {
    flat.dispose();
    run.dispose();
  }
}

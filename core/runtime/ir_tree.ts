/**
 * A JavaScript view of one binaryen function body: a tree of nodes with
 * parent links, built once with `getExpressionInfo`, so analyses do not
 * cross into binaryen for every question and statements can be replaced
 * in their parent's slot.
 *
 * @module
 */

import binaryen from "binaryen";

/** One expression of a function body. */
export interface IrNode {
  /** The binaryen expression pointer. */
  ptr: number;
  /** The binaryen expression id (binaryen.BlockId, ...). */
  id: number;
  /** What getExpressionInfo returned (fields depend on `id`). */
  // deno-lint-ignore no-explicit-any
  info: any;
  /** Child nodes in evaluation order. */
  kids: IrNode[];
  /** Parent node, null for the function body. */
  parent: IrNode | null;
  /** The parent's field holding this node ("children", "body", "ifTrue", ...). */
  field: string;
  /** Index in the parent's field when that field is a list. */
  index: number;
}

/** Thrown for an expression kind the instrumenter does not handle. */
export class UnsupportedIrError extends Error {
  /** Make an error naming the construct. */
  constructor(what: string) {
    super(what);
    this.name = "UnsupportedIrError";
  }
}

const b = binaryen;

/** The parts of binaryen.js's expression wrapper API that its .d.ts lacks. */
export interface BinaryenWrappers {
  Block: {
    setChildAt(b: number, i: number, c: number): void;
    setName(b: number, n: string): void;
  };
  Loop: {
    setBody(l: number, body: number): void;
    setName(l: number, n: string): void;
  };
  If: {
    setIfTrue(i: number, e: number): void;
    setIfFalse(i: number, e: number): void;
    setCondition(i: number, e: number): void;
  };
  LocalSet: { setValue(s: number, v: number): void };
  Drop: { setValue(d: number, v: number): void };
  Break: { setName(b: number, n: string): void };
  Switch: {
    setNameAt(s: number, i: number, n: string): void;
    setDefaultName(s: number, n: string): void;
  };
  Function: {
    getBody(f: number): number;
    setBody(f: number, body: number): void;
    getParams(f: number): number;
    getResults(f: number): number;
    getNumVars(f: number): number;
    getVar(f: number, i: number): number;
  };
  Try: { setName(t: number, n: string): void };
  Rethrow: { setTarget(r: number, n: string): void };
  _BinaryenFunctionAddVar(f: number, t: number): number;
  _BinaryenExpressionFinalize(e: number): void;
}

/** binaryen, typed with the wrapper API. */
export const bx = binaryen as unknown as BinaryenWrappers;

/** Child fields per expression id, in evaluation order; lists end in []. */
const FIELDS: Map<number, string[]> = new Map([
  [b.BlockId, ["children[]"]],
  [b.IfId, ["condition", "ifTrue", "ifFalse"]],
  [b.LoopId, ["body"]],
  [b.BreakId, ["value", "condition"]],
  [b.SwitchId, ["value", "condition"]],
  [b.CallId, ["operands[]"]],
  [b.CallIndirectId, ["operands[]", "target"]],
  [b.LocalGetId, []],
  [b.LocalSetId, ["value"]],
  [b.GlobalGetId, []],
  [b.GlobalSetId, ["value"]],
  [b.LoadId, ["ptr"]],
  [b.StoreId, ["ptr", "value"]],
  [b.AtomicRMWId, ["ptr", "value"]],
  [b.AtomicCmpxchgId, ["ptr", "expected", "replacement"]],
  [b.AtomicWaitId, ["ptr", "expected", "timeout"]],
  [b.AtomicNotifyId, ["ptr", "notifyCount"]],
  [b.AtomicFenceId, []],
  [b.SIMDExtractId, ["vec"]],
  [b.SIMDReplaceId, ["vec", "value"]],
  [b.SIMDShuffleId, ["left", "right"]],
  [b.SIMDTernaryId, ["a", "b", "c"]],
  [b.SIMDShiftId, ["vec", "shift"]],
  [b.SIMDLoadId, ["ptr"]],
  [b.SIMDLoadStoreLaneId, ["ptr", "vec"]],
  [b.MemoryInitId, ["dest", "offset", "size"]],
  [b.DataDropId, []],
  [b.MemoryCopyId, ["dest", "source", "size"]],
  [b.MemoryFillId, ["dest", "value", "size"]],
  [b.ConstId, []],
  [b.UnaryId, ["value"]],
  [b.BinaryId, ["left", "right"]],
  [b.SelectId, ["ifTrue", "ifFalse", "condition"]],
  [b.DropId, ["value"]],
  [b.ReturnId, ["value"]],
  [b.MemorySizeId, []],
  [b.MemoryGrowId, ["delta"]],
  [b.NopId, []],
  [b.UnreachableId, []],
  [b.RefNullId, []],
  [b.RefIsNullId, ["value"]],
  [b.RefFuncId, []],
  [b.RefEqId, ["left", "right"]],
  [b.TableGetId, ["index"]],
  [b.TableSetId, ["index", "value"]],
  [b.TableSizeId, []],
  [b.TableGrowId, ["value", "delta"]],
  [b.TupleMakeId, ["operands[]"]],
  [b.TupleExtractId, ["tuple"]],
  [b.TryId, ["body", "catchBodies[]"]],
  [b.ThrowId, ["operands[]"]],
  [b.RethrowId, []],
]);

/** getExpressionInfo, which fails for some childless kinds (unreachable). */
// deno-lint-ignore no-explicit-any
function expressionInfo(ptr: number): any {
  const id = binaryen.getExpressionId(ptr);
  if (
    FIELDS.get(id)?.length === 0 && id !== b.LocalGetId && id !== b.GlobalGetId
  ) {
    try {
      return binaryen.getExpressionInfo(ptr);
    } catch {
      return { id, type: binaryen.getExpressionType(ptr) };
    }
  }
  return binaryen.getExpressionInfo(ptr);
}

/** Build the tree of `ptr` (a function body or any expression). */
export function buildTree(
  ptr: number,
  parent: IrNode | null = null,
  field = "body",
  index = 0,
): IrNode {
  const info = expressionInfo(ptr);
  const node: IrNode = {
    ptr,
    id: info.id,
    info,
    kids: [],
    parent,
    field,
    index,
  };
  const fields = FIELDS.get(info.id);
  if (fields === undefined) {
    throw new UnsupportedIrError(
      `unsupported instruction (expression id ${info.id})`,
    );
  }
  for (const f of fields) {
    if (f.endsWith("[]")) {
      const name = f.slice(0, -2);
      // deno-lint-ignore no-explicit-any
      (info as any)[name].forEach((c: number, i: number) => {
        node.kids.push(buildTree(c, node, name, i));
      });
    } else {
      // deno-lint-ignore no-explicit-any
      const c = (info as any)[f] as number;
      if (c) node.kids.push(buildTree(c, node, f, 0));
    }
  }
  return node;
}

/** Visit every node of the tree, parents before children. */
export function walk(node: IrNode, visit: (n: IrNode) => void): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    visit(n);
    for (let i = n.kids.length - 1; i >= 0; i--) stack.push(n.kids[i]);
  }
}

/** Put expression `ptr` in the slot `node` occupies (statement slots only). */
export function replaceInParent(
  func: number,
  node: IrNode,
  ptr: number,
): void {
  const p = node.parent;
  if (p === null) {
    bx.Function.setBody(func, ptr);
    return;
  }
  switch (p.id) {
    case b.BlockId:
      bx.Block.setChildAt(p.ptr, node.index, ptr);
      return;
    case b.LoopId:
      bx.Loop.setBody(p.ptr, ptr);
      return;
    case b.IfId:
      if (node.field === "ifTrue") bx.If.setIfTrue(p.ptr, ptr);
      else if (node.field === "ifFalse") bx.If.setIfFalse(p.ptr, ptr);
      else bx.If.setCondition(p.ptr, ptr);
      return;
    case b.LocalSetId:
      bx.LocalSet.setValue(p.ptr, ptr);
      return;
    case b.DropId:
      bx.Drop.setValue(p.ptr, ptr);
      return;
    default:
      throw new UnsupportedIrError(
        `cannot replace a child of expression id ${p.id}`,
      );
  }
}

/** Indexes of every local.get in the tree, in evaluation order. */
export function localGets(node: IrNode): number[] {
  const out: number[] = [];
  walk(node, (n) => {
    if (n.id === b.LocalGetId) out.push(n.info.index);
  });
  return out;
}

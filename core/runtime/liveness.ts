/**
 * Live locals before chosen statements of a function body (backward
 * dataflow over structured wasm control flow, iterated to a fixpoint at
 * loops). The instrumenter saves exactly these locals when a frame unwinds
 * at a call site, so the frame is as small as the code allows.
 *
 * @module
 */

import binaryen from "binaryen";
import type { IrNode } from "./ir_tree.ts";

/** An immutable set of local indexes (copy on write). */
class Bits {
  constructor(readonly w: Uint32Array) {}
  has(i: number): boolean {
    return (this.w[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  with(i: number): Bits {
    if (this.has(i)) return this;
    const w = this.w.slice();
    w[i >>> 5] |= 1 << (i & 31);
    return new Bits(w);
  }
  without(i: number): Bits {
    if (!this.has(i)) return this;
    const w = this.w.slice();
    w[i >>> 5] &= ~(1 << (i & 31));
    return new Bits(w);
  }
  union(o: Bits): Bits {
    if (o === this) return this;
    let w: Uint32Array | null = null;
    for (let k = 0; k < this.w.length; k++) {
      const v = this.w[k] | o.w[k];
      if (v !== this.w[k]) {
        w ??= this.w.slice();
        w[k] = v;
      }
    }
    return w === null ? this : new Bits(w);
  }
  subsetOf(o: Bits): boolean {
    for (let k = 0; k < this.w.length; k++) {
      if ((this.w[k] & ~o.w[k]) !== 0) return false;
    }
    return true;
  }
  list(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.w.length; k++) {
      let v = this.w[k];
      while (v !== 0) {
        const bit = 31 - Math.clz32(v & -v);
        out.push(k * 32 + bit);
        v &= v - 1;
      }
    }
    return out;
  }
}

const b = binaryen;

/**
 * For every node accepted by `isSite`, the sorted indexes of the locals
 * live just before it; for those also accepted by `resumesAfter` (a call
 * statement whose resumed frame receives the call's result rather than
 * making the call again), the locals live after it, minus the one it sets.
 */
export function liveBefore(
  body: IrNode,
  numLocals: number,
  isSite: (n: IrNode) => boolean,
  resumesAfter: (n: IrNode) => boolean = () => false,
): Map<IrNode, number[]> {
  const empty = new Bits(new Uint32Array(Math.max(1, (numLocals + 31) >>> 5)));
  const loopIn = new Map<IrNode, Bits>();
  const labels = new Map<string, Bits>();
  let changed = true;
  let sites = new Map<IrNode, Bits>();

  const withLabel = <T>(name: string | null, v: Bits, f: () => T): T => {
    if (!name) return f();
    const prev = labels.get(name);
    labels.set(name, v);
    try {
      return f();
    } finally {
      if (prev === undefined) labels.delete(name);
      else labels.set(name, prev);
    }
  };
  const target = (name: string): Bits => labels.get(name) ?? empty;

  const seq = (kids: IrNode[], out: Bits): Bits => {
    let cur = out;
    for (let i = kids.length - 1; i >= 0; i--) cur = live(kids[i], cur);
    return cur;
  };

  const live = (n: IrNode, out: Bits): Bits => {
    let res: Bits;
    const info = n.info;
    switch (n.id) {
      case b.BlockId:
        res = withLabel(info.name, out, () => seq(n.kids, out));
        break;
      case b.LoopId: {
        const assumed = loopIn.get(n) ?? empty;
        res = withLabel(info.name, assumed, () => seq(n.kids, out));
        if (!res.subsetOf(assumed)) {
          loopIn.set(n, assumed.union(res));
          changed = true;
        }
        break;
      }
      case b.IfId: {
        const cond = n.kids[0];
        const t = live(n.kids[1], out);
        const f = n.kids.length > 2 ? live(n.kids[2], out) : out;
        res = live(cond, t.union(f));
        break;
      }
      case b.BreakId: {
        let after = target(info.name);
        if (info.condition) after = after.union(out);
        res = seq(n.kids, after);
        break;
      }
      case b.SwitchId: {
        let after = info.defaultName ? target(info.defaultName) : empty;
        for (const name of info.names as string[]) {
          after = after.union(target(name));
        }
        res = seq(n.kids, after);
        break;
      }
      case b.ReturnId:
      case b.UnreachableId:
        res = seq(n.kids, empty);
        break;
      case b.CallId:
      case b.CallIndirectId:
        res = seq(n.kids, info.isReturn ? empty : out);
        break;
      case b.LocalSetId:
        res = seq(n.kids, out.without(info.index));
        break;
      case b.LocalGetId:
        res = out.with(info.index);
        break;
      default:
        res = seq(n.kids, out);
    }
    if (isSite(n)) {
      const after = n.id === b.LocalSetId ? out.without(info.index) : out;
      sites.set(n, resumesAfter(n) ? after : res);
    }
    return res;
  };

  // Each pass starts from the loop assumptions of the previous one; the
  // last pass (nothing changed) saw only fixpoint values.
  for (let pass = 0; changed; pass++) {
    if (pass > 10_000) throw new Error("liveness did not converge");
    changed = false;
    sites = new Map();
    live(body, empty);
  }
  const out = new Map<IrNode, number[]>();
  for (const [n, v] of sites) out.set(n, v.list());
  return out;
}

// Experiment harness: instrument fib.wasm variants, run interleaved, medians.
import process from "node:process";
import { instrument, type InstrumentOptions } from "./core/runtime/instrument.ts";

function imports(getMemory: () => WebAssembly.Memory, sink: { out: string }): WebAssembly.Imports {
  const dv = () => new DataView(getMemory().buffer);
  const wasi: Record<string, (...a: never[]) => number> = {
    fd_write: ((_fd: number, iovs: number, n: number, nw: number) => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = dv().getUint32(iovs + 8 * i, true);
        const l = dv().getUint32(iovs + 8 * i + 4, true);
        sink.out += new TextDecoder().decode(new Uint8Array(getMemory().buffer, p, l));
        total += l;
      }
      dv().setUint32(nw, total, true);
      return 0;
    }) as (...a: never[]) => number,
    clock_time_get: ((id: number, _p: bigint, out: number) => {
      const u = process.cpuUsage();
      const ns = id >= 2 ? BigInt(u.user + u.system) * 1000n : BigInt(Math.round(performance.now() * 1e6));
      dv().setBigUint64(out, ns, true);
      return 0;
    }) as (...a: never[]) => number,
    proc_exit: ((code: number) => { throw new Error(`exit ${code}`); }) as (...a: never[]) => number,
  };
  const zero = ((a: number, b: number) => { dv().setUint32(a, 0, true); dv().setUint32(b, 0, true); return 0; }) as (...a: never[]) => number;
  wasi.args_sizes_get = zero; wasi.environ_sizes_get = zero;
  const rest = new Proxy(wasi, { get: (t, k: string) => t[k] ?? (() => (k === "fd_fdstat_get" || k === "fd_seek" ? 8 : 0)) });
  const preempts = { n: 0 };
  const dmosix = new Proxy({ preempt: () => { preempts.n++; return 10_000; } } as Record<string, unknown>, { get: (t, k: string) => t[k] ?? (() => {}) });
  (globalThis as unknown as { preempts: { n: number } }).preempts = preempts;
  return { wasi_snapshot_preview1: rest, dmosix } as WebAssembly.Imports;
}
function run(mod: WebAssembly.Module): { ms: number; sum: string } {
  const sink = { out: "" };
  const inst: WebAssembly.Instance = new WebAssembly.Instance(mod, imports(() => inst.exports.memory as WebAssembly.Memory, sink));
  (inst.exports._start as () => void)();
  return { ms: Number(/^ns (\d+)$/m.exec(sink.out)![1]) / 1e6, sum: /^checksum (\d+)$/m.exec(sink.out)![1] };
}
const kernel = Deno.args[0] ?? "fib";
const reps = Number(Deno.args[1] ?? 7);
const plain = await Deno.readFile(kernel.includes("/") ? kernel : `bench/kernels/${kernel}.wasm`);
const variants: Record<string, InstrumentOptions | null> = {
  plain: null,
  default: {},
  noEntry: { experiment: { noEntryChecks: true } },
  noSite: { experiment: { noSiteChecks: true } },
  noLoop: { experiment: { noLoopChecks: true } },
  check: { unwind: "check" },
  edgeLocal: { experiment: { edgeCounter: "local" } },
  noLoopSite: { experiment: { noLoopChecks: true, noSiteChecks: true } },
  entryOnly: { experiment: { noLoopChecks: true, noSiteChecks: true } },
  emptyH: { experiment: { emptyHandler: true } },
  none: { experiment: { noEntryChecks: true, noSiteChecks: true, noLoopChecks: true } },
};
const only = Deno.env.get("ONLY")?.split(",");
const mods = new Map<string, WebAssembly.Module>();
for (const [k, o] of Object.entries(variants)) {
  if (only && !only.includes(k) && k !== "plain") continue;
  mods.set(k, new WebAssembly.Module(o === null ? plain : instrument(plain, o).wasm as Uint8Array<ArrayBuffer>));
}
const t = new Map<string, number[]>([...mods.keys()].map((k) => [k, []]));
const sums = new Set<string>();
for (const [, m] of mods) run(m);
const keys = [...mods.keys()];
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[(i + r) % keys.length];
    const g = globalThis as unknown as { preempts: { n: number } };
    const s = run(mods.get(k)!);
    if (r === 0) console.log(`  ${k} preempts ${g.preempts.n}`);
    t.get(k)!.push(s.ms);
    if (k !== "none" && k !== "noEntry" && k !== "noSite" && k !== "noLoop") sums.add(s.sum);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const base = med(t.get("plain")!);
for (const [k, xs] of t) console.log(`${k.padEnd(10)} ${med(xs).toFixed(1).padStart(7)} ${(med(xs) / base).toFixed(3)}`);
console.log("checksums", sums.size === 1 ? "same" : [...sums]);

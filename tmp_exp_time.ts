import { instrument } from "./core/runtime/instrument.ts";
const plain = await Deno.readFile("tests/core/runtime/ack.wasm");
const ins = instrument(plain);
console.log(JSON.stringify(ins.info.counts));
for (const [label, bytes] of [["plain", plain], ["instr", ins.wasm]] as const) {
  let out = "";
  let mem: WebAssembly.Memory;
  const wasi = new Proxy({
    fd_write: (_fd: number, iovs: number, n: number, nw: number) => {
      const dv = new DataView(mem.buffer); let t = 0;
      for (let i = 0; i < n; i++) { const p = dv.getUint32(iovs + 8 * i, true), l = dv.getUint32(iovs + 8 * i + 4, true); out += new TextDecoder().decode(new Uint8Array(mem.buffer, p, l)); t += l; }
      dv.setUint32(nw, t, true); return 0;
    },
  } as Record<string, unknown>, { get: (t, k: string) => t[k] ?? (() => 0) });
  let pre = 0;
  const dmosix = new Proxy({ preempt: () => { pre++; return 10000; } } as Record<string, unknown>, { get: (t, k: string) => t[k] ?? (() => {}) });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { wasi_snapshot_preview1: wasi, dmosix } as WebAssembly.Imports);
  mem = inst.exports.memory as WebAssembly.Memory;
  const t0 = performance.now();
  (inst.exports._start as () => void)();
  console.log(label, (performance.now() - t0).toFixed(0), "ms", JSON.stringify(out), "preempts", pre);
}

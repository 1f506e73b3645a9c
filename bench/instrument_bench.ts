/**
 * What freezability costs: every kernel in bench/kernels run natively
 * (built with cc into a temp dir), as plain wasm, as instrumented wasm and,
 * for reference, with the same preemption points made unwindable and
 * rewindable by Binaryen's Asyncify instead of our unwind code (the design
 * the notes measured), side by side in one run with repetitions
 * interleaved; medians of the kernels' own CPU time
 * (CLOCK_PROCESS_CPUTIME_ID, robust on a shared machine).
 *
 *   deno run -A bench/instrument_bench.ts [--reps 5] [--kernels sieve,fib]
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import binaryen from "binaryen";
import { instrument } from "../core/runtime/instrument.ts";
import { DEFAULT_UNWIND_IMPORTS } from "../core/runtime/runtime_abi.ts";
import { stripCustomSections } from "../core/runtime/wasm_sections.ts";

const GOAL_GEOMEAN = 1.10;
const GOAL_WORST = 1.30;
const KERNELS = new URL("./kernels/", import.meta.url);
/** The CPU kernels: tight loops, recursion, pointer chasing, floating point, bandwidth, hash/compression. */
const KERNEL_NAMES = [
  "sieve",
  "fib",
  "binary_trees",
  "pointer_chase",
  "nbody",
  "matmul",
  "stream",
  "hash_lz",
];

interface Sample {
  ms: number;
  checksum: string;
}

function parseOutput(out: string): Sample {
  const ns = /^ns (\d+)$/m.exec(out);
  const sum = /^checksum (\d+)$/m.exec(out);
  if (!ns || !sum) {
    throw new Error(`bench: unexpected kernel output: ${out.slice(0, 200)}`);
  }
  return { ms: Number(ns[1]) / 1e6, checksum: sum[1] };
}

/** Minimal WASI for the kernels: stdout to a string, CPU clock, nothing else. */
function kernelImports(
  getMemory: () => WebAssembly.Memory,
  sink: { out: string },
): WebAssembly.Imports {
  const dv = () => new DataView(getMemory().buffer);
  const wasi: Record<string, (...a: never[]) => number> = {
    fd_write: ((_fd: number, iovs: number, n: number, nw: number) => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        const p = dv().getUint32(iovs + 8 * i, true);
        const l = dv().getUint32(iovs + 8 * i + 4, true);
        sink.out += new TextDecoder().decode(
          new Uint8Array(getMemory().buffer, p, l),
        );
        total += l;
      }
      dv().setUint32(nw, total, true);
      return 0;
    }) as (...a: never[]) => number,
    clock_time_get: ((id: number, _p: bigint, out: number) => {
      const u = process.cpuUsage();
      const ns = id >= 2
        ? BigInt(u.user + u.system) * 1000n
        : BigInt(Math.round(performance.now() * 1e6));
      dv().setBigUint64(out, ns, true);
      return 0;
    }) as (...a: never[]) => number,
    proc_exit: ((code: number) => {
      throw new Error(`kernel exited with ${code}`);
    }) as (...a: never[]) => number,
  };
  const zeroSizes = ((a: number, b: number) => {
    dv().setUint32(a, 0, true);
    dv().setUint32(b, 0, true);
    return 0;
  }) as (...a: never[]) => number;
  wasi.args_sizes_get = zeroSizes;
  wasi.environ_sizes_get = zeroSizes;
  const rest = new Proxy(wasi, {
    get: (t, k: string) =>
      t[k] ??
        ((() => (k === "fd_fdstat_get" || k === "fd_seek" ? 8 : 0)) as () =>
          number),
  });
  const dmosix = new Proxy(
    { preempt: () => 10_000 } as Record<string, unknown>,
    {
      get: (t, k: string) => t[k] ?? (() => {}),
    },
  );
  return { wasi_snapshot_preview1: rest, dmosix } as WebAssembly.Imports;
}

function runWasm(module: WebAssembly.Module): Sample {
  const sink = { out: "" };
  const inst: WebAssembly.Instance = new WebAssembly.Instance(
    module,
    kernelImports(() => inst.exports.memory as WebAssembly.Memory, sink),
  );
  (inst.exports._start as () => void)();
  return parseOutput(sink.out);
}

async function runNative(path: string): Promise<Sample> {
  const r = await new Deno.Command(path, { stdout: "piped", stderr: "inherit" })
    .output();
  if (!r.success) throw new Error(`bench: ${path} failed`);
  return parseOutput(new TextDecoder().decode(r.stdout));
}

/**
 * The Asyncify design for reference: the same preemption points (our
 * countdown, without our unwind code), then Binaryen's Asyncify over the
 * preempt and blocking imports, then -O2.
 */
function asyncified(wasm: Uint8Array): Uint8Array {
  const points = instrument(wasm, { experiment: { noSiteChecks: true } }).wasm;
  const m = binaryen.readBinary(
    stripCustomSections(points, (n) => n.startsWith("dmosix.")),
  );
  try {
    binaryen.setPassArgument(
      "asyncify-imports",
      ["dmosix.preempt", ...DEFAULT_UNWIND_IMPORTS].join(","),
    );
    m.runPasses(["asyncify"]);
    binaryen.setOptimizeLevel(2);
    m.optimize();
    return m.emitBinary();
  } finally {
    binaryen.clearPassArguments();
    m.dispose();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

type Variant = "native" | "wasm" | "instr" | "asyncify";
const VARIANTS: Variant[] = ["native", "wasm", "instr", "asyncify"];

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      reps: { type: "string", default: "5" },
      kernels: { type: "string" },
    },
  });
  const reps = Math.max(1, Math.min(50, Number(values.reps) || 5));
  const names = values.kernels?.split(",") ?? KERNEL_NAMES;
  const tmp = await Deno.makeTempDir({ prefix: "dmosix-bench-" });
  try {
    const cc = Deno.env.get("CC") ?? "cc";
    const runners = new Map<
      string,
      Record<Variant, () => Promise<Sample> | Sample>
    >();
    console.log(
      `preparing ${names.length} kernels (cc -O2 native, instrument, asyncify)...`,
    );
    for (const k of names) {
      const src = new URL(`${k}.c`, KERNELS).pathname;
      const exe = `${tmp}/${k}`;
      const r = await new Deno.Command(cc, {
        args: ["-O2", "-o", exe, src, "-lm"],
        stderr: "inherit",
      }).output();
      if (!r.success) throw new Error(`bench: ${cc} failed for ${k}`);
      const plain = await Deno.readFile(new URL(`${k}.wasm`, KERNELS));
      const t0 = performance.now();
      const ins = instrument(plain);
      const instrumentMs = performance.now() - t0;
      const mods = {
        wasm: new WebAssembly.Module(plain),
        instr: new WebAssembly.Module(ins.wasm as Uint8Array<ArrayBuffer>),
        asyncify: new WebAssembly.Module(
          asyncified(plain) as Uint8Array<ArrayBuffer>,
        ),
      };
      console.log(
        `  ${k}: instrumented in ${instrumentMs.toFixed(0)} ms, ${
          JSON.stringify(ins.info.counts)
        }`,
      );
      runners.set(k, {
        native: () => runNative(exe),
        wasm: () => runWasm(mods.wasm),
        instr: () => runWasm(mods.instr),
        asyncify: () => runWasm(mods.asyncify),
      });
    }
    const samples = new Map<string, Record<Variant, number[]>>();
    const sums = new Map<string, Set<string>>();
    for (const k of names) {
      samples.set(k, { native: [], wasm: [], instr: [], asyncify: [] });
      sums.set(k, new Set());
      // Warm-up: compile tiers, page in.
      for (const v of VARIANTS) await runners.get(k)![v]();
    }
    for (let rep = 0; rep < reps; rep++) {
      for (const k of names) {
        // Rotate the order so no variant always runs first.
        for (let i = 0; i < VARIANTS.length; i++) {
          const v = VARIANTS[(i + rep) % VARIANTS.length];
          const s = await runners.get(k)![v]();
          samples.get(k)![v].push(s.ms);
          sums.get(k)!.add(s.checksum);
        }
      }
    }
    printTable(names, samples, sums, reps);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

function printTable(
  names: string[],
  samples: Map<string, Record<Variant, number[]>>,
  sums: Map<string, Set<string>>,
  reps: number,
): void {
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(`\nmedian CPU ms of ${reps} interleaved runs`);
  console.log(
    `${"kernel".padEnd(15)}${pad("native", 9)}${pad("wasm", 9)}${
      pad("instr", 9)
    }${pad("asyncify*", 11)}` +
      `${pad("instr/wasm", 12)}${pad("async/wasm", 12)}${
        pad("wasm/nat", 10)
      }  check`,
  );
  const ratios: number[] = [];
  const asyncRatios: number[] = [];
  for (const k of names) {
    const s = samples.get(k)!;
    const m = {
      native: median(s.native),
      wasm: median(s.wasm),
      instr: median(s.instr),
      asyncify: median(s.asyncify),
    };
    const r = m.instr / m.wasm;
    ratios.push(r);
    asyncRatios.push(m.asyncify / m.wasm);
    console.log(
      `${k.padEnd(15)}${pad(m.native.toFixed(1), 9)}${
        pad(m.wasm.toFixed(1), 9)
      }${pad(m.instr.toFixed(1), 9)}` +
        `${pad(m.asyncify.toFixed(1), 11)}${pad(r.toFixed(3), 12)}${
          pad((m.asyncify / m.wasm).toFixed(3), 12)
        }` +
        `${pad((m.wasm / m.native).toFixed(2), 10)}  ${
          sums.get(k)!.size === 1 ? "same" : "CHECKSUMS DIFFER"
        }`,
    );
  }
  const geo = (xs: number[]) =>
    Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  const g = geo(ratios);
  const w = Math.max(...ratios);
  console.log(
    `\ninstrumented / plain wasm: geometric mean ${g.toFixed(3)}, worst ${
      w.toFixed(3)
    }`,
  );
  console.log(
    `  goal geomean <= ${GOAL_GEOMEAN}: ${g <= GOAL_GEOMEAN ? "PASS" : "FAIL"}`,
  );
  console.log(
    `  goal worst   <= ${GOAL_WORST}: ${w <= GOAL_WORST ? "PASS" : "FAIL"}`,
  );
  console.log(
    `asyncify* / plain wasm: geometric mean ${
      geo(asyncRatios).toFixed(3)
    }, worst ${Math.max(...asyncRatios).toFixed(3)}` +
      ` (*same preemption points, Binaryen Asyncify instead of our unwind code)`,
  );
}

if (import.meta.main) await main();

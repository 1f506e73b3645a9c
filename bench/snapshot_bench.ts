/**
 * Freeze latency and snapshot cost, measured through the real path
 * (UserContext in a Worker): a program touches 1, 64 and 256 MiB with
 * incompressible data, then spins in a loop without system calls; it is
 * frozen, the snapshot encoded, decoded and resumed.
 *
 *   deno run -A bench/snapshot_bench.ts [--sizes 1,64,256] [--freezes 5]
 *
 * The program's imports are in snapshot_imports.ts.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { outputText } from "./snapshot_imports.ts";
import { instrument } from "../core/runtime/instrument.ts";
import { UserContext } from "../core/runtime/context.ts";
import { decodeSnapshot, encodeSnapshot } from "../core/runtime/snapshot.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function started(
  wasm: Uint8Array,
  mib: number,
): Promise<{ ctx: UserContext; output: SharedArrayBuffer }> {
  const output = new SharedArrayBuffer(8 + 4096);
  const ctx = await UserContext.start({
    wasm,
    importsModule: new URL("./snapshot_imports.ts", import.meta.url),
    importsOptions: { output, args: ["touch", String(mib)] },
  });
  const end = Date.now() + 120_000;
  while (!outputText(output).includes("touched")) {
    if (!ctx.running || Date.now() > end) {
      throw new Error(`bench: program did not start (${outputText(output)})`);
    }
    await sleep(5);
  }
  return { ctx, output };
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "1,64,256" },
      freezes: { type: "string", default: "5" },
    },
  });
  const sizes = values.sizes!.split(",").map(Number).filter((n) =>
    n > 0 && n <= 1024
  );
  const freezes = Math.max(1, Math.min(50, Number(values.freezes) || 5));
  console.log(
    `load average ${
      Deno.loadavg().map((x) => x.toFixed(2)).join(" ")
    } (wall-clock times below)`,
  );
  const wasm = instrument(
    await Deno.readFile(
      new URL("./kernels/snapshot_touch.wasm", import.meta.url),
    ),
  ).wasm;

  // Freeze latency in a tight loop without system calls, through resumes.
  {
    const first = await started(wasm, 1);
    const output = first.output;
    let ctx = first.ctx;
    const lat: number[] = [];
    const resume: number[] = [];
    for (let i = 0; i < freezes; i++) {
      await sleep(30 + 20 * Math.random());
      const snap = await ctx.freeze({ timeoutMs: 10_000 });
      lat.push(ctx.lastFreeze!.latencyMs);
      const t0 = performance.now();
      ctx = await UserContext.resume(snap, {
        wasm,
        importsModule: new URL("./snapshot_imports.ts", import.meta.url),
        importsOptions: { output, args: ["touch", "1"] },
      });
      resume.push(performance.now() - t0);
    }
    ctx.terminate();
    console.log(
      `freeze latency (request -> stack unwound), tight loop, ${freezes} freezes:`,
    );
    console.log(
      `  median ${median(lat).toFixed(2)} ms, max ${
        Math.max(...lat).toFixed(2)
      } ms;` +
        ` resume (snapshot -> running in a fresh Worker) median ${
          median(resume).toFixed(0)
        } ms`,
    );
  }

  console.log(
    `\n${"touched".padEnd(9)}${"pages".padStart(7)}${"latency".padStart(10)}${
      "capture".padStart(10)
    }` +
      `${"to main".padStart(10)}${"encode".padStart(10)}${
        "size MiB".padStart(10)
      }${"decode".padStart(10)}` +
      `${"resume".padStart(10)}   (ms unless noted)`,
  );
  for (const mib of sizes) {
    const { ctx, output } = await started(wasm, mib);
    await sleep(30);
    const snap = await ctx.freeze({ timeoutMs: 30_000 });
    const f = ctx.lastFreeze!;
    let t = performance.now();
    const enc = encodeSnapshot(snap);
    const encodeMs = performance.now() - t;
    t = performance.now();
    const dec = decodeSnapshot(enc);
    const decodeMs = performance.now() - t;
    t = performance.now();
    const again = await UserContext.resume(dec, {
      wasm,
      importsModule: new URL("./snapshot_imports.ts", import.meta.url),
      importsOptions: { output, args: ["touch", String(mib)] },
    });
    const resumeMs = performance.now() - t;
    again.terminate();
    console.log(
      `${`${mib} MiB`.padEnd(9)}${
        String(snap.memory.pages.length).padStart(7)
      }` +
        `${f.latencyMs.toFixed(2).padStart(10)}${
          (f.capturedAt - f.unwoundAt).toFixed(1).padStart(10)
        }` +
        `${(f.receivedAt - f.capturedAt).toFixed(1).padStart(10)}${
          encodeMs.toFixed(1).padStart(10)
        }` +
        `${(enc.length / 2 ** 20).toFixed(1).padStart(10)}${
          decodeMs.toFixed(1).padStart(10)
        }` +
        `${resumeMs.toFixed(0).padStart(10)}`,
    );
  }
}

if (import.meta.main) await main();

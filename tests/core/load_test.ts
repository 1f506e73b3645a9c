import { equal, ok, throws } from "node:assert/strict";
import {
  cgroupCpus,
  LoadSampler,
  parseLoadavg,
  parseMeminfo,
  parseProcStat,
  utilization,
} from "../../core/load.ts";
import {
  measureSpeed,
  processCpuMs,
  REFERENCE_SPEED,
} from "../../core/speed.ts";

const LOADAVG = "0.52 0.31 0.18 3/412 20731\n";

const MEMINFO = `MemTotal:       16318440 kB
MemFree:         1263004 kB
MemAvailable:    9731220 kB
Buffers:          512340 kB
Cached:          7512480 kB
SwapCached:            0 kB
Active:          6871232 kB
Inactive:        6250112 kB
HugePages_Total:       0
HugePages_Free:        0
Hugepagesize:       2048 kB
`;

// Kernel 3.10 style: no MemAvailable line.
const MEMINFO_OLD = `MemTotal:        2048000 kB
MemFree:          100000 kB
Buffers:           20000 kB
Cached:           300000 kB
`;

const STAT = `cpu  4705 356 584 3699176 23060 0 277 0 0 0
cpu0 1393 280 290 924197 5922 0 254 0 0 0
cpu1 1106 16 99 925324 6142 0 7 0 0 0
cpu2 1180 35 100 924871 5473 0 11 0 0 0
cpu3 1026 25 95 924784 5523 0 5 0 0 0
intr 19341573 33 9 0 0 0 0 3 0 1 0 0 0 152 0 0
ctxt 41296342
btime 1700000000
processes 62458
procs_running 2
procs_blocked 0
softirq 12052433 0 2311045 1 522911 0 0 1410 4932212 0 4284854
`;

/** A fake file system: path -> contents; other paths throw like ENOENT. */
function files(tree: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = tree[path];
    if (text === undefined) throw new Deno.errors.NotFound(path);
    return text;
  };
}

/** /proc files of a 4-CPU node; `stat` and `loadavg` may be swapped later. */
function proc(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "/proc/loadavg": LOADAVG,
    "/proc/meminfo": MEMINFO,
    "/proc/stat": STAT,
    "/proc/self/cgroup": "0::/user.slice/user-1000.slice/session-2.scope\n",
    ...extra,
  };
}

/** /proc/stat with the aggregate line's user and idle moved forward. */
function statPlus(user: number, idle: number): string {
  return STAT.replace(
    "cpu  4705 356 584 3699176",
    `cpu  ${4705 + user} 356 584 ${3699176 + idle}`,
  );
}

Deno.test("parseLoadavg reads the 1-minute load and the R/T field", () => {
  const a = parseLoadavg(LOADAVG);
  equal(a.load1, 0.52);
  equal(a.running, 3);
  equal(a.total, 412);
  throws(() => parseLoadavg("0.1 0.2 0.3\n"), /loadavg/);
  throws(() => parseLoadavg(""), /loadavg/);
});

Deno.test("parseMeminfo converts kB to bytes", () => {
  const m = parseMeminfo(MEMINFO);
  equal(m.memTotal, 16318440 * 1024);
  equal(m.memAvailable, 9731220 * 1024);
  equal(m.memFree, 1263004 * 1024);
});

Deno.test("parseMeminfo estimates MemAvailable on old kernels", () => {
  const m = parseMeminfo(MEMINFO_OLD);
  equal(m.memAvailable, (100000 + 20000 + 300000) * 1024);
  throws(() => parseMeminfo("Buffers: 1 kB\n"), /MemTotal/);
});

Deno.test("parseProcStat sums user..steal and counts cpuN lines", () => {
  const s = parseProcStat(STAT);
  const total = 4705 + 356 + 584 + 3699176 + 23060 + 0 + 277 + 0;
  equal(s.total, total);
  equal(s.busy, total - 3699176 - 23060);
  equal(s.cpus, 4);
  throws(() => parseProcStat("cpu0 1 2 3 4\n"), /cpu line/);
});

Deno.test("utilization is busy delta over total delta, clamped", () => {
  equal(
    utilization({ busy: 100, total: 1000 }, { busy: 150, total: 1100 }),
    0.5,
  );
  equal(utilization({ busy: 100, total: 1000 }, { busy: 100, total: 1000 }), 0);
  // Counter went backwards (wrap or reset): no answer rather than garbage.
  equal(utilization({ busy: 500, total: 9000 }, { busy: 10, total: 100 }), 0);
  equal(utilization({ busy: 5, total: 9000 }, { busy: 10, total: 100 }), 0);
  equal(utilization({ busy: 0, total: 0 }, { busy: 300, total: 200 }), 1);
});

Deno.test("cgroupCpus reads a cgroup v2 cpu.max quota on the path", () => {
  const tree = proc({
    "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope/cpu.max":
      "max 100000\n",
    "/sys/fs/cgroup/user.slice/cpu.max": "150000 100000\n",
  });
  equal(cgroupCpus(files(tree)), 1.5);
  tree["/sys/fs/cgroup/user.slice/user-1000.slice/cpu.max"] = "40000 100000\n";
  equal(cgroupCpus(files(tree)), 0.4, "the tighter ancestor wins");
});

Deno.test("cgroupCpus finds a v2 quota at a namespaced root", () => {
  const tree = {
    "/proc/self/cgroup": "0::/\n",
    "/sys/fs/cgroup/cpu.max": "50000 100000\n",
  };
  equal(cgroupCpus(files(tree)), 0.5);
  tree["/sys/fs/cgroup/cpu.max"] = "max 100000\n";
  equal(cgroupCpus(files(tree)), undefined);
});

Deno.test("cgroupCpus reads cgroup v1 cfs quota and period", () => {
  const self = "12:cpu,cpuacct:/node3\n11:memory:/node3\n0::/\n";
  const tree = {
    "/proc/self/cgroup": self,
    "/sys/fs/cgroup/cpu,cpuacct/node3/cpu.cfs_quota_us": "25000\n",
    "/sys/fs/cgroup/cpu,cpuacct/node3/cpu.cfs_period_us": "100000\n",
    "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
    "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
  };
  equal(cgroupCpus(files(tree)), 0.25);
  tree["/sys/fs/cgroup/cpu,cpuacct/node3/cpu.cfs_quota_us"] = "-1\n";
  equal(cgroupCpus(files(tree)), undefined, "-1 means no quota");
});

Deno.test("cgroupCpus reads v1 through the plain cpu mount", () => {
  const tree = {
    "/proc/self/cgroup": "1:cpu:/\n0::/\n",
    "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "300000\n",
    "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
  };
  equal(cgroupCpus(files(tree)), 3);
  equal(cgroupCpus(files({})), undefined, "no cgroup files at all");
});

Deno.test("LoadSampler subtracts itself from the run queue and adds guests", () => {
  let guests = 0;
  const tree = proc({ "/proc/loadavg": "0.00 0.00 0.00 1/90 100\n" });
  const s = new LoadSampler({
    readFile: files(tree),
    speed: 12000,
    extraRunnable: () => guests,
  });
  equal(s.sample().load, 0, "only the sampler itself runs");
  guests = 2;
  tree["/proc/loadavg"] = "0.00 0.00 0.00 4/90 100\n";
  const load = s.sample().load;
  equal(load, 0 + 0.5 * (3 + 2 - 0));
});

Deno.test("LoadSampler smooths load exponentially with alpha", () => {
  const tree = proc({ "/proc/loadavg": "0.00 0.00 0.00 5/90 100\n" });
  const s = new LoadSampler({ readFile: files(tree), speed: 1, alpha: 0.25 });
  equal(s.sample().load, 4, "first sample starts at the current queue");
  tree["/proc/loadavg"] = "0.00 0.00 0.00 1/90 100\n";
  const seen: number[] = [];
  for (let i = 0; i < 4; i++) seen.push(s.sample().load);
  let expect = 4;
  for (const v of seen) {
    expect = expect + 0.25 * (0 - expect);
    ok(Math.abs(v - expect) < 1e-12, `${v} vs ${expect}`);
  }
  throws(() => new LoadSampler({ alpha: 0 }), RangeError);
  throws(() => new LoadSampler({ alpha: 1.5 }), RangeError);
});

Deno.test("LoadSampler reports memory and utilization between samples", () => {
  const tree = proc();
  const s = new LoadSampler({ readFile: files(tree), speed: 9000 });
  const first = s.sample();
  equal(first.memTotal, 16318440 * 1024);
  equal(first.memFree, 9731220 * 1024);
  equal(first.memRaw, 1263004 * 1024);
  equal(first.speed, 9000);
  const st = parseProcStat(STAT);
  equal(first.util, st.busy / st.total, "first sample: average since boot");
  tree["/proc/stat"] = statPlus(300, 100);
  equal(s.sample().util, 0.75);
  tree["/proc/stat"] = statPlus(300, 100);
  equal(s.sample().util, 0, "no time passed");
});

Deno.test("LoadSampler takes cpus from override, then quota, then /proc/stat", () => {
  const tree = proc();
  equal(new LoadSampler({ readFile: files(tree), speed: 1 }).sample().cpus, 4);
  tree["/sys/fs/cgroup/user.slice/cpu.max"] = "40000 100000\n";
  equal(
    new LoadSampler({ readFile: files(tree), speed: 1 }).sample().cpus,
    0.4,
  );
  tree["/sys/fs/cgroup/user.slice/cpu.max"] = "800000 100000\n";
  equal(
    new LoadSampler({ readFile: files(tree), speed: 1 }).sample().cpus,
    4,
    "a quota above the CPU count is capped",
  );
  const fixed = new LoadSampler({ readFile: files(tree), speed: 1, cpus: 2.5 });
  equal(fixed.sample().cpus, 2.5);
});

Deno.test("LoadSampler reads the real /proc of this machine sanely", () => {
  const s = new LoadSampler();
  const a = s.sample();
  const b = s.sample();
  for (const x of [a, b]) {
    ok(x.memTotal > 0, "memTotal");
    ok(x.memFree >= 0 && x.memFree <= x.memTotal, "memFree");
    ok(x.memRaw >= 0 && x.memRaw <= x.memTotal, "memRaw");
    ok(x.util >= 0 && x.util <= 1, `util ${x.util}`);
    ok(x.cpus > 0 && x.cpus <= navigator.hardwareConcurrency, `cpus ${x.cpus}`);
    ok(x.load >= 0 && Number.isFinite(x.load), `load ${x.load}`);
    ok(Number.isInteger(x.speed) && x.speed >= 1, `speed ${x.speed}`);
  }
  equal(b.speed, a.speed, "speed is measured once");
});

Deno.test("measureSpeed scales inversely with the time a run takes", () => {
  /** A clock that moves `ms` per reading: each timed run lasts `ms`. */
  const clock = (ms: number) => {
    let t = 0;
    return () => (t += ms);
  };
  const fast = measureSpeed(clock(2));
  const slow = measureSpeed(clock(4));
  ok(fast > 0 && slow > 0);
  ok(Math.abs(fast / slow - 2) < 0.01, `${fast} / ${slow}`);
  equal(measureSpeed(() => 0), REFERENCE_SPEED, "a stuck clock gives 10000");
});

Deno.test("measureSpeed is quick and near the reference on this machine", () => {
  const t0 = performance.now();
  const speed = measureSpeed();
  const ms = performance.now() - t0;
  ok(Number.isInteger(speed), `${speed}`);
  // Wide bounds: CI machines differ and other processes share the CPU.
  ok(speed > REFERENCE_SPEED / 20 && speed < REFERENCE_SPEED * 20, `${speed}`);
  ok(ms < 500, `took ${ms} ms`);
});

Deno.test("processCpuMs advances with work done, not with time spent waiting", async () => {
  const a = processCpuMs();
  await new Promise((r) => setTimeout(r, 200));
  const b = processCpuMs();
  ok(b - a < 100, `sleeping 200 ms used ${b - a} ms of CPU`);
  let x = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 100) x += Math.sqrt(x + 1);
  const c = processCpuMs();
  ok(x > 0);
  ok(c - b >= 50, `100 ms of spinning counted ${c - b} ms of CPU`);
});

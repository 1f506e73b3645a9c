import { equal, ok, throws } from "node:assert/strict";
import { makeBootId, ReplayGuard } from "../../core/replay_guard.ts";

const NOW = 1_700_000_000_000;
const BOOT = 1_699_999_000_000_500;

Deno.test("ReplayGuard accepts new seqs and refuses a repeated one", () => {
  const g = new ReplayGuard();
  equal(g.accept(1, BOOT, 1, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 2, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 2, NOW, NOW), "replay");
  equal(g.accept(1, BOOT, 1, NOW, NOW), "replay");
  equal(g.accept(1, BOOT, 3, NOW, NOW), "ok");
});

Deno.test("ReplayGuard.check does not record", () => {
  const g = new ReplayGuard();
  equal(g.check(1, BOOT, 5, NOW, NOW), "ok");
  equal(g.check(1, BOOT, 5, NOW, NOW), "ok");
  equal(g.size, 0);
  equal(g.accept(1, BOOT, 5, NOW, NOW), "ok");
  equal(g.check(1, BOOT, 5, NOW, NOW), "replay");
});

Deno.test("ReplayGuard accepts out-of-order seqs within the window once", () => {
  const g = new ReplayGuard({ window: 64 });
  equal(g.accept(9, BOOT, 100, NOW, NOW), "ok");
  for (const s of [90, 99, 37, 50]) {
    equal(g.accept(9, BOOT, s, NOW, NOW), "ok", `seq ${s}`);
  }
  for (const s of [90, 99, 37, 50, 100]) {
    equal(g.accept(9, BOOT, s, NOW, NOW), "replay", `again ${s}`);
  }
  // 100 - 36 = 64: just outside a 64-seq window.
  equal(g.accept(9, BOOT, 36, NOW, NOW), "replay");
});

Deno.test("ReplayGuard forgets bits as the window slides", () => {
  const g = new ReplayGuard({ window: 32 });
  equal(g.accept(1, BOOT, 1, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 10, NOW, NOW), "ok");
  // Seqs 33 and 42 share ring slots with 1 and 10: must be fresh, not "seen".
  equal(g.accept(1, BOOT, 33, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 42, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 20, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 10, NOW, NOW), "replay"); // fell out of the window
  // A jump far past the window clears everything.
  equal(g.accept(1, BOOT, 10_000, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 9_999, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 9_999, NOW, NOW), "replay");
});

Deno.test("ReplayGuard matches a reference model on a random sequence", () => {
  let x = 12345;
  const rand = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
  const window = 128;
  const g = new ReplayGuard({ window });
  const seen = new Set<number>();
  let top = 0;
  for (let i = 0; i < 5000; i++) {
    const seq = Math.max(1, top + rand(40) - 30);
    const want = seen.has(seq) || (top - seq >= window) ? "replay" : "ok";
    equal(g.accept(3, BOOT, seq, NOW, NOW), want, `step ${i} seq ${seq}`);
    if (want === "ok") {
      seen.add(seq);
      top = Math.max(top, seq);
    }
  }
});

Deno.test("ReplayGuard refuses a timestamp too far from now as stale", () => {
  const g = new ReplayGuard({ maxSkewMs: 1000 });
  equal(g.accept(1, BOOT, 1, NOW - 1001, NOW), "stale");
  equal(g.accept(1, BOOT, 2, NOW + 1001, NOW), "stale");
  equal(g.accept(1, BOOT, 3, NaN, NOW), "stale");
  equal(g.accept(1, BOOT, 4, NOW - 1000, NOW), "ok");
  equal(g.accept(1, BOOT, 5, NOW + 1000, NOW), "ok");
  equal(g.size, 1);
});

Deno.test("ReplayGuard starts afresh when a sender restarts with a higher boot", () => {
  const g = new ReplayGuard();
  for (let s = 1; s <= 50; s++) equal(g.accept(4, BOOT, s, NOW, NOW), "ok");
  const reboot = BOOT + 5_000_000;
  equal(g.accept(4, reboot, 1, NOW, NOW), "ok");
  equal(g.accept(4, reboot, 1, NOW, NOW), "replay");
  equal(g.accept(4, BOOT, 51, NOW, NOW), "old-boot");
  equal(g.check(4, BOOT - 1, 1, NOW, NOW), "old-boot");
});

Deno.test("ReplayGuard keeps senders apart", () => {
  const g = new ReplayGuard();
  equal(g.accept(1, BOOT, 1, NOW, NOW), "ok");
  equal(g.accept(2, BOOT, 1, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 1, NOW, NOW), "replay");
  equal(g.size, 2);
  g.forget(1);
  equal(g.accept(1, BOOT, 1, NOW, NOW), "ok");
});

Deno.test("ReplayGuard tracks at most maxSenders, evicting the least recently seen", () => {
  const g = new ReplayGuard({ maxSenders: 3 });
  for (const from of [1, 2, 3]) equal(g.accept(from, BOOT, 1, NOW, NOW), "ok");
  equal(g.accept(1, BOOT, 2, NOW, NOW), "ok"); // 1 is now the most recent
  equal(g.accept(4, BOOT, 1, NOW, NOW), "ok"); // evicts 2
  equal(g.size, 3);
  equal(g.check(2, BOOT, 1, NOW, NOW), "ok"); // forgotten
  equal(g.check(1, BOOT, 1, NOW, NOW), "replay");
  equal(g.check(3, BOOT, 1, NOW, NOW), "replay");
  equal(g.check(4, BOOT, 1, NOW, NOW), "replay");
  for (let from = 10; from < 1000; from++) g.accept(from, BOOT, 1, NOW, NOW);
  equal(g.size, 3);
});

Deno.test("ReplayGuard validates its options", () => {
  throws(() => new ReplayGuard({ window: 0 }), RangeError);
  throws(() => new ReplayGuard({ maxSenders: 0 }), RangeError);
  throws(() => new ReplayGuard({ maxSkewMs: -1 }), RangeError);
});

Deno.test("makeBootId grows with start time and stays a safe integer", () => {
  const a = makeBootId(NOW, () => 0.9999);
  const b = makeBootId(NOW + 1, () => 0);
  ok(b > a);
  equal(a, NOW * 1000 + 999);
  ok(Number.isSafeInteger(makeBootId(Date.UTC(2200, 0, 1), () => 0.5)));
});

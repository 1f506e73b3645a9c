/**
 * Fuzzing the deputy (core/wasi/deputy.ts) as a malicious guest would drive
 * it through forwarded system calls: random operations on a sandbox holding
 * escaping symlinks (relative, absolute, looping), paths full of `..`, bad
 * and huge fds, odd flags, whence values, offsets and lengths, including
 * values no honest guest sends (negative, fractional). Properties: every
 * request is answered with an errno, within a bounded time; nothing outside
 * the preopened directory is read, created, changed or removed.
 */

import { equal, ok } from "node:assert/strict";
import { join } from "node:path";
import { Deputy } from "../../core/wasi/deputy.ts";
import { ERRNO_NAMES } from "../../core/wasi/errno.ts";
import type {
  DeputyRequest,
  DeputyResponse,
} from "../../core/wasi/protocol.ts";
import { collectOutput, inputFromText } from "../../core/wasi/stdio.ts";
import {
  edgeU32,
  fuzzConfig,
  fuzzLoop,
  FuzzStats,
  type Rng,
} from "../../tools/fuzz.ts";

const SECRET = `TOPSECRET-${crypto.randomUUID()}`;

/** Names, kinds, sizes, mtimes and contents of everything under `dir`. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (
      const e of [...Deno.readDirSync(join(dir, rel))].sort((a, b) =>
        a.name.localeCompare(b.name)
      )
    ) {
      const p = join(rel, e.name);
      const st = Deno.lstatSync(join(dir, p));
      const kind = e.isSymlink
        ? `-> ${Deno.readLinkSync(join(dir, p))}`
        : e.isDirectory
        ? "dir"
        : new TextDecoder().decode(Deno.readFileSync(join(dir, p)));
      out.push(`${p} ${st.size} ${st.mtime?.getTime()} ${st.mode} ${kind}`);
      if (e.isDirectory) walk(p);
    }
  };
  walk("");
  return out;
}

async function setup(root: string): Promise<{ box: string; outside: string }> {
  const box = join(root, "box");
  const outside = join(root, "outside");
  await Deno.mkdir(join(box, "sub"), { recursive: true });
  await Deno.mkdir(join(outside, "dir"), { recursive: true });
  await Deno.writeTextFile(join(outside, "secret.txt"), SECRET);
  await Deno.writeTextFile(join(outside, "dir", "secret2.txt"), SECRET);
  await Deno.writeTextFile(join(box, "a.txt"), "hello");
  await Deno.writeTextFile(join(box, "sub", "b.txt"), "world");
  await Deno.symlink("../outside", join(box, "link_up"));
  await Deno.symlink(join(outside, "secret.txt"), join(box, "link_abs"));
  await Deno.symlink(outside, join(box, "link_absdir"));
  await Deno.symlink("link_loop", join(box, "link_loop"));
  await Deno.symlink("sub/../../outside/secret.txt", join(box, "sub_escape"));
  await Deno.symlink("sub", join(box, "link_in"));
  return { box, outside };
}

const PARTS = [
  "..",
  ".",
  "",
  "a.txt",
  "sub",
  "b.txt",
  "link_up",
  "link_abs",
  "link_absdir",
  "link_loop",
  "link_in",
  "sub_escape",
  "secret.txt",
  "secret2.txt",
  "outside",
  "dir",
  "new",
  "new2",
  "x\u0000y",
  "é",
  "a".repeat(300),
];

function randomPath(r: Rng, outside: string): string {
  if (r.chance(0.05)) {
    return r.pick([outside, `${outside}/secret.txt`, "/", "//", "/etc/passwd"]);
  }
  if (r.chance(0.02)) return "a/".repeat(5000);
  if (r.chance(0.3)) return r.pick(["a.txt", "sub/b.txt", "new", "sub", "."]);
  const n = 1 + r.int(4);
  const p = Array.from({ length: n }, () => r.pick(PARTS)).join("/");
  return r.chance(0.1) ? `/${p}` : r.chance(0.1) ? `${p}/` : p;
}

/** A number as a hostile guest node might send it. */
function num(r: Rng, small: () => number): number {
  if (r.chance(0.85)) return small();
  return r.pick([
    () => edgeU32(r),
    () => -1 - r.int(5),
    () => 1.5,
    () => NaN,
    () => 2 ** 53,
    () => Infinity,
  ])();
}

function big(r: Rng): bigint {
  return r.pick([
    0n,
    1n,
    5n,
    -1n,
    -(2n ** 63n),
    2n ** 63n - 1n,
    2n ** 64n,
    BigInt(r.int(100000)),
  ]);
}

/** Fds the deputy handed out lately: requests mostly use them. */
const live: number[] = [];

function randomRequest(r: Rng, outside: string): DeputyRequest {
  const fd = () =>
    num(r, () => {
      const x = r.next();
      if (x < 0.45) return 3; // the preopen
      if (x < 0.7 && live.length) return r.pick(live);
      return x < 0.85 ? r.int(3) : r.int(12);
    });
  const closable = () =>
    num(
      r,
      () => r.chance(0.005) ? 3 : live.length ? r.pick(live) : 4 + r.int(8),
    );
  const flags = () => num(r, () => r.int(1 << r.int(9)));
  const path = () => randomPath(r, outside);
  const op = r.pick(
    [
      "fd_read",
      "fd_pread",
      "fd_write",
      "fd_pwrite",
      "fd_seek",
      "fd_tell",
      "fd_close",
      "fd_sync",
      "fd_fdstat_get",
      "fd_fdstat_set_flags",
      "fd_fdstat_set_rights",
      "fd_filestat_get",
      "fd_filestat_set_size",
      "fd_filestat_set_times",
      "fd_advise",
      "fd_allocate",
      "fd_readdir",
      "fd_renumber",
      "fd_prestat_get",
      "path_open",
      "path_open",
      "path_open",
      "path_create_directory",
      "path_remove_directory",
      "path_unlink_file",
      "path_rename",
      "path_link",
      "path_symlink",
      "path_readlink",
      "path_filestat_get",
      "path_filestat_set_times",
      "poll_oneoff",
      "context_info",
      "no_such_op",
    ] as const,
  );
  const len = () => num(r, () => r.int(5000));
  switch (op) {
    case "fd_read":
      return { op, fd: fd(), len: len() };
    case "fd_pread":
      return { op, fd: fd(), len: len(), offset: big(r) };
    case "fd_write":
      return { op, fd: fd(), data: r.bytes(r.int(100)) };
    case "fd_pwrite":
      return { op, fd: fd(), data: r.bytes(r.int(100)), offset: big(r) };
    case "fd_seek":
      return { op, fd: fd(), offset: big(r), whence: num(r, () => r.int(4)) };
    case "fd_fdstat_set_flags":
      return { op, fd: fd(), flags: flags() };
    case "fd_fdstat_set_rights":
      return {
        op,
        fd: fd(),
        base: num(r, () => r.int(2 ** 29)),
        inheriting: num(r, () => r.int(2 ** 29)),
      };
    case "fd_filestat_set_size":
      return { op, fd: fd(), size: big(r) };
    case "fd_filestat_set_times":
      return { op, fd: fd(), atim: big(r), mtim: big(r), fstflags: flags() };
    case "fd_advise":
      return {
        op,
        fd: fd(),
        offset: big(r),
        len: big(r),
        advice: num(r, () => r.int(8)),
      };
    case "fd_allocate":
      return { op, fd: fd(), offset: big(r), len: r.pick([0n, 1n, 100n, -1n]) };
    case "fd_readdir":
      return { op, fd: fd(), len: len(), cookie: big(r) };
    case "fd_renumber":
      return { op, fd: closable(), to: closable() };
    case "path_open":
      return {
        op,
        fd: fd(),
        dirflags: flags(),
        path: path(),
        oflags: flags(),
        base: num(r, () => r.chance(0.5) ? 2 ** 29 - 1 : r.int(2 ** 29)),
        inheriting: num(r, () => r.int(2 ** 29)),
        fdflags: flags(),
      };
    case "path_create_directory":
    case "path_remove_directory":
    case "path_unlink_file":
    case "path_readlink":
      return { op, fd: fd(), path: path() };
    case "path_rename":
      return { op, fd: fd(), path: path(), newFd: fd(), newPath: path() };
    case "path_link":
      return {
        op,
        fd: fd(),
        dirflags: flags(),
        path: path(),
        newFd: fd(),
        newPath: path(),
      };
    case "path_symlink":
      return { op, target: path(), fd: fd(), path: path() };
    case "path_filestat_get":
      return { op, fd: fd(), dirflags: flags(), path: path() };
    case "path_filestat_set_times":
      return {
        op,
        fd: fd(),
        dirflags: flags(),
        path: path(),
        atim: big(r),
        mtim: big(r),
        fstflags: flags(),
      };
    case "poll_oneoff":
      return {
        op,
        subs: Array.from({ length: 1 + r.int(3) }, () => ({
          userdata: big(r),
          type: num(r, () => r.int(4)),
          fd: fd(),
          timeout: BigInt(r.int(2_000_000)), // at most 2 ms
        })),
      };
    case "context_info":
      return { op };
    case "no_such_op":
      return { op } as unknown as DeputyRequest;
    case "fd_close": // rarely the preopen: the rest would be EBADF
      return { op, fd: closable() };
    default:
      return { op, fd: fd() } as DeputyRequest;
  }
}

async function answerOf(
  res: DeputyResponse | Promise<DeputyResponse>,
  what: string,
): Promise<DeputyResponse> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in 2 s`)),
      2000,
    );
  });
  try {
    return await Promise.race([Promise.resolve(res), late]);
  } finally {
    clearTimeout(timer);
  }
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (hay[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

Deno.test("the deputy answers hostile system calls with an errno and never reaches outside its preopen", async () => {
  const cfg = fuzzConfig(4000);
  const stats = new FuzzStats();
  const root = await Deno.makeTempDir({ prefix: "dmosix-fuzz-deputy-" });
  const secret = new TextEncoder().encode(SECRET);
  try {
    const { box, outside } = await setup(root);
    const before = tree(outside);
    const rootBefore = [...Deno.readDirSync(root)].map((e) => e.name).sort();
    let deputy: Deputy | null = null;
    const stdout = collectOutput();
    await fuzzLoop("deputy", cfg, async (r, i) => {
      if (deputy === null || i % 100 === 0) {
        deputy?.closeAll();
        deputy = new Deputy({
          args: ["prog"],
          env: [],
          cwd: box,
          preopens: [{ hostDir: box, guestPath: "." }],
          stdio: {
            stdin: inputFromText("some input\n"),
            stdout,
            stderr: collectOutput(),
          },
        });
      }
      const req = randomRequest(r, outside);
      let res: DeputyResponse;
      try {
        res = await answerOf(deputy.handle(req), req.op);
      } catch (e) {
        throw new Error(
          `${
            JSON.stringify(req, (_, v) => typeof v === "bigint" ? `${v}n` : v)
          } threw ${e}`,
        );
      }
      ok(
        Number.isInteger(res.errno) && res.errno >= 0 &&
          res.errno < ERRNO_NAMES.length,
        `${req.op} answered errno ${res.errno}`,
      );
      if (res.data) {
        ok(
          !contains(res.data, secret),
          `${req.op} read a file outside the preopen`,
        );
      }
      stats.add(res.errno === 0 ? `${req.op}:ok` : ERRNO_NAMES[res.errno]);
      if (res.errno === 0 && req.op === "path_open" && !live.includes(res.n!)) {
        live.push(res.n!);
        if (live.length > 8) live.shift();
      }
      if (
        res.errno === 0 && (req.op === "fd_close" || req.op === "fd_renumber")
      ) {
        live.splice(live.indexOf(req.fd) >>> 0, 1);
      }
    });
    (deputy as Deputy | null)?.closeAll();
    equal(
      tree(outside).join("\n"),
      before.join("\n"),
      "something outside the preopen changed",
    );
    equal(
      [...Deno.readDirSync(root)].map((e) => e.name).sort().join(","),
      rootBefore.join(","),
      "a file appeared beside the preopen",
    );
    ok(!contains(stdout.bytes(), secret), "a secret reached stdout");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  for (const k of ["NOTCAPABLE", "BADF", "path_open:ok", "fd_read:ok"]) {
    ok(stats.get(k) > 0, `${k} never reached: ${stats}`);
  }
});

import assert from "node:assert/strict";
import { decode, encode } from "cbor-x";
import {
  EventRwFlags,
  Eventtype,
  Fdflags,
  Filetype,
  Fstflags,
  Lookupflags,
  Oflags,
  Rights,
  RIGHTS_ALL,
  Whence,
} from "../../../core/wasi/constants.ts";
import { Deputy } from "../../../core/wasi/deputy.ts";
import {
  DeputyRestoreError,
  type DeputyState,
} from "../../../core/wasi/deputy_state.ts";
import { Errno } from "../../../core/wasi/errno.ts";
import type {
  DeputyRequest,
  DeputyResponse,
} from "../../../core/wasi/protocol.ts";
import {
  collectOutput,
  inputFromText,
  type Stdio,
} from "../../../core/wasi/stdio.ts";

const READ = Rights.FD_READ | Rights.FD_SEEK | Rights.FD_TELL |
  Rights.FD_FILESTAT_GET |
  Rights.FD_READDIR;
const WRITE = READ | Rights.FD_WRITE | Rights.FD_FILESTAT_SET_SIZE |
  Rights.FD_ALLOCATE |
  Rights.FD_DATASYNC;
/** What wasi-libc asks for when it opens a directory. */
const DIR = RIGHTS_ALL & ~WRITE | READ;
const DOT = 3; // the "." preopen
const SLASH = 4; // the "/" preopen

function stdio(input = ""): Stdio {
  return {
    stdin: inputFromText(input),
    stdout: collectOutput(),
    stderr: collectOutput(),
  };
}

interface Setup {
  dir: string;
  d: Deputy;
  call(req: DeputyRequest): DeputyResponse;
  open(
    path: string,
    oflags?: number,
    base?: number,
    fdflags?: number,
    dirfd?: number,
  ): number;
  [Symbol.dispose](): void;
}

function setup(): Setup {
  const dir = Deno.realPathSync(
    Deno.makeTempDirSync({ prefix: "deputy_test_" }),
  );
  const d = new Deputy({
    args: ["prog", "a"],
    env: ["K=V"],
    cwd: dir,
    stdio: stdio(),
  });
  const call = (req: DeputyRequest) => {
    const r = d.handle(req);
    assert.ok(!(r instanceof Promise), `${req.op} answered asynchronously`);
    return r as DeputyResponse;
  };
  return {
    dir,
    d,
    call,
    open(path, oflags = 0, base = READ, fdflags = 0, dirfd = DOT) {
      const r = call({
        op: "path_open",
        fd: dirfd,
        dirflags: Lookupflags.SYMLINK_FOLLOW,
        path,
        oflags,
        base,
        inheriting: RIGHTS_ALL,
        fdflags,
      });
      assert.equal(r.errno, 0, `open ${path}: errno ${r.errno}`);
      return r.n!;
    },
    [Symbol.dispose]() {
      d.closeAll();
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

function openErrno(
  s: Setup,
  path: string,
  oflags = 0,
  base = READ,
  follow = true,
): number {
  return s.call({
    op: "path_open",
    fd: DOT,
    dirflags: follow ? Lookupflags.SYMLINK_FOLLOW : 0,
    path,
    oflags,
    base,
    inheriting: RIGHTS_ALL,
    fdflags: 0,
  }).errno;
}

const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

Deno.test("deputy preopens the cwd as '.' and '/' on fds 3 and 4", () => {
  using s = setup();
  assert.deepEqual(s.call({ op: "fd_prestat_get", fd: DOT }), {
    errno: 0,
    name: ".",
    n: 1,
  });
  assert.deepEqual(s.call({ op: "fd_prestat_get", fd: SLASH }), {
    errno: 0,
    name: "/",
    n: 1,
  });
  assert.equal(s.call({ op: "fd_prestat_get", fd: 5 }).errno, Errno.BADF);
  assert.equal(s.call({ op: "fd_prestat_get", fd: 1 }).errno, Errno.BADF);
  Deno.writeTextFileSync(`${s.dir}/f.txt`, "same");
  const a = s.open("f.txt", 0, READ, 0, DOT);
  const b = s.open("f.txt", 0, READ, 0, SLASH);
  assert.equal(text(s.call({ op: "fd_read", fd: a, len: 10 }).data), "same");
  assert.equal(text(s.call({ op: "fd_read", fd: b, len: 10 }).data), "same");
});

Deno.test("path resolution refuses '..' above the preopen with ENOTCAPABLE", () => {
  using s = setup();
  Deno.mkdirSync(`${s.dir}/sub`);
  Deno.writeTextFileSync(`${s.dir}/top.txt`, "t");
  assert.equal(openErrno(s, "../etc/passwd"), Errno.NOTCAPABLE);
  assert.equal(openErrno(s, "sub/../../x"), Errno.NOTCAPABLE);
  assert.equal(openErrno(s, "/etc/passwd"), Errno.NOTCAPABLE);
  assert.equal(openErrno(s, "sub/../top.txt"), 0);
  assert.equal(openErrno(s, "./sub/./../top.txt"), 0);
  // A directory fd opened below the root may climb back to the root, not past it.
  const sub = s.open("sub", Oflags.DIRECTORY, DIR);
  assert.equal(
    s.call({
      op: "path_filestat_get",
      fd: sub,
      dirflags: 0,
      path: "../top.txt",
    }).errno,
    0,
  );
  assert.equal(
    s.call({ op: "path_filestat_get", fd: sub, dirflags: 0, path: "../../x" })
      .errno,
    Errno.NOTCAPABLE,
  );
});

Deno.test("symlinks that point outside the preopen cannot be followed", () => {
  using s = setup();
  Deno.mkdirSync(`${s.dir}/sub`);
  Deno.symlinkSync("/etc", `${s.dir}/abs`);
  Deno.symlinkSync("../..", `${s.dir}/sub/up`);
  Deno.symlinkSync("sub/up", `${s.dir}/chain`);
  assert.equal(openErrno(s, "abs/passwd"), Errno.NOTCAPABLE);
  assert.equal(openErrno(s, "abs"), Errno.NOTCAPABLE);
  assert.equal(openErrno(s, "sub/up/etc/passwd"), Errno.NOTCAPABLE);
  assert.equal(openErrno(s, "chain/x"), Errno.NOTCAPABLE);
  assert.equal(
    s.call({
      op: "path_filestat_get",
      fd: DOT,
      dirflags: Lookupflags.SYMLINK_FOLLOW,
      path: "abs",
    }).errno,
    Errno.NOTCAPABLE,
  );
  // The links themselves can be examined and removed.
  const st = s.call({
    op: "path_filestat_get",
    fd: DOT,
    dirflags: 0,
    path: "abs",
  });
  assert.equal(st.stat?.filetype, Filetype.SYMBOLIC_LINK);
  assert.equal(
    text(s.call({ op: "path_readlink", fd: DOT, path: "abs" }).data),
    "/etc",
  );
  assert.equal(
    s.call({ op: "path_unlink_file", fd: DOT, path: "abs" }).errno,
    0,
  );
  assert.equal(Deno.statSync("/etc").isDirectory, true);
});

Deno.test("symlinks inside the preopen are followed; loops give ELOOP; O_NOFOLLOW gives ELOOP", () => {
  using s = setup();
  Deno.mkdirSync(`${s.dir}/sub`);
  Deno.writeTextFileSync(`${s.dir}/sub/f.txt`, "inside");
  Deno.symlinkSync("sub/f.txt", `${s.dir}/l1`);
  Deno.symlinkSync("../sub", `${s.dir}/sub/self`);
  Deno.symlinkSync("loopb", `${s.dir}/loopa`);
  Deno.symlinkSync("loopa", `${s.dir}/loopb`);
  const fd = s.open("l1");
  assert.equal(text(s.call({ op: "fd_read", fd, len: 100 }).data), "inside");
  assert.equal(openErrno(s, "sub/self/self/f.txt"), 0);
  assert.equal(openErrno(s, "loopa"), Errno.LOOP);
  assert.equal(openErrno(s, "l1", 0, READ, false), Errno.LOOP);
});

Deno.test("path_symlink refuses absolute targets", () => {
  using s = setup();
  assert.equal(
    s.call({ op: "path_symlink", target: "/etc/passwd", fd: DOT, path: "p" })
      .errno,
    Errno.NOTCAPABLE,
  );
  assert.equal(
    s.call({ op: "path_symlink", target: "rel/x", fd: DOT, path: "p" }).errno,
    0,
  );
  assert.equal(Deno.readLinkSync(`${s.dir}/p`), "rel/x");
});

Deno.test("failing file system calls give the POSIX errno", () => {
  using s = setup();
  Deno.mkdirSync(`${s.dir}/d`);
  Deno.writeTextFileSync(`${s.dir}/d/f`, "x");
  const e = (req: DeputyRequest) => s.call(req).errno;
  assert.equal(openErrno(s, "missing"), Errno.NOENT);
  assert.equal(openErrno(s, "d/f", Oflags.DIRECTORY), Errno.NOTDIR);
  assert.equal(openErrno(s, "d/f/x"), Errno.NOTDIR);
  assert.equal(openErrno(s, "d/f/"), Errno.NOTDIR);
  assert.equal(
    openErrno(s, "d/f", Oflags.CREAT | Oflags.EXCL, WRITE),
    Errno.EXIST,
  );
  assert.equal(openErrno(s, "d", 0, WRITE), Errno.ISDIR);
  assert.equal(openErrno(s, ""), Errno.NOENT);
  assert.equal(
    e({ op: "path_create_directory", fd: DOT, path: "d" }),
    Errno.EXIST,
  );
  assert.equal(
    e({ op: "path_create_directory", fd: DOT, path: "no/sub" }),
    Errno.NOENT,
  );
  assert.equal(
    e({ op: "path_remove_directory", fd: DOT, path: "d" }),
    Errno.NOTEMPTY,
  );
  assert.equal(
    e({ op: "path_remove_directory", fd: DOT, path: "d/f" }),
    Errno.NOTDIR,
  );
  assert.equal(
    e({ op: "path_remove_directory", fd: DOT, path: "." }),
    Errno.INVAL,
  );
  assert.equal(e({ op: "path_unlink_file", fd: DOT, path: "d" }), Errno.ISDIR);
  assert.equal(
    e({ op: "path_unlink_file", fd: DOT, path: "missing" }),
    Errno.NOENT,
  );
  assert.equal(
    e({
      op: "path_rename",
      fd: DOT,
      path: "d",
      newFd: DOT,
      newPath: "d/inside",
    }),
    Errno.INVAL,
  );
  assert.equal(e({ op: "path_readlink", fd: DOT, path: "d/f" }), Errno.INVAL);
  assert.equal(e({ op: "fd_close", fd: 99 }), Errno.BADF);
  assert.equal(e({ op: "fd_read", fd: 99, len: 1 }), Errno.BADF);
  assert.equal(
    e({
      op: "path_open",
      fd: 1,
      dirflags: 0,
      path: "x",
      oflags: 0,
      base: READ,
      inheriting: 0,
      fdflags: 0,
    }),
    Errno.NOTDIR,
  );
  const dirfd = s.open("d", Oflags.DIRECTORY);
  assert.equal(e({ op: "fd_read", fd: dirfd, len: 4 }), Errno.ISDIR);
  const ro = s.open("d/f");
  assert.equal(
    e({ op: "fd_write", fd: ro, data: new Uint8Array([1]) }),
    Errno.BADF,
  );
  assert.equal(
    e({ op: "fd_seek", fd: 1, offset: 0n, whence: Whence.CUR }),
    Errno.SPIPE,
  );
  assert.equal(e({ op: "fd_read", fd: 1, len: 1 }), Errno.BADF);
  assert.equal(
    e({ op: "fd_write", fd: 0, data: new Uint8Array([1]) }),
    Errno.BADF,
  );
  assert.equal(
    e({ op: "fd_advise", fd: ro, offset: 0n, len: 0n, advice: 9 }),
    Errno.INVAL,
  );
  assert.equal(
    e({ op: "fd_fdstat_set_rights", fd: ro, base: WRITE, inheriting: 0 }),
    Errno.NOTCAPABLE,
  );
});

Deno.test("files opened read-only lose write rights; fdstat reports type, flags and rights", () => {
  using s = setup();
  Deno.writeTextFileSync(`${s.dir}/f`, "x");
  const ro = s.open(
    "f",
    0,
    RIGHTS_ALL &
      ~(Rights.FD_WRITE | Rights.FD_DATASYNC | Rights.FD_ALLOCATE |
        Rights.FD_FILESTAT_SET_SIZE),
  );
  const st = s.call({ op: "fd_fdstat_get", fd: ro }).fdstat!;
  assert.equal(st.filetype, Filetype.REGULAR_FILE);
  assert.equal(st.rightsBase & Rights.FD_WRITE, 0);
  assert.notEqual(st.rightsBase & Rights.FD_READ, 0);
  const ap = s.open("f", 0, WRITE, Fdflags.APPEND);
  assert.equal(
    s.call({ op: "fd_fdstat_get", fd: ap }).fdstat!.flags,
    Fdflags.APPEND,
  );
  s.call({ op: "fd_write", fd: ap, data: new TextEncoder().encode("yz") });
  assert.equal(Deno.readTextFileSync(`${s.dir}/f`), "xyz");
  const dir = s.call({ op: "fd_fdstat_get", fd: DOT }).fdstat!;
  assert.equal(dir.filetype, Filetype.DIRECTORY);
  assert.equal(dir.rightsInheriting, RIGHTS_ALL);
});

Deno.test("fd_seek and fd_tell move and report the offset; bad whence or negative offsets give EINVAL", () => {
  using s = setup();
  const fd = s.open("f", Oflags.CREAT, WRITE);
  s.call({ op: "fd_write", fd, data: new TextEncoder().encode("0123456789") });
  assert.equal(s.call({ op: "fd_tell", fd }).offset, 10n);
  assert.equal(
    s.call({ op: "fd_seek", fd, offset: 3n, whence: Whence.SET }).offset,
    3n,
  );
  assert.equal(text(s.call({ op: "fd_read", fd, len: 2 }).data), "34");
  assert.equal(s.call({ op: "fd_tell", fd }).offset, 5n);
  assert.equal(
    s.call({ op: "fd_seek", fd, offset: -1n, whence: Whence.END }).offset,
    9n,
  );
  assert.equal(
    s.call({ op: "fd_seek", fd, offset: -2n, whence: Whence.CUR }).offset,
    7n,
  );
  assert.equal(
    s.call({ op: "fd_seek", fd, offset: -20n, whence: Whence.CUR }).errno,
    Errno.INVAL,
  );
  assert.equal(
    s.call({ op: "fd_seek", fd, offset: 0n, whence: 7 }).errno,
    Errno.INVAL,
  );
  // pread/pwrite do not move the offset.
  assert.equal(
    text(s.call({ op: "fd_pread", fd, len: 3, offset: 1n }).data),
    "123",
  );
  assert.equal(
    s.call({
      op: "fd_pwrite",
      fd,
      data: new TextEncoder().encode("AB"),
      offset: 0n,
    }).n,
    2,
  );
  assert.equal(s.call({ op: "fd_tell", fd }).offset, 7n);
  assert.equal(Deno.readTextFileSync(`${s.dir}/f`), "AB23456789");
});

Deno.test("fd_renumber moves an fd over another, closing the one replaced", () => {
  using s = setup();
  Deno.writeTextFileSync(`${s.dir}/a`, "AAAA");
  Deno.writeTextFileSync(`${s.dir}/b`, "BBBB");
  const a = s.open("a");
  const b = s.open("b");
  assert.equal(s.call({ op: "fd_renumber", fd: a, to: b }).errno, 0);
  assert.equal(s.call({ op: "fd_read", fd: a, len: 4 }).errno, Errno.BADF);
  assert.equal(text(s.call({ op: "fd_read", fd: b, len: 4 }).data), "AAAA");
  assert.equal(s.call({ op: "fd_renumber", fd: b, to: 77 }).errno, Errno.BADF);
  assert.equal(s.call({ op: "fd_renumber", fd: 77, to: b }).errno, Errno.BADF);
  // The freed number is reused by the next open.
  assert.equal(s.open("b"), a);
});

interface Dirent {
  next: bigint;
  name: string;
  type: number;
}

function parseDirents(
  data: Uint8Array,
): { entries: Dirent[]; partial: boolean } {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const entries: Dirent[] = [];
  let at = 0;
  while (at + 24 <= data.length) {
    const len = v.getUint32(at + 16, true);
    if (at + 24 + len > data.length) break;
    entries.push({
      next: v.getBigUint64(at, true),
      name: text(data.subarray(at + 24, at + 24 + len)),
      type: v.getUint8(at + 20),
    });
    at += 24 + len;
  }
  return { entries, partial: at < data.length };
}

Deno.test("fd_readdir lists ., .. and entries; a listing resumes from any cookie", () => {
  using s = setup();
  for (const n of ["alpha", "beta", "gamma", "delta", "epsilon"]) {
    Deno.writeTextFileSync(`${s.dir}/${n}`, n);
  }
  Deno.mkdirSync(`${s.dir}/sub`);
  const dir = s.open(".", Oflags.DIRECTORY);
  const all = parseDirents(
    s.call({ op: "fd_readdir", fd: dir, len: 4096, cookie: 0n }).data!,
  );
  assert.equal(all.partial, false);
  assert.deepEqual(all.entries.map((e) => e.name).sort(), [
    ".",
    "..",
    "alpha",
    "beta",
    "delta",
    "epsilon",
    "gamma",
    "sub",
  ]);
  assert.equal(
    all.entries.find((e) => e.name === "sub")!.type,
    Filetype.DIRECTORY,
  );
  assert.equal(
    all.entries.find((e) => e.name === "beta")!.type,
    Filetype.REGULAR_FILE,
  );
  // Small buffers: keep whole records, resume from the last cookie.
  const seen: string[] = [];
  let cookie = 0n;
  for (let i = 0; i < 50; i++) {
    const data = s.call({ op: "fd_readdir", fd: dir, len: 40, cookie }).data!;
    const part = parseDirents(data);
    seen.push(...part.entries.map((e) => e.name));
    if (part.entries.length > 0) {
      cookie = part.entries[part.entries.length - 1].next;
    }
    if (data.length < 40) break;
  }
  assert.deepEqual(seen, all.entries.map((e) => e.name));
  assert.equal(
    s.call({ op: "fd_readdir", fd: dir, len: 100, cookie: 1000n }).data!.length,
    0,
  );
  const f = s.open("alpha");
  assert.equal(
    s.call({ op: "fd_readdir", fd: f, len: 100, cookie: 0n }).errno,
    Errno.NOTDIR,
  );
});

Deno.test("filestat calls report sizes and types and set times, including 'now'", () => {
  using s = setup();
  const fd = s.open("f", Oflags.CREAT, WRITE);
  assert.equal(s.call({ op: "fd_filestat_set_size", fd, size: 100n }).errno, 0);
  assert.equal(
    s.call({ op: "fd_allocate", fd, offset: 0n, len: 300n }).errno,
    0,
  );
  const st = s.call({ op: "fd_filestat_get", fd }).stat!;
  assert.equal(st.size, 300n);
  assert.equal(st.filetype, Filetype.REGULAR_FILE);
  const sec = 1_000_000_000n;
  assert.equal(
    s.call({
      op: "fd_filestat_set_times",
      fd,
      atim: 1000n * sec,
      mtim: 2000n * sec,
      fstflags: Fstflags.ATIM | Fstflags.MTIM,
    }).errno,
    0,
  );
  const t = s.call({ op: "path_filestat_get", fd: DOT, dirflags: 0, path: "f" })
    .stat!;
  assert.equal(t.atim, 1000n * sec);
  assert.equal(t.mtim, 2000n * sec);
  assert.equal(
    s.call({
      op: "path_filestat_set_times",
      fd: DOT,
      dirflags: 1,
      path: "f",
      atim: 0n,
      mtim: 0n,
      fstflags: Fstflags.MTIM_NOW,
    }).errno,
    0,
  );
  const n = s.call({ op: "path_filestat_get", fd: DOT, dirflags: 0, path: "f" })
    .stat!;
  assert.equal(n.atim, 1000n * sec); // kept
  assert.ok(Date.now() * 1_000_000 - Number(n.mtim) < 60e9, "mtime set to now");
  assert.equal(
    s.call({
      op: "fd_filestat_set_times",
      fd,
      atim: 0n,
      mtim: 0n,
      fstflags: Fstflags.ATIM | Fstflags.ATIM_NOW,
    }).errno,
    Errno.INVAL,
  );
  assert.equal(
    s.call({
      op: "path_link",
      fd: DOT,
      dirflags: 0,
      path: "f",
      newFd: DOT,
      newPath: "g",
    }).errno,
    0,
  );
  assert.equal(s.call({ op: "fd_filestat_get", fd }).stat!.nlink, 2n);
});

function saveRestore(state: DeputyState): DeputyState {
  return decode(encode(state)) as DeputyState;
}

Deno.test("saveState and restore keep fds, offsets, flags and preopens across a serialization", () => {
  using s = setup();
  Deno.mkdirSync(`${s.dir}/sub`);
  Deno.writeTextFileSync(`${s.dir}/sub/data.txt`, "0123456789");
  const r = s.open("sub/data.txt");
  s.call({ op: "fd_seek", fd: r, offset: 7n, whence: Whence.SET });
  const w = s.open("log.txt", Oflags.CREAT, WRITE, Fdflags.APPEND);
  s.call({ op: "fd_write", fd: w, data: new TextEncoder().encode("one\n") });
  const d = s.open("sub", Oflags.DIRECTORY, DIR);
  s.call({ op: "fd_renumber", fd: r, to: 1 }); // over stdout
  const state = saveRestore(s.d.saveState());
  s.d.closeAll();
  const r2 = Deputy.restore(state, stdio());
  const call = (req: DeputyRequest) => r2.handle(req) as DeputyResponse;
  try {
    assert.equal(text(call({ op: "fd_read", fd: 1, len: 10 }).data), "789");
    assert.equal(
      call({ op: "fd_write", fd: w, data: new TextEncoder().encode("two\n") })
        .n,
      4,
    );
    assert.equal(Deno.readTextFileSync(`${s.dir}/log.txt`), "one\ntwo\n");
    assert.equal(
      call({ op: "fd_fdstat_get", fd: w }).fdstat!.flags,
      Fdflags.APPEND,
    );
    assert.equal(
      call({ op: "path_filestat_get", fd: d, dirflags: 0, path: "data.txt" })
        .stat!.size,
      10n,
    );
    assert.deepEqual(call({ op: "fd_prestat_get", fd: SLASH }), {
      errno: 0,
      name: "/",
      n: 1,
    });
    assert.equal(call({ op: "fd_read", fd: r, len: 1 }).errno, Errno.BADF);
    assert.deepEqual(call({ op: "context_info" }), {
      errno: 0,
      args: ["prog", "a"],
      env: ["K=V"],
    });
  } finally {
    r2.closeAll();
  }
});

Deno.test("restore of a file that vanished fails with a clear error, or gives EBADF when asked", () => {
  using s = setup();
  Deno.writeTextFileSync(`${s.dir}/gone.txt`, "x");
  const fd = s.open("gone.txt");
  const before = saveRestore(s.d.saveState());
  Deno.removeSync(`${s.dir}/gone.txt`);
  assert.throws(
    () => Deputy.restore(before, stdio()),
    (err: Error) => {
      assert.ok(err instanceof DeputyRestoreError);
      assert.match(
        err.message,
        /^restore: fd 5: file '.*gone\.txt' cannot be reopened \(ENOENT\)$/,
      );
      return true;
    },
  );
  // Deleted while open, before the save: flagged at save time.
  const after = s.d.saveState();
  assert.equal(
    after.fds.find((f) => f.fd === fd)?.kind === "file" &&
      (after.fds.find((f) => f.fd === fd) as { vanished: boolean }).vanished,
    true,
  );
  Deno.writeTextFileSync(`${s.dir}/gone.txt`, "new file, same name");
  assert.throws(
    () => Deputy.restore(after, stdio()),
    /was deleted or replaced while open/,
  );
  const lenient = Deputy.restore(after, stdio(), { missing: "ebadf" });
  assert.equal(
    (lenient.handle({ op: "fd_read", fd, len: 1 }) as DeputyResponse).errno,
    Errno.BADF,
  );
  assert.equal(
    (lenient.handle({ op: "fd_close", fd }) as DeputyResponse).errno,
    0,
  );
  lenient.closeAll();
});

Deno.test("custom preopens expose only their directory under their guest path", () => {
  const root = Deno.realPathSync(
    Deno.makeTempDirSync({ prefix: "deputy_pre_" }),
  );
  try {
    Deno.mkdirSync(`${root}/data`);
    Deno.writeTextFileSync(`${root}/secret`, "s");
    Deno.writeTextFileSync(`${root}/data/d.txt`, "d");
    const d = new Deputy({
      args: [],
      env: [],
      cwd: root,
      preopens: [{ hostDir: `${root}/data`, guestPath: "/data" }],
      stdio: stdio(),
    });
    const call = (req: DeputyRequest) => d.handle(req) as DeputyResponse;
    assert.deepEqual(call({ op: "fd_prestat_get", fd: 3 }), {
      errno: 0,
      name: "/data",
      n: 5,
    });
    assert.equal(call({ op: "fd_prestat_get", fd: 4 }).errno, Errno.BADF);
    const base = { op: "path_filestat_get", fd: 3, dirflags: 0 } as const;
    assert.equal(call({ ...base, path: "d.txt" }).errno, 0);
    assert.equal(call({ ...base, path: "../secret" }).errno, Errno.NOTCAPABLE);
    d.closeAll();
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("poll_oneoff: a clock waits its timeout, a file is ready at once with its remaining bytes", async () => {
  using s = setup();
  Deno.writeTextFileSync(`${s.dir}/f`, "12345");
  const fd = s.open("f");
  const ready = s.call({
    op: "poll_oneoff",
    subs: [{ userdata: 9n, type: Eventtype.FD_READ, fd }],
  });
  assert.deepEqual(ready.events, [{
    userdata: 9n,
    error: 0,
    type: Eventtype.FD_READ,
    nbytes: 5n,
    flags: 0,
  }]);
  const t0 = performance.now();
  const slept = await s.d.handle({
    op: "poll_oneoff",
    subs: [{ userdata: 1n, type: Eventtype.CLOCK, timeout: 30_000_000n }],
  });
  assert.ok(performance.now() - t0 >= 25, "waited for the clock");
  assert.deepEqual(slept.events?.map((e) => [e.userdata, e.type, e.error]), [[
    1n,
    Eventtype.CLOCK,
    0,
  ]]);
  const bad = s.call({
    op: "poll_oneoff",
    subs: [{ userdata: 2n, type: Eventtype.FD_READ, fd: 99 }],
  });
  assert.equal(bad.events?.[0].error, Errno.BADF);
  assert.equal(s.call({ op: "poll_oneoff", subs: [] }).errno, Errno.INVAL);
});

Deno.test("poll_oneoff on stdin reports the bytes waiting, then hangup at end of input", async () => {
  const d = new Deputy({ args: [], env: [], stdio: stdio("hello") });
  const sub = [{ userdata: 5n, type: Eventtype.FD_READ, fd: 0 }];
  const first = await d.handle({ op: "poll_oneoff", subs: sub });
  assert.equal(first.events?.[0].nbytes, 5n);
  assert.equal(
    text((await d.handle({ op: "fd_read", fd: 0, len: 100 })).data),
    "hello",
  );
  const end = await d.handle({ op: "poll_oneoff", subs: sub });
  assert.equal(end.events?.[0].flags, EventRwFlags.FD_READWRITE_HANGUP);
  assert.equal(
    (await d.handle({ op: "fd_read", fd: 0, len: 100 })).data?.length,
    0,
  );
});

Deno.test("stdout and stderr writes reach the injected streams", async () => {
  const io = stdio();
  const d = new Deputy({ args: [], env: [], stdio: io });
  await d.handle({
    op: "fd_write",
    fd: 1,
    data: new TextEncoder().encode("out"),
  });
  await d.handle({
    op: "fd_write",
    fd: 2,
    data: new TextEncoder().encode("err"),
  });
  assert.equal((io.stdout as ReturnType<typeof collectOutput>).text(), "out");
  assert.equal((io.stderr as ReturnType<typeof collectOutput>).text(), "err");
});

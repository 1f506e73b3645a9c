import assert from "node:assert/strict";
import { Errno } from "../../../core/wasi/errno.ts";
import { defaultPreopens, parsePreopen } from "../../../core/wasi/preopen.ts";
import {
  type PathProbe,
  resolvePath,
} from "../../../core/wasi/sandbox_path.ts";

/** A fake file system: paths under /r mapped to a kind, links to targets. */
function fakeFs(entries: Record<string, "dir" | "file" | string>): PathProbe {
  return {
    kind(p) {
      const e = entries[p];
      if (e === undefined) return Errno.NOENT;
      if (e === "dir") return "dir";
      if (e === "file") return "other";
      return "symlink";
    },
    readlink: (p) => entries[p].slice("->".length),
  };
}

const fs = fakeFs({
  "/r/a": "dir",
  "/r/a/f": "file",
  "/r/a/b": "dir",
  "/r/up": "->a/../..",
  "/r/abs": "->/etc",
  "/r/la": "->a",
  "/r/lf": "->a/f",
  "/r/loop": "->loop",
});

const ok = (path: string, follow = true, base: string[] = []) => {
  const r = resolvePath("/r", base, path, follow, fs);
  assert.equal(typeof r, "object", `${path}: errno ${r}`);
  return r as Exclude<typeof r, number>;
};
const err = (path: string, follow = true, base: string[] = []) =>
  resolvePath("/r", base, path, follow, fs);

Deno.test("resolvePath keeps paths inside the root and reports components from it", () => {
  assert.deepEqual(ok("a/b/../f").rel, ["a", "f"]);
  assert.equal(ok("a/b/../f").host, "/r/a/f");
  assert.deepEqual(ok(".").rel, []);
  assert.equal(ok(".").host, "/r");
  assert.deepEqual(ok("../a", true, ["a"]).rel, ["a"]);
  assert.deepEqual(ok("new-file").rel, ["new-file"]); // a missing last component is fine
});

Deno.test("resolvePath refuses escapes: '..' above the root, absolute paths and absolute links", () => {
  assert.equal(err(".."), Errno.NOTCAPABLE);
  assert.equal(err("a/../.."), Errno.NOTCAPABLE);
  assert.equal(err("/etc"), Errno.NOTCAPABLE);
  assert.equal(err("abs"), Errno.NOTCAPABLE);
  assert.equal(err("abs/passwd"), Errno.NOTCAPABLE);
  assert.equal(err("up/x"), Errno.NOTCAPABLE);
  assert.equal(err("../../x", true, ["a"]), Errno.NOTCAPABLE);
});

Deno.test("resolvePath expands links inside the root and stops at loops", () => {
  assert.deepEqual(ok("la/f").rel, ["a", "f"]);
  assert.deepEqual(ok("lf").rel, ["a", "f"]);
  assert.deepEqual(ok("lf", false).rel, ["lf"]); // last component not followed
  assert.deepEqual(ok("abs", false).rel, ["abs"]); // the link itself may be examined
  assert.equal(err("loop"), Errno.LOOP);
});

Deno.test("resolvePath gives ENOENT, ENOTDIR and EINVAL for bad paths", () => {
  assert.equal(err(""), Errno.NOENT);
  assert.equal(err("missing/x"), Errno.NOENT);
  assert.equal(err("a/f/x"), Errno.NOTDIR);
  assert.equal(err("a/f/"), Errno.NOTDIR);
  assert.equal(err("a\0b"), Errno.INVAL);
  assert.equal(ok("a/").mustBeDir, true);
  assert.equal(ok("a/b/..").mustBeDir, true);
  assert.equal(ok("a/f").mustBeDir, false);
});

Deno.test("parsePreopen reads HOSTDIR[::GUESTPATH] and the default is the cwd as '.' and '/'", () => {
  assert.deepEqual(parsePreopen("/data", "/home/u"), {
    hostDir: "/data",
    guestPath: "/data",
  });
  assert.deepEqual(parsePreopen("work::/w", "/home/u"), {
    hostDir: "/home/u/work",
    guestPath: "/w",
  });
  assert.throws(() => parsePreopen("::/x", "/"), /--preopen: empty directory/);
  assert.deepEqual(defaultPreopens("/c"), [{ hostDir: "/c", guestPath: "." }, {
    hostDir: "/c",
    guestPath: "/",
  }]);
});

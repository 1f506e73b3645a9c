/**
 * Resolving a guest path inside a preopened directory, WASI style: the path
 * is relative to a directory fd, `..` may not climb above the preopen, and
 * symbolic links are expanded here (not by the host) so that neither a
 * relative link full of `..` nor an absolute link can escape. Escapes give
 * ENOTCAPABLE.
 *
 * The result names a host path with no symlink in any directory part, so
 * the host call that follows sees only the final component (races with a
 * concurrent rename on the host are not guarded against).
 *
 * @module
 */

import { Errno } from "./errno.ts";

/** What the resolver needs to know about a host path. */
export interface PathProbe {
  /** lstat: the kind of entry, or a WASI errno (NOENT, ...). */
  kind(hostPath: string): "dir" | "symlink" | "other" | number;
  /** readlink of a symlink. */
  readlink(hostPath: string): string;
}

/** A resolved guest path. */
export interface Resolved {
  /** Components from the preopen root to the entry (empty: the root). */
  rel: string[];
  /** The host path. */
  host: string;
  /** The path's last component was "." or "..", or it had a trailing "/". */
  mustBeDir: boolean;
  /** The last component as written ("" when the path was only "." parts). */
  last: string;
}

/** Symlink expansions allowed in one resolution (Linux's limit). */
export const MAX_SYMLINKS = 40;

/** The host path of `rel` under `root`. */
export function hostPathOf(root: string, rel: string[]): string {
  if (rel.length === 0) return root;
  return root.endsWith("/") ? root + rel.join("/") : `${root}/${rel.join("/")}`;
}

/**
 * Resolve `path` against the directory `base` (components under `root`).
 * `followLast` expands a symlink in the last component too (it is always
 * expanded when the path ends in "/"). Returns a WASI errno on failure.
 */
export function resolvePath(
  root: string,
  base: string[],
  path: string,
  followLast: boolean,
  probe: PathProbe,
): Resolved | number {
  if (path === "") return Errno.NOENT;
  if (path.includes("\0")) return Errno.INVAL;
  if (path.startsWith("/")) return Errno.NOTCAPABLE;
  const parts = path.split("/");
  const lastWritten = [...parts].reverse().find((p) => p !== "") ?? "";
  const mustBeDir = path.endsWith("/") || lastWritten === "." ||
    lastWritten === "..";
  const stack = [...base];
  const queue = parts;
  let links = 0;
  // Whether a component is followed by something that makes it a directory.
  const trailing = () => queue.some((p) => p !== "" && p !== ".");
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (stack.length === 0) return Errno.NOTCAPABLE;
      stack.pop();
      continue;
    }
    const isLast = !trailing();
    const dirFollows = queue.length > 0; // "a/" or "a/." or "a/b"
    const candidate = [...stack, c];
    if (!isLast || followLast || dirFollows) {
      const kind = probe.kind(hostPathOf(root, candidate));
      if (typeof kind === "number") {
        if (isLast && kind === Errno.NOENT) {
          stack.push(c);
          continue;
        }
        return kind;
      }
      if (kind === "symlink") {
        if (++links > MAX_SYMLINKS) return Errno.LOOP;
        let target: string;
        try {
          target = probe.readlink(hostPathOf(root, candidate));
        } catch {
          return Errno.NOENT;
        }
        if (target.startsWith("/")) return Errno.NOTCAPABLE;
        if (target === "") return Errno.NOENT;
        queue.unshift(...target.split("/"));
        continue;
      }
      if (kind !== "dir" && !isLast) return Errno.NOTDIR;
      if (kind !== "dir" && isLast && dirFollows) return Errno.NOTDIR;
    }
    stack.push(c);
  }
  return {
    rel: stack,
    host: hostPathOf(root, stack),
    mustBeDir,
    last: lastWritten,
  };
}

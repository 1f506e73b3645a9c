/**
 * Preopened directories: what the program sees as its file system.
 *
 * @module
 */

/** A host directory given to the program under a guest path. */
export interface Preopen {
  /** Absolute host directory. */
  hostDir: string;
  /** The name the program sees ("." or "/" or "/data"). */
  guestPath: string;
}

/** The default: the cwd, as both "." and "/". */
export function defaultPreopens(cwd: string): Preopen[] {
  return [{ hostDir: cwd, guestPath: "." }, { hostDir: cwd, guestPath: "/" }];
}

/**
 * Parse a `--preopen HOSTDIR[::GUESTPATH]` value; the guest path defaults
 * to HOSTDIR as written. Relative host dirs are taken from `cwd`.
 */
export function parsePreopen(spec: string, cwd: string): Preopen {
  const at = spec.indexOf("::");
  const host = at < 0 ? spec : spec.slice(0, at);
  const guest = at < 0 ? spec : spec.slice(at + 2);
  if (host === "" || guest === "") {
    throw new Error(
      `--preopen: empty directory in '${spec}' (use HOSTDIR or HOSTDIR::GUESTPATH)`,
    );
  }
  const hostDir = host.startsWith("/")
    ? host
    : `${cwd.replace(/\/$/, "")}/${host}`;
  return { hostDir, guestPath: guest };
}

/**
 * Where a node keeps its files (CLI.md "Where a node keeps its files").
 * `--dir DIR` or DMOSIX_DIR puts everything in one directory, so several
 * nodes can run on one host; otherwise root uses /etc/dmosix + /run/dmosix
 * and users ~/.config/dmosix + $XDG_RUNTIME_DIR/dmosix.
 *
 * @module
 */

import { join, resolve } from "node:path";

/** The files of one node. */
export interface NodeDirs {
  /** Holds the map and the secret. */
  configDir: string;
  /** Holds the control socket, pid file and log. */
  runDir: string;
  /** The map in force, saved by `setpe -w`. */
  mapPath: string;
  /** The cluster secret, mode 0600. */
  secretPath: string;
  /** The daemon's control socket. */
  socketPath: string;
  /** The daemon's pid file. */
  pidPath: string;
  /** The daemon's log when it runs detached. */
  logPath: string;
}

/** What the defaults depend on; injected for tests. */
export interface DirEnv {
  /** `--dir` value, if given. */
  dir?: string;
  /** Environment lookup (DMOSIX_DIR, HOME, XDG_RUNTIME_DIR). */
  env?: (name: string) => string | undefined;
  /** Effective user ID. */
  uid?: number | null;
}

/** Resolve a node's directories from `--dir`, the environment and the user. */
export function resolveDirs(opts: DirEnv = {}): NodeDirs {
  const env = opts.env ?? ((n: string) => Deno.env.get(n));
  const uid = opts.uid === undefined ? Deno.uid() : opts.uid;
  const dir = opts.dir ?? env("DMOSIX_DIR");
  let configDir: string;
  let runDir: string;
  if (dir !== undefined && dir !== "") {
    configDir = runDir = resolve(dir);
  } else if (uid === 0) {
    configDir = "/etc/dmosix";
    runDir = "/run/dmosix";
  } else {
    const home = env("HOME") ?? "/";
    configDir = join(home, ".config", "dmosix");
    const xdg = env("XDG_RUNTIME_DIR");
    runDir = xdg ? join(xdg, "dmosix") : `/tmp/dmosix-${uid ?? "user"}`;
  }
  return {
    configDir,
    runDir,
    mapPath: join(configDir, "map"),
    secretPath: join(configDir, "secret"),
    socketPath: join(runDir, "omdiscd.sock"),
    pidPath: join(runDir, "omdiscd.pid"),
    logPath: join(runDir, "omdiscd.log"),
  };
}

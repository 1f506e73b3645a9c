/**
 * Who a batch job runs as. The home sends the submitting user's name; a
 * target daemon running as root looks the name up in its own user database
 * and runs the job with that uid and gid, never as root unless its
 * configuration allows it. A daemon that is not root cannot switch users:
 * its jobs run as the daemon's user.
 *
 * Parsing and the decision are pure; the lookups at the bottom read
 * /etc/passwd, then ask `getent` (NSS: LDAP and the like) for a name the
 * file does not hold.
 *
 * @module
 */

/** One line of passwd(5). */
export interface PasswdEntry {
  /** Login name. */
  name: string;
  /** User ID. */
  uid: number;
  /** Primary group ID. */
  gid: number;
  /** Home directory. */
  home: string;
  /** Login shell. */
  shell: string;
}

/**
 * The entries of a passwd(5) text: `name:pw:uid:gid:gecos:home:shell`.
 * Comments, blank lines, NIS compat lines (`+`, `-`) and malformed lines
 * are skipped.
 */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line === "" || line.startsWith("#") || /^[+-]/.test(line)) continue;
    const f = line.split(":");
    if (f.length !== 7 || f[0] === "") continue;
    if (!/^\d{1,10}$/.test(f[2]) || !/^\d{1,10}$/.test(f[3])) continue;
    const uid = Number(f[2]), gid = Number(f[3]);
    if (uid > 0xfffffffe || gid > 0xfffffffe) continue;
    out.push({ name: f[0], uid, gid, home: f[5], shell: f[6] });
  }
  return out;
}

/** The identity a job gets, or why it is refused. */
export type JobIdentity =
  | {
    ok: true;
    /** uid and gid to switch to, or null to keep the daemon's. */
    uid: number | null;
    gid: number | null;
  }
  | { ok: false; reason: string };

/**
 * Decide who the job of `user` runs as on this node. `entry` is the user's
 * entry here (undefined: unknown), `daemonUid` the daemon's uid,
 * `allowRoot` whether jobs may run as uid 0 (omdiscd --batch-root).
 */
export function jobIdentity(opts: {
  user: string;
  entry: PasswdEntry | undefined;
  daemonUid: number;
  allowRoot: boolean;
}): JobIdentity {
  if (opts.daemonUid !== 0) return { ok: true, uid: null, gid: null };
  const e = opts.entry;
  if (!e) {
    return { ok: false, reason: `user '${opts.user}' is unknown on this node` };
  }
  if (e.uid === 0 && !opts.allowRoot) {
    return {
      ok: false,
      reason:
        `jobs as root are not allowed on this node (omdiscd --batch-root allows them)`,
    };
  }
  return { ok: true, uid: e.uid, gid: e.gid };
}

/** Reads a text file (injected in tests). */
export type ReadText = (path: string) => Promise<string>;

/** Runs `getent passwd KEY` and returns its output, or "" (injected in tests). */
export type Getent = (key: string) => Promise<string>;

/** The real `getent passwd KEY`; "" when there is no such entry or no getent. */
export async function getentPasswd(key: string): Promise<string> {
  try {
    const out = await new Deno.Command("getent", {
      args: ["passwd", key],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? new TextDecoder().decode(out.stdout) : "";
  } catch {
    return "";
  }
}

/** Find a user by name or uid: /etc/passwd first, then getent. */
export async function lookupUser(
  key: { name: string } | { uid: number },
  read: ReadText = Deno.readTextFile,
  getent: Getent = getentPasswd,
): Promise<PasswdEntry | undefined> {
  const match = (e: PasswdEntry) =>
    "name" in key ? e.name === key.name : e.uid === key.uid;
  try {
    const hit = parsePasswd(await read("/etc/passwd")).find(match);
    if (hit) return hit;
  } catch {
    // no readable /etc/passwd: NSS may still know
  }
  const k = "name" in key ? key.name : String(key.uid);
  if (k.startsWith("-")) return undefined; // never an option to getent
  return parsePasswd(await getent(k)).find(match);
}

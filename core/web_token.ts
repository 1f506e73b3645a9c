/**
 * The web monitor's action token: 32 random bytes (base64url) in the node's
 * run directory, `RUNDIR/webtoken`, mode 0600. The daemon makes it when it
 * serves --http and keeps it across restarts (a bookmarked link keeps
 * working); `mosctl webtoken` prints it, to whoever holds the secret.
 * Delete the file and restart the daemon to change it.
 *
 * @module
 */

import { join } from "node:path";

/** The token file of a run directory. */
export function webTokenPath(runDir: string): string {
  return join(runDir, "webtoken");
}

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

/** A fresh token from `random` bytes (injected for tests). */
export function newWebToken(
  random: (n: number) => Uint8Array = (n) =>
    crypto.getRandomValues(new Uint8Array(n)),
): string {
  const bytes = random(32);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The token in `path` if it is a well-formed file only its owner can read;
 * otherwise a new one, written there with mode 0600 (by temp file and
 * rename, so a reader never sees half of it).
 */
export async function loadOrCreateWebToken(path: string): Promise<string> {
  try {
    const st = await Deno.lstat(path);
    if (st.isFile && (st.mode === null || (st.mode & 0o077) === 0)) {
      const text = (await Deno.readTextFile(path)).trim();
      if (TOKEN_RE.test(text)) return text;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const token = newWebToken();
  const tmp = `${path}.tmp${Deno.pid}`;
  await Deno.writeTextFile(tmp, token + "\n", { mode: 0o600 });
  await Deno.chmod(tmp, 0o600);
  await Deno.rename(tmp, path);
  return token;
}

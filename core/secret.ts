/**
 * The cluster secret: a text file (`DIR/secret`, mode 0600) shared by every
 * node of a cluster, and the keys derived from it.
 *
 * The secret is the file's text, trimmed, as UTF-8 bytes (at least 16).
 * {@linkcode createSecret} writes 32 random bytes as 64 hex digits. Each use
 * gets its own key through HKDF-SHA256 ({@linkcode deriveKey}), so a
 * datagram key can never authenticate a link frame and so on.
 *
 * @module
 */

import { hkdfSync } from "node:crypto";
import { dirname } from "node:path";

/** A problem with the secret file; the message is one user-facing line. */
export class SecretError extends Error {
  /** The secret file concerned. */
  readonly path: string;

  /** Make an error about `path`. */
  constructor(path: string, message: string) {
    super(message);
    this.name = "SecretError";
    this.path = path;
  }
}

/** Fewest bytes of secret text accepted. */
export const MIN_SECRET_BYTES = 16;

/** Most bytes a secret file may hold (a bigger one is the wrong file). */
export const MAX_SECRET_FILE_BYTES = 4096;

/** Bytes of randomness in a secret made by {@linkcode createSecret}. */
export const NEW_SECRET_RANDOM_BYTES = 32;

/** Purposes for {@linkcode deriveKey}: one key per kind of traffic. */
export const KeyPurpose = {
  /** UDP datagrams (announcements, gossip). */
  Datagram: "datagram",
  /** TCP links between nodes (migration, remote system calls). */
  Link: "link",
  /** Authentication on the local control socket. */
  Control: "control",
} as const;

const HKDF_SALT = "dmosix cluster secret v1";
const KEY_BYTES = 32;

/**
 * Read the cluster secret from `path`. Refuses a file that the group or
 * others may access, one that is not a regular file, and a secret shorter
 * than {@linkcode MIN_SECRET_BYTES}. Throws SecretError.
 */
export async function loadSecret(path: string): Promise<Uint8Array> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw openError(path, e);
  }
  try {
    // Stat the opened file, not the path: no swap between check and read.
    const st = await file.stat();
    if (!st.isFile) {
      throw new SecretError(path, `cluster secret ${path} is not a file`);
    }
    if (st.mode !== null && (st.mode & 0o077) !== 0) {
      throw new SecretError(
        path,
        `cluster secret ${path} is accessible by group or others (run: chmod 600 ${path})`,
      );
    }
    if (st.size > MAX_SECRET_FILE_BYTES) {
      throw new SecretError(
        path,
        `cluster secret ${path} is ${st.size} bytes, more than ${MAX_SECRET_FILE_BYTES} (is it the right file?)`,
      );
    }
    const raw = await readUpTo(file, MAX_SECRET_FILE_BYTES + 1);
    return parseSecret(path, raw);
  } finally {
    file.close();
  }
}

/**
 * The secret at `path`, made with {@linkcode createSecret} if there is none
 * yet; `created` says which. Throws SecretError.
 */
export async function loadOrCreateSecret(
  path: string,
): Promise<{ secret: Uint8Array; created: boolean }> {
  if (await exists(path)) {
    return { secret: await loadSecret(path), created: false };
  }
  return { secret: await createSecret(path), created: true };
}

/**
 * Make a new random secret at `path` (mode 0600, parent directory created
 * with mode 0700 if missing) and return it as {@linkcode loadSecret} would.
 * Atomic: written to a temporary file, then linked into place, so readers
 * never see a partial file and an existing secret is never overwritten.
 * Throws SecretError.
 */
export async function createSecret(path: string): Promise<Uint8Array> {
  const dir = dirname(path);
  try {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new SecretError(
      path,
      `cannot create directory ${dir}: ${errText(e)}`,
    );
  }
  const random = crypto.getRandomValues(
    new Uint8Array(NEW_SECRET_RANDOM_BYTES),
  );
  const text = Array.from(random, (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  const tmp = `${path}.tmp-${Deno.pid}-${hex4()}`;
  try {
    const f = await Deno.open(tmp, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    try {
      await Deno.chmod(tmp, 0o600); // in case of a strange umask
      await writeAllTo(f, new TextEncoder().encode(text + "\n"));
      await f.syncData();
    } finally {
      f.close();
    }
    await linkNoReplace(tmp, path);
  } catch (e) {
    if (e instanceof SecretError) throw e;
    throw new SecretError(
      path,
      `cannot write cluster secret ${path}: ${errText(e)}`,
    );
  } finally {
    await Deno.remove(tmp).catch(() => {});
  }
  return new TextEncoder().encode(text);
}

/**
 * Derive a 32-byte key for one `purpose` (see {@linkcode KeyPurpose}) from
 * the cluster secret with HKDF-SHA256.
 */
export function deriveKey(secret: Uint8Array, purpose: string): Uint8Array {
  if (purpose === "") throw new RangeError("deriveKey: empty purpose");
  return new Uint8Array(
    hkdfSync("sha256", secret, HKDF_SALT, purpose, KEY_BYTES),
  );
}

/** Parse secret file content: trimmed text, long enough. */
function parseSecret(path: string, raw: Uint8Array): Uint8Array {
  if (raw.length > MAX_SECRET_FILE_BYTES) {
    throw new SecretError(
      path,
      `cluster secret ${path} is more than ${MAX_SECRET_FILE_BYTES} bytes (is it the right file?)`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw).trim();
  } catch {
    throw new SecretError(path, `cluster secret ${path} is not UTF-8 text`);
  }
  const bytes = new TextEncoder().encode(text);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new SecretError(
      path,
      `cluster secret ${path} holds ${bytes.length} bytes, needs at least ${MIN_SECRET_BYTES} (put a longer secret in it)`,
    );
  }
  return bytes;
}

async function linkNoReplace(from: string, to: string): Promise<void> {
  try {
    await Deno.link(from, to);
    return;
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) throw existsError(to);
    // No hard links on this file system: check, then rename (a small race).
  }
  if (await exists(to)) throw existsError(to);
  await Deno.rename(from, to);
}

function existsError(path: string): SecretError {
  return new SecretError(
    path,
    `cluster secret ${path} already exists (remove it first to make a new one)`,
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function openError(path: string, e: unknown): SecretError {
  if (e instanceof Deno.errors.NotFound) {
    return new SecretError(
      path,
      `cluster secret ${path} not found (copy the cluster's secret there, mode 600)`,
    );
  }
  if (e instanceof Deno.errors.PermissionDenied) {
    return new SecretError(
      path,
      `cannot read cluster secret ${path}: permission denied`,
    );
  }
  return new SecretError(
    path,
    `cannot read cluster secret ${path}: ${errText(e)}`,
  );
}

async function readUpTo(file: Deno.FsFile, max: number): Promise<Uint8Array> {
  const buf = new Uint8Array(max);
  let n = 0;
  while (n < max) {
    const r = await file.read(buf.subarray(n));
    if (r === null) break;
    n += r;
  }
  return buf.subarray(0, n);
}

async function writeAllTo(f: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await f.write(bytes.subarray(off));
}

function hex4(): string {
  return crypto.getRandomValues(new Uint32Array(1))[0].toString(16);
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

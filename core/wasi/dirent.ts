/**
 * Directory listings for fd_readdir: the entries of a directory and their
 * encoding as WASI `dirent` records. A cookie is the index of the next
 * entry, so a program can resume a listing from any record it has seen.
 *
 * @module
 */

import { Filetype, Sizes } from "./constants.ts";

/** One directory entry. */
export interface DirEntryInfo {
  name: string;
  ino: bigint;
  filetype: number;
}

/** The WASI filetype of a Deno file info or directory entry. */
export function filetypeOf(st: {
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  isCharDevice?: boolean | null;
  isBlockDevice?: boolean | null;
  isSocket?: boolean | null;
}): number {
  if (st.isFile) return Filetype.REGULAR_FILE;
  if (st.isDirectory) return Filetype.DIRECTORY;
  if (st.isSymlink) return Filetype.SYMBOLIC_LINK;
  if (st.isCharDevice) return Filetype.CHARACTER_DEVICE;
  if (st.isBlockDevice) return Filetype.BLOCK_DEVICE;
  if (st.isSocket) return Filetype.SOCKET_STREAM;
  return Filetype.UNKNOWN;
}

/** List a host directory: ".", "..", then its entries in the host's order. */
export function listDirectory(hostDir: string): DirEntryInfo[] {
  const ino = (p: string) => {
    try {
      return BigInt(Deno.lstatSync(p).ino ?? 0);
    } catch {
      return 0n;
    }
  };
  const out: DirEntryInfo[] = [
    { name: ".", ino: ino(hostDir), filetype: Filetype.DIRECTORY },
    { name: "..", ino: ino(`${hostDir}/..`), filetype: Filetype.DIRECTORY },
  ];
  for (const e of Deno.readDirSync(hostDir)) {
    let filetype = filetypeOf(e);
    let entryIno = 0n;
    try {
      const st = Deno.lstatSync(`${hostDir}/${e.name}`);
      entryIno = BigInt(st.ino ?? 0);
      filetype = filetypeOf(st);
    } catch {
      // Removed meanwhile: keep what readdir said.
    }
    out.push({ name: e.name, ino: entryIno, filetype });
  }
  return out;
}

/**
 * Encode entries from index `cookie` on as dirent records, at most `bufLen`
 * bytes; the last record is cut when it does not fit, which tells the
 * program (buf_used == buf_len) to call again with the last whole cookie.
 */
export function encodeDirents(
  entries: DirEntryInfo[],
  cookie: bigint,
  bufLen: number,
): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let used = 0;
  const start = cookie > BigInt(entries.length)
    ? entries.length
    : Number(cookie);
  for (let i = start; i < entries.length && used < bufLen; i++) {
    const name = enc.encode(entries[i].name);
    const rec = new Uint8Array(Sizes.DIRENT + name.length);
    const v = new DataView(rec.buffer);
    v.setBigUint64(0, BigInt(i + 1), true);
    v.setBigUint64(8, entries[i].ino, true);
    v.setUint32(16, name.length, true);
    v.setUint8(20, entries[i].filetype);
    rec.set(name, Sizes.DIRENT);
    const take = Math.min(rec.length, bufLen - used);
    parts.push(rec.subarray(0, take));
    used += take;
  }
  const out = new Uint8Array(used);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

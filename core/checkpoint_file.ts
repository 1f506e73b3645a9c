/**
 * Checkpoint files: everything needed to resume a cluster process on any
 * node with `mosrun -R`, in one self-contained, versioned, checked file.
 *
 * Layout (all integers big-endian):
 * ```
 * "DMXCKPT\0"            8 bytes magic
 * version                u16 (FORMAT_VERSION)
 * reserved               u16 (0)
 * header length H        u32
 * header                 H bytes CBOR: {runtime, created, name, moduleHash,
 *                          moduleBytes, snapshotBytes, deputy, seq}
 * module                 the original (uninstrumented) wasm module
 * snapshot               the runtime's encoded snapshot (opaque here)
 * SHA-256                32 bytes over everything before it
 * ```
 * Files are written to a temporary name and renamed, so a crash never
 * leaves half a checkpoint under the real name.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { Decoder, Encoder } from "cbor-x";

/** First bytes of every checkpoint file. */
export const CHECKPOINT_MAGIC = new TextEncoder().encode("DMXCKPT\0");
/** Version of the layout above. */
export const FORMAT_VERSION = 1;
/** Largest header accepted. */
export const MAX_HEADER = 16 * 1024 * 1024;

const FIXED = CHECKPOINT_MAGIC.length + 2 + 2 + 4;
const DIGEST = 32;

/** A checkpoint file that cannot be used; the message is one line. */
export class CheckpointError extends Error {
  /** Make an error about checkpoint `file`. */
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "CheckpointError";
  }
}

/** What a checkpoint holds. */
export interface Checkpoint {
  /** Runtime (instrumenter) version that made the snapshot; must match to resume. */
  runtime: string;
  /** Wall-clock ms when written. */
  created: number;
  /** Program name, for messages. */
  name: string;
  /** The original wasm module. */
  module: Uint8Array;
  /** The runtime's encoded snapshot. */
  snapshot: Uint8Array;
  /** The deputy's state (open files, cwd, args, env...), plain data. */
  deputy: unknown;
  /** Checkpoint number within its run (FILE.N). */
  seq: number;
}

const encoder = new Encoder({ useRecords: false, mapsAsObjects: true });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

/** Hex SHA-256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Encode a checkpoint to the file layout. */
export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  const header = encoder.encode({
    runtime: c.runtime,
    created: c.created,
    name: c.name,
    moduleHash: sha256Hex(c.module),
    moduleBytes: c.module.length,
    snapshotBytes: c.snapshot.length,
    deputy: c.deputy,
    seq: c.seq,
  });
  const total = FIXED + header.length + c.module.length + c.snapshot.length +
    DIGEST;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(CHECKPOINT_MAGIC, 0);
  view.setUint16(8, FORMAT_VERSION);
  view.setUint16(10, 0);
  view.setUint32(12, header.length);
  let at = FIXED;
  out.set(header, at);
  at += header.length;
  out.set(c.module, at);
  at += c.module.length;
  out.set(c.snapshot, at);
  at += c.snapshot.length;
  out.set(createHash("sha256").update(out.subarray(0, at)).digest(), at);
  return out;
}

/**
 * Decode and check a checkpoint. `runtime` is the version this dmosix
 * resumes; a checkpoint made by another is refused.
 */
export function decodeCheckpoint(
  bytes: Uint8Array,
  file: string,
  runtime: string,
): Checkpoint {
  const bad = (msg: string): never => {
    throw new CheckpointError(file, msg);
  };
  if (bytes.length < FIXED + DIGEST) bad("not a dmosix checkpoint (too short)");
  if (!CHECKPOINT_MAGIC.every((b, i) => bytes[i] === b)) {
    bad("not a dmosix checkpoint (bad magic)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(8);
  if (version !== FORMAT_VERSION) {
    bad(
      `checkpoint format ${version} is not supported (this dmosix reads ${FORMAT_VERSION})`,
    );
  }
  const body = bytes.subarray(0, bytes.length - DIGEST);
  const digest = createHash("sha256").update(body).digest();
  if (!digest.equals(bytes.subarray(bytes.length - DIGEST))) {
    bad("checkpoint is damaged or truncated (checksum mismatch)");
  }
  const hlen = view.getUint32(12);
  if (hlen > MAX_HEADER || FIXED + hlen > body.length) {
    bad("checkpoint header is damaged");
  }
  let h: Record<string, unknown>;
  try {
    h = decoder.decode(bytes.subarray(FIXED, FIXED + hlen)) as Record<
      string,
      unknown
    >;
  } catch {
    return bad("checkpoint header is damaged");
  }
  if (typeof h !== "object" || h === null) bad("checkpoint header is damaged");
  const { moduleBytes, snapshotBytes } = h;
  if (
    !Number.isSafeInteger(moduleBytes) ||
    !Number.isSafeInteger(snapshotBytes) ||
    (moduleBytes as number) < 0 || (snapshotBytes as number) < 0 ||
    FIXED + hlen + (moduleBytes as number) + (snapshotBytes as number) !==
      body.length
  ) {
    bad("checkpoint sizes do not add up");
  }
  // Only plain values from here on: a forged header may hold objects that
  // cannot even be turned into a string.
  if (
    typeof h.runtime !== "string" || typeof h.name !== "string" ||
    typeof h.moduleHash !== "string" || !Number.isFinite(h.created) ||
    !Number.isSafeInteger(h.seq) || (h.seq as number) < 0
  ) {
    bad("checkpoint header is damaged");
  }
  if (h.runtime !== runtime) {
    bad(
      `made by runtime ${
        (h.runtime as string).slice(0, 100).replace(/\p{Cc}/gu, "?")
      }, this dmosix resumes ${runtime} (resume it with the dmosix that wrote it)`,
    );
  }
  const mStart = FIXED + hlen;
  const module = bytes.slice(mStart, mStart + (moduleBytes as number));
  const snapshot = bytes.slice(mStart + (moduleBytes as number), body.length);
  if (sha256Hex(module) !== h.moduleHash) bad("module does not match its hash");
  return {
    runtime,
    created: h.created as number,
    name: h.name as string,
    module,
    snapshot,
    deputy: h.deputy,
    seq: h.seq as number,
  };
}

/** Write a checkpoint file atomically (temp file, fsync, rename). */
export async function writeCheckpointFile(
  path: string,
  c: Checkpoint,
): Promise<number> {
  const bytes = encodeCheckpoint(c);
  const tmp = `${path}.tmp-${Deno.pid}`;
  try {
    const f = await Deno.open(tmp, {
      write: true,
      create: true,
      truncate: true,
      mode: 0o600,
    });
    try {
      let off = 0;
      while (off < bytes.length) off += await f.write(bytes.subarray(off));
      await f.sync();
    } finally {
      f.close();
    }
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
  return bytes.length;
}

/** Read and check a checkpoint file. */
export async function readCheckpointFile(
  path: string,
  runtime: string,
): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : (e as Error).message;
    throw new CheckpointError(path, `cannot read checkpoint: ${why}`);
  }
  return decodeCheckpoint(bytes, path, runtime);
}

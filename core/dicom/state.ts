/**
 * The direct-communication state of one process as bytes: its mailbox,
 * its sender channels (with the messages not yet accepted) and its device
 * fds. It travels inside the process's snapshot (Snapshot.extra), so a
 * migration and a checkpoint carry it with the memory.
 *
 * @module
 */

import { Decoder, Encoder } from "cbor-x";
import type { DicomAddr } from "./address.ts";
import type { SavedDeviceFd } from "./device_fd.ts";
import type { MailboxState } from "./mailbox.ts";
import type { ChannelState } from "./out_channel.ts";

/** Everything a process's direct communication needs to continue elsewhere. */
export interface DicomState {
  /** Format version. */
  v: 1;
  /** Its mailbox. */
  mailbox: MailboxState;
  /** Sender of the last message read, if any. */
  lastFrom: DicomAddr | null;
  /** Its channels to other processes. */
  channels: ChannelState[];
  /** Its open device fds. */
  fds: SavedDeviceFd[];
  /** A copy for a checkpoint of a process whose mailbox stays at home. */
  home?: boolean;
}

const opts = { useRecords: false, mapsAsObjects: true } as const;
const enc = new Encoder(opts);
const dec = new Decoder(opts);

/** A state with nothing in it. */
export function emptyState(fds: SavedDeviceFd[] = []): DicomState {
  return {
    v: 1,
    mailbox: { queue: [], next: [] },
    lastFrom: null,
    channels: [],
    fds,
  };
}

/** Encode a state. */
export function encodeDicomState(s: DicomState): Uint8Array {
  return enc.encode(s);
}

/** Decode a state; throws on anything malformed (it comes from a link or a file). */
export function decodeDicomState(bytes: Uint8Array): DicomState {
  const s = dec.decode(bytes) as DicomState;
  const bad = () => {
    throw new Error("malformed direct-communication state");
  };
  if (typeof s !== "object" || s === null || s.v !== 1) bad();
  if (
    !Array.isArray(s.mailbox?.queue) || !Array.isArray(s.mailbox?.next) ||
    !Array.isArray(s.channels) || !Array.isArray(s.fds)
  ) bad();
  for (const l of s.mailbox.queue) {
    if (!(l?.data instanceof Uint8Array) || typeof l.from !== "object") bad();
  }
  for (const c of s.channels) {
    if (!Array.isArray(c?.pending) || !Number.isInteger(c.nextSeq)) bad();
    for (const p of c.pending) if (!(p?.data instanceof Uint8Array)) bad();
  }
  for (const f of s.fds) {
    if (!Number.isInteger(f?.fd) || typeof f.dev !== "string") bad();
  }
  return s;
}

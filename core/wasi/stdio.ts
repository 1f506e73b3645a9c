/**
 * The deputy's standard streams: injected, so tests, the terminal and (later)
 * the network link can all feed a program.
 *
 * @module
 */

import { Filetype } from "./constants.ts";
import { concatBytes } from "../bytes.ts";

/** A byte source: stdin. `read` resolves to the next chunk, or null at end. */
export interface InputStream {
  read(): Promise<Uint8Array | null>;
  /** WASI filetype reported for the fd (default: UNKNOWN, a pipe). */
  filetype?: number;
}

/** A byte sink: stdout or stderr. `write` writes all of `data`. */
export interface OutputStream {
  write(data: Uint8Array): void | Promise<void>;
  /** WASI filetype reported for the fd (default: UNKNOWN, a pipe). */
  filetype?: number;
}

/** The three standard streams of a program. */
export interface Stdio {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
}

/** An input that yields `chunks` in order, then end of file. */
export function inputFromChunks(...chunks: Uint8Array[]): InputStream {
  const queue = chunks.map((c) => c.slice());
  return {
    read: () => Promise.resolve(queue.shift() ?? null),
  };
}

/** An input that yields the UTF-8 bytes of `text`, then end of file. */
export function inputFromText(text: string): InputStream {
  return inputFromChunks(new TextEncoder().encode(text));
}

/** An input fed later by the caller: `push` adds a chunk, `end` closes it. */
export interface PushInput extends InputStream {
  push(chunk: Uint8Array): void;
  end(): void;
}

/** A {@linkcode PushInput}: reads wait until the caller pushes data. */
export function pushInput(): PushInput {
  const queue: (Uint8Array | null)[] = [];
  const waiters: ((c: Uint8Array | null) => void)[] = [];
  const deliver = (c: Uint8Array | null) => {
    const w = waiters.shift();
    if (w) w(c);
    else queue.push(c);
  };
  return {
    read() {
      if (queue.length > 0) return Promise.resolve(queue.shift()!);
      return new Promise((resolve) => waiters.push(resolve));
    },
    push: (chunk) => deliver(chunk.slice()),
    end: () => deliver(null),
  };
}

/** An output that keeps everything written; `text()` decodes it. */
export interface CollectOutput extends OutputStream {
  bytes(): Uint8Array;
  text(): string;
}

/** A {@linkcode CollectOutput}. */
export function collectOutput(): CollectOutput {
  const parts: Uint8Array[] = [];
  const bytes = () => concatBytes(parts);
  return {
    write(data) {
      parts.push(data.slice());
    },
    bytes,
    text: () => new TextDecoder().decode(bytes()),
  };
}

function hostFiletype(path: string, isTerminal: boolean): number {
  if (isTerminal) return Filetype.CHARACTER_DEVICE;
  try {
    const st = Deno.statSync(path);
    if (st.isFile) return Filetype.REGULAR_FILE;
    if (st.isCharDevice) return Filetype.CHARACTER_DEVICE;
    if (st.isSocket) return Filetype.SOCKET_STREAM;
  } catch {
    // No /dev/stdin: report a pipe.
  }
  return Filetype.UNKNOWN;
}

function denoWriter(
  w: { writeSync(p: Uint8Array): number; isTerminal(): boolean },
  path: string,
): OutputStream {
  return {
    write(data) {
      let at = 0;
      while (at < data.length) at += w.writeSync(data.subarray(at));
    },
    filetype: hostFiletype(path, w.isTerminal()),
  };
}

/** The process's own stdin, stdout and stderr. */
export function denoStdio(): Stdio {
  const buf = new Uint8Array(64 * 1024);
  return {
    stdin: {
      async read() {
        const n = await Deno.stdin.read(buf);
        return n === null ? null : buf.slice(0, n);
      },
      filetype: hostFiletype("/dev/stdin", Deno.stdin.isTerminal()),
    },
    stdout: denoWriter(Deno.stdout, "/dev/stdout"),
    stderr: denoWriter(Deno.stderr, "/dev/stderr"),
  };
}

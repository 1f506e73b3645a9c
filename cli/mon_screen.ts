/**
 * The terminal side of `mon`: alternate screen, raw keys, periodic redraw,
 * redraw on resize, and a terminal that is always restored.
 *
 * Lifecycle: enter (raw mode, alternate screen, hidden cursor) -> redraw
 * every interval, at once on a key and on SIGWINCH -> leave on q / Ctrl-C,
 * on SIGINT, SIGTERM, SIGHUP, when the terminal goes away, or on an
 * exception; leaving always turns raw mode off, shows the cursor, leaves the
 * alternate screen and removes the signal listeners.
 *
 * A daemon that stops answering does not end the monitor: the last nodes stay
 * on screen under a "daemon not answering" line and fetching goes on every
 * interval, so a restarted daemon shows up again by itself. (`mon` checks
 * the daemon once before entering full-screen mode and exits 1 there if it
 * cannot reach it.)
 *
 * @module
 */

import {
  applyKey,
  type MonState,
  renderFrame,
  type ScreenSize,
  splitKeys,
} from "../core/mon_view.ts";
import type { NodeView } from "../core/node_info.ts";

/** Where the screen is drawn; `Deno.stdout` fits. */
export interface ScreenOutput {
  /** Write some bytes, returning how many were written. */
  writeSync(p: Uint8Array): number;
  /** True when this is a terminal. */
  isTerminal(): boolean;
}

/** Where keys come from; `Deno.stdin` fits. */
export interface ScreenInput {
  /** The bytes typed. */
  readonly readable: ReadableStream<Uint8Array>;
  /** True when this is a terminal (raw mode is set only then). */
  isTerminal(): boolean;
  /** Turn raw mode on or off. */
  setRaw(mode: boolean): void;
}

/** Signal registration; the default uses Deno.addSignalListener. */
export interface SignalSource {
  /** Start calling `fn` on `signal`. */
  add(signal: Deno.Signal, fn: () => void): void;
  /** Stop calling `fn` on `signal`. */
  remove(signal: Deno.Signal, fn: () => void): void;
}

/**
 * Why the screen ended: q or Ctrl-C ("quit"), a signal, or "SIGHUP" also
 * when the terminal input ended.
 */
export type ScreenExit = "quit" | "SIGINT" | "SIGTERM" | "SIGHUP";

/** Options of {@link runScreen}. */
export interface ScreenOptions {
  /** Get every node's view (from the daemon); called once per interval. */
  fetch: () => Promise<NodeView[]>;
  /** Time between fetches and redraws, milliseconds (> 0). */
  intervalMs: number;
  /** Mode and toggles at start. */
  initial: MonState;
  /** Nodes already fetched: shown at once, the first fetch waits one interval. */
  initialNodes?: NodeView[];
  /** Show "daemon not answering" when a fetch takes longer (default max(2 s, 2 intervals)). */
  fetchTimeoutMs?: number;
  /** Keys (default Deno.stdin). */
  stdin?: ScreenInput;
  /** Screen (default Deno.stdout). */
  stdout?: ScreenOutput;
  /** Terminal size (default Deno.consoleSize()). */
  size?: () => ScreenSize;
  /** Clock string for the title line (default local HH:MM:SS). */
  clock?: () => string;
  /** Signal registration (default Deno's). */
  signals?: SignalSource;
}

/** Thrown when full-screen mode is asked for but stdout is not a terminal. */
export class NotATerminalError extends Error {
  /** @param message what is wrong and what to do */
  constructor(message: string) {
    super(message);
    this.name = "NotATerminalError";
  }
}

/** Switch to the alternate screen, hide the cursor, clear. */
export const ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
/** Show the cursor and leave the alternate screen (the user's screen comes back). */
export const LEAVE_SCREEN = "\x1b[?25h\x1b[?1049l";

/**
 * The bytes that draw `lines` over the whole screen: each line at its row,
 * cleared to its end, the rest of the screen cleared, inside a synchronized
 * update so terminals that know it do not flicker. Absolute positioning
 * keeps working with output post-processing off (raw mode).
 */
export function encodeFrame(lines: readonly string[]): string {
  const body = lines.map((l, i) => `\x1b[${i + 1};1H${l}\x1b[K`).join("");
  return `\x1b[?2026h${body}\x1b[J\x1b[?2026l`;
}

/** Signals that end the monitor. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

const DENO_SIGNALS: SignalSource = {
  add: (s, fn) => Deno.addSignalListener(s, fn),
  remove: (s, fn) => Deno.removeSignalListener(s, fn),
};

/**
 * Run the full-screen monitor until q, Ctrl-C or a terminating signal,
 * returning why it ended. Throws {@link NotATerminalError} (before touching
 * the terminal) when stdout is not a terminal, and rethrows, after
 * restoring the terminal, any error of drawing.
 */
export async function runScreen(opts: ScreenOptions): Promise<ScreenExit> {
  const stdout = opts.stdout ?? Deno.stdout;
  if (!stdout.isTerminal()) {
    throw new NotATerminalError(
      "standard output is not a terminal (use --once or --json for scripts)",
    );
  }
  if (!(opts.intervalMs > 0) || !Number.isFinite(opts.intervalMs)) {
    throw new RangeError(`interval must be > 0 ms, got ${opts.intervalMs}`);
  }
  return await new Session(opts, opts.stdin ?? Deno.stdin, stdout).run();
}

type Settled<T> =
  | { ok: true; value: T }
  | { ok: false; error: unknown }
  | "timeout"
  | "stopped";

class Session {
  #opts: ScreenOptions;
  #stdin: ScreenInput;
  #stdout: ScreenOutput;
  #state: MonState;
  #nodes: NodeView[];
  #notice: string | undefined = undefined;
  #stop = new AbortController();
  #exit: ScreenExit = "quit";
  #failed = false;
  #failure: unknown = undefined;
  #lastSize: ScreenSize = { columns: 80, rows: 24 };
  #encoder = new TextEncoder();

  constructor(opts: ScreenOptions, stdin: ScreenInput, stdout: ScreenOutput) {
    this.#opts = opts;
    this.#stdin = stdin;
    this.#stdout = stdout;
    this.#state = opts.initial;
    this.#nodes = opts.initialNodes ?? [];
  }

  async run(): Promise<ScreenExit> {
    const signals = this.#opts.signals ?? DENO_SIGNALS;
    const onResize = () => this.#draw();
    const handlers: [Deno.Signal, () => void][] = [
      ["SIGWINCH", onResize],
      ...STOP_SIGNALS.map((s): [Deno.Signal, () => void] => [
        s,
        () => this.#finish(s),
      ]),
    ];
    const added: [Deno.Signal, () => void][] = [];
    let raw = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const loops: Promise<void>[] = [];
    try {
      for (const h of handlers) {
        signals.add(...h);
        added.push(h);
      }
      if (this.#stdin.isTerminal()) {
        this.#stdin.setRaw(true);
        raw = true;
      }
      this.#write(ENTER_SCREEN);
      this.#draw();
      reader = this.#stdin.readable.getReader();
      loops.push(this.#readKeys(reader), this.#fetchLoop());
      await this.#stopped();
    } catch (e) {
      this.#fail(e);
    } finally {
      for (const h of added) attempt(() => signals.remove(...h));
      this.#stop.abort(); // no drawing from here on
      // The terminal first, before anything that could wait.
      if (raw) attempt(() => this.#stdin.setRaw(false));
      attempt(() => this.#write(LEAVE_SCREEN));
      // Cancelling ends a pending read, so the key loop finishes too.
      await reader?.cancel().catch(() => {});
      await Promise.allSettled(loops);
      attempt(() => reader?.releaseLock());
    }
    if (this.#failed) throw this.#failure;
    return this.#exit;
  }

  #stopped(): Promise<void> {
    const signal = this.#stop.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) =>
      signal.addEventListener("abort", () => resolve(), { once: true })
    );
  }

  #finish(why: ScreenExit): void {
    if (this.#stop.signal.aborted) return;
    this.#exit = why;
    this.#stop.abort();
  }

  #fail(e: unknown): void {
    if (!this.#failed) {
      this.#failed = true;
      this.#failure = e;
    }
    this.#stop.abort();
  }

  async #readKeys(reader: ReadableStreamDefaultReader<Uint8Array>) {
    const decoder = new TextDecoder();
    const signal = this.#stop.signal;
    try {
      while (!signal.aborted) {
        const { value, done } = await reader.read();
        if (signal.aborted) return;
        if (done) {
          // A terminal that ends has hung up; a pipe that ends just has no more keys.
          if (this.#stdin.isTerminal()) this.#finish("SIGHUP");
          return;
        }
        for (const key of splitKeys(decoder.decode(value, { stream: true }))) {
          const next = applyKey(this.#state, key);
          if (next === "quit") return this.#finish("quit");
          this.#state = next;
        }
        this.#draw();
      }
    } catch {
      if (!signal.aborted && this.#stdin.isTerminal()) this.#finish("SIGHUP");
    }
  }

  async #fetchLoop() {
    const signal = this.#stop.signal;
    const interval = this.#opts.intervalMs;
    const timeout = this.#opts.fetchTimeoutMs ?? Math.max(2000, 2 * interval);
    let skip = this.#opts.initialNodes !== undefined;
    while (!signal.aborted) {
      if (!skip) {
        const p = Promise.resolve().then(() => this.#opts.fetch());
        let r = await settle(p, timeout, signal);
        if (r === "timeout") {
          this.#notice = `daemon not answering (no reply for ${
            seconds(timeout)
          })`;
          this.#draw();
          r = await settle(p, Infinity, signal);
        }
        if (r === "stopped" || r === "timeout") return;
        if (r.ok) {
          this.#nodes = r.value;
          this.#notice = undefined;
        } else {
          // The retry note first: a long error is cut at the screen edge.
          this.#notice = `daemon not answering (retrying every ${
            seconds(interval)
          }): ${errorText(r.error)}`;
        }
        this.#draw();
      }
      skip = false;
      await sleep(interval, signal);
    }
  }

  #draw(): void {
    if (this.#stop.signal.aborted) return;
    try {
      const lines = renderFrame(this.#nodes, this.#state, this.#size(), {
        clock: (this.#opts.clock ?? localClock)(),
        notice: this.#notice,
      });
      this.#write(encodeFrame(lines));
    } catch (e) {
      this.#fail(e);
    }
  }

  #size(): ScreenSize {
    try {
      const s = (this.#opts.size ?? (() => Deno.consoleSize()))();
      if (s.columns > 0 && s.rows > 0) this.#lastSize = s;
    } catch {
      // keep the last known size
    }
    return this.#lastSize;
  }

  #write(text: string): void {
    const bytes = this.#encoder.encode(text);
    let off = 0;
    while (off < bytes.length) {
      off += this.#stdout.writeSync(bytes.subarray(off));
    }
  }
}

function settle<T>(
  p: Promise<T>,
  ms: number,
  signal: AbortSignal,
): Promise<Settled<T>> {
  if (signal.aborted) {
    p.catch(() => {});
    return Promise.resolve("stopped");
  }
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => done("stopped");
    const done = (r: Settled<T>) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    if (Number.isFinite(ms)) timer = setTimeout(() => done("timeout"), ms);
    p.then(
      (value) => done({ ok: true, value }),
      (error) => done({ ok: false, error }),
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // restoring goes on with the next step
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function localClock(): string {
  return new Date().toTimeString().slice(0, 8);
}

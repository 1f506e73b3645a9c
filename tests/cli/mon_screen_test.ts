import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  ENTER_SCREEN,
  LEAVE_SCREEN,
  NotATerminalError,
  runScreen,
  type ScreenExit,
  type ScreenInput,
  type ScreenOptions,
  type ScreenOutput,
  type SignalSource,
} from "../../cli/mon_screen.ts";
import { DEFAULT_MON_STATE, type ScreenSize } from "../../core/mon_view.ts";
import type { NodeView } from "../../core/node_info.ts";
import { FIXTURE_NODES } from "./mon_screen_fixture.ts";

const ESC = "\x1b";
const FRAME_START = ESC + "[?2026h";
const FRAME_END = ESC + "[?2026l";

/** The frames drawn in `out`, each as its lines (text only, by row). */
function frames(out: string): string[][] {
  return out.split(FRAME_START).slice(1).map((chunk) => {
    const body = chunk.slice(0, chunk.indexOf(FRAME_END));
    const lines: string[] = [];
    for (const piece of body.split(ESC + "[K")) {
      const at = piece.lastIndexOf(ESC + "[");
      if (at < 0 || !/^\[\d+;1H/.test(piece.slice(at + 1))) continue;
      const row = parseInt(piece.slice(at + 2));
      lines[row - 1] = piece.slice(piece.indexOf("H", at) + 1);
    }
    return lines;
  });
}

function labelsOf(frame: string[]): string[] {
  return frame.flatMap((l) => l.match(/0x[0-9a-f]{4}/g) ?? []);
}

/** Poll `pred` every 5 ms for at most `ms`. */
async function until(pred: () => boolean, what: string, ms = 5000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A terminal in memory: keys typed in, bytes written out, raw mode recorded. */
class FakeTerminal {
  out = "";
  raw: boolean[] = [];
  writes = 0;
  failWrite = -1;
  size: ScreenSize = { columns: 80, rows: 12 };
  #ctl!: ReadableStreamDefaultController<Uint8Array>;
  #decoder = new TextDecoder();
  stdin: ScreenInput;
  stdout: ScreenOutput;

  constructor(inputIsTerminal = true) {
    const readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.#ctl = c;
      },
    });
    this.stdin = {
      readable,
      isTerminal: () => inputIsTerminal,
      setRaw: (mode) => {
        this.raw.push(mode);
      },
    };
    this.stdout = {
      isTerminal: () => true,
      writeSync: (p) => {
        if (this.writes++ === this.failWrite) throw new Error("EIO");
        this.out += this.#decoder.decode(p);
        return p.length;
      },
    };
  }

  type(keys: string) {
    this.#ctl.enqueue(new TextEncoder().encode(keys));
  }

  endInput() {
    this.#ctl.close();
  }

  frames(): string[][] {
    return frames(this.out);
  }

  last(): string[] {
    return this.frames().at(-1) ?? [];
  }
}

class FakeSignals implements SignalSource {
  handlers = new Map<Deno.Signal, Set<() => void>>();
  add(s: Deno.Signal, fn: () => void) {
    if (!this.handlers.has(s)) this.handlers.set(s, new Set());
    this.handlers.get(s)!.add(fn);
  }
  remove(s: Deno.Signal, fn: () => void) {
    this.handlers.get(s)?.delete(fn);
  }
  fire(s: Deno.Signal) {
    for (const fn of this.handlers.get(s) ?? []) fn();
  }
  count(): number {
    return [...this.handlers.values()].reduce((n, set) => n + set.size, 0);
  }
}

function start(
  term: FakeTerminal,
  signals: FakeSignals,
  over: Partial<ScreenOptions>,
): Promise<ScreenExit> {
  return runScreen({
    fetch: () => Promise.resolve(FIXTURE_NODES),
    intervalMs: 10_000,
    initial: DEFAULT_MON_STATE,
    stdin: term.stdin,
    stdout: term.stdout,
    size: () => term.size,
    clock: () => "12:34:56",
    signals,
    ...over,
  });
}

function assertRestored(term: FakeTerminal, signals: FakeSignals) {
  ok(term.out.startsWith(ENTER_SCREEN), "entered the alternate screen");
  ok(term.out.endsWith(LEAVE_SCREEN), "left the alternate screen last");
  deepEqual(term.raw, [true, false]);
  equal(signals.count(), 0, "signal listeners removed");
}

Deno.test("runScreen refuses a stdout that is not a terminal without touching it", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  term.stdout.isTerminal = () => false;
  await rejects(start(term, signals, {}), NotATerminalError);
  equal(term.out, "");
  deepEqual(term.raw, []);
  equal(signals.count(), 0);
});

Deno.test("runScreen redraws at once on a key and restores the terminal on q", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  const done = start(term, signals, {});
  await until(
    () => labelsOf(term.last()).length === 4,
    "the first frame with 4 nodes",
  );
  ok(term.last()[0].startsWith("dmosix mon — load"));
  term.type("m");
  await until(() => term.last()[0].includes("memory used"), "memory mode");
  term.type("d");
  await until(() => term.last()[0].includes("dead hidden"), "dead hidden");
  deepEqual(labelsOf(term.last()), ["0x0001", "0x0002", "0x0004"]);
  term.type("q");
  equal(await done, "quit");
  assertRestored(term, signals);
});

Deno.test("runScreen shows daemon not answering while fetch fails and recovers by itself", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  let calls = 0;
  const done = start(term, signals, {
    intervalMs: 10,
    fetch: () => {
      calls++;
      return calls <= 2
        ? Promise.reject(new Error("connection refused"))
        : Promise.resolve(FIXTURE_NODES);
    },
  });
  await until(
    () =>
      term.frames().some((f) =>
        f[1] ===
          "! daemon not answering (retrying every 0.01s): connection refused"
      ),
    "the notice",
  );
  await until(
    () => labelsOf(term.last()).length === 4 && !term.last()[1].startsWith("!"),
    "the nodes after recovery",
  );
  ok(calls >= 3);
  signals.fire("SIGTERM");
  equal(await done, "SIGTERM");
  assertRestored(term, signals);
});

Deno.test("runScreen shows daemon not answering when fetch hangs, without piling up fetches", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  let calls = 0;
  const done = start(term, signals, {
    intervalMs: 10,
    fetchTimeoutMs: 30,
    fetch: () => {
      calls++;
      return new Promise<NodeView[]>(() => {});
    },
  });
  await until(
    () => term.last()[1]?.includes("daemon not answering (no reply"),
    "the notice",
  );
  await new Promise((r) => setTimeout(r, 50));
  equal(calls, 1);
  term.type("\x03");
  equal(await done, "quit");
  assertRestored(term, signals);
});

Deno.test("runScreen redraws at the new size on SIGWINCH", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  const done = start(term, signals, {});
  await until(() => term.frames().length >= 1, "the first frame");
  const first = term.last();
  equal(first.length, 12);
  equal(first[0].length, 80);
  term.size = { columns: 50, rows: 9 };
  signals.fire("SIGWINCH");
  const resized = term.last(); // drawn synchronously by the signal handler
  equal(resized.length, 9);
  equal(resized[0].length, 50);
  ok(resized.every((l) => [...l].length <= 50));
  signals.fire("SIGINT");
  equal(await done, "SIGINT");
  assertRestored(term, signals);
});

Deno.test("runScreen restores the terminal and rethrows when drawing fails", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  term.failWrite = 2; // enter, first frame, then the redraw after a key fails
  const done = start(term, signals, {});
  await until(() => term.frames().length >= 1, "the first frame");
  term.type("s");
  await rejects(done, /EIO/);
  assertRestored(term, signals);
});

Deno.test("runScreen draws initialNodes at once and fetches only after an interval", async () => {
  const term = new FakeTerminal();
  const signals = new FakeSignals();
  let calls = 0;
  const done = start(term, signals, {
    intervalMs: 60_000,
    initialNodes: FIXTURE_NODES.slice(0, 2),
    fetch: () => {
      calls++;
      return Promise.resolve(FIXTURE_NODES);
    },
  });
  await until(() => term.frames().length >= 1, "the first frame");
  deepEqual(labelsOf(term.last()), ["0x0001", "0x0002"]);
  term.type("q");
  equal(await done, "quit");
  equal(calls, 0);
});

Deno.test("runScreen keeps running when keys come from a pipe that ends", async () => {
  const term = new FakeTerminal(false);
  const signals = new FakeSignals();
  const done = start(term, signals, { intervalMs: 10 });
  term.type("u");
  term.endInput();
  await until(() => term.last()[0]?.includes("utilization"), "util mode");
  await new Promise((r) => setTimeout(r, 30));
  const before = term.frames().length;
  await until(() => term.frames().length > before, "redraws after EOF");
  signals.fire("SIGHUP");
  equal(await done, "SIGHUP");
  deepEqual(term.raw, [], "no raw mode on a pipe");
  ok(term.out.endsWith(LEAVE_SCREEN));
});

// ---- the real loop on a real (pseudo-)terminal ----

/**
 * Runs argv on a pseudo-terminal of the given size and plays the steps:
 * {expect: text} waits for text after the previous match, {send: keys},
 * {resize: [rows, cols]} (the kernel sends SIGWINCH), {signal: name},
 * {exit: seconds} waits for the process to end. Prints JSON: the output
 * (base64), the exit status and the first failed step. Every wait is
 * bounded by the overall timeout; the child is killed if still running.
 */
const PTY_DRIVER = `
import base64, fcntl, json, os, pty, select, signal, struct, sys, termios, time

spec = json.loads(sys.argv[1])
deadline = time.monotonic() + spec["timeout"]
out = bytearray()

def winsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

def read_some(fd, wait):
    r, _, _ = select.select([fd], [], [], max(0, wait))
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    out.extend(data)
    return bool(data)

pid, fd = pty.fork()
if pid == 0:
    try:
        winsize(0, spec["rows"], spec["cols"])
        os.execvp(spec["argv"][0], spec["argv"])
    finally:
        os._exit(127)

status, error, mark, eof = None, None, 0, False
try:
    for step in spec["steps"]:
        if "expect" in step:
            needle = step["expect"].encode()
            while out.find(needle, mark) < 0 and not eof and time.monotonic() < deadline:
                eof = not read_some(fd, min(0.1, deadline - time.monotonic()))
            at = out.find(needle, mark)
            if at < 0:
                error = "no %r in the output" % step["expect"]
                break
            mark = at + len(needle)
        elif "send" in step:
            os.write(fd, step["send"].encode())
        elif "resize" in step:
            winsize(fd, *step["resize"])
        elif "signal" in step:
            os.kill(pid, getattr(signal, step["signal"]))
        elif "exit" in step:
            limit = min(deadline, time.monotonic() + step["exit"])
            while status is None and time.monotonic() < limit:
                if not eof:
                    eof = not read_some(fd, 0.05)
                else:
                    time.sleep(0.05)
                p, st = os.waitpid(pid, os.WNOHANG)
                if p == pid:
                    status = os.waitstatus_to_exitcode(st)
            if status is None:
                error = "the process did not exit"
                break
            end = time.monotonic() + 1
            while not eof and time.monotonic() < end:
                eof = not read_some(fd, 0.05)
finally:
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
print(json.dumps({"output": base64.b64encode(bytes(out)).decode(),
                  "status": status, "error": error}))
`;

type Step =
  | { expect: string }
  | { send: string }
  | { resize: [number, number] }
  | { signal: string }
  | { exit: number };

interface PtyRun {
  out: string;
  status: number | null;
  error: string | null;
}

const FIXTURE = fileURLToPath(
  new URL("./mon_screen_fixture.ts", import.meta.url),
);

async function onPty(
  size: [number, number],
  steps: Step[],
  intervalMs = 100,
): Promise<PtyRun> {
  const spec = {
    argv: [
      Deno.execPath(),
      "run",
      "--no-check",
      "--no-prompt",
      FIXTURE,
      String(intervalMs),
    ],
    rows: size[0],
    cols: size[1],
    timeout: 30,
    steps,
  };
  const r = await new Deno.Command("python3", {
    args: ["-c", PTY_DRIVER, JSON.stringify(spec)],
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = new TextDecoder().decode(r.stdout);
  ok(r.success, `pty driver failed: ${new TextDecoder().decode(r.stderr)}`);
  const res = JSON.parse(text);
  const bytes = Uint8Array.from(atob(res.output), (c) => c.charCodeAt(0));
  return {
    out: new TextDecoder().decode(bytes),
    status: res.status,
    error: res.error,
  };
}

function assertLeftAfterLastFrame(out: string, exit: string) {
  const lastFrame = out.lastIndexOf(FRAME_END);
  const leave = out.lastIndexOf(LEAVE_SCREEN);
  ok(lastFrame > 0 && leave > lastFrame, "alternate screen left after drawing");
  ok(out.indexOf(ENTER_SCREEN) >= 0, "alternate screen entered");
  // Printed by the fixture after runScreen returned: "\n" came out as "\r\n"
  // plus the fixture's "\r", so output processing (raw mode off) is back.
  ok(out.includes(`exit: ${exit}\r\r\n`), JSON.stringify(out.slice(-80)));
}

Deno.test("on a pty, m and d redraw at once and q exits 0 with the terminal restored", async () => {
  const r = await onPty([12, 80], [
    { expect: "dmosix mon — load" },
    { expect: "0x0004" }, // the fetched nodes are on screen
    { send: "m" },
    { expect: "memory used" },
    { send: "d" },
    { expect: "dead hidden" },
    { send: "q" },
    { exit: 10 },
  ]);
  equal(r.error, null, r.error ?? "");
  equal(r.status, 0);
  const fs = frames(r.out);
  const mem = fs.find((f) => f[0].includes("memory used"));
  ok(mem !== undefined);
  deepEqual(labelsOf(mem), ["0x0001", "0x0002", "0x0003", "0x0004"]);
  const hidden = fs.findLast((f) => f[0].includes("dead hidden"));
  ok(hidden !== undefined);
  deepEqual(labelsOf(hidden), ["0x0001", "0x0002", "0x0004"]);
  ok(hidden[0].startsWith("dmosix mon — memory used"));
  assertLeftAfterLastFrame(r.out, "quit");
});

Deno.test("on a pty, Ctrl-C quits like q", async () => {
  const r = await onPty([12, 80], [
    { expect: "dmosix mon" },
    { send: "\x03" },
    { exit: 10 },
  ]);
  equal(r.error, null, r.error ?? "");
  equal(r.status, 0);
  assertLeftAfterLastFrame(r.out, "quit");
});

Deno.test("on a pty, SIGTERM ends the monitor with the terminal restored", async () => {
  const r = await onPty([12, 80], [
    { expect: "dmosix mon" },
    { expect: "12:34:56" },
    { signal: "SIGTERM" },
    { exit: 10 },
  ]);
  equal(r.error, null, r.error ?? "");
  equal(r.status, 0);
  assertLeftAfterLastFrame(r.out, "SIGTERM");
});

Deno.test("on a pty, a resize redraws at once at the new width", async () => {
  // A one-minute interval: only SIGWINCH can redraw within the test.
  const r = await onPty([12, 80], [
    { expect: "0x0004" }, // the last frame before the resize (nodes fetched)
    { expect: "q quit" },
    { resize: [10, 50] },
    { expect: "keys: l s m r u t d q" },
    { send: "q" },
    { exit: 10 },
  ], 60_000);
  equal(r.error, null, r.error ?? "");
  equal(r.status, 0);
  const fs = frames(r.out);
  const first = fs[0];
  equal(first.length, 12);
  equal(first[0].length, 80); // title with the clock at the right edge
  const after = fs.findIndex((f) => f.length === 10);
  ok(after > 0, "a frame of the new height");
  for (const f of fs.slice(after)) {
    equal(f.length, 10);
    equal(f[0].length, 50);
    ok(f.every((l) => [...l].length <= 50));
  }
  assertLeftAfterLastFrame(r.out, "quit");
});

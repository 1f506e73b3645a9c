/**
 * The daemon's log: one line per event, to stderr in the foreground (-n),
 * to the log file when detached.
 *
 * @module
 */

/** Writes log lines. */
export interface Logger {
  /** Log one line. */
  info(msg: string): void;
  /** Log one line about something wrong. */
  warn(msg: string): void;
}

/** A logger writing timestamped lines to stderr, or appending to `file`. */
export function stderrLogger(name = "omdiscd", file?: string): Logger {
  const enc = new TextEncoder();
  const out = file
    ? Deno.openSync(file, { append: true, create: true, mode: 0o644 })
    : Deno.stderr;
  const write = (level: string, msg: string) => {
    const line = `${
      new Date().toISOString()
    } ${name}[${Deno.pid}] ${level}${msg}\n`;
    try {
      out.writeSync(enc.encode(line));
    } catch {
      // nowhere left to log
    }
  };
  return {
    info: (m) => write("", m),
    warn: (m) => write("warning: ", m),
  };
}

/** A logger that keeps lines in memory (tests). */
export function memoryLogger(lines: string[]): Logger {
  return {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
  };
}

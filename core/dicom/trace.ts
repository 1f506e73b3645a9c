/**
 * Time stamps of a message's way for diagnosis: with DMOSIX_DICOM_TRACE=FILE
 * in the environment, {@linkcode trace} appends "ms pid where" lines to
 * FILE (ms since the epoch, comparable across threads and processes),
 * buffered and written every 200 ms.
 *
 * @module
 */

let file: string | null | undefined;
const lines: string[] = [];

function flush(): void {
  if (file && lines.length > 0) {
    Deno.writeTextFileSync(file, lines.join(""), { append: true });
    lines.length = 0;
  }
}

/** Note that a message passed `where` (no-op unless tracing). */
export function trace(where: string): void {
  if (file === undefined) {
    try {
      file = Deno.env.get("DMOSIX_DICOM_TRACE") ?? null;
    } catch {
      file = null;
    }
    if (file) Deno.unrefTimer(setInterval(flush, 200));
  }
  if (file === null) return;
  const t = performance.timeOrigin + performance.now();
  lines.push(`${t.toFixed(3)} ${Deno.pid} ${where}\n`);
}

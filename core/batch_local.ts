/**
 * A batch job run at home (the best node was this one, -h, -F after a
 * refusal, or no cluster): the program is started directly with mosrun's
 * own standard streams, so nothing is copied; signals to mosrun are passed
 * on to it.
 *
 * @module
 */

/** Why a program could not be started, and the shell's status for it. */
export interface ExecFailure {
  /** 127 not found, 126 not executable. */
  status: number;
  /** One line. */
  reason: string;
}

/** A job running here. */
export class LocalBatchJob {
  #child: Deno.ChildProcess;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
  }

  /** Start `program args` in `cwd` with this process's streams and environment. */
  static start(
    program: string,
    args: string[],
    cwd: string,
  ): LocalBatchJob | ExecFailure {
    try {
      return new LocalBatchJob(
        new Deno.Command(program, {
          args,
          cwd,
          stdin: "inherit",
          stdout: "inherit",
          stderr: "inherit",
        }).spawn(),
      );
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        return { status: 127, reason: `${program}: command not found` };
      }
      return {
        status: 126,
        reason: `cannot run ${program}: ${
          (e as Error).message.replace(/^Failed to spawn '[^']*': /, "")
            .replace(/\s*\(os error \d+\)$/, "")
        }`,
      };
    }
  }

  /** Its process ID. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Pass a signal on to it. */
  signal(sig: Deno.Signal): void {
    try {
      this.#child.kill(sig);
    } catch {
      // already gone
    }
  }

  /** How it ended. */
  async wait(): Promise<{ code: number; signal: string | null }> {
    const s = await this.#child.status;
    return { code: s.code, signal: s.signal ?? null };
  }
}

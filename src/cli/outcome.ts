import type { ExitCode } from '../core/errors.js';

/** The exit code a core result carries becomes the process's: the one place a command sets it. */
export function finish(result: { exitCode: ExitCode }): void {
  process.exitCode = result.exitCode;
}

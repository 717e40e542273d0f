import { HooksError } from '../../core/errors.js';
import { errorJson } from './output.js';
import { visible } from './visible.js';

/**
 * An error as the user sees it: `hooks: message` (or the command's path,
 * `hooks trigger: …`, for a mistake in how it was typed) and the fix on the next
 * line, or `{"error": …}` on stdout with --json. Anything that is not a
 * HooksError is a bug, and says so.
 */
export function printError(err: unknown, json: boolean, who = 'hooks'): void {
  const error = err instanceof Error ? err : new Error(String(err));
  if (json) {
    process.stdout.write(`${JSON.stringify(errorJson(error))}\n`);
    return;
  }
  if (error instanceof HooksError) {
    process.stderr.write(`${who}: ${visible(error.message)}\n${error.hint ? `  ${visible(error.hint)}\n` : ''}`);
    return;
  }
  process.stderr.write(`hooks: unexpected error: ${visible(error.message)}\n  this is a bug; run with HOOKS_DEBUG=1 for the stack and report it\n`);
  if (process.env.HOOKS_DEBUG) process.stderr.write(`${error.stack}\n`);
}

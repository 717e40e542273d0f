import { HooksError } from '../../core/errors.js';

/** `--json` output: one document on stdout, nothing else. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One JSON object a line, for streams of engine events. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function errorJson(err: HooksError | Error): { error: { code: string; message: string; hint?: string } } {
  if (err instanceof HooksError) return { error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
  return { error: { code: 'internal', message: err.message } };
}

import { EnvironmentError, HooksError } from '../../core/errors.js';

/** `--json` output: one document on stdout, nothing else. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

let pending = '';

/**
 * One JSON object a line, for streams of engine events. Lines written in the
 * same turn of the event loop go out in one write: under load the syscalls,
 * not the JSON, are what costs.
 */
export function printJsonLine(value: unknown): void {
  printLine(JSON.stringify(value));
}

/** An engine event as a JSON line with `time` first: the logs of `listen` and `server`. */
export function printTimedJsonLine(e: object): void {
  const now = Date.now();
  if (now !== stamp.ms) stamp = { ms: now, iso: new Date(now).toISOString() };
  // Spliced as text rather than by copying the event into a new object, with the time string reused
  // within a millisecond: under load a listen session writes three lines a delivery.
  printLine(`{"time":"${stamp.iso}",${JSON.stringify(e).slice(1)}`);
}

let stamp = { ms: 0, iso: '' };

function printLine(line: string): void {
  if (pending === '') setImmediate(flushLines);
  pending += `${line}\n`;
}

export function flushLines(): void {
  if (pending === '') return;
  const out = pending;
  pending = '';
  process.stdout.write(out);
}

export function errorJson(err: HooksError | Error): { error: { code: string; message: string; hint?: string; file?: string } } {
  if (err instanceof EnvironmentError) return { error: { code: err.code, message: err.message, hint: err.hint, file: err.file } };
  if (err instanceof HooksError) return { error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
  return { error: { code: 'internal', message: err.message } };
}

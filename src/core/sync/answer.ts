import type { FailMode, HookAttempt, HookVerdict, Violation } from './contract.js';

/** The answer's body as JSON, or why it is not. */
export function answerJson(a: HookAttempt): { ok: true; value: unknown } | { ok: false; why: string } {
  const text = a.body.toString('utf8');
  if (text.trim() === '') return { ok: false, why: 'the body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, why: `the body is not JSON (${JSON.stringify(text.slice(0, 60))}${text.length > 60 ? '…' : ''})` };
  }
}

export function header(a: HookAttempt, name: string): string | undefined {
  const v = a.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The media type of the answer's Content-Type, lower case, without parameters; null when absent. */
export function mediaType(a: HookAttempt): string | null {
  const v = header(a, 'content-type');
  return v ? v.split(';')[0]!.trim().toLowerCase() : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why no usable answer came: late (the deadline) or none at all. */
export function missing(a: HookAttempt | undefined, deadlineMs: number): Violation {
  if (!a) return { code: 'no_answer', message: 'no request could be made within the deadline' };
  if (a.late) return { code: 'late_answer', message: `no answer within ${deadlineMs / 1000} s, the platform's deadline` };
  return { code: 'no_answer', message: `no answer: ${a.error ?? 'the connection failed'}` };
}

/** The platform could not use the answer and took its failure path. */
export function failed(mode: FailMode, violations: Violation[], summary: string, reason: string | null, result: Record<string, unknown> = {}): HookVerdict {
  return { proceeds: mode === 'open', path: mode, summary, reason: mode === 'open' ? null : reason, result, violations };
}

/** The platform acted on the answer. */
export function acted(proceeds: boolean, summary: string, reason: string | null, result: Record<string, unknown>, violations: Violation[] = []): HookVerdict {
  return { proceeds, path: 'answer', summary, reason, result, violations };
}

/** `{"error": …}` shortened for a message. */
export function excerpt(a: HookAttempt, max = 120): string {
  const text = a.body.toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

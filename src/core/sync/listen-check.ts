import type { SendResult } from '../http/send.js';
import { identifySyncHook } from '../providers/sync/registry.js';
import type { HeaderBag } from '../signing/headers.js';
import type { HookAttempt, Violation } from './contract.js';

/** What listen notes about an app's answer to a synchronous hook: said, never changed. */
export interface ContractNote {
  provider: string;
  type: string;
  /** What the platform would do with the answer. */
  summary: string;
  /** `answer`, or the failure path (`open`/`closed`) the platform would take. */
  path: 'answer' | 'open' | 'closed';
  violations: Violation[];
}

/**
 * When a forwarded request is a synchronous hook call, the platform's
 * reading of the app's answer: its violations of the contract (an answer
 * later than the platform's deadline is late, whatever listen's own
 * timeout) and what the platform would do. Null for anything else, and
 * when the app did not answer (listen reports that itself). WorkOS answers
 * are checked against the session's WorkOS secret when it has one.
 */
export function checkHookAnswer(body: Uint8Array, headers: HeaderBag, answer: SendResult, secretFor: (provider: string) => string | undefined): ContractNote | null {
  if (answer.status === null) return null;
  const hook = identifySyncHook(body, headers);
  if (!hook) return null;
  const late = answer.durationMs > hook.contract.deadline.ms;
  const attempt: HookAttempt = { attempt: 1, sent: {}, status: late ? null : answer.status, headers: answer.headers, body: answer.body, durationMs: answer.durationMs, error: late ? `answered after ${Math.round(answer.durationMs)} ms` : null, late };
  const verdict = hook.contract.judge({ payload: hook.payload, attempts: [attempt], secret: secretFor(hook.platform.id) });
  return { provider: hook.platform.id, type: hook.contract.type, summary: verdict.summary, path: verdict.path, violations: verdict.violations };
}

/** The note as one line, for the stored attempt and the log. */
export function noteLine(note: ContractNote): string {
  return `contract (${note.provider} ${note.type}): ${note.violations.map((v) => `[${v.code}] ${v.message}`).join('; ')}; the platform would: ${note.summary}`;
}

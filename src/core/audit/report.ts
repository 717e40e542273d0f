import { ExitCode } from '../errors.js';

export const CHECK_IDS = [
  'accepts_valid',
  'rejects_wrong_secret',
  'rejects_tampered_body',
  'rejects_missing_signature',
  'rejects_stale_timestamp',
  'raw_body',
  'duplicate_ack',
  'unknown_type_ack',
  'handshake',
  'answers_in_time',
  'large_body',
  'https',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One check's verdict: what it sent, what came back, and what to change. */
/** `Id`: an event receiver's checks by default; a synchronous hook's have their own (core/sync/audit.ts). */
export interface CheckResult<Id extends string = CheckId> {
  id: Id;
  status: CheckStatus;
  required: boolean;
  /** Where the rule comes from. */
  rule: string;
  detail: string;
  /** What to change; null when it passed or was skipped. */
  hint: string | null;
  /** The receiver's answer to the check's (last) request; null when none came or nothing was sent. */
  status_code: number | null;
  latency_ms: number | null;
}

/** What `hooks audit`, the API's audit route and the console show. */
export interface AuditReport<Id extends string = CheckId> {
  url: string;
  provider: string;
  checks: Array<CheckResult<Id>>;
  passed: number;
  failed: number;
  warned: number;
  skipped: number;
  /** Requests the audit sent, handshake included. */
  requests: number;
}

/** 0 when every required check passed; 1 when one failed, or (strict) when one warned. */
export function auditExitCode(report: AuditReport<string>, strict: boolean): ExitCode {
  return report.failed > 0 || (strict && report.warned > 0) ? ExitCode.failed : ExitCode.ok;
}

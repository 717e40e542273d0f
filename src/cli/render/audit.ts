import type { AuditReport, CheckResult } from '../../core/audit/report.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { visibleDeep } from '../../core/visible.js';

const write = (s: string) => process.stdout.write(`${s}\n`);

export function printAudit(report: AuditReport<string> & { type?: string }, strict: boolean, json: boolean): void {
  if (json) {
    return printJson({
      url: report.url,
      provider: report.provider,
      ...(report.type ? { type: report.type } : {}),
      checks: report.checks.map(({ id, status, required, detail, hint, status_code, latency_ms, rule }) => ({ id, status, required, detail, hint, status_code, latency_ms, rule })),
      passed: report.passed,
      failed: report.failed,
      warned: report.warned,
      skipped: report.skipped,
      requests: report.requests,
    });
  }
  report = visibleDeep(report);
  write(`${style.bold('hooks audit')} ${style.code(report.url)} ${style.dim(report.type ? `as ${report.provider} calls its ${report.type} hook` : `as ${report.provider} would deliver`)}\n`);
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const c of report.checks) write(line(c, width));
  const failedNow = report.failed + (strict ? report.warned : 0);
  const summary = `${report.passed} passed, ${report.failed} failed, ${report.warned} warned, ${report.skipped} skipped · ${report.requests} requests`;
  write(`\n${failedNow > 0 ? style.bad(summary) : style.ok(summary)}${strict && report.warned ? style.dim(' (--strict: warnings fail)') : ''}`);
}

function line(c: CheckResult<string>, width: number): string {
  const mark = { pass: style.ok('✓ pass'), fail: style.bad('✗ FAIL'), warn: style.warn('! warn'), skip: style.dim('- skip') }[c.status];
  const answer = c.status_code !== null || c.latency_ms !== null ? style.dim(`  [${c.status_code ?? 'no answer'}${c.latency_ms !== null ? `, ${c.latency_ms} ms` : ''}]`) : '';
  const head = `  ${mark}  ${c.id.padEnd(width)}  ${c.detail}${answer}`;
  return c.hint ? `${head}\n${' '.repeat(12 + width)}${style.warn('→')} ${c.hint}` : head;
}

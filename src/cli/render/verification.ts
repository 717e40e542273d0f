import type { VerificationReport } from '../../core/providers/verification.js';
import { hintLine } from '../../core/signing/hint.js';
import { style } from './style.js';
import { visibleDeep } from '../../core/visible.js';
import { printJson } from './output.js';

export function printVerification(report: VerificationReport, json: boolean): void {
  if (json) return printJson({ valid: report.valid, provider: report.provider, reason: report.reason, message: report.message, hints: report.hints });
  process.stdout.write(renderVerification(visibleDeep(report)));
}

function renderVerification(report: VerificationReport): string {
  const provider = report.provider ?? 'unknown provider';
  if (report.valid) {
    const age = report.ageSeconds !== undefined ? style.dim(` (signed ${report.ageSeconds} s ago)`) : '';
    return `${style.ok('✓ valid')} ${provider} signature: ${report.message}${age}\n`;
  }
  const lines = [`${style.bad('✗ invalid')} ${provider} signature: ${style.bold(report.reason ?? 'invalid')}`, `  ${report.message}`];
  for (const hint of report.hints) lines.push(`  ${style.warn(hintLine(hint))}`);
  if (report.hints.length === 0 && report.reason === 'signature_mismatch') {
    lines.push(
      `  ${style.dim('no single change (body serialization, line endings, secret form, digest encoding, another provider) makes it match: the secret is most likely not the one this delivery was signed with')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

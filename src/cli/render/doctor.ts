import type { DoctorReport } from '../../core/doctor.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { visibleDeep } from '../../core/visible.js';

export function printDoctor(report: DoctorReport, json: boolean): void {
  if (json) return printJson({ ok: report.ok, checks: report.checks });
  const lines = visibleDeep(report.checks).map((c) => {
    const mark = c.ok ? style.ok('✓') : c.required ? style.bad('✗') : style.warn('✗');
    return `${mark} ${c.detail}${c.ok || !c.fix ? '' : `\n    ${style.dim('fix:')} ${c.fix}`}`;
  });
  lines.push(report.ok ? style.ok('Ready to go.') : style.bad('Fix the ✗ lines in red above, then run hooks doctor again.'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

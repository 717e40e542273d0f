import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface TypeCheck {
  /** What the value is, for the failure message (`stripe customer.created`). */
  name: string;
  /** A type expression the value must satisfy, using the names `imports` brings in. */
  type: string;
  value: unknown;
}

/**
 * Checks JSON values against a platform's own TypeScript types with the
 * TypeScript compiler: each value is written as a literal that `satisfies`
 * the type, so a missing required field, a wrong type or an extra field
 * (excess property check) is a compile error. Returns one line per error,
 * naming the value; [] when every value fits.
 */
export function typecheck(imports: string, checks: readonly TypeCheck[]): string[] {
  // Inside the repository, so the platform's package resolves from node_modules.
  const dir = mkdtempSync(join(ROOT, 'test', '.typecheck-'));
  try {
    const file = join(dir, 'check.ts');
    const lines = [imports, ''];
    const owner: number[] = [];
    checks.forEach((c, i) => {
      const text = `export const check${i} = ${JSON.stringify(c.value, null, 1)} satisfies ${c.type};`;
      for (const _ of text.split('\n')) owner.push(i);
      lines.push(text);
    });
    writeFileSync(file, lines.join('\n'));
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    });
    const first = imports.split('\n').length + 1;
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const i = owner[line - first];
      const where = i === undefined ? `${d.file?.fileName ?? 'check'}:${line + 1}` : checks[i]!.name;
      return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

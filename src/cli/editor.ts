import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';

/** Opens $VISUAL or $EDITOR on the data as pretty JSON and returns what was saved. Terminal only. */
export async function editInEditor(data: unknown, interactive: boolean): Promise<unknown> {
  if (!interactive) throw new UsageError('--edit needs a terminal', 'use --data or --set in scripts');
  const dir = mkdtempSync(join(tmpdir(), 'hooks-edit-'));
  const file = join(dir, 'data.json');
  try {
    writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    const r = spawnSync(editor, [file], { stdio: 'inherit', shell: true });
    if (r.status !== 0) throw new UsageError(`${editor} exited ${r.status}: nothing sent`, 'save and quit the editor normally to send');
    const { parseDataArg } = await import('../core/trigger/payload.js');
    return parseDataArg(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';

describe('hooks mcp install, doctor and agent guidance', () => {
  it('writes each client\'s project file, keeps the other servers it names, and doctor sees it', async () => {
    const dir = tempDir('mcp-project');
    const env = { HOOKS_CONFIG_DIR: tempDir('config') };
    mkdirSync(join(dir, '.vscode'));
    writeFileSync(join(dir, '.vscode/mcp.json'), JSON.stringify({ servers: { other: { type: 'stdio', command: 'other' } } }));
    const before = await runCli(['doctor', '--json'], { env, cwd: dir });
    expect(JSON.parse(before.stdout).checks.find((c: { id: string }) => c.id === 'mcp')).toMatchObject({ ok: false, fix: expect.stringContaining('hooks mcp install --client claude') });

    expect((await runCli(['mcp', 'install', '--client', 'claude'], { env, cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { hooks: { command: 'hooks', args: ['mcp'] } } });
    expect((await runCli(['mcp', 'install', '--client', 'vscode', '--allow-write'], { env, cwd: dir })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.vscode/mcp.json'), 'utf8'))).toEqual({ servers: { other: { type: 'stdio', command: 'other' }, hooks: { type: 'stdio', command: 'hooks', args: ['mcp', '--allow-write'] } } });
    const printed = await runCli(['mcp', 'install', '--client', 'cursor', '--print'], { env, cwd: dir });
    expect(JSON.parse(printed.stdout)).toEqual({ mcpServers: { hooks: { command: 'hooks', args: ['mcp'] } } });

    const after = await runCli(['doctor', '--json'], { env, cwd: dir });
    expect(JSON.parse(after.stdout).checks.find((c: { id: string }) => c.id === 'mcp')).toMatchObject({ ok: true, detail: expect.stringContaining('claude, vscode') });
    expect((await runCli(['mcp', 'install', '--client', 'emacs'], { env, cwd: dir })).code).toBe(2);
  });

  it('adds agent guidance to --help only when an agent is detected', async () => {
    const plain = await runCli(['--help'], { env: { CLAUDECODE: undefined, CURSOR_AGENT: undefined, CODEX_SANDBOX: undefined, GEMINI_CLI: undefined } });
    expect(plain.stdout).not.toContain('Agent guidance');
    for (const variable of ['CLAUDECODE', 'CURSOR_AGENT', 'CODEX_SANDBOX', 'GEMINI_CLI']) {
      const r = await runCli(['listen', '--help'], { env: { [variable]: '1' } });
      expect(r.stdout).toContain(`Agent guidance (shown because ${variable} is set)`);
      expect(r.stdout).toContain('Do not run hooks listen or hooks server in the foreground');
    }
    expect((await runCli(['--help'], { env: { CODEX_SANDBOX: 'seatbelt' } })).stdout).toContain('Pass --json');
  });
});

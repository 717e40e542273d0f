import { spawn } from 'node:child_process';
import { HOOKS_BIN } from './cli.js';

export interface PtyStep {
  /** Text to wait for on the terminal before sending. */
  expect: string | RegExp;
  send: string;
}

export const KEY = { enter: '\r', down: '\u001b[B', space: ' ' };

/**
 * Runs `hooks …` on a real pseudo-terminal (util-linux `script`), answering
 * prompts as a person would: wait for the text, type the keys.
 */
export function runInPty(args: string[], steps: PtyStep[], env: Record<string, string | undefined>, timeoutMs = 15_000): Promise<{ code: number | null; output: string }> {
  const quoted = [process.execPath, HOOKS_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qefc', quoted, '/dev/null'], {
    env: { ...process.env, CI: undefined, NO_COLOR: '1', TERM: 'xterm', COLUMNS: '200', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let step = 0;
  let seenUpTo = 0;
  const advance = () => {
    while (step < steps.length) {
      const { expect, send } = steps[step]!;
      const rest = output.slice(seenUpTo);
      const at = typeof expect === 'string' ? rest.indexOf(expect) : rest.search(expect);
      if (at < 0) return;
      seenUpTo += at + 1;
      step++;
      // A short pause lets the prompt finish drawing before keys arrive.
      setTimeout(() => child.stdin.write(send), 60 * step);
    }
  };
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString('utf8');
    advance();
  });
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pty run timed out at step ${step}; output so far:\n${output}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, output });
    });
  });
}

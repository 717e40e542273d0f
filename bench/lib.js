// Shared by the bench scripts: child processes that print their URL, and autocannon runs.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts `node script args` and resolves with the first line matching `pattern`. */
export function startChild(args, { pattern = /^http/, env = {}, json = false, readyType = 'server.ready' } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      for (const line of buf.split('\n')) {
        const value = json ? safeJson(line) : line;
        if (json ? value?.type === readyType : pattern.test(line)) {
          child.stdout.removeAllListeners('data');
          child.stdout.resume();
          resolve({ child, line: value });
          return;
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

function safeJson(line) {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

export function stop(child) {
  children.delete(child);
  child.kill('SIGKILL');
}

export function cannon(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

export const fmt = (n) => Math.round(n).toLocaleString('en-US');

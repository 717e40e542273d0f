import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOOKS_BIN } from './cli.js';

export interface ServerEventLine {
  type: string;
  [key: string]: unknown;
}

export interface HooksServer {
  url: string;
  token: string;
  dataDir: string;
  configDir: string;
  proc: ChildProcess;
  events: ServerEventLine[];
  stderr: () => string;
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: T; text: string }>;
  waitForEvent(match: (e: ServerEventLine) => boolean, timeoutMs?: number): Promise<ServerEventLine>;
  /** SIGTERM and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill9(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((p) => p.kill('SIGKILL')));

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `hooks-${prefix}-`));
}

/** Starts `hooks server --port 0 --json` as a real process and reads its ready line. */
export async function startHooksServer(opts: { args?: string[]; dataDir?: string; configDir?: string; token?: string } = {}): Promise<HooksServer> {
  const dataDir = opts.dataDir ?? tempDir('data');
  const configDir = opts.configDir ?? tempDir('config');
  const token = opts.token ?? 'test-token-0123456789';
  const proc = spawn(process.execPath, [HOOKS_BIN, 'server', '--port', '0', '--json', '--data-dir', dataDir, '--token', token, ...(opts.args ?? [])], {
    env: { ...process.env, HOOKS_CONFIG_DIR: configDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  const events: ServerEventLine[] = [];
  const listeners: Array<() => void> = [];
  let err = '';
  let buffered = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  proc.stdout!.on('data', (c: Buffer) => {
    buffered += c.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line));
      listeners.forEach((l) => l());
    }
  });
  const waitForEvent = (match: (e: ServerEventLine) => boolean, timeoutMs = 10_000) =>
    new Promise<ServerEventLine>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
        return Boolean(found);
      };
      const timer = setTimeout(() => reject(new Error(`no matching server event in ${timeoutMs} ms; stderr: ${err}`)), timeoutMs);
      if (!check()) listeners.push(() => void check());
      proc.once('exit', (code) => {
        if (!events.find(match)) {
          clearTimeout(timer);
          reject(new Error(`hooks server exited (${code}) before the expected event; stderr: ${err}`));
        }
      });
    });
  const ready = await waitForEvent((e) => e.type === 'server.ready');
  const url = ready.url as string;
  return {
    url,
    token,
    dataDir,
    configDir,
    proc,
    events,
    stderr: () => err,
    waitForEvent,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: res.status, json, text };
    },
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      });
    },
    kill9() {
      return new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    },
  };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOOKS_BIN } from './cli.js';

export interface EventLine {
  type: string;
  [key: string]: any;
}

/** A long-running `hooks … --json` process and the JSON lines it prints. */
export interface HooksProcess {
  proc: ChildProcess;
  events: EventLine[];
  stderr: () => string;
  waitForEvent(match: (e: EventLine) => boolean, timeoutMs?: number): Promise<EventLine>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill9(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills every process a test file started and did not stop (test/setup.ts calls it after each file). */
export async function killAllHooksProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

const temps = new Set<string>();

/** A fresh directory under the system temp dir, removed after the test file (test/setup.ts). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hooks-${prefix}-`));
  temps.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  temps.clear();
}

/** Starts `hooks args…` and resolves once it prints an event of type `readyType`. */
export async function startHooksProcess(args: string[], env: Record<string, string | undefined>, readyType: string, opts: { cwd?: string } = {}): Promise<HooksProcess & { ready: EventLine }> {
  const proc = spawn(process.execPath, [HOOKS_BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  const events: EventLine[] = [];
  const listeners = new Set<() => void>();
  let err = '';
  let buffered = '';
  let broken: string | undefined;
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  proc.stdout!.on('data', (c: Buffer) => {
    buffered += c.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line));
      } catch {
        // A --json stream prints nothing but JSON lines: anything else fails every wait, showing the line.
        broken ??= line;
      }
    }
    listeners.forEach((l) => l());
  });
  const waitForEvent = (match: (e: EventLine) => boolean, timeoutMs = 10_000) =>
    new Promise<EventLine>((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        proc.off('exit', onExit);
        fn();
      };
      const check = () => {
        if (broken !== undefined) return done(() => reject(new Error(`hooks ${args[0]} printed a line that is not JSON: ${JSON.stringify(broken)}`)));
        const found = events.find(match);
        if (found) done(() => resolve(found));
      };
      const onExit = (code: number | null) => {
        // Lines printed just before the exit may still be in the pipe: read until stdout closes.
        const settle = () => {
          const found = events.find(match);
          done(() => (found ? resolve(found) : reject(new Error(`hooks ${args[0]} exited (${code}) before the expected event; stderr: ${err}`))));
        };
        if (proc.stdout!.readableEnded || proc.stdout!.destroyed) settle();
        else proc.stdout!.once('close', settle);
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no matching event from hooks ${args[0]} in ${timeoutMs} ms; stderr: ${err}`))), timeoutMs);
      listeners.add(check);
      proc.once('exit', onExit);
      check();
    });
  const ready = await waitForEvent((e) => e.type === readyType, 20_000);
  return {
    proc,
    events,
    ready,
    stderr: () => err,
    waitForEvent,
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

/** A long-running `hooks …` process in human mode (no --json): what it prints, as text. */
export interface TextProcess {
  proc: ChildProcess;
  output(): string;
  /** Resolves once the output (stdout and stderr) contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startTextProcess(args: string[], env: Record<string, string | undefined>, ready: string | RegExp, opts: { cwd?: string } = {}): Promise<TextProcess> {
  const proc = spawn(process.execPath, [HOOKS_BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  running.add(proc);
  proc.on('exit', () => running.delete(proc));
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    out += c.toString();
    listeners.forEach((l) => l());
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const waitFor = (text: string | RegExp, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const found = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      const check = () => {
        if (!found()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`hooks ${args[0]} did not print ${String(text)} in ${timeoutMs} ms; output:\n${out}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  await waitFor(ready, 20_000);
  return {
    proc,
    output: () => out,
    waitFor,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      });
    },
  };
}

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConnectError } from '../errors.js';

type CloudflaredModule = typeof import('cloudflared');
type QuickTunnel = ReturnType<CloudflaredModule['Tunnel']['quick']>;

export interface TunnelHooks {
  /** A new public URL after a restart. */
  onUrl(url: string): void;
  onRestarting(attempt: number, delayMs: number, reason: string): void;
}

const START_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The cloudflared binary to run: `CLOUDFLARED_BIN`, then the npm package's
 * own download, then `cloudflared` on PATH. The package's postinstall fails
 * silently without internet, so existence is checked, never assumed.
 */
export function findCloudflared(packageBin: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.CLOUDFLARED_BIN, packageBin, ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'cloudflared'))];
  for (const file of candidates) {
    if (!file) continue;
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      continue;
    }
  }
  return null;
}

export function notInstalled(): ConnectError {
  return new ConnectError(
    'the cloudflared binary is not installed (its npm package could not download it)',
    "install cloudflared from your package manager or Cloudflare's releases and put it on PATH (or set CLOUDFLARED_BIN), or use --tunnel none (local URL, works with hooks server) or --public-url URL (a tunnel you run)",
    'tunnel_unavailable',
  );
}

/**
 * A cloudflared quick tunnel to the local receiver, restarted with backoff
 * (1 s, 2 s, 4 s … 30 s) whenever the process dies; each new URL is reported.
 */
export class CloudflaredTunnel {
  private cf: CloudflaredModule | null = null;
  private current: QuickTunnel | null = null;
  private stopping = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly localUrl: string,
    private readonly hooks: TunnelHooks,
  ) {}

  async start(): Promise<string> {
    const imported = (await import('cloudflared')) as CloudflaredModule & { default?: CloudflaredModule };
    this.cf = imported.default ?? imported;
    const bin = findCloudflared(this.cf.bin);
    if (!bin) throw notInstalled();
    this.cf.use(bin);
    return this.spawn();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.current?.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  }

  private spawn(): Promise<string> {
    return new Promise((resolve, reject) => {
      const tunnel = this.cf!.Tunnel.quick(this.localUrl);
      this.current = tunnel;
      let url: string | null = null;
      const timeout = setTimeout(() => {
        fail(new ConnectError(`cloudflared printed no tunnel URL within ${START_TIMEOUT_MS / 1000} s`, 'check your network, or use --tunnel none / --public-url URL', 'tunnel_unavailable'));
        tunnel.process.kill('SIGKILL');
      }, START_TIMEOUT_MS);
      const fail = (err: Error) => {
        clearTimeout(timeout);
        if (!url) reject(err);
      };
      tunnel.on('url', (found: string) => {
        // The package emits "url" once per matching output chunk.
        if (url) return;
        url = found;
        clearTimeout(timeout);
        this.attempt = 0;
        resolve(found);
      });
      tunnel.on('error', (err: NodeJS.ErrnoException) => {
        // A missing binary gives "error" (ENOENT) and no "exit".
        if (err.code === 'ENOENT' || err.code === 'EACCES') fail(notInstalled());
        else if (!url) fail(new ConnectError(`cloudflared failed: ${err.message}`, 'use --tunnel none or --public-url URL', 'tunnel_unavailable'));
      });
      tunnel.on('exit', (code: number | null, signal: string | null) => {
        const reason = `cloudflared exited (${signal ?? `code ${code}`})`;
        if (!url) return fail(new ConnectError(`${reason} before printing a tunnel URL`, 'run cloudflared by hand to see why, or use --tunnel none / --public-url URL', 'tunnel_unavailable'));
        if (!this.stopping && tunnel === this.current) this.restart(reason);
      });
    });
  }

  private restart(reason: string): void {
    this.attempt++;
    const delay = Math.min(1000 * 2 ** (this.attempt - 1), MAX_BACKOFF_MS);
    this.hooks.onRestarting(this.attempt, delay, reason);
    this.timer = setTimeout(() => {
      if (this.stopping) return;
      this.spawn().then(
        (url) => this.hooks.onUrl(url),
        (err: Error) => this.restart(err.message),
      );
    }, delay);
  }
}

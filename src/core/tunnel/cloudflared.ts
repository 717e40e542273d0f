import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { ConnectError, UsageError } from '../errors.js';
import type { Tunnel, TunnelHooks } from './tunnel.js';

const START_TIMEOUT_MS = 30_000;

/**
 * The cloudflared binary to run: `CLOUDFLARED_BIN`, then the npm package's
 * own download, then `cloudflared` on PATH. The package's postinstall fails
 * silently without internet, so existence is checked, never assumed.
 */
export function findCloudflared(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.CLOUDFLARED_BIN, packageBin(), ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'cloudflared'))];
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

/** Where the cloudflared npm package downloads the binary; read from its constants, without loading the package. */
function packageBin(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(require.resolve('cloudflared/package.json'), '..');
    return join(dir, 'bin', process.platform === 'win32' ? 'cloudflared.exe' : 'cloudflared');
  } catch {
    return null;
  }
}

export function notInstalled(): UsageError {
  return new UsageError(
    'the cloudflared binary is not installed (its npm package could not download it)',
    "install cloudflared from your package manager or Cloudflare's releases and put it on PATH (or set CLOUDFLARED_BIN); or use --tunnel ngrok (NGROK_AUTHTOKEN), --tunnel none (the local URL, works with hooks server) or --public-url URL (a tunnel you run)",
    'tunnel_unavailable',
  );
}

export interface CloudflaredOptions {
  /** The local receiver. */
  localUrl: string;
  /** A named tunnel: its token (from the Cloudflare dashboard) and the hostname it serves. */
  named?: { token: string; hostname: string };
}

/**
 * cloudflared, quick (a new trycloudflare.com URL each run, no account) or
 * named (`tunnel run` with a token: a stable hostname of the user's own). The
 * process is run and its log read here: the URL is the one in the banner a
 * quick tunnel prints, and the tunnel is up once a connection is registered.
 * The token goes in the environment, not argv, so it is not in the process list.
 */
export class CloudflaredTunnel implements Tunnel {
  readonly restartable = true;
  readonly description: string;
  private child: ChildProcess | null = null;
  private closing = false;

  constructor(
    private readonly opts: CloudflaredOptions,
    private readonly hooks: TunnelHooks,
  ) {
    this.description = opts.named ? `cloudflared named tunnel (${opts.named.hostname})` : 'cloudflared quick tunnel';
  }

  open(): Promise<string> {
    const bin = findCloudflared();
    if (!bin) return Promise.reject(notInstalled());
    this.closing = false;
    const named = this.opts.named;
    const args = named ? ['tunnel', '--no-autoupdate', 'run', '--url', this.opts.localUrl] : ['tunnel', '--no-autoupdate', '--url', this.opts.localUrl];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(named ? { TUNNEL_TOKEN: named.token } : {}) } });
    this.child = child;
    return new Promise((resolve, reject) => {
      let url: string | null = named ? `https://${named.hostname}` : null;
      let settled = false;
      let log = '';
      const settle = (err: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          child.kill('SIGKILL');
          reject(err);
        } else resolve(url!);
      };
      const timer = setTimeout(() => settle(new ConnectError(`cloudflared registered no tunnel connection within ${START_TIMEOUT_MS / 1000} s`, 'check your network (or the token), or use --tunnel none / --public-url URL', 'tunnel_unavailable')), START_TIMEOUT_MS);
      const onLine = (line: string) => {
        log = `${log}${line}\n`.slice(-4000);
        // The quick tunnel's banner: "|  https://<name>.trycloudflare.com  |".
        const banner = /\|\s+(https?:\/\/[^\s|]+)\s+\|/.exec(line);
        if (!named && banner && !url) url = banner[1]!.replace(/\/+$/, '');
        if (url && /Registered tunnel connection/.test(line)) settle(null);
      };
      let partial = '';
      const onData = (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop()!;
        lines.forEach(onLine);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('error', (err: NodeJS.ErrnoException) => settle(err.code === 'ENOENT' || err.code === 'EACCES' ? notInstalled() : new ConnectError(`cloudflared failed to start: ${err.message}`, 'use --tunnel none or --public-url URL', 'tunnel_unavailable')));
      child.on('exit', (code, signal) => {
        const reason = `cloudflared exited (${signal ?? `code ${code}`})`;
        if (!settled) {
          const last = log.trim().split('\n').slice(-3).join(' | ');
          return settle(new ConnectError(`${reason} before its tunnel was up${last ? `: ${last}` : ''}`, named ? 'check the token (CLOUDFLARED_TOKEN) and that the tunnel routes its hostname here' : 'run cloudflared by hand to see why, or use --tunnel none / --public-url URL', 'tunnel_unavailable'));
        }
        if (!this.closing && child === this.child) this.hooks.died(reason);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
  }
}

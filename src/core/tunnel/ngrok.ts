import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import type { Tunnel, TunnelHooks } from './tunnel.js';

/** What this code uses of `@ngrok/ngrok`; a test stands in for it (HOOKS_NGROK_MODULE), since ngrok cannot be reached here. */
export interface NgrokModule {
  forward(config: { addr: string; authtoken: string; domain?: string; onStatusChange?: (status: string) => void }): Promise<{ url(): string | null; close(): Promise<void> }>;
}

/** Where the agent library is, without loading it (its native binary is large); null when it is not installed. */
export function ngrokAgent(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    return createRequire(import.meta.url).resolve(env.HOOKS_NGROK_MODULE ?? '@ngrok/ngrok');
  } catch {
    return null;
  }
}

async function loadNgrok(env: NodeJS.ProcessEnv): Promise<NgrokModule> {
  const file = ngrokAgent(env);
  let mod: (NgrokModule & { default?: NgrokModule }) | null = null;
  try {
    if (file) mod = (await import(pathToFileURL(file).href)) as NgrokModule & { default?: NgrokModule };
  } catch {
    // A package whose prebuilt binary is missing for this platform fails here; said below.
  }
  if (!mod) {
    throw new UsageError(
      'the ngrok agent (@ngrok/ngrok, an optional dependency) is not installed or has no binary for this platform',
      'npm install -g @ngrok/ngrok beside hooks-cli; or use --tunnel cloudflared, --tunnel none or --public-url URL',
      'tunnel_unavailable',
    );
  }
  return mod.default?.forward ? mod.default : mod;
}

/**
 * ngrok through its agent library (prebuilt binaries from npm, loaded only
 * when chosen). It needs NGROK_AUTHTOKEN; `domain` is the free static domain
 * of the account, for a URL that stays the same across sessions.
 */
export class NgrokTunnel implements Tunnel {
  readonly restartable = true;
  readonly description: string;
  private listener: { close(): Promise<void> } | null = null;

  constructor(
    private readonly opts: { localUrl: string; domain?: string; env?: NodeJS.ProcessEnv },
    private readonly hooks: TunnelHooks,
  ) {
    this.description = opts.domain ? `ngrok (${opts.domain})` : 'ngrok';
  }

  async open(): Promise<string> {
    const env = this.opts.env ?? process.env;
    const authtoken = env.NGROK_AUTHTOKEN;
    if (!authtoken) throw new UsageError('--tunnel ngrok needs NGROK_AUTHTOKEN', 'get yours at https://dashboard.ngrok.com/get-started/your-authtoken and export NGROK_AUTHTOKEN=…; or use --tunnel cloudflared, --tunnel none or --public-url URL', 'tunnel_unavailable');
    const ngrok = await loadNgrok(env);
    const listener = await ngrok.forward({
      addr: this.opts.localUrl,
      authtoken,
      ...(this.opts.domain ? { domain: this.opts.domain } : {}),
      onStatusChange: (status) => {
        if (status !== 'connected' && this.listener === listener) this.hooks.died(`ngrok session ${status}`);
      },
    });
    this.listener = listener;
    const url = listener.url();
    if (!url) throw new UsageError('ngrok opened no URL', 'check the account and --domain', 'tunnel_unavailable');
    return url.replace(/\/+$/, '');
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }
}

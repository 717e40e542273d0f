import { readLocalServer } from '../config/local-server.js';
import { profileName, readConfig } from '../config/profiles.js';
import { UsageError } from '../errors.js';

export interface ConnectionFlags {
  apiUrl?: string;
  token?: string;
  profile?: string;
  timeoutMs?: number;
}

export interface Connection {
  url: string;
  token: string | undefined;
  /** Where the URL came from, for error messages: "--api-url", "HOOKS_API_URL", "profile dev", "local hooks server". */
  source: string;
  timeoutMs: number;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8787';

/**
 * Flags, then `HOOKS_API_URL`/`HOOKS_API_TOKEN`, then the profile, then the
 * local `hooks server`'s server.json. The local server's token is used only
 * for the local server's URL, so it never leaks to another API.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const config = readConfig(env);
  const name = profileName(flags.profile, config, env);
  const profile = config.profiles[name];
  if (flags.profile && !profile) {
    const known = Object.keys(config.profiles);
    throw new UsageError(`no profile "${flags.profile}"`, known.length ? `known profiles: ${known.join(', ')}` : "create one with 'hooks login --profile NAME'");
  }
  const local = readLocalServer(env);
  const [url, source] =
    flags.apiUrl ? [flags.apiUrl, '--api-url']
    : env.HOOKS_API_URL ? [env.HOOKS_API_URL, 'HOOKS_API_URL']
    : profile?.api_url ? [profile.api_url, `profile ${name}`]
    : local ? [local.url, 'local hooks server']
    : [DEFAULT_API_URL, 'default'];
  const base = normalizeUrl(url, source);
  const token =
    flags.token ??
    env.HOOKS_API_TOKEN ??
    profile?.token ??
    (local && sameOrigin(local.url, base) ? local.token : undefined);
  return { url: base, token: token || undefined, source, timeoutMs: flags.timeoutMs ?? 30_000 };
}

function normalizeUrl(url: string, source: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    return u.href.replace(/\/+$/, '');
  } catch {
    throw new UsageError(`the API URL from ${source} is not an http(s) URL: "${url}"`, 'e.g. --api-url http://127.0.0.1:8787');
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

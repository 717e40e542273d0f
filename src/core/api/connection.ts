import { readLocalServer } from '../config/local-server.js';
import { profileName, readConfig, type ConfigFile, type Profile } from '../config/profiles.js';
import { UsageError } from '../errors.js';
import { parseTarget } from '../http/target.js';

export interface ConnectionFlags {
  apiUrl?: string;
  token?: string;
  profile?: string;
  timeoutMs?: number;
}

export interface Connection {
  url: string;
  token: string | undefined;
  /** Where the URL came from, as a phrase: "--api-url", "HOOKS_API_URL", "profile dev", "the local hooks server", "the default". */
  source: string;
  timeoutMs: number;
  /** When the URL came from server.json: the process that wrote it and its data dir, to name it (or say it is gone). */
  localServer?: { pid: number; data_dir: string };
}

export const DEFAULT_API_URL = 'http://127.0.0.1:8787';
const LOCAL_SOURCE = 'the local hooks server';

/**
 * The API the CLI talks to, by one rule that every command (login too)
 * follows: `--api-url`, then `HOOKS_API_URL`, then the profile's `api_url`,
 * then the local `hooks server`'s server.json, then the default.
 */
export function resolveApiUrl(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv = process.env,
  /** `login` names the profile it is about to create. */
  newProfile = false,
): { url: string; source: string; profile: Profile | undefined; config: ConfigFile } {
  const config = readConfig(env);
  const name = profileName(flags.profile, config, env);
  const profile = config.profiles[name];
  if (flags.profile && !profile && !newProfile) {
    const known = Object.keys(config.profiles);
    throw new UsageError(`no profile "${flags.profile}"`, known.length ? `known profiles: ${known.join(', ')}` : "create one with 'hooks login --profile NAME'");
  }
  const local = readLocalServer(env);
  const [url, source] =
    flags.apiUrl ? [flags.apiUrl, '--api-url']
    : env.HOOKS_API_URL ? [env.HOOKS_API_URL, 'HOOKS_API_URL']
    : profile?.api_url ? [profile.api_url, `profile ${name}`]
    : local ? [local.url, LOCAL_SOURCE]
    : [DEFAULT_API_URL, 'the default'];
  return { url: parseTarget(url, source).href.replace(/\/+$/, ''), source, profile, config };
}

/**
 * The URL as above and its token: the flag, `HOOKS_API_TOKEN`, the profile's,
 * then the local server's, which is only ever sent to its own URL.
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const { url, source, profile } = resolveApiUrl(flags, env);
  const local = readLocalServer(env);
  const token = flags.token ?? env.HOOKS_API_TOKEN ?? profile?.token ?? (local && sameOrigin(local.url, url) ? local.token : undefined);
  const named = local && source === LOCAL_SOURCE ? { localServer: { pid: local.pid, data_dir: local.data_dir } } : {};
  return { url, token: token || undefined, source, timeoutMs: flags.timeoutMs ?? 30_000, ...named };
}

/** Where the URL came from, as a sentence for hints. */
export function describeSource(source: string): string {
  return source === 'the default' ? 'the URL is the default (no --api-url, HOOKS_API_URL, profile or local hooks server)' : `the URL came from ${source}`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

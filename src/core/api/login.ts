import { maskToken, profileName, writeConfig } from '../config/profiles.js';
import { UsageError } from '../errors.js';
import { ApiClient, ApiRequestError } from './client.js';
import { resolveApiUrl, type ConnectionFlags } from './connection.js';

export interface LoginResult {
  profile: string;
  api_url: string;
  /** Masked. */
  token: string;
  config_file: string;
  active: boolean;
  active_profile: string;
}

/**
 * Checks a token against the API (the URL by the same rule as every other
 * command) and stores both in the profile. `readToken` asks for the token
 * once the URL is known, so a prompt can name it.
 */
export async function login(flags: ConnectionFlags, readToken: (url: string) => Promise<string>, env: NodeJS.ProcessEnv = process.env): Promise<LoginResult> {
  const { url, source, config } = resolveApiUrl(flags, env, true);
  const token = (await readToken(url)).trim();
  if (!token) throw new UsageError('the token is empty', 'pipe it on stdin or type it at the prompt');
  const client = new ApiClient({ url, token, source, timeoutMs: flags.timeoutMs ?? 30_000 });
  try {
    await client.listSubscriptions(1);
  } catch (err) {
    // "run hooks login" is no advice to someone running it: say what to check instead.
    if (err instanceof ApiRequestError && err.status === 401) {
      throw new ApiRequestError(
        `the API at ${url} rejected this token; nothing was stored`,
        401,
        'unauthorized',
        undefined,
        "check the token: a hooks server's is the --token (or HOOKS_SERVER_TOKEN) it was started with, else the token in server.json in its config dir (~/.config/hooks/server.json on its machine)",
      );
    }
    throw err;
  } finally {
    await client.close();
  }
  const name = profileName(flags.profile, config, env);
  config.profiles[name] = { ...config.profiles[name], api_url: url, token };
  config.active_profile ??= name;
  const file = writeConfig(config, env);
  return { profile: name, api_url: url, token: maskToken(token)!, config_file: file, active: config.active_profile === name, active_profile: config.active_profile };
}

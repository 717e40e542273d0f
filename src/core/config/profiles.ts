import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { configDir } from './paths.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

export interface Profile {
  api_url?: string;
  token?: string;
}

export interface ConfigFile {
  active_profile?: string;
  profiles: Record<string, Profile>;
  /** What `hooks listen` keeps in its store, as typed: `2gb`, `14d`. */
  store?: { max_size?: string; max_age?: string };
}

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'config.json');
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ConfigFile {
  const file = configFile(env);
  let raw: ConfigFile | null;
  try {
    raw = readJsonFile<ConfigFile>(file);
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`, 'fix or delete it; "hooks login" writes a new one');
  }
  return { active_profile: raw?.active_profile, profiles: raw?.profiles ?? {}, ...(raw?.store ? { store: raw.store } : {}) };
}

/** The config holds tokens: always written 0600. */
export function writeConfig(config: ConfigFile, env: NodeJS.ProcessEnv = process.env): string {
  const file = configFile(env);
  writeSecretFile(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** `--profile`, then `HOOKS_PROFILE`, then the config's active profile, then "default". */
export function profileName(flag: string | undefined, config: ConfigFile, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.HOOKS_PROFILE ?? config.active_profile ?? 'default';
}

/** `hk_AbCd…wxyz`: enough to tell tokens apart, never enough to use one. */
export function maskToken(token: string | undefined): string | null {
  if (!token) return null;
  if (token.length <= 12) return '•'.repeat(8);
  return `${token.slice(0, 4)}…${token.slice(-4)}`;
}

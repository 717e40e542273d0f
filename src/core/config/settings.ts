import { parseDuration } from '../duration.js';
import { ExitCode, UsageError } from '../errors.js';
import { parseSize } from '../size.js';
import { localServerFile, readLocalServer } from './local-server.js';
import { configFile, maskToken, profileName, readConfig, writeConfig, type ConfigFile } from './profiles.js';

/** Per profile: api_url, token. For the whole machine: the active profile and what hooks listen keeps. */
export const SETTING_KEYS = ['api_url', 'token', 'active-profile', 'max-store-size', 'max-store-age'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

const STORE_KEYS: Partial<Record<SettingKey, 'max_size' | 'max_age'>> = { 'max-store-size': 'max_size', 'max-store-age': 'max_age' };

export interface ConfigView {
  config_file: string;
  active_profile: string | null;
  profiles: Record<string, { api_url: string | null; token: string | null }>;
  local_server: { url: string; token: string | null; file: string } | null;
  store: { max_size: string | null; max_age: string | null };
}

/** Everything the CLI is configured with; tokens masked. */
export function configView(env: NodeJS.ProcessEnv = process.env): ConfigView {
  const config = readConfig(env);
  const local = readLocalServer(env);
  return {
    config_file: configFile(env),
    active_profile: config.active_profile ?? null,
    profiles: Object.fromEntries(Object.entries(config.profiles).map(([name, p]) => [name, { api_url: p.api_url ?? null, token: maskToken(p.token) }])),
    local_server: local ? { url: local.url, token: maskToken(local.token), file: localServerFile(env) } : null,
    store: { max_size: config.store?.max_size ?? null, max_age: config.store?.max_age ?? null },
  };
}

export interface SettingValue {
  key: SettingKey;
  /** Tokens masked; null when unset (exit 1, so scripts can tell). */
  value: string | null;
  exitCode: ExitCode;
}

export function getSetting(key: string, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): SettingValue {
  const k = checkKey(key);
  const config = readConfig(env);
  const p = config.profiles[profileName(profile, config, env)];
  const store = STORE_KEYS[k];
  const value = store ? config.store?.[store] : k === 'active-profile' ? config.active_profile : k === 'token' ? maskToken(p?.token) : p?.api_url;
  return { key: k, value: value ?? null, exitCode: value ? ExitCode.ok : ExitCode.failed };
}

export function setSetting(key: string, value: string, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): { key: SettingKey; file: string } {
  const k = checkKey(key);
  if (!value) throw new UsageError(`no value for ${k}`, 'pass one, or - with the value on stdin');
  const config = readConfig(env);
  const store = STORE_KEYS[k];
  if (store) {
    if ((store === 'max_size' ? parseSize(value) : parseDuration(value)) === null) {
      throw new UsageError(`"${value}" is not a ${store === 'max_size' ? 'size' : 'duration'}`, store === 'max_size' ? 'e.g. 2gb, 500mb' : 'e.g. 14d, 12h');
    }
    config.store = { ...config.store, [store]: value };
  } else if (k === 'active-profile') {
    if (!config.profiles[value]) throw new UsageError(`no profile "${value}"`, `known: ${Object.keys(config.profiles).join(', ') || 'none'}`);
    config.active_profile = value;
  } else {
    const name = profileName(profile, config, env);
    const stored = k === 'api_url' ? checkedUrl(value) : value;
    config.profiles[name] = { ...config.profiles[name], [k]: stored };
    config.active_profile ??= name;
  }
  return { key: k, file: writeConfig(config, env) };
}

/** Removes a value; a profile left with none is removed too. */
export function unsetSetting(key: string, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): { key: SettingKey; file: string } {
  const k = checkKey(key);
  const config: ConfigFile = readConfig(env);
  const store = STORE_KEYS[k];
  if (store) delete config.store?.[store];
  else if (k === 'active-profile') delete config.active_profile;
  else {
    const name = profileName(profile, config, env);
    const p = config.profiles[name];
    if (p) {
      delete p[k as 'api_url' | 'token'];
      if (Object.keys(p).length === 0) {
        delete config.profiles[name];
        if (config.active_profile === name) delete config.active_profile;
      }
    }
  }
  return { key: k, file: writeConfig(config, env) };
}

function checkKey(key: string): SettingKey {
  if (!(SETTING_KEYS as readonly string[]).includes(key)) throw new UsageError(`unknown key "${key}"`, `keys: ${SETTING_KEYS.join(', ')}`);
  return key as SettingKey;
}

function checkedUrl(value: string): string {
  try {
    if (!/^https?:$/.test(new URL(value).protocol)) throw new Error('not http');
  } catch {
    throw new UsageError(`"${value}" is not an http(s) URL`, 'e.g. http://127.0.0.1:8787');
  }
  return value.replace(/\/+$/, '');
}

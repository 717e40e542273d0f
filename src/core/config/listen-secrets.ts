import { join } from 'node:path';
import { getProvider } from '../providers/registry.js';
import { configDir } from './paths.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

/**
 * One signing secret per provider for every `hooks listen` session, kept in
 * listen.json (0600): the local app is configured once (`hooks listen
 * --print-secret`) and keeps verifying across sessions.
 */
export function listenSecret(provider: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = listenFile(env);
  const stored = readJsonFile<{ secrets: Record<string, string> }>(file) ?? { secrets: {} };
  const existing = stored.secrets[provider];
  if (existing) return existing;
  const secret = getProvider(provider).newSecret();
  stored.secrets[provider] = secret;
  writeSecretFile(file, `${JSON.stringify(stored, null, 2)}\n`);
  return secret;
}

/** The session secret of a provider if one was ever made; never makes one. */
export function storedListenSecret(provider: string, env: NodeJS.ProcessEnv = process.env): string | null {
  return readJsonFile<{ secrets: Record<string, string> }>(listenFile(env))?.secrets[provider] ?? null;
}

const listenFile = (env: NodeJS.ProcessEnv) => join(configDir(env), 'listen.json');

/** Every session secret made so far, of every provider (for the MCP server, which must never show one). */
export function allListenSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.values(readJsonFile<{ secrets: Record<string, string> }>(listenFile(env))?.secrets ?? {});
}

import { join } from 'node:path';
import { configDir } from './paths.js';
import { readJsonFile, writeSecretFile } from './secret-file.js';

/** A session subscription that listen could not delete when it stopped (its API was down). */
export interface Leftover {
  api_url: string;
  id: string;
  left_at: string;
}

const file = (env: NodeJS.ProcessEnv) => join(configDir(env), 'leftover-subscriptions.json');
const read = (env: NodeJS.ProcessEnv) => readJsonFile<{ leftovers: Leftover[] }>(file(env))?.leftovers ?? [];
const write = (leftovers: Leftover[], env: NodeJS.ProcessEnv) => writeSecretFile(file(env), `${JSON.stringify({ leftovers }, null, 2)}\n`);

/** Every noted leftover but this one. */
const others = (apiUrl: string, id: string, env: NodeJS.ProcessEnv) => read(env).filter((l) => !(l.api_url === apiUrl && l.id === id));

/** Noted so that the next session on the same API removes it. */
export function rememberLeftover(apiUrl: string, id: string, env: NodeJS.ProcessEnv = process.env): void {
  write([...others(apiUrl, id, env), { api_url: apiUrl, id, left_at: new Date().toISOString() }], env);
}

export function leftoversOf(apiUrl: string, env: NodeJS.ProcessEnv = process.env): Leftover[] {
  return read(env).filter((l) => l.api_url === apiUrl);
}

export function forgetLeftover(apiUrl: string, id: string, env: NodeJS.ProcessEnv = process.env): void {
  write(others(apiUrl, id, env), env);
}

import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where `hooks` keeps configuration (tokens, profiles) and data (the
 * server's database, stored deliveries). `HOOKS_CONFIG_DIR` and
 * `HOOKS_DATA_DIR` override both, which is what tests and CI use.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOOKS_CONFIG_DIR) return env.HOOKS_CONFIG_DIR;
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'hooks');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'hooks');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'hooks');
}

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOOKS_DATA_DIR) return env.HOOKS_DATA_DIR;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'hooks');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'hooks');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'hooks');
}

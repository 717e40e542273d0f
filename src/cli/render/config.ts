import type { LoginResult } from '../../core/api/login.js';
import type { ConfigView, SettingValue } from '../../core/config/settings.js';
import { printJson } from './output.js';
import { style } from './style.js';

const write = (s: string) => process.stdout.write(`${s}\n`);

export function printConfig(view: ConfigView, json: boolean): void {
  if (json) return printJson(view);
  const lines = [`config  ${view.config_file}`];
  for (const [name, p] of Object.entries(view.profiles)) {
    lines.push(`${name === view.active_profile ? '*' : ' '} ${name.padEnd(12)} ${p.api_url ?? '-'}  token ${p.token ?? '-'}`);
  }
  if (Object.keys(view.profiles).length === 0) lines.push('  no profiles: hooks login --api-url URL creates one');
  lines.push(view.local_server ? `local hooks server  ${view.local_server.url}  token ${view.local_server.token}` : 'local hooks server  none recorded (start one with hooks server)');
  lines.push(`listen store        keeps ${view.store.max_size ?? '1gb'} and ${view.store.max_age ?? '30d'}${view.store.max_size || view.store.max_age ? '' : ' (the defaults)'}`);
  write(lines.join('\n'));
}

/** The value alone, for `$(hooks config get …)`; nothing when unset. */
export function printValue(result: SettingValue): void {
  if (result.value !== null) write(result.value);
}

export function printLogin(result: LoginResult, json: boolean): void {
  if (json) return printJson(result);
  write(`${style.ok('✓')} Logged in to ${result.api_url}; token ${result.token} stored in profile "${result.profile}" (${result.config_file}, 0600)`);
  if (!result.active) write(`  the active profile is "${result.active_profile}": use --profile ${result.profile}, or hooks config set active-profile ${result.profile}`);
}

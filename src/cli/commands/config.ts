import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';

const KEYS = ['api_url', 'token', 'active-profile', 'max-store-size', 'max-store-age'];
/** Settings of the whole machine, not of a profile: what hooks listen keeps in its store. */
const STORE_KEYS: Record<string, 'max_size' | 'max_age'> = { 'max-store-size': 'max_size', 'max-store-age': 'max_age' };

interface ConfigFlags {
  profile?: string;
  json?: boolean;
}

export function registerConfig(program: Command): void {
  const group = program
    .command('config')
    .description(summary('config'))
    .addHelpText(
      'after',
      `
Keys: api_url, token (per profile), active-profile, max-store-size and max-store-age (what
hooks listen keeps: default 1gb and 30d). The file is ~/.config/hooks/config.json (0600).

Examples:
  $ hooks config list
  $ hooks config set api_url https://hooks.example.test --profile staging
  $ printf %s "$TOKEN" | hooks config set token - --profile staging
  $ hooks config set active-profile staging
  $ hooks config set max-store-size 2gb
  $ hooks config unset token --profile staging`,
    );
  const profileOption = () => new Option('--profile <name>', 'profile (default: the active one, or "default")').env('HOOKS_PROFILE');

  group
    .command('list')
    .description('Every profile, the active one, and the local hooks server')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExamples:\n  $ hooks config list\n  $ hooks config list --json')
    .action(async (flags: ConfigFlags) => {
      const { readConfig, maskToken, configFile } = await import('../../core/config/profiles.js');
      const { readLocalServer, localServerFile } = await import('../../core/config/local-server.js');
      const config = readConfig();
      const local = readLocalServer();
      const view = {
        config_file: configFile(),
        active_profile: config.active_profile ?? null,
        profiles: Object.fromEntries(Object.entries(config.profiles).map(([name, p]) => [name, { api_url: p.api_url ?? null, token: maskToken(p.token) }])),
        local_server: local ? { url: local.url, token: maskToken(local.token), file: localServerFile() } : null,
      };
      if (flags.json) {
        const { printJson } = await import('../render/output.js');
        return printJson(view);
      }
      const lines = [`config  ${view.config_file}`];
      for (const [name, p] of Object.entries(view.profiles)) {
        lines.push(`${name === view.active_profile ? '*' : ' '} ${name.padEnd(12)} ${p.api_url ?? '-'}  token ${p.token ?? '-'}`);
      }
      if (Object.keys(view.profiles).length === 0) lines.push('  no profiles: hooks login --api-url URL creates one');
      lines.push(view.local_server ? `local hooks server  ${view.local_server.url}  token ${view.local_server.token}` : 'local hooks server  none recorded (start one with hooks server)');
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  group
    .command('get')
    .description('One value (tokens masked)')
    .argument('<key>', KEYS.join(' | '))
    .addOption(profileOption())
    .addHelpText('after', '\nExamples:\n  $ hooks config get api_url\n  $ hooks config get token --profile ci')
    .action(async (key: string, flags: ConfigFlags) => {
      const { readConfig, profileName, maskToken } = await import('../../core/config/profiles.js');
      checkKey(key, await import('../../core/errors.js'));
      const config = readConfig();
      const value = STORE_KEYS[key] ? config.store?.[STORE_KEYS[key]] : key === 'active-profile' ? config.active_profile : key === 'token' ? maskToken(config.profiles[profileName(flags.profile, config)]?.token) : config.profiles[profileName(flags.profile, config)]?.api_url;
      if (value === undefined || value === null) {
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${value}\n`);
    });

  group
    .command('set')
    .description('Set a value; "-" as the value reads it from stdin (for tokens)')
    .argument('<key>', KEYS.join(' | '))
    .argument('<value>', 'the value, or - for stdin')
    .addOption(profileOption())
    .addHelpText('after', '\nExamples:\n  $ hooks config set api_url http://127.0.0.1:8787\n  $ printf %s "$TOKEN" | hooks config set token -')
    .action(async (key: string, value: string, flags: ConfigFlags) => {
      const errors = await import('../../core/errors.js');
      const { readConfig, writeConfig, profileName } = await import('../../core/config/profiles.js');
      checkKey(key, errors);
      if (value === '-') value = (await (await import('../input.js')).readStdin()).toString('utf8').trim();
      if (!value) throw new errors.UsageError(`no value for ${key}`, 'pass one, or - with the value on stdin');
      const config = readConfig();
      const storeKey = STORE_KEYS[key];
      if (storeKey) {
        const [{ parseSize }, { parseDuration }] = await Promise.all([import('../../core/size.js'), import('../../core/duration.js')]);
        if ((storeKey === 'max_size' ? parseSize(value) : parseDuration(value)) === null) {
          throw new errors.UsageError(`"${value}" is not a ${storeKey === 'max_size' ? 'size' : 'duration'}`, storeKey === 'max_size' ? 'e.g. 2gb, 500mb' : 'e.g. 14d, 12h');
        }
        config.store = { ...config.store, [storeKey]: value };
      } else if (key === 'active-profile') {
        if (!config.profiles[value]) throw new errors.UsageError(`no profile "${value}"`, `known: ${Object.keys(config.profiles).join(', ') || 'none'}`);
        config.active_profile = value;
      } else {
        if (key === 'api_url') {
          try {
            if (!/^https?:$/.test(new URL(value).protocol)) throw new Error();
          } catch {
            throw new errors.UsageError(`"${value}" is not an http(s) URL`, 'e.g. http://127.0.0.1:8787');
          }
        }
        const name = profileName(flags.profile, config);
        config.profiles[name] = { ...config.profiles[name], [key]: key === 'api_url' ? value.replace(/\/+$/, '') : value };
        config.active_profile ??= name;
      }
      writeConfig(config);
    });

  group
    .command('unset')
    .description('Remove a value (a profile with no values left is removed)')
    .argument('<key>', KEYS.join(' | '))
    .addOption(profileOption())
    .addHelpText('after', '\nExamples:\n  $ hooks config unset token --profile staging')
    .action(async (key: string, flags: ConfigFlags) => {
      const errors = await import('../../core/errors.js');
      const { readConfig, writeConfig, profileName } = await import('../../core/config/profiles.js');
      checkKey(key, errors);
      const config = readConfig();
      if (STORE_KEYS[key]) delete config.store?.[STORE_KEYS[key]];
      else if (key === 'active-profile') delete config.active_profile;
      else {
        const name = profileName(flags.profile, config);
        const profile = config.profiles[name];
        if (profile) {
          delete profile[key as 'api_url' | 'token'];
          if (Object.keys(profile).length === 0) {
            delete config.profiles[name];
            if (config.active_profile === name) delete config.active_profile;
          }
        }
      }
      writeConfig(config);
    });
}

function checkKey(key: string, errors: typeof import('../../core/errors.js')): void {
  if (!KEYS.includes(key)) throw new errors.UsageError(`unknown key "${key}"`, `keys: ${KEYS.join(', ')}`);
}

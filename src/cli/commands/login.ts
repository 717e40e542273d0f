import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { canPrompt } from '../api-options.js';
import { durationOption } from '../options.js';

interface LoginFlags {
  apiUrl?: string;
  profile?: string;
  timeout: number;
  json?: boolean;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description(summary('login'))
    .option('--api-url <url>', 'API base URL (default: HOOKS_API_URL, then the local hooks server)')
    .addOption(new Option('--profile <name>', 'profile to store it in (default: the active one, or "default")').env('HOOKS_PROFILE'))
    .option('--timeout <duration>', 'give up on the API after this long', durationOption('--timeout'), 30_000)
    .option('--json', 'print {profile, api_url, config_file} as JSON')
    .addHelpText(
      'after',
      `
The token is asked for with masked input on a terminal; in scripts it is read
from stdin, so it never appears in the process list. The config file is 0600.

Examples:
  $ hooks login --api-url https://hooks.example.test
  $ printf %s "$HOOKS_TOKEN" | hooks login --api-url https://hooks.example.test --profile ci`,
    )
    .action(async (flags: LoginFlags) => {
      const [{ UsageError }, { readLocalServer }, { readConfig, writeConfig, profileName, maskToken }, { ApiClient }, { DEFAULT_API_URL }] = await Promise.all([
        import('../../core/errors.js'),
        import('../../core/config/local-server.js'),
        import('../../core/config/profiles.js'),
        import('../../core/api/client.js'),
        import('../../core/api/connection.js'),
      ]);
      const url = (flags.apiUrl ?? process.env.HOOKS_API_URL ?? readLocalServer()?.url ?? DEFAULT_API_URL).replace(/\/+$/, '');
      let token: string;
      if (canPrompt(flags)) {
        const { password } = await import('@inquirer/prompts');
        token = await password({ message: `API token for ${url}`, mask: '*', validate: (v) => (v.trim() ? true : 'paste the token') });
      } else {
        if (process.stdin.isTTY) throw new UsageError('no token given', 'pipe it on stdin: printf %s "$TOKEN" | hooks login …');
        token = (await (await import('../input.js')).readStdin()).toString('utf8');
      }
      token = token.trim();
      if (!token) throw new UsageError('the token is empty', 'pipe it on stdin or type it at the prompt');

      const client = new ApiClient({ url, token, source: flags.apiUrl ? '--api-url' : 'login', timeoutMs: flags.timeout });
      try {
        await client.listSubscriptions(1);
      } finally {
        await client.close();
      }
      const config = readConfig();
      const name = profileName(flags.profile, config);
      config.profiles[name] = { ...config.profiles[name], api_url: url, token };
      config.active_profile ??= name;
      const file = writeConfig(config);
      if (flags.json) {
        const { printJson } = await import('../render/output.js');
        printJson({ profile: name, api_url: url, token: maskToken(token), config_file: file, active: config.active_profile === name });
      } else {
        const { style } = await import('../render/style.js');
        process.stdout.write(`${style.ok('✓')} Logged in to ${url}; token ${maskToken(token)} stored in profile "${name}" (${file}, 0600)\n`);
        if (config.active_profile !== name) process.stdout.write(`  the active profile is "${config.active_profile}": use --profile ${name}, or hooks config set active-profile ${name}\n`);
      }
    });
}

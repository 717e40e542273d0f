import type { Command } from 'commander';
import { summary } from './index.js';
import { Option } from '../commander.js';
import { canPrompt, jsonOption, targetOption } from '../flags.js';
import { durationOption } from '../options.js';

interface LoginFlags {
  apiUrl?: URL;
  profile?: string;
  apiTimeout: number;
  json?: boolean;
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description(summary('login'))
    .addOption(targetOption('--api-url <url>', 'API base URL (default: HOOKS_API_URL, the profile\'s, then the local hooks server)'))
    .addOption(new Option('--profile <name>', 'profile to store it in (default: the active one, or "default")').env('HOOKS_PROFILE'))
    .addOption(new Option('--api-timeout <duration>', 'give up on the API after this long').argParser(durationOption('--api-timeout')).default(30_000, '30s'))
    .addOption(jsonOption('print {profile, api_url, token (masked), config_file, active} as JSON'))
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
      const [{ login }, { readToken }, { printLogin }] = await Promise.all([import('../../core/api/login.js'), import('../input.js'), import('../render/config.js')]);
      const result = await login({ apiUrl: flags.apiUrl?.href, profile: flags.profile, timeoutMs: flags.apiTimeout }, (url) => readToken(url, canPrompt(flags)));
      printLogin(result, Boolean(flags.json));
    });
}

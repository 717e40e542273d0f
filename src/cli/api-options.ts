import type { Command } from 'commander';
import { Option } from './commander.js';
import { durationOption } from './options.js';

export interface ApiFlags {
  apiUrl?: string;
  token?: string;
  profile?: string;
  timeout?: number;
  json?: boolean;
}

/** The flags every command that talks to the API takes. */
export function withApiOptions(cmd: Command): Command {
  return cmd
    .option('--api-url <url>', 'API base URL (env HOOKS_API_URL; default: the profile, then the local hooks server)')
    .addOption(new Option('--token <token>', 'API token (prefer HOOKS_API_TOKEN or hooks login: flags show in the process list)'))
    .addOption(new Option('--profile <name>', 'config profile to use').env('HOOKS_PROFILE'))
    .option('--timeout <duration>', 'give up on the API after this long', durationOption('--timeout'), 30_000)
    .option('--json', 'print only JSON on stdout (errors as {"error": …})');
}

export async function apiClient(flags: ApiFlags) {
  const [{ ApiClient }, { resolveConnection }] = await Promise.all([import('../core/api/client.js'), import('../core/api/connection.js')]);
  return new ApiClient(resolveConnection({ apiUrl: flags.apiUrl, token: flags.token, profile: flags.profile, timeoutMs: flags.timeout }));
}

/** Prompts only for a person at a terminal: never in CI, with --json, or when stdin is not a TTY. */
export function canPrompt(flags: { json?: boolean }): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI && !flags.json);
}

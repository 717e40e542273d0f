import type { Command, Option as OptionType } from 'commander';
import type { ConnectionFlags } from '../core/api/connection.js';
import type { ServerLimits } from '../core/http/guarded-server.js';
import { parseTarget } from '../core/http/target.js';
import { Option } from './commander.js';
import { durationOption, integerOption } from './options.js';

// Every flag more than one command takes is declared here, once.

/** The signing secret: from the flag or HOOKS_SECRET, never a default (a default would show in --help). */
export const secretOption = (description: string) => new Option('--secret <secret>', description).env('HOOKS_SECRET');

/** A URL-like flag, read by the one target parser: 3000, localhost:3000/path, http(s)://… */
export function targetOption(flags: string, description: string): OptionType {
  const name = flags.split(' ')[0]!;
  return new Option(flags, description).argParser((value: string) => parseTarget(value, name));
}

/** The same, repeatable. */
export function targetsOption(flags: string, description: string): OptionType {
  const name = flags.split(' ')[0]!;
  return new Option(flags, description).argParser((value: string, previous: URL[] = []) => [...previous, parseTarget(value, name)]).default([], 'none');
}

export const dataDirOption = () => new Option('--data-dir <dir>', 'where hooks listen stores deliveries (default: HOOKS_DATA_DIR, then the user data dir)');

export const jsonOption = (description: string) => new Option('--json', description);

/** How long a receiver (your app, or trigger --to's) may take to answer. */
export const timeoutOption = (description = 'how long the receiver may take to answer') =>
  new Option('--timeout <duration>', description).argParser(durationOption('--timeout')).default(30_000, '30s');

/** `a,b , c` as ['a', 'b', 'c']: every comma list is split this way. */
export function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface ApiFlags {
  apiUrl?: URL;
  token?: string;
  profile?: string;
  apiTimeout: number;
  json?: boolean;
}

/** The flags every command that talks to the API takes. */
export function withApiOptions(cmd: Command, json = 'print only JSON on stdout (errors as {"error": …})'): Command {
  return cmd
    .addOption(targetOption('--api-url <url>', 'API base URL (env HOOKS_API_URL; default: the profile, then the local hooks server)'))
    .addOption(new Option('--token <token>', 'API token (prefer HOOKS_API_TOKEN or hooks login: flags show in the process list)'))
    .addOption(new Option('--profile <name>', 'config profile to use').env('HOOKS_PROFILE'))
    .addOption(new Option('--api-timeout <duration>', 'give up on the API after this long').argParser(durationOption('--api-timeout')).default(30_000, '30s'))
    .addOption(jsonOption(json));
}

export function connectionOf(flags: ApiFlags): ConnectionFlags {
  return { apiUrl: flags.apiUrl?.href, token: flags.token, profile: flags.profile, timeoutMs: flags.apiTimeout };
}

/** Prompts only for a person at a terminal: never in CI, with --json, or when stdin is not a TTY. */
export function canPrompt(flags: { json?: boolean }): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI && !flags.json);
}

export interface LimitFlags {
  headersTimeout?: number;
  requestTimeout?: number;
  idleTimeout?: number;
  maxConnections?: number;
}

/**
 * An HTTP server's timeouts and connection cap. Hidden: the defaults are
 * right for people; tests shorten them to watch a slow client being cut off.
 */
export function withLimitOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--headers-timeout <duration>').argParser(durationOption('--headers-timeout')).hideHelp())
    .addOption(new Option('--request-timeout <duration>').argParser(durationOption('--request-timeout')).hideHelp())
    .addOption(new Option('--idle-timeout <duration>').argParser(durationOption('--idle-timeout')).hideHelp())
    .addOption(new Option('--max-connections <n>').argParser(integerOption('--max-connections', 1)).hideHelp());
}

export function limitsFrom(flags: LimitFlags): Partial<ServerLimits> {
  return {
    ...(flags.headersTimeout !== undefined ? { headersTimeoutMs: flags.headersTimeout } : {}),
    ...(flags.requestTimeout !== undefined ? { requestTimeoutMs: flags.requestTimeout } : {}),
    ...(flags.idleTimeout !== undefined ? { keepAliveTimeoutMs: flags.idleTimeout } : {}),
    ...(flags.maxConnections !== undefined ? { maxConnections: flags.maxConnections } : {}),
  };
}

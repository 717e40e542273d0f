import type { Command } from 'commander';
import type { ServerLimits } from '../core/http/guarded-server.js';
import { Option } from './commander.js';
import { durationOption, integerOption } from './options.js';

export interface LimitFlags {
  headersTimeout?: number;
  requestTimeout?: number;
  idleTimeout?: number;
  maxConnections?: number;
}

/**
 * The HTTP server's timeouts and connection cap. Hidden: the defaults are
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

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { parseTarget } from '../http/target.js';
import { PROVIDER_IDS } from '../providers/registry.js';
import type { Route } from '../relay/routes.js';
import { didYouMean } from '../suggest.js';
import { TUNNEL_KINDS, type TunnelKind } from '../tunnel/tunnel.js';

export const PROJECT_FILE = 'hooks.json';

/** What `hooks listen` takes from hooks.json; flags override each one. */
export interface ListenDefaults {
  forward?: URL[];
  route?: Route[];
  provider?: string;
  events?: string[];
  tunnel?: TunnelKind;
  publicUrl?: URL;
  /** A cloudflared named tunnel's hostname (its token stays in CLOUDFLARED_TOKEN). */
  hostname?: string;
  /** ngrok's static domain. */
  domain?: string;
  port?: number;
}

/** What `hooks trigger` takes from hooks.json. */
export interface TriggerDefaults {
  provider?: string;
  to?: URL;
  wait?: number;
  timeout?: number;
}

export interface ProjectFile {
  file: string;
  listen: ListenDefaults;
  trigger: TriggerDefaults;
}

const KEYS = {
  listen: ['forward', 'routes', 'provider', 'events', 'tunnel', 'public_url', 'hostname', 'domain', 'port'],
  trigger: ['provider', 'to', 'wait', 'timeout'],
} as const;

/** The nearest hooks.json, in `cwd` or a parent; null when there is none. */
export function findProjectFile(cwd = process.cwd()): string | null {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const file = join(dir, PROJECT_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The nearest hooks.json, read and checked: a mistake is a usage error that
 * names the key and the file. Secrets are refused: the file is meant to be
 * committed with the project.
 The README shows a whole file.
 */
export function loadProjectFile(cwd = process.cwd()): ProjectFile | null {
  const file = findProjectFile(cwd);
  if (!file) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`, 'fix it, or remove it to use flags only');
  }
  const bad = (key: string, expected: string): never => {
    throw new UsageError(`${file}: "${key}" must be ${expected}`, `see hooks listen --help for ${PROJECT_FILE}`, 'invalid_project_file');
  };
  const object = (value: unknown, key: string): Record<string, unknown> => {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(key, 'an object');
    return value as Record<string, unknown>;
  };
  const top = object(raw, '(top level)');
  checkKeys(top, ['listen', 'trigger'], '', file);
  const listen = object(top.listen, 'listen');
  const trigger = object(top.trigger, 'trigger');
  checkKeys(listen, KEYS.listen, 'listen.', file);
  checkKeys(trigger, KEYS.trigger, 'trigger.', file);

  const strings = (value: unknown, key: string): string[] | undefined => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) return bad(key, 'an array of non-empty strings');
    return value as string[];
  };
  const text = (value: unknown, key: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') return bad(key, 'a non-empty string');
    return value;
  };
  const provider = (value: unknown, key: string, auto: boolean) => {
    const id = text(value, key);
    if (id !== undefined && !(auto && id === 'auto') && !PROVIDER_IDS.includes(id)) bad(key, `one of ${auto ? 'auto, ' : ''}${PROVIDER_IDS.join(', ')}`);
    return id;
  };
  const duration = (value: unknown, key: string) => {
    const t = text(value, key);
    if (t === undefined) return undefined;
    return parseDuration(t) ?? bad(key, 'a duration such as 10s or 2m');
  };
  const target = (value: string, key: string) => {
    try {
      return parseTarget(value, `${file}: "${key}"`);
    } catch (err) {
      return bad(key, `a target (3000, localhost:3000/webhooks, http(s)://…): ${(err as Error).message}`);
    }
  };
  const routes = object(listen.routes, 'listen.routes');
  const tunnel = text(listen.tunnel, 'listen.tunnel');
  if (tunnel !== undefined && !TUNNEL_KINDS.includes(tunnel as TunnelKind)) bad('listen.tunnel', `one of ${TUNNEL_KINDS.join(', ')}`);
  const port = listen.port;
  if (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)) bad('listen.port', 'a port number (1-65535)');
  return {
    file,
    listen: {
      forward: strings(listen.forward, 'listen.forward')?.map((t) => target(t, 'listen.forward')),
      route: listen.routes === undefined ? undefined : Object.entries(routes).map(([pattern, to]) => ({ pattern, target: target(text(to, `listen.routes["${pattern}"]`)!, `listen.routes["${pattern}"]`) })),
      provider: provider(listen.provider, 'listen.provider', true),
      events: strings(listen.events, 'listen.events'),
      tunnel: tunnel as ListenDefaults['tunnel'],
      publicUrl: listen.public_url === undefined ? undefined : target(text(listen.public_url, 'listen.public_url')!, 'listen.public_url'),
      hostname: text(listen.hostname, 'listen.hostname'),
      domain: text(listen.domain, 'listen.domain'),
      port: port as number | undefined,
    },
    trigger: {
      provider: provider(trigger.provider, 'trigger.provider', false),
      to: trigger.to === undefined ? undefined : target(text(trigger.to, 'trigger.to')!, 'trigger.to'),
      wait: duration(trigger.wait, 'trigger.wait'),
      timeout: duration(trigger.timeout, 'trigger.timeout'),
    },
  };
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string, file: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const secretHint = /secret|token/i.test(key) ? `; secrets do not belong in ${PROJECT_FILE}, which is committed: use HOOKS_SECRET` : '';
    throw new UsageError(`${file}: unknown key "${prefix}${key}"${didYouMean(key, allowed)}`, `known keys under ${prefix || 'the top level'}: ${allowed.join(', ')}${secretHint}`, 'invalid_project_file');
  }
}

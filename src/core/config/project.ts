import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { parseTarget } from '../http/target.js';
import { PROVIDER_IDS } from '../providers/registry.js';
import { parseForward, type ProviderRoute, type Route } from '../relay/routes.js';
import { didYouMean } from '../suggest.js';
import { TUNNEL_KINDS, type TunnelKind } from '../tunnel/tunnel.js';

export const PROJECT_FILE = 'hooks.json';

/** A provider's secret, read from the environment variable hooks.json names, and where that was said. */
export interface ProjectSecret {
  secret: string;
  /** The variable read. */
  variable: string;
  /** The file's key that names it: `listen.secrets.ithbat`, `listen.providers.ithbat.secret`. */
  key: string;
}

/** What `hooks listen` takes from hooks.json; flags override each one. */
export interface ListenDefaults {
  /** Targets, and per-provider targets (`forward` entries as PROVIDER=TARGET, and `providers.P.forward`). */
  forward?: Array<URL | ProviderRoute>;
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
  /** Per-provider secrets, read from the environment variables the file names (`"<provider>": "env:<VAR>"`, or `providers.P.secret`). */
  secrets?: Record<string, ProjectSecret>;
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
  listen: ['forward', 'routes', 'providers', 'provider', 'events', 'tunnel', 'public_url', 'hostname', 'domain', 'port', 'secrets'],
  provider: ['forward', 'secret'],
  trigger: ['provider', 'to', 'wait', 'timeout'],
} as const;

/** A project file is configuration, never data: anything larger is not one. */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

const inside = (dir: string, root: string) => {
  const rel = relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
};

/**
 * The nearest hooks.json, in `cwd` or a parent up to the repository root
 * (the first directory holding `.git`) or the home directory, whichever
 * comes first: a file above them belongs to someone else's tree. Outside
 * home and any repository, only `cwd` itself is looked at. Null when there
 * is none.
 */
export function findProjectFile(cwd = process.cwd(), home = homedir()): string | null {
  const start = resolve(cwd);
  const stop = searchRoot(start, home);
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, PROJECT_FILE);
    if (existsSync(file)) return file;
    if (dir === stop || dirname(dir) === dir) return null;
  }
}

/**
 * Where the search ends: the first directory up holding `.git` (never above
 * home, never the filesystem root unless hooks runs there), else home when
 * under it, else `start` itself.
 */
function searchRoot(start: string, home: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (dir !== start && dirname(dir) === dir) break;
    if (existsSync(join(dir, '.git'))) return dir;
    if (dir === home || dirname(dir) === dir) break;
  }
  return inside(start, home) ? home : start;
}

/**
 * The file's text, read through one descriptor so that what is checked is
 * what is read: a regular file under 1 MB (not a FIFO, a device or a
 * symlink to one), owned by this user and writable by nobody else, as ssh's
 * StrictModes asks of its files.
 */
function readProjectFile(file: string): string {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'fix its permissions, or remove it to use flags only', 'unsafe_project_file');
  }
  try {
    const st = fstatSync(fd);
    const refuse = (why: string, fix: string): never => {
      throw new UsageError(`refusing ${file}: ${why}`, fix, 'unsafe_project_file');
    };
    if (!st.isFile()) refuse('it is not a regular file', `replace it with a plain ${PROJECT_FILE}, or remove it`);
    if (st.size > MAX_PROJECT_FILE_BYTES) refuse(`it is ${st.size} bytes; a project file is under 1 MB`, `remove it, or cut it down to the settings of hooks listen and hooks trigger`);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid && st.uid !== 0) refuse(`it belongs to another user (uid ${st.uid}, you are ${uid})`, `remove it, or make it yours: chown $USER ${file}`);
    const gid = process.getgid?.();
    if (uid !== undefined && (st.mode & 0o002 || (st.mode & 0o020 && st.gid !== gid))) refuse('other users can write it', `chmod go-w ${file}`);
    const buf = Buffer.alloc(st.size + 1);
    let got = 0;
    for (let n; got < buf.length && (n = readSync(fd, buf, got, buf.length - got, got)) > 0; ) got += n;
    if (got > MAX_PROJECT_FILE_BYTES) refuse('it grew past 1 MB while being read', `remove it`);
    return buf.subarray(0, got).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The nearest hooks.json, read and checked: a mistake is a usage error that
 * names the key and the file. Secrets are refused: the file is meant to be
 * committed with the project.
 * docs/hooks-json.md shows a whole file.
 */
export function loadProjectFile(cwd = process.cwd()): ProjectFile | null {
  const file = findProjectFile(cwd);
  if (!file) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readProjectFile(file));
  } catch (err) {
    if (err instanceof UsageError) throw err;
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
  const forwardEntry = (value: string, key: string) => {
    try {
      return parseForward(value, `${file}: "${key}"`);
    } catch (err) {
      return bad(key, `a target (3000, localhost:3000/webhooks, http(s)://…) or PROVIDER=TARGET: ${(err as Error).message}`);
    }
  };
  const providers = providerBlocks(object(listen.providers, 'listen.providers'), file, bad, (value, key) => text(value, key)!, (value, key) => target(value, key));
  const secrets = { ...(listen.secrets === undefined ? {} : secretsFromEnv(object(listen.secrets, 'listen.secrets'), file)) };
  for (const [id, secret] of Object.entries(providers.secrets)) {
    if (secrets[id]) throw new UsageError(`${file}: ${secrets[id]!.key} and ${secret.key} both give the ${id} secret`, 'keep one of them', 'invalid_project_file');
    secrets[id] = secret;
  }
  const forward = [...(strings(listen.forward, 'listen.forward')?.map((t) => forwardEntry(t, 'listen.forward')) ?? []), ...providers.routes];
  const routes = object(listen.routes, 'listen.routes');
  const tunnel = text(listen.tunnel, 'listen.tunnel');
  if (tunnel !== undefined && !TUNNEL_KINDS.includes(tunnel as TunnelKind)) bad('listen.tunnel', `one of ${TUNNEL_KINDS.join(', ')}`);
  const port = listen.port;
  if (port !== undefined && (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)) bad('listen.port', 'a port number (1-65535)');
  return {
    file,
    listen: {
      forward: listen.forward === undefined && providers.routes.length === 0 ? undefined : forward,
      route: listen.routes === undefined ? undefined : Object.entries(routes).map(([pattern, to]) => ({ pattern, target: target(text(to, `listen.routes["${pattern}"]`)!, `listen.routes["${pattern}"]`) })),
      provider: provider(listen.provider, 'listen.provider', true),
      events: strings(listen.events, 'listen.events'),
      tunnel: tunnel as ListenDefaults['tunnel'],
      publicUrl: listen.public_url === undefined ? undefined : target(text(listen.public_url, 'listen.public_url')!, 'listen.public_url'),
      hostname: text(listen.hostname, 'listen.hostname'),
      domain: text(listen.domain, 'listen.domain'),
      port: port as number | undefined,
      secrets: Object.keys(secrets).length === 0 ? undefined : secrets,
    },
    trigger: {
      provider: provider(trigger.provider, 'trigger.provider', false),
      to: trigger.to === undefined ? undefined : target(text(trigger.to, 'trigger.to')!, 'trigger.to'),
      wait: duration(trigger.wait, 'trigger.wait'),
      timeout: duration(trigger.timeout, 'trigger.timeout'),
    },
  };
}

/**
 * `{"<provider>": "env:<VAR>"}`: each provider's secret read from the
 * variable named. A secret written in the file itself is refused, since the
 * file is committed.
 */
function secretsFromEnv(entries: Record<string, unknown>, file: string): Record<string, ProjectSecret> {
  const out: Record<string, ProjectSecret> = {};
  for (const [provider, value] of Object.entries(entries)) {
    const key = `listen.secrets.${provider}`;
    knownProvider(provider, key, file);
    out[provider] = secretFromEnv(provider, value, key, file);
  }
  return out;
}

/**
 * `"providers": {"<provider>": {"forward": "localhost:3000/webhooks/<provider>", "secret": "env:<VAR>"}}`:
 * one block a provider, its targets (a string or a list) and its secret.
 */
function providerBlocks(
  blocks: Record<string, unknown>,
  file: string,
  bad: (key: string, expected: string) => never,
  text: (value: unknown, key: string) => string,
  target: (value: string, key: string) => URL,
): { routes: ProviderRoute[]; secrets: Record<string, ProjectSecret> } {
  const routes: ProviderRoute[] = [];
  const secrets: Record<string, ProjectSecret> = {};
  for (const [provider, block] of Object.entries(blocks)) {
    const prefix = `listen.providers.${provider}`;
    knownProvider(provider, prefix, file);
    if (typeof block !== 'object' || block === null || Array.isArray(block)) bad(prefix, 'an object: {"forward": "localhost:3000/webhooks/…", "secret": "env:VAR"}');
    const entry = block as Record<string, unknown>;
    checkKeys(entry, KEYS.provider, `${prefix}.`, file);
    const key = `${prefix}.forward`;
    const given = entry.forward;
    if (given !== undefined && !(typeof given === 'string' || (Array.isArray(given) && given.length > 0))) bad(key, 'a target or a list of targets');
    for (const t of given === undefined ? [] : Array.isArray(given) ? given : [given]) routes.push({ provider, target: target(text(t, key), key) });
    if (entry.secret !== undefined) secrets[provider] = secretFromEnv(provider, entry.secret, `${prefix}.secret`, file);
  }
  return { routes, secrets };
}

function knownProvider(provider: string, key: string, file: string): void {
  if (!PROVIDER_IDS.includes(provider)) throw new UsageError(`${file}: unknown provider "${key}"${didYouMean(provider, PROVIDER_IDS)}`, `providers: ${PROVIDER_IDS.join(', ')}`, 'invalid_project_file');
}

/** `"env:<VAR>"`: the secret in that variable. */
function secretFromEnv(provider: string, value: unknown, key: string, file: string, env: NodeJS.ProcessEnv = process.env): ProjectSecret {
  const m = typeof value === 'string' ? /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value) : null;
  if (!m) throw new UsageError(`${file}: "${key}" must name an environment variable, as "env:${provider.toUpperCase().replace(/-/g, '_')}_SECRET"`, `a secret itself does not belong in ${PROJECT_FILE}, which is committed`, 'invalid_project_file');
  const variable = m[1]!;
  const secret = env[variable];
  if (secret === undefined) throw new UsageError(`${file}: "${key}" reads ${variable}, which is not set`, `export ${variable}=…, or remove the entry`, 'invalid_project_file');
  if (secret === '') throw new UsageError(`${file}: "${key}" reads ${variable}, which is set but empty`, `export ${variable}=<the ${provider} signing secret>, or remove the entry`, 'invalid_secret');
  return { secret, variable, key };
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string, file: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.includes(key)) continue;
    const secretHint = /secret|token/i.test(key) ? `; secrets do not belong in ${PROJECT_FILE}, which is committed: name an environment variable under listen.secrets ("<provider>": "env:<VAR>")` : '';
    throw new UsageError(`${file}: unknown key "${prefix}${key}"${didYouMean(key, allowed)}`, `known keys under ${prefix || 'the top level'}: ${allowed.join(', ')}${secretHint}`, 'invalid_project_file');
  }
}

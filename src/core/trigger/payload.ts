import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * `--set data.user.email=a@b.c`: a dot path into the data object (the
 * leading `data.` is optional; an array's items by index); the value is JSON
 * when it parses as JSON, a string otherwise. The path must be one the data
 * has (the fixture's, or --data's): a mistyped one would otherwise be sent
 * as a new field nobody asked for. A path that starts with a field of the
 * envelope (`envelope`: its own keys, such as `id` or `created_at`, made
 * fresh for every event) is refused too. Both name the paths that can be set.
 */
export function applySet(data: unknown, assignment: string, envelope: readonly string[] = []): unknown {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set "${assignment}" is not PATH=VALUE`, 'e.g. --set data.user.email=a@b.c');
  const path = assignment.slice(0, eq).replace(/^data\./, '').split('.');
  if (path.some((p) => p === '')) throw new UsageError(`--set "${assignment}": empty path segment`, 'e.g. --set data.user.email=a@b.c');
  const raw = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  const root = structuredClone(data);
  let node: unknown = root;
  for (const [i, key] of path.entries()) {
    if (!has(node, key)) {
      const settable = `fields you can set: ${listed(settablePaths(data))} (--data replaces the whole data object)`;
      if (i === 0 && envelope.includes(key)) throw new UsageError(`--set ${path.join('.')}: ${key} is the envelope's, which hooks makes fresh for every event`, settable);
      throw new UsageError(`--set ${assignment.slice(0, eq)}: the event has no field data.${path.join('.')}`, settable);
    }
    if (i === path.length - 1) (node as Record<string, unknown>)[key] = value;
    else node = (node as Record<string, unknown>)[key];
  }
  return root;
}

/** The dot paths of every value in the data (an array's items by index): what --set can change. */
export function settablePaths(data: unknown, prefix = ''): string[] {
  const children = Array.isArray(data) ? data.map((v, i) => [String(i), v] as const) : data && typeof data === 'object' ? Object.entries(data) : [];
  if (children.length === 0) return prefix ? [prefix] : [];
  return children.flatMap(([key, v]) => settablePaths(v, prefix ? `${prefix}.${key}` : key));
}

/**
 * The envelope's own fields: the keys of an event built around `data` that
 * the data does not have (of its first event, for a platform that batches).
 */
export function envelopeKeysOf(body: Buffer, data: unknown): string[] {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body.toString('utf8'));
  } catch {
    return [];
  }
  const first = Array.isArray(envelope) ? envelope[0] : envelope;
  if (!first || typeof first !== 'object') return [];
  return Object.keys(first).filter((k) => !has(data, k));
}

function has(node: unknown, key: string): boolean {
  if (Array.isArray(node)) return /^\d+$/.test(key) && Number(key) < node.length;
  return node !== null && typeof node === 'object' && Object.hasOwn(node, key);
}

/** The first 25 paths, then how many more. */
function listed(paths: string[]): string {
  const shown = paths.slice(0, 25).map((p) => `data.${p}`);
  return paths.length > 25 ? `${shown.join(', ')}, … (${paths.length - 25} more)` : shown.join(', ') || '(none: the data is empty)';
}

/** `--data @file.json`, `--data -` (stdin, read by the caller) or inline JSON. */
export function parseDataArg(arg: string, stdin?: string): unknown {
  let text = arg;
  let from = '--data';
  if (arg === '-') {
    text = stdin ?? '';
    from = 'stdin';
  } else if (arg.startsWith('@')) {
    from = arg.slice(1);
    try {
      text = readFileSync(from, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${from}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path after --data @');
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`the data from ${from} is not valid JSON: ${(err as Error).message}`, "--data takes @file.json, - (stdin) or inline JSON such as '{\"user\":{\"id\":\"u1\"}}'");
  }
}

import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * `--set data.user.email=a@b.c`: a dot path into the data object (the
 * leading `data.` is optional); the value is JSON when it parses as JSON,
 * a string otherwise. Missing objects on the way are created.
 */
export function applySet(data: unknown, assignment: string): unknown {
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
  const root = (data && typeof data === 'object' ? structuredClone(data) : {}) as Record<string, unknown>;
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
  return root;
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

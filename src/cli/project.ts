import type { Command } from 'commander';

/**
 * Values from hooks.json for the flags the user did not give: a flag (or
 * its environment variable) always wins over the project file, which wins
 * over the built-in default.
 */
export function withProject<T extends object>(cmd: Command, flags: T, fromFile: Partial<T>, silences: Partial<Record<keyof T, Array<keyof T>>> = {}): T {
  const given = (key: string) => {
    const source = cmd.getOptionValueSource(key);
    return source !== undefined && source !== 'default';
  };
  // A flag also silences the file's keys that would decide the same thing (`--forward` and the file's `routes`).
  const silenced = new Set(Object.entries(silences).flatMap(([flag, keys]) => (given(flag) ? (keys as string[]) : [])));
  const merged = { ...flags } as Record<string, unknown>;
  for (const [key, value] of Object.entries(fromFile)) {
    if (value === undefined || silenced.has(key)) continue;
    if (!given(key)) merged[key] = value;
  }
  return merged as T;
}

import type { Command } from 'commander';

/**
 * Values from hooks.json for the flags the user did not give: a flag (or
 * its environment variable) always wins over the project file, which wins
 * over the built-in default.
 */
export function withProject<T extends object>(cmd: Command, flags: T, fromFile: Partial<T>): T {
  const merged = { ...flags } as Record<string, unknown>;
  for (const [key, value] of Object.entries(fromFile)) {
    if (value === undefined) continue;
    const source = cmd.getOptionValueSource(key);
    if (source === undefined || source === 'default') merged[key] = value;
  }
  return merged as T;
}

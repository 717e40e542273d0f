import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { parseSize } from '../size.js';
import { DEFAULT_RETENTION, type Retention } from '../store/event-store.js';
import { configFile, readConfig } from './profiles.js';

/** The store's bounds: the flags, then the config (`hooks config set max-store-size 2gb`), then 1 GB and 30 days. */
export function resolveRetention(flags: Partial<Retention>, env: NodeJS.ProcessEnv = process.env): Retention {
  const stored = readConfig(env).store ?? {};
  const fromConfig = <T>(value: string | undefined, parse: (v: string) => T | null, key: string): T | undefined => {
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (parsed === null) throw new UsageError(`${key} "${value}" in ${configFile(env)} is not readable`, `fix it with hooks config set ${key} VALUE`);
    return parsed;
  };
  return {
    maxBytes: flags.maxBytes ?? fromConfig(stored.max_size, parseSize, 'max-store-size') ?? DEFAULT_RETENTION.maxBytes,
    maxAgeMs: flags.maxAgeMs ?? fromConfig(stored.max_age, parseDuration, 'max-store-age') ?? DEFAULT_RETENTION.maxAgeMs,
  };
}

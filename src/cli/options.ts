import { parseDuration } from '../core/duration.js';
import { parseSize } from '../core/size.js';
import { InvalidArgumentError } from './commander.js';

/** For repeatable flags such as `--header`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function integerOption(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` >= ${min}` : ''}`);
    }
    return Number(value);
  };
}

/** A TCP port: a whole number up to 65535 (`min` 0 lets the system pick one). */
export function portOption(name: string, min = 0) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > 65535) throw new InvalidArgumentError(`${name} must be a port from ${min} to 65535${min === 0 ? ' (0: any free port)' : ''}`);
    return Number(value);
  };
}

/** Durations such as `30s`, `5m`, `24h`, in milliseconds. */
export function durationOption(name: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === null) throw new InvalidArgumentError(`${name} must be a duration such as 500ms, 30s, 5m, 24h`);
    return ms;
  };
}

export function numberOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || value.trim() === '' || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
}

/** Sizes such as `10mb`, `512kb`, `1048576`, in bytes. */
export function sizeOption(name: string) {
  return (value: string): number => {
    const bytes = parseSize(value);
    if (bytes === null) throw new InvalidArgumentError(`${name} must be a size such as 512kb or 10mb`);
    return bytes;
  };
}

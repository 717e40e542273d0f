import { InvalidArgumentError } from './commander.js';

/** For repeatable flags such as `--header`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function integerOption(name: string, min = 0) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${name} must be a whole number${min > 0 ? ` >= ${min}` : ''}`);
    return Number(value);
  };
}

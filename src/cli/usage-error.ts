import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';

/** `hooks subs create`: the command as typed, for messages. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A mistake commander found while parsing (a missing argument, an unknown
 * flag) as a hooks usage error: what is wrong, in the words of the command's
 * own argument help, and where to look. Printed after the command's path.
 */
export function commanderMistake(cmd: Command, text: string): UsageError {
  const path = commandPath(cmd);
  const said = text.replace(/^error: /, '').trim();
  const missing = /^missing required argument '([^']+)'/.exec(said);
  if (missing) {
    const arg = cmd.registeredArguments.find((a) => a.name() === missing[1]);
    return new UsageError(`missing <${missing[1]}>${arg?.description ? `: ${arg.description}` : ''}`, `${path} --help shows examples`);
  }
  // "unknown option '--too'\n(Did you mean --to?)" on one line.
  const message = said.replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)').replace(/\n/g, ' ');
  return new UsageError(message, `${path} --help lists the flags`);
}

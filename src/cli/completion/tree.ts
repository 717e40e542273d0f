import type { Command } from 'commander';

/** What a shell needs to complete one command: its words, flags, flag values and argument values. */
export interface CompletionNode {
  name: string;
  aliases: string[];
  summary: string;
  options: Array<{ flag: string; takesValue: boolean; values: string[]; summary: string }>;
  commands: CompletionNode[];
  /** Values for the first positional argument (event types for trigger). */
  argValues: string[];
}

/**
 * The tree of a fully registered commander program, with value lists for the
 * flags and arguments whose values are known: choices, provider ids, event
 * types. Hidden flags and help are left out.
 */
export function completionTree(cmd: Command, values: { providers: string[]; eventTypes: string[] }): CompletionNode {
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    summary: cmd.description().split('\n')[0] ?? '',
    options: cmd.options
      .filter((o) => !o.hidden && o.long)
      .map((o) => ({
        flag: o.long!,
        takesValue: o.required || o.optional,
        // `auto` only where it is a value the flag takes (its default).
        values: o.argChoices ?? (o.long === '--provider' ? [...(o.defaultValue === 'auto' ? ['auto'] : []), ...values.providers] : []),
        summary: o.description,
      })),
    commands: cmd.commands.filter((c) => c.name() !== 'help').map((c) => completionTree(c, values)),
    argValues: cmd.name() === 'trigger' ? values.eventTypes : [],
  };
}

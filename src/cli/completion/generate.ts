import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { PROVIDER_IDS } from '../../core/providers/registry.js';
import { eventTypes } from '../../core/trigger/trigger.js';
import { Command as CommanderCommand } from '../commander.js';
import { COMMANDS } from '../commands/index.js';
import { completionScript } from './scripts.js';
import { completionTree } from './tree.js';

/** The completion script for `shell`, from the whole program with every command registered exactly as each is run. */
export async function completionFor(shell: string, program: Command): Promise<string> {
  if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') throw new UsageError(`no completion for "${shell}"`, 'use bash, zsh or fish');
  const full = new CommanderCommand(program.name());
  for (const entry of COMMANDS) (await entry.load())(full);
  return completionScript(shell, completionTree(full, { providers: [...PROVIDER_IDS], eventTypes: [...new Set(eventTypes().map((t) => t.type))] }));
}

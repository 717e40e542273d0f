import type { Command } from 'commander';
import { summary } from './index.js';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description(summary('completion'))
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
The script completes commands, subcommands, flags, provider ids, flag choices and the
event types of every catalog; it is generated from the commands themselves.

Examples:
  $ hooks completion bash > ~/.local/share/bash-completion/completions/hooks
  $ hooks completion zsh > "\${fpath[1]}/_hooks"
  $ hooks completion fish > ~/.config/fish/completions/hooks.fish
Or, for the current shell only:
  $ eval "$(hooks completion bash)"`,
    )
    .action(async (shell: string) => {
      const [{ completionFor }, { printScript }] = await Promise.all([import('../completion/generate.js'), import('../render/completion.js')]);
      printScript(await completionFor(shell, program));
    });
}

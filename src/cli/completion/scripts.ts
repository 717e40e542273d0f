import type { CompletionNode } from './tree.js';

export type Shell = 'bash' | 'zsh' | 'fish';

interface Path {
  words: string[];
  node: CompletionNode;
}

/** Every command path under the root, the root included ("hooks", "hooks subscriptions", …). */
function paths(root: CompletionNode, prefix: string[] = []): Path[] {
  const words = [...prefix, root.name];
  return [{ words, node: root }, ...root.commands.flatMap((c) => paths(c, words))];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const oneLine = (s: string) => s.replace(/[\n\r\t]/g, ' ');

export function completionScript(shell: Shell, root: CompletionNode): string {
  if (shell === 'fish') return fish(root);
  return shellScript(root, shell === 'bash' ? BASH : ZSH);
}

/**
 * One walk shared by bash and zsh (`at` is the command reached; not `path`,
 * which zsh ties to PATH): it follows the words typed so far down the
 * tree (skipping flags and the value of a flag that takes one) to the current
 * command, then offers a flag's values, the flags, or the subcommands and
 * argument values.
 */
function walker(root: CompletionNode): { transitions: string; valued: string; flags: string; choices: string; values: string } {
  const all = paths(root);
  const key = (p: Path) => p.words.join(' ');
  const transitions = all
    .flatMap((p) => p.node.commands.map((c) => `      ${[c.name, ...c.aliases].map((n) => quote(`${key(p)} ${n}`)).join('|')}) at=${quote(`${key(p)} ${c.name}`)} ;;`))
    .join('\n');
  const valued = all.flatMap((p) => p.node.options.filter((o) => o.takesValue).map((o) => quote(`${key(p)} ${o.flag}`))).join('|');
  const flags = all.map((p) => `    ${quote(key(p))}) flags=${quote(p.node.options.map((o) => o.flag).join(' '))} ;;`).join('\n');
  const choices = all.map((p) => `    ${quote(key(p))}) choices=${quote([...p.node.commands.map((c) => c.name), ...p.node.argValues].join(' '))} ;;`).join('\n');
  const values = all.flatMap((p) => p.node.options.filter((o) => o.values.length > 0).map((o) => `    ${quote(`${key(p)} ${o.flag}`)}) values=${quote(o.values.join(' '))} ;;`)).join('\n');
  return { transitions, valued, flags, choices, values };
}

/** What differs between bash and zsh around the one walk: how words are read and how matches are offered. */
interface Dialect {
  header: string;
  /** The array of typed words, the index of the word being completed, and the index of the first word after `hooks`. */
  words: string;
  current: string;
  first: number;
  /** Offers the words of a shell variable (`$name`) as matches of the current word. */
  offer: (variable: string) => string;
  /** When a flag's value is wanted and none is known. */
  anyValue: string;
  footer: string;
}

const BASH: Dialect = {
  header: `# hooks completion for bash, generated from hooks' own command tree.
# Install: hooks completion bash > ~/.local/share/bash-completion/completions/hooks
#      or: echo 'eval "$(hooks completion bash)"' >> ~/.bashrc`,
  words: 'COMP_WORDS',
  current: 'COMP_CWORD',
  first: 1,
  offer: (v) => `COMPREPLY=($(compgen -W "$${v}" -- "$cur"))`,
  anyValue: 'COMPREPLY=()',
  footer: 'complete -o default -F _hooks hooks',
};

const ZSH: Dialect = {
  header: `#compdef hooks
# hooks completion for zsh, generated from hooks' own command tree.
# Install: hooks completion zsh > "\${fpath[1]}/_hooks"   (then start a new shell)
#      or: echo 'eval "$(hooks completion zsh)"' >> ~/.zshrc`,
  words: 'words',
  current: 'CURRENT',
  first: 2,
  offer: (v) => `compadd -- \${=${v}}`,
  anyValue: '_files',
  footer: 'if [[ $funcstack[1] == _hooks ]]; then _hooks "$@"; else compdef _hooks hooks; fi',
};

/** The function both shells run (`choices`, not `words`: zsh's completion already has a `words`). */
function shellScript(root: CompletionNode, d: Dialect): string {
  const w = walker(root);
  return `${d.header}
_hooks() {
  local cur="\${${d.words}[${d.current}]}" prev="\${${d.words}[${d.current}-1]}"
  local at=${quote(root.name)} word skip=0 i flags='' choices='' values=''
  for ((i = ${d.first}; i < ${d.current}; i++)); do
    word="\${${d.words}[i]}"
    if [[ $skip == 1 ]]; then skip=0; continue; fi
    if [[ $word == -* ]]; then
      case "$at $word" in
        ${w.valued || "''"}) skip=1 ;;
      esac
      continue
    fi
    case "$at $word" in
${w.transitions}
    esac
  done
  case "$at $prev" in
${w.values}
  esac
  if [[ -n $values ]]; then ${d.offer('values')}; return; fi
  case "$at $prev" in
    ${w.valued || "''"}) ${d.anyValue}; return ;;
  esac
  case "$at" in
${w.flags}
  esac
  case "$at" in
${w.choices}
  esac
  if [[ $cur == -* ]]; then ${d.offer('flags')}; else ${d.offer('choices')}; fi
}
${d.footer}
`;
}

function fish(root: CompletionNode): string {
  const lines = [`# hooks completion for fish, generated from hooks' own command tree.`, `# Install: hooks completion fish > ~/.config/fish/completions/hooks.fish`, `complete -c ${root.name} -f`];
  const walk = (node: CompletionNode, chain: CompletionNode[]) => {
    // Seen: every command word on the way here; not yet: none of this node's subcommands.
    const seen = chain.map((c) => `__fish_seen_subcommand_from ${[c.name, ...c.aliases].join(' ')}`);
    const subs = node.commands.flatMap((c) => [c.name, ...c.aliases]);
    const here = [...(chain.length === 0 ? ['__fish_use_subcommand'] : seen), ...(chain.length > 0 && subs.length > 0 ? [`not __fish_seen_subcommand_from ${subs.join(' ')}`] : [])].join('; and ');
    for (const c of node.commands) lines.push(`complete -c ${root.name} -n ${quote(here)} -a ${quote(c.name)} -d ${quote(oneLine(c.summary))}`);
    for (const v of node.argValues) lines.push(`complete -c ${root.name} -n ${quote(here)} -a ${quote(v)}`);
    for (const o of node.options) {
      const values = o.values.length > 0 ? ` -xa ${quote(o.values.join(' '))}` : o.takesValue ? ' -r' : '';
      lines.push(`complete -c ${root.name} -n ${quote(here)} -l ${o.flag.slice(2)}${values} -d ${quote(oneLine(o.summary))}`);
    }
    for (const c of node.commands) walk(c, [...chain, c]);
  };
  walk(root, []);
  return `${lines.join('\n')}\n`;
}

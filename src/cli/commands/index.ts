import type { Command } from 'commander';

interface CommandEntry {
  name: string;
  alias?: string;
  summary: string;
  load: () => Promise<(program: Command) => void>;
}

/**
 * Every top-level command, in help order. Only the command being run is
 * imported; `hooks --help` is drawn from this table alone, which keeps it
 * near a bare Node start.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'demo', summary: 'The whole loop in one command, no setup, no network: emulator, listen session, a verifying app, every provider, a replay', load: async () => (await import('./demo.js')).registerDemo },
  { name: 'server', summary: 'Run the local webhook platform: the API, durable signed delivery with retries, the delivery feed', load: async () => (await import('./server.js')).registerServer },
  { name: 'subscriptions', alias: 'subs', summary: 'Create, list and manage webhook subscriptions on the API (the local hooks server by default)', load: async () => (await import('./subscriptions.js')).registerSubscriptions },
  { name: 'listen', summary: 'Receive webhooks on a public URL, verify and store each one, and forward it byte-for-byte to your local app', load: async () => (await import('./listen.js')).registerListen },
  { name: 'trigger', summary: 'Send a synthetic, realistic, correctly signed event: through the API, or straight to a URL', load: async () => (await import('./trigger.js')).registerTrigger },
  { name: 'inspect', summary: 'A web inspector over what listen stored: live list, search, detail, replay, edit-then-replay, curl, HAR, diff', load: async () => (await import('./inspect.js')).registerInspect },
  { name: 'events', summary: 'What hooks listen received and stored: list, show, replay, delete, prune', load: async () => (await import('./events.js')).registerEvents },
  { name: 'audit', summary: "Grade your receiver against its platform's rules: signatures, raw body, replays, duplicates, handshake, timing", load: async () => (await import('./audit.js')).registerAudit },
  { name: 'mcp', summary: 'An MCP server for coding agents: trigger, wait for, inspect, verify and replay deliveries (read-only unless --allow-write)', load: async () => (await import('./mcp.js')).registerMcp },
  { name: 'verify', summary: 'Check a webhook signature offline and, when it fails, say why', load: async () => (await import('./verify.js')).registerVerify },
  { name: 'providers', summary: 'The signature schemes, event catalogs and delivery rules hooks knows', load: async () => (await import('./providers.js')).registerProviders },
  { name: 'login', summary: 'Store an API token in a profile after checking it against the API', load: async () => (await import('./login.js')).registerLogin },
  { name: 'config', summary: 'Profiles: which API and token the CLI uses (tokens are always shown masked)', load: async () => (await import('./config.js')).registerConfig },
  { name: 'doctor', summary: 'Check Node, paths and their modes, the API and its token, tunnels and running sessions; say how to fix each problem', load: async () => (await import('./doctor.js')).registerDoctor },
  { name: 'completion', summary: 'Print a shell completion script (bash, zsh, fish) for commands, flags, providers and event types', load: async () => (await import('./completion.js')).registerCompletion },
];

export function summary(name: string): string {
  return COMMANDS.find((c) => c.name === name)!.summary;
}

/** The entry for `hooks <word> …` or `hooks help <word>`, if the word names one. */
export function commandFor(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === word || c.alias === word);
}

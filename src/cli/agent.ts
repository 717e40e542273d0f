/** Environment variables coding agents set in the shells they run (as Stripe's CLI reads them). */
export const AGENT_VARIABLES = ['CLAUDECODE', 'CURSOR_AGENT', 'CODEX_SANDBOX', 'GEMINI_CLI'] as const;

/** The variable that says an agent runs this shell, or null. */
export function agentVariable(env: NodeJS.ProcessEnv = process.env): string | null {
  return AGENT_VARIABLES.find((name) => Boolean(env[name])) ?? null;
}

export const agentDetected = (env: NodeJS.ProcessEnv = process.env): boolean => agentVariable(env) !== null;

/** A few lines for an agent reading --help: what works in its shell and what would hang it. */
export const agentGuidance = (variable: string): string => `
Agent guidance (shown because ${variable} is set):
  - Pass --json: every command then prints only JSON on stdout, errors as {"error": {…}}.
  - Do not run hooks listen or hooks server in the foreground: they run until stopped. Start
    them in the background (hooks listen --json > listen.log &) and read the first line.
  - Exit codes: 0 ok, 1 failed, 2 usage, 3 could not connect, 4 the machine failed (disk full, store read-only or damaged). No command prompts when CI is set.
  - hooks mcp install --client claude gives you tools instead: trigger_event, wait_for_delivery,
    get_delivery (why a signature failed), replay_delivery.`;

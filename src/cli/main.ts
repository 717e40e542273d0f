import { version } from '../core/version.js';
import { Command, CommanderError } from './commander.js';
import { ExitCode, HooksError } from '../core/errors.js';
import { COMMANDS, commandFor } from './commands/index.js';
import { printError } from './render/error.js';
import { agentGuidance, agentVariable } from './agent.js';
import { commanderMistake, commandPath } from './usage-error.js';

// Command modules only declare flags; each action imports the engine it
// needs, so `--version` and `--help` load no undici, SQLite or prompts.

// `hooks … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const program = new Command('hooks')
  .description('A webhook workbench for identity platforms: verify, emulate, forward, store, replay and trigger signed webhooks.')
  .version(version, '-V, --version')
  .showSuggestionAfterError()
  .exitOverride()
  .addHelpText(
    'after',
    `
Examples:
  $ hooks demo                                    # the whole loop in one command, no setup
  $ hooks server                                  # the local webhook platform (API + signed delivery)
  $ hooks subs create --url http://127.0.0.1:3000/webhooks --events 'user.*' --name dev
  $ hooks listen --forward localhost:3000/webhooks --tunnel none
  $ hooks trigger user.created
  $ hooks events list --since 1h
  $ hooks verify --provider auto --secret "$SECRET" --header 'X-Ithbat-Signature: sha256=…' --body-file body.json
  $ hooks providers list

Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 could not connect.`,
  );

// An agent reading help gets a few lines of guidance, on every command's help.
const agent = agentVariable();
if (agent) program.addHelpText('afterAll', agentGuidance(agent));

// Only the command being run is loaded; the others appear in help from the table.
const chosen = commandFor(process.argv.slice(2));
if (chosen) (await chosen.load())(program);
for (const entry of COMMANDS) {
  if (entry === chosen) continue;
  const stub = program.command(entry.name).description(entry.summary).allowUnknownOption().helpOption(false);
  if (entry.alias) stub.alias(entry.alias);
}

const json = process.argv.includes('--json');
for (const cmd of [program, ...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
  // Commander's own parse errors are shown as hooks errors (the same two lines, or JSON); report() then maps the exit code.
  cmd.exitOverride().configureOutput({ outputError: (text) => printError(commanderMistake(cmd, text), json, commandPath(cmd)) });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = report(err);
}

/** The one place errors become exit codes; render/error.ts draws them. */
function report(err: unknown): ExitCode {
  // Commander has printed help, the version or its usage error already.
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  printError(err, json);
  return err instanceof HooksError ? err.exitCode : ExitCode.failed;
}

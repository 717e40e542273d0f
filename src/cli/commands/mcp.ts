import type { Command } from 'commander';
import { summary } from './index.js';
import { connectionOf, dataDirOption, jsonOption, withApiOptions, type ApiFlags } from '../flags.js';
import { Option } from '../commander.js';

interface McpFlags extends ApiFlags {
  allowWrite?: boolean;
  dataDir?: string;
}

export function registerMcp(program: Command): void {
  const mcp = withApiOptions(
    program
      .command('mcp')
      .description(summary('mcp'))
      .option('--allow-write', 'also offer the tools that send or change something: trigger_event, replay_delivery, create_subscription, delete_subscription, audit_receiver')
      .addOption(dataDirOption()),
  )
    .addHelpText(
      'after',
      `
An MCP server over stdio for coding agents, over the same core calls as the CLI and the
store hooks listen writes. Read-only by default: status, list_deliveries, get_delivery,
wait_for_delivery, verify_signature, diff_deliveries, list_providers, list_event_types,
list_subscriptions. No tool returns a secret or a token; webhook bodies and headers come
back fenced as untrusted data, cut at 64 KB.

Examples:
  $ hooks mcp install --client claude                  # writes .mcp.json for this project
  $ hooks mcp install --client vscode --allow-write --print
  $ hooks mcp --allow-write                            # what the client runs`,
    )
    .action(async (flags: McpFlags) => {
      const { runMcpServer } = await import('../../mcp/server.js');
      await runMcpServer({ allowWrite: Boolean(flags.allowWrite), connection: connectionOf(flags), dataDir: flags.dataDir });
    });

  mcp
    .command('install')
    .description("Write a coding agent's project configuration so it runs hooks mcp")
    .addOption(new Option('--client <client>', 'the agent: claude (.mcp.json), cursor (.cursor/mcp.json) or vscode (.vscode/mcp.json)').choices(['claude', 'cursor', 'vscode']).makeOptionMandatory())
    .option('--allow-write', 'configure the server with --allow-write')
    .option('--print', 'print the file instead of writing it')
    .addOption(jsonOption('print {client, file, written, content}'))
    .action(async (_flags: unknown, cmd: Command) => {
      // --allow-write and --json are also hooks mcp's own: commander hands them to the parent, so read both.
      const flags = cmd.optsWithGlobals<{ client: string; allowWrite?: boolean; print?: boolean; json?: boolean }>();
      const [{ installMcp }, { printMcpInstall }] = await Promise.all([import('../../core/config/mcp-clients.js'), import('../render/mcp.js')]);
      printMcpInstall(installMcp(flags.client, { dir: process.cwd(), allowWrite: Boolean(flags.allowWrite), print: Boolean(flags.print) }), Boolean(flags.json));
    });
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

export const MCP_CLIENTS = ['claude', 'cursor', 'vscode'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];

/**
 * Where each client reads a project's MCP servers, and the shape of its file:
 * Claude Code's `.mcp.json`, Cursor's `.cursor/mcp.json` (both `mcpServers`)
 * and VS Code's `.vscode/mcp.json` (`servers`, with a `type`).
 */
const CLIENTS: Record<McpClient, { file: string; key: 'mcpServers' | 'servers'; typed: boolean }> = {
  claude: { file: '.mcp.json', key: 'mcpServers', typed: false },
  cursor: { file: '.cursor/mcp.json', key: 'mcpServers', typed: false },
  vscode: { file: '.vscode/mcp.json', key: 'servers', typed: true },
};

export interface McpInstall {
  client: McpClient;
  file: string;
  /** The whole file as it is (or would be) written. */
  content: string;
  written: boolean;
}

/**
 * Adds (or updates) the `hooks` server in a client's project configuration,
 * keeping every other server the file names. With `print`, nothing is written.
 */
export function installMcp(client: string, opts: { dir: string; allowWrite: boolean; print: boolean }): McpInstall {
  if (!(MCP_CLIENTS as readonly string[]).includes(client)) throw new UsageError(`--client ${client} is not one hooks configures`, `one of: ${MCP_CLIENTS.join(', ')}`);
  const spec = CLIENTS[client as McpClient];
  const file = join(opts.dir, spec.file);
  const existing = readConfig(file);
  const entry = { ...(spec.typed ? { type: 'stdio' } : {}), command: 'hooks', args: ['mcp', ...(opts.allowWrite ? ['--allow-write'] : [])] };
  const servers = { ...((existing[spec.key] as Record<string, unknown> | undefined) ?? {}), hooks: entry };
  const content = `${JSON.stringify({ ...existing, [spec.key]: servers }, null, 2)}\n`;
  if (!opts.print) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { client: client as McpClient, file, content, written: !opts.print };
}

/** The clients whose project configuration in `dir` names a `hooks` server (for hooks doctor). */
export function installedMcpClients(dir: string): McpClient[] {
  return MCP_CLIENTS.filter((c) => {
    const spec = CLIENTS[c];
    const servers = readConfig(join(dir, spec.file))[spec.key] as Record<string, unknown> | undefined;
    return Boolean(servers && typeof servers === 'object' && 'hooks' in servers);
  });
}

function readConfig(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw new UsageError(`${file} is not a JSON object`, 'fix or remove it, then run hooks mcp install again');
}

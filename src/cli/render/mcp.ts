import type { McpInstall } from '../../core/config/mcp-clients.js';
import { printJson } from './output.js';
import { style } from './style.js';

export function printMcpInstall(result: McpInstall, json: boolean): void {
  if (json) return printJson(result);
  if (!result.written) {
    process.stdout.write(result.content);
    return;
  }
  process.stdout.write(`${style.ok('✓')} ${result.client} runs hooks mcp from ${result.file}\n${style.dim('Restart the agent (or reload its MCP servers) to pick it up; hooks doctor checks it.')}\n`);
}

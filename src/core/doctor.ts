import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from './api/client.js';
import { resolveConnection, type ConnectionFlags } from './api/connection.js';
import { localServerFile } from './config/local-server.js';
import { configDir, dataDir } from './config/paths.js';
import { configFile } from './config/profiles.js';
import { installedMcpClients } from './config/mcp-clients.js';
import { runningSessions } from './config/sessions.js';
import { ExitCode, HooksError } from './errors.js';
import { findCloudflared } from './tunnel/cloudflared.js';
import { ngrokAgent } from './tunnel/ngrok.js';

export interface Check {
  id: string;
  /** Whether `hooks doctor` fails (exit 1) when this check does. */
  required: boolean;
  ok: boolean;
  /** What was found, in one line. */
  detail: string;
  /** How to fix it, when not ok. */
  fix: string | null;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
  exitCode: ExitCode;
}

const MIN_NODE = [20, 19] as const;

/**
 * Everything a first run can trip over, checked the way the CLI itself would
 * meet it: Node, the config and data paths and their modes, the API with the
 * token the CLI would send, the tunnel binaries, and running listen sessions.
 */
export async function doctor(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const checks: Check[] = [nodeCheck(), dirCheck('config', configDir(env), [configFile(env), localServerFile(env), join(configDir(env), 'listen.json')]), dirCheck('store', dataDir(env), [join(dataDir(env), 'events.db'), join(dataDir(env), 'server.db')])];
  checks.push(await apiCheck(flags, env));
  checks.push(cloudflaredCheck(env), ngrokCheck(env));
  checks.push(sessionsCheck(env), mcpCheck(process.cwd()));
  const ok = checks.every((c) => c.ok || !c.required);
  return { ok, checks, exitCode: ok ? ExitCode.ok : ExitCode.failed };
}

function nodeCheck(): Check {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return { id: 'node', required: true, ok, detail: `Node ${process.versions.node} (needs ${MIN_NODE.join('.')} or newer)`, fix: ok ? null : 'install Node 20.19 or newer (nodejs.org, or your version manager)' };
}

/** A directory that must be writable and private, and the files in it that hold secrets or bodies (0600). */
function dirCheck(id: 'config' | 'store', dir: string, files: string[]): Check {
  const label = id === 'config' ? 'config' : 'store';
  if (!existsSync(dir)) return { id, required: true, ok: true, detail: `${label} ${dir} (not created yet; made 0700 on first use)`, fix: null };
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return { id, required: true, ok: false, detail: `${label} ${dir} is not writable`, fix: `fix its owner or mode (chmod 700 ${dir}), or point HOOKS_${id === 'config' ? 'CONFIG' : 'DATA'}_DIR elsewhere` };
  }
  const open = [dir, ...files.filter((f) => existsSync(f))].filter((f) => (statSync(f).mode & 0o077) !== 0);
  if (open.length > 0) {
    return { id, required: true, ok: false, detail: `${label}: readable by others: ${open.join(', ')}`, fix: `chmod go-rwx ${open.join(' ')}` };
  }
  return { id, required: true, ok: true, detail: `${label} ${dir} (private)`, fix: null };
}

async function apiCheck(flags: ConnectionFlags, env: NodeJS.ProcessEnv): Promise<Check> {
  let client: ApiClient | null = null;
  try {
    const connection = resolveConnection({ ...flags, timeoutMs: flags.timeoutMs ?? 5000 }, env);
    client = new ApiClient(connection);
    await client.listSubscriptions(1);
    return { id: 'api', required: true, ok: true, detail: `API ${connection.url} answers with the token the CLI uses (${connection.token ? `from ${connection.source}` : 'none needed'})`, fix: null };
  } catch (err) {
    if (!(err instanceof HooksError)) throw err;
    return { id: 'api', required: true, ok: false, detail: err.message, fix: err.hint ?? null };
  } finally {
    await client?.close();
  }
}

function cloudflaredCheck(env: NodeJS.ProcessEnv): Check {
  const bin = findCloudflared(env);
  return bin
    ? { id: 'cloudflared', required: false, ok: true, detail: `cloudflared ${bin} (for listen's default tunnel)`, fix: null }
    : { id: 'cloudflared', required: false, ok: false, detail: 'cloudflared: not installed (listen --tunnel cloudflared needs it)', fix: "install it from your package manager or Cloudflare's releases, or use listen --tunnel none / --public-url URL" };
}

function ngrokCheck(env: NodeJS.ProcessEnv): Check {
  const agent = ngrokAgent(env);
  if (!agent) return { id: 'ngrok', required: false, ok: false, detail: 'ngrok: the agent library (@ngrok/ngrok) is not installed (listen --tunnel ngrok needs it)', fix: 'npm install -g @ngrok/ngrok, or use the cloudflared tunnel' };
  if (!env.NGROK_AUTHTOKEN) return { id: 'ngrok', required: false, ok: false, detail: `ngrok: ${agent} is installed, NGROK_AUTHTOKEN is not set (listen --tunnel ngrok needs it)`, fix: 'export NGROK_AUTHTOKEN=… (https://dashboard.ngrok.com/get-started/your-authtoken)' };
  return { id: 'ngrok', required: false, ok: true, detail: `ngrok ${agent} with NGROK_AUTHTOKEN (for listen --tunnel ngrok)`, fix: null };
}

/** Whether this project tells a coding agent about hooks mcp (hooks mcp install). */
function mcpCheck(dir: string): Check {
  let clients: string[];
  try {
    clients = installedMcpClients(dir);
  } catch (err) {
    return { id: 'mcp', required: false, ok: false, detail: `mcp: ${(err as Error).message}`, fix: (err as HooksError).hint ?? null };
  }
  return clients.length > 0
    ? { id: 'mcp', required: false, ok: true, detail: `mcp: hooks mcp is configured for ${clients.join(', ')} in ${dir}`, fix: null }
    : { id: 'mcp', required: false, ok: false, detail: `mcp: no coding agent in ${dir} is configured to use hooks mcp`, fix: 'hooks mcp install --client claude (or cursor, vscode)' };
}

function sessionsCheck(env: NodeJS.ProcessEnv): Check {
  const sessions = runningSessions(env);
  if (sessions.length === 0) return { id: 'listen', required: false, ok: false, detail: 'no hooks listen session is running', fix: 'hooks listen --forward localhost:3000 (your app) starts one' };
  const detail = sessions.map((s) => `listen (pid ${s.pid}) ${s.public_url} → store ${s.store}`).join('; ');
  // Two sessions subscribed on one API that forward to one place: each event reaches the app twice.
  const doubled = sessions.flatMap((a, i) =>
    sessions.slice(i + 1).flatMap((b) => {
      const shared = (a.targets ?? []).filter((t) => (b.targets ?? []).includes(t));
      return a.api_url && a.api_url === b.api_url && shared.length > 0 ? [`pids ${a.pid} and ${b.pid} both forward ${a.api_url}'s events to ${shared.join(', ')}`] : [];
    }),
  );
  if (doubled.length > 0) return { id: 'listen', required: false, ok: false, detail: `${detail}; ${doubled.join('; ')}: each event reaches the app twice`, fix: 'stop one of them (or restart one with --no-subscribe)' };
  return { id: 'listen', required: false, ok: true, detail, fix: null };
}

import { request } from 'undici';
import { inspectorRecords } from './config/inspectors.js';
import { describeSource, type Connection } from './api/connection.js';
import { ConnectError, OperationError } from './errors.js';
import { describeNetworkError } from './http/send.js';

export interface InspectorLink {
  url: string;
  /** The event store the inspector shows. */
  store: string;
  pid: number;
}

/**
 * A fresh link to each running inspector (of a listen session or of `hooks
 * inspect`), asked of the inspector itself with the key in its 0600 record:
 * each link opens one browser session, once, within 10 minutes.
 */
export async function inspectorLinks(env: NodeJS.ProcessEnv = process.env): Promise<InspectorLink[]> {
  const running = inspectorRecords.running(env);
  if (running.length === 0) throw new OperationError('no inspector is running', 'hooks listen serves one while it runs; or start one: hooks inspect', 'no_inspector');
  const links: InspectorLink[] = [];
  for (const r of running) {
    const url = await askForLink(`${r.url}/api/link`, r.link_key, 'url');
    links.push({ url, store: r.store, pid: r.pid });
  }
  return links;
}

/** A fresh console link from the hooks server the connection names, asked with its API token. */
export async function consoleLink(connection: Connection): Promise<string> {
  if (!connection.token) throw new OperationError(`no API token for ${connection.url}`, `the hooks CLI on the server's machine finds it by itself; ${describeSource(connection.source)}`, 'unauthorized');
  return askForLink(`${connection.url.replace(/\/$/, '')}/console/link`, connection.token, 'console_url');
}

async function askForLink(url: string, key: string, field: string): Promise<string> {
  let status: number;
  let text: string;
  try {
    const res = await request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, origin: new URL(url).origin }, headersTimeout: 10_000, bodyTimeout: 10_000 });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    throw new ConnectError(`cannot reach ${new URL(url).origin}`, describeNetworkError(err), 'unreachable');
  }
  if (status === 404) throw new OperationError(`${new URL(url).origin} serves no console`, 'it was started with --no-console: restart hooks server without it', 'no_console');
  if (status !== 200) throw new OperationError(`${url} refused a new link (${status})`, 'check that the token or the running process is this machine\'s own', 'link_refused');
  return (JSON.parse(text) as Record<string, string>)[field]!;
}

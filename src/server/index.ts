import { randomBytes } from 'node:crypto';
import { version } from '../core/version.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { readLocalServer, writeLocalServer } from '../core/config/local-server.js';
import { ConnectError, UsageError } from '../core/errors.js';
import { getProvider } from '../core/providers/registry.js';
import { createGuardedServer, defaultLimits, type ServerLimits } from '../core/http/guarded-server.js';
import type { LocalPages } from '../core/http/page-guard.js';
import { buildRouter, createHandler } from './app.js';
import type { ServerContext, ServerSettings } from './context.js';
import { DeliveryDispatcher } from './delivery/dispatcher.js';
import type { ServerEvent } from './events.js';
import { MAX_BODY_BYTES } from '../core/http/json-request.js';
import { Store } from './store.js';
import { HookRegistrations } from './hooks/registrations.js';
import { guardedConnector } from './url-policy.js';

export interface ServerOptions extends ServerSettings {
  host: string;
  port: number;
  dataDir: string;
  /** Use this token; otherwise the stored one, or a new one. */
  token?: string;
  /** Write url and token to the user's config for the CLI (not done for in-process servers such as the demo's). */
  publish: boolean;
  maxInFlight?: number;
  maxPerSubscription?: number;
  /** Timeouts and connection cap of the API's HTTP server. */
  limits?: Partial<ServerLimits>;
  /** Pages served beside the API (the console), and their guard. */
  pages?: LocalPages;
  emit: (event: ServerEvent) => void;
}

export interface RunningServer {
  url: string;
  token: string;
  /** Stops accepting, lets in-flight attempts end (at most `graceMs`), closes the database. */
  close(graceMs?: number): Promise<void>;
}


/**
 * Starts the emulator: checks its settings, opens the store, listens, resumes
 * unfinished deliveries and reports `server.ready`. A port in use or an
 * address that cannot be bound is a ConnectError with the fix.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  getProvider(opts.defaultProvider);
  if (opts.token !== undefined && opts.token.trim().length < 16) {
    throw new UsageError('--token (or HOOKS_SERVER_TOKEN) must be at least 16 characters', 'leave it out and hooks server creates and stores a strong one');
  }
  const stored = opts.publish ? readLocalServer() : null;
  const token = opts.token?.trim() ?? stored?.token ?? `hk_${randomBytes(24).toString('base64url')}`;
  const tokenCreated = !opts.token && !stored?.token;
  const store = new Store(opts.dataDir);
  const http = new Agent({
    connections: 128,
    keepAliveTimeout: 10_000,
    ...(opts.strictUrls ? { connect: guardedConnector() } : {}),
  });
  const dispatcher = new DeliveryDispatcher(store, http, {
    timeScale: opts.timeScale,
    maxInFlight: opts.maxInFlight ?? 256,
    maxPerSubscription: opts.maxPerSubscription ?? 32,
    strictUrls: opts.strictUrls,
    emit: opts.emit,
  });
  const ctx: ServerContext = { store, dispatcher, http, settings: opts, emit: opts.emit, hooks: new HookRegistrations() };
  const server = createGuardedServer(createHandler(ctx, buildRouter(ctx, version), token, opts.pages), { ...defaultLimits(MAX_BODY_BYTES), ...opts.limits });

  try {
    await listen(server, opts.port, opts.host);
  } catch (err) {
    store.close();
    await http.close();
    const e = err as NodeJS.ErrnoException;
    // A usage error, as for listen: the user fixes it with a flag.
    if (e.code === 'EADDRINUSE') throw new UsageError(`port ${opts.port} on ${opts.host} is in use (another hooks server?)`, 'stop it, or pass --port 0 to pick a free port', 'port_in_use');
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'EACCES') throw new ConnectError(`cannot listen on ${opts.host}:${opts.port} (${e.code})`, 'pick another --host or --port', 'cannot_listen');
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  opts.pages?.guard.bind(port);
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  const tokenFile = opts.publish ? writeLocalServer({ url, token, data_dir: opts.dataDir, pid: process.pid }) : null;
  const resumed = dispatcher.recover();
  opts.emit({
    type: 'server.ready',
    url,
    data_dir: opts.dataDir,
    database: store.file,
    token_file: tokenFile,
    token_created: tokenCreated,
    provider: opts.defaultProvider,
    strict_urls: opts.strictUrls,
    time_scale: opts.timeScale,
    resumed,
    console_url: opts.pages ? opts.pages.guard.link(opts.pages.prefix) : null,
  });
  if (!['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
    opts.emit({ type: 'server.warning', message: `listening on ${opts.host}: the API is reachable beyond this machine; only the token protects it` });
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    token,
    close(graceMs = 5000) {
      closing ??= (async () => {
        opts.emit({ type: 'server.stopping', in_flight: dispatcher.busy });
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await dispatcher.stop(graceMs);
        server.closeAllConnections();
        await closed;
        await http.close().catch(() => undefined);
        store.close();
        opts.emit({ type: 'server.stopped' });
      })();
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

import { randomBytes } from 'node:crypto';
import { version } from '../core/version.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { publishLocalServer, readLocalServer, withdrawLocalServer } from '../core/config/local-server.js';
import { ConnectError, UsageError } from '../core/errors.js';
import { getProvider, PROVIDERS } from '../core/providers/registry.js';
import { createGuardedServer, defaultLimits, type ServerLimits } from '../core/http/guarded-server.js';
import type { LocalPages } from '../core/http/page-guard.js';
import { buildRouter, createHandler } from './app.js';
import type { ServerContext, ServerSettings } from './context.js';
import { ConsolePages } from './console-pages.js';
import { DataDirLock } from './data-dir-lock.js';
import { DeliveryDispatcher } from './delivery/dispatcher.js';
import type { ServerEvent } from './events.js';
import { MAX_BODY_BYTES } from '../core/http/json-request.js';
import { PlatformService } from './service.js';
import { openPlatformStore } from './store/open.js';
import type { StorageError } from './store/storage-error.js';
import { guardedConnector } from './url-policy.js';

export interface ServerOptions extends ServerSettings {
  host: string;
  port: number;
  dataDir: string;
  /** A PostgreSQL URL: the platform lives there, shared by every instance started with it; SQLite in the data dir otherwise. */
  databaseUrl?: string;
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
  /** Stops accepting, gives in-flight attempts `graceMs`, cuts off and records the rest, closes the database. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Starts the emulator: checks its settings, takes the data dir (SQLite) or
 * connects to the shared database (PostgreSQL), listens, starts delivering
 * what is owed and reports `server.ready`. A port in use, a data dir another
 * server holds, or a store the machine cannot give is a typed error with the fix.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  getProvider(opts.defaultProvider);
  if (opts.token !== undefined && opts.token.trim().length < 16) {
    throw new UsageError('--token (or HOOKS_SERVER_TOKEN) must be at least 16 characters', 'leave it out and hooks server creates and stores a strong one');
  }
  // Before anything is opened or written: a second server on this data dir never touches it, nor server.json.
  const lock = opts.databaseUrl ? null : DataDirLock.acquire(opts.dataDir);
  const storage = (problem: StorageError | null, sinceMs: number) =>
    opts.emit(problem ? { type: 'storage.failed', problem: problem.problem, message: problem.message, hint: problem.hint ?? null } : { type: 'storage.recovered', after_ms: sinceMs });
  let store;
  try {
    store = await openPlatformStore({ dataDir: opts.dataDir, databaseUrl: opts.databaseUrl }, storage);
  } catch (err) {
    lock?.release();
    throw err;
  }
  let shared: { token: string; created: boolean } | null;
  try {
    // What each emulated platform keeps for as long as its data lives (Asgardeo's organization id), before anything is sent.
    for (const kept of PROVIDERS.flatMap((p) => (p.keptIdentity ? [p.keptIdentity] : []))) kept.use(await store.keptValue(kept.key, kept.fresh()));
    shared = store.kind === 'postgres' ? await store.sharedToken(opts.token?.trim()) : null;
  } catch (err) {
    await store.close();
    lock?.release();
    throw err;
  }
  const stored = opts.publish ? readLocalServer() : null;
  const token = opts.token?.trim() ?? shared?.token ?? stored?.token ?? `hk_${randomBytes(24).toString('base64url')}`;
  const tokenCreated = shared ? shared.created : !opts.token && !stored?.token;
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
  const service = new PlatformService(store, opts.timeScale, opts.emit);
  const ctx: ServerContext = { store, service, http, settings: opts, emit: opts.emit };
  const consolePages = opts.pages ? new ConsolePages(opts.pages, store) : undefined;
  const server = createGuardedServer(createHandler(ctx, buildRouter(ctx, version), token, consolePages), { ...defaultLimits(MAX_BODY_BYTES), ...opts.limits });

  try {
    await listen(server, opts.port, opts.host);
  } catch (err) {
    service.close();
    await store.close();
    lock?.release();
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
  lock?.listening(url);
  const tokenFile = opts.publish ? publishLocalServer({ url, token, data_dir: opts.dataDir, pid: process.pid }) : null;
  const resumed = await store.queue.owed();
  dispatcher.start();
  opts.emit({
    type: 'server.ready',
    url,
    data_dir: opts.dataDir,
    database: store.location,
    token_file: tokenFile,
    token_created: tokenCreated,
    provider: opts.defaultProvider,
    strict_urls: opts.strictUrls,
    time_scale: opts.timeScale,
    resumed,
    console_url: consolePages ? await consolePages.link() : null,
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
        service.close();
        server.closeAllConnections();
        await closed;
        await http.close().catch(() => undefined);
        await store.close();
        lock?.release();
        if (opts.publish) withdrawLocalServer(process.pid);
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

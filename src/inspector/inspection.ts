import { storedListenSecret } from '../core/config/listen-secrets.js';
import { dataDir as defaultDataDir } from '../core/config/paths.js';
import { openEventStore } from '../core/store/event-store.js';
import { startInspector, type RunningInspector } from './server.js';

/**
 * `hooks inspect`: the store of a data dir, opened here as this process's
 * one store, and the inspector over it; closing stops both.
 */
export async function startInspection(opts: { dataDir?: string; secret?: string; port: number; timeoutMs: number; insecure: boolean }): Promise<RunningInspector> {
  const store = await openEventStore(opts.dataDir ?? defaultDataDir());
  try {
    const inspector = await startInspector({
      store,
      secretFor: (provider) => opts.secret ?? (provider ? storedListenSecret(provider) : null),
      session: () => ({ mode: 'inspect', public_url: null, provider: null }),
      port: opts.port,
      timeoutMs: opts.timeoutMs,
      insecure: opts.insecure,
    });
    return {
      url: inspector.url,
      async close() {
        await inspector.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}

import { storedListenSecret } from '../core/config/listen-secrets.js';
import { openInbox } from '../core/inbox/inbox.js';
import { startInspector, type RunningInspector } from './server.js';

/**
 * `hooks inspect`: the inbox of a data dir, opened here over this process's
 * one store, and the inspector over it; closing stops both. It re-signs
 * with `--secret`, else with listen's stored session secret of the provider.
 */
export async function startInspection(opts: { dataDir?: string; secret?: string; port: number; timeoutMs: number; insecure: boolean }): Promise<RunningInspector> {
  const inbox = await openInbox(opts.dataDir, {
    secretFor: (provider) => opts.secret ?? (provider ? storedListenSecret(provider) : null),
    timeoutMs: opts.timeoutMs,
    insecure: opts.insecure,
    hints: { sign: 'run hooks inspect --secret S, or replay it from a hooks listen session' },
  });
  try {
    const inspector = await startInspector({ inbox, session: () => ({ mode: 'inspect', public_url: null, provider: null }), port: opts.port });
    return {
      url: inspector.url,
      async close() {
        await inspector.close();
        await inbox.close();
      },
    };
  } catch (err) {
    await inbox.close();
    throw err;
  }
}

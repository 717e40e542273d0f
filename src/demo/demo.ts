import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../core/api/client.js';
import { ExitCode } from '../core/errors.js';
import { DEFAULT_PROVIDER, PROVIDERS } from '../core/providers/registry.js';
import type { RelayEvent } from '../core/relay/events.js';
import { withInbox } from '../core/inbox/inbox.js';
import { ListenSession } from '../core/relay/listen-session.js';
import { startServer, type RunningServer } from '../server/index.js';
import { startReceiverApp, type AppDelivery } from './receiver-app.js';

export type DemoEvent =
  | { type: 'step'; name: string; ok: boolean; detail: string }
  /** A provider's subscription activated by a handshake (WebSub, Okta's verification), shown in the providers' columns. */
  | { type: 'activation'; provider: string; ok: boolean; detail: string }
  | { type: 'delivery'; provider: string; event_type: string; event_id: string; status: number | null; relay: string; app: string; latency_ms: number | null; ok: boolean }
  | { type: 'replay'; id: string; provider: string; event_type: string; status: number | null; ok: boolean }
  | { type: 'done'; ok: boolean; failures: string[] };

export interface DemoResult {
  ok: boolean;
  failures: string[];
  exitCode: ExitCode;
}

/**
 * The tour: the emulator, a receiver app that verifies signatures itself,
 * and a listen session between them, all in this process on loopback with a
 * temporary data dir. One event for each provider, one replay,
 * then everything is stopped and removed. Exit 0 only if every step
 * succeeded. It composes the server and the engine, so it lives above both.
 */
export async function runDemo(emit: (e: DemoEvent) => void): Promise<DemoResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hooks-demo-'));
  // One secret every profile accepts (Standard Webhooks needs whsec_ + base64), for the demo only.
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const failures: string[] = [];
  const step = (name: string, ok: boolean, detail: string) => {
    if (!ok) failures.push(`${name}: ${detail}`);
    emit({ type: 'step', name, ok, detail });
  };
  const appSeen: AppDelivery[] = [];
  const relayEvents: RelayEvent[] = [];
  let server: RunningServer | null = null;
  let app: Awaited<ReturnType<typeof startReceiverApp>> | null = null;
  let listen: ListenSession | null = null;
  let client: ApiClient | null = null;
  try {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      dataDir: join(dir, 'server'),
      defaultProvider: DEFAULT_PROVIDER,
      strictUrls: false,
      timeScale: 0.001,
      rotationGraceMs: 0,
      token: `demo_${randomBytes(24).toString('base64url')}`,
      publish: false,
      emit: () => undefined,
    });
    step('emulator', true, `hooks server at ${server.url} (data in a temporary directory)`);
    client = new ApiClient({ url: server.url, token: server.token, source: 'demo', timeoutMs: 15_000 });

    app = await startReceiverApp(secret, (d) => appSeen.push(d));
    step('app', true, `a receiver app at ${app.url} that verifies every signature itself`);

    listen = new ListenSession({
      forwards: [new URL(app.url)],
      routes: [],
      provider: 'auto',
      events: ['*'],
      secret,
      tunnel: { kind: 'none' },
      subscribe: false,
      forwardInvalid: false,
      timeoutMs: 10_000,
      maxBodyBytes: 10 * 1024 * 1024,
      insecure: false,
      dataDir: join(dir, 'listen'),
      connection: { apiUrl: server.url, token: server.token },
      record: false,
      emit: (e) => relayEvents.push(e),
    });
    await listen.start();
    const ready = relayEvents.find((e) => e.type === 'listen.ready');
    const listenUrl = ready && ready.type === 'listen.ready' ? ready.local_url : '';
    step('listen', Boolean(listenUrl), `hooks listen at ${listenUrl}, forwarding to the app`);

    for (const profile of PROVIDERS) {
      const sub = await client.createSubscription({ name: `demo ${profile.id}`, url: `${listenUrl}/${profile.id}`, events: ['*'], provider: profile.id, secret, active: true });
      if (!sub.active) {
        const detail = sub.verification?.error ?? 'the subscription did not activate';
        failures.push(`subscribe ${profile.id}: ${detail}`);
        emit({ type: 'activation', provider: profile.id, ok: false, detail });
        continue;
      }
      if (profile.handshake) {
        const topics = sub.verification?.topics.length ?? 0;
        const what = profile.handshake.kind === 'websub' ? `WebSub handshake, ${topics} topic${topics === 1 ? '' : 's'}` : 'verification request';
        emit({ type: 'activation', provider: profile.id, ok: true, detail: `${what}, answered by hooks listen: active` });
      }
      // Each platform's own representative event (GitHub's push, Clerk's user.created), never its test event.
      const type = profile.catalog.representative;
      const event = await client.createEvent({ type, provider: profile.id }, 10_000);
      const attempt = event.deliveries?.[0]?.attempts[0];
      const forwarded = relayEvents.find((e) => e.type === 'delivery.forwarded' && e.event_id === event.id);
      const atApp = appSeen.find((d) => d.path === `/${profile.id}`);
      const relay = forwarded && forwarded.type === 'delivery.forwarded' ? forwarded.verdict : 'not received';
      const appVerdict = atApp ? (atApp.report.valid ? 'verified' : `invalid (${atApp.report.reason})`) : 'not received';
      const ok = Boolean(attempt?.success) && relay === 'verified' && appVerdict === 'verified';
      if (!ok) failures.push(`${profile.id} ${type}: delivery ${attempt?.status_code ?? 'none'}, relay ${relay}, app ${appVerdict}`);
      emit({ type: 'delivery', provider: profile.id, event_type: type, event_id: event.id, status: attempt?.status_code ?? null, relay, app: appVerdict, latency_ms: attempt?.duration_ms ?? null, ok });
    }

    await listen.stop(5000);
    listen = null;
    await withInbox(join(dir, 'listen'), { timeoutMs: 10_000 }, async (inbox) => {
      const [first] = await inbox.list({}, 1);
      if (!first) return step('replay', false, 'nothing was stored');
      const before = appSeen.length;
      const { results: [r] } = await inbox.replay(first.id, { to: new URL(`${app!.url}${first.untrusted.path}`) });
      const ok = Boolean(r?.ok) && appSeen.length === before + 1 && appSeen.at(-1)!.report.valid;
      if (!ok) failures.push(`replay of ${first.id}: ${r?.error ?? 'the app did not verify it'}`);
      emit({ type: 'replay', id: first.id, provider: first.provider ?? '?', event_type: first.untrusted.event_type ?? '?', status: r?.status ?? null, ok });
    });
  } catch (err) {
    step('demo', false, (err as Error).message);
  } finally {
    await listen?.stop(1000).catch(() => undefined);
    await client?.close().catch(() => undefined);
    await server?.close(1000).catch(() => undefined);
    if (app) await new Promise((r) => app!.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
  const ok = failures.length === 0;
  emit({ type: 'done', ok, failures });
  return { ok, failures, exitCode: ok ? ExitCode.ok : ExitCode.failed };
}

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { storeFile } from '../../../src/core/store/schema.js';
import { openReadOnly } from '../../../src/core/store/read-only.js';
import { runCli } from '../../helpers/cli.js';
import { startHooksProcess, startTextProcess, tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * #33 item 6: several providers in one session. One repeatable flag
 * (`--forward P=TARGET`) or one hooks.json block (`listen.providers`) routes
 * each provider's deliveries and gives its secret; the session subscribes
 * once per provider, each subscription with that provider's session secret,
 * and removes them all when it ends.
 */
let server: HooksServer;
let app: Receiver;
let env: Record<string, string | undefined>;
/** The secret the app verifies each provider's deliveries with: what `hooks listen --print-secret --provider P` prints. */
const appSecrets: Record<string, string> = {};

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: server.url, HOOKS_API_TOKEN: server.token, HOOKS_SECRET: undefined, CI: 'true' };
  for (const p of ['ithbat', 'github', 'standard']) appSecrets[p] = (await runCli(['listen', '--print-secret', '--provider', p], { env })).stdout.trim();
  // An app as the sample receivers are: one path a provider, each verifying with its own secret; 404 elsewhere.
  app = await startReceiver((req) => {
    const m = /^\/webhooks\/([a-z]+)$/.exec(req.url);
    if (!m || !appSecrets[m[1]!]) return { status: 404, body: 'no such route' };
    const ok = verifyDelivery({ provider: m[1]!, body: req.body, headers: req.headers as Record<string, string>, secret: appSecrets[m[1]!]! }).valid;
    return { status: ok ? 200 : 401, body: ok ? 'ok' : 'bad signature' };
  });
});
afterAll(async () => {
  await server.kill9();
  await app.close();
});

type Sub = { id: string; provider: string; url: string; name: string };
const subscriptions = async (): Promise<Sub[]> => JSON.parse((await runCli(['subs', 'list', '--json'], { env })).stdout) as Sub[];
const routes = () => ['--forward', `ithbat=${app.url}/webhooks/ithbat`, '--forward', `github=${app.url}/webhooks/github`];
const hits = (path: string) => app.requests.filter((r) => r.url === path).length;

describe('--forward PROVIDER=TARGET', { timeout: 60_000 }, () => {
  it('subscribes once per provider, routes each provider to its target, and each verifies with its session secret', async () => {
    const listen = await startListen([...routes(), '--tunnel', 'none'], env);
    try {
      expect(listen.ready.subscriptions.map((s: Sub) => s.provider)).toEqual(['ithbat', 'github']);
      expect(listen.ready.provider_routes).toEqual([
        { provider: 'ithbat', targets: [`${app.url}/webhooks/ithbat`] },
        { provider: 'github', targets: [`${app.url}/webhooks/github`] },
      ]);
      const mine = (await subscriptions()).filter((s) => listen.ready.subscriptions.some((m: Sub) => m.id === s.id));
      expect(mine.map((s) => s.provider).sort()).toEqual(['github', 'ithbat']);
      for (const s of mine) expect(new URL(s.url).href).toBe(new URL(listen.publicUrl).href);
      // No subscription in the API's default dialect that would reach the app at a path it does not serve.
      expect(mine.some((s) => s.provider === 'standard')).toBe(false);
      for (const p of ['ithbat', 'github']) {
        expect(listen.ready.secrets.find((s: { provider: string }) => s.provider === p)).toMatchObject({ from: 'session', print_secret: `hooks listen --print-secret --provider ${p}` });
      }

      const before = { ithbat: hits('/webhooks/ithbat'), github: hits('/webhooks/github') };
      const user = await runCli(['trigger', 'user.created'], { env });
      expect(user.code, user.stdout + user.stderr).toBe(0);
      const push = await runCli(['trigger', 'push', '--provider', 'github'], { env });
      expect(push.code, push.stdout + push.stderr).toBe(0);
      expect(hits('/webhooks/ithbat')).toBe(before.ithbat + 1);
      expect(hits('/webhooks/github')).toBe(before.github + 1);
      const forwarded = listen.events.filter((e) => e.type === 'delivery.forwarded');
      expect(forwarded.map((e) => [e.provider, e.verdict, e.status])).toEqual([
        ['ithbat', 'verified', 200],
        ['github', 'verified', 200],
      ]);
    } finally {
      expect(await listen.stop('SIGINT')).toBe(0);
    }
    // Each delivery is stored with the subscription of its own provider (catch-up starts from it).
    const db = openReadOnly(storeFile(listen.dataDir));
    try {
      const stored = db.prepare('SELECT provider, subscription_id FROM deliveries ORDER BY received_at').all() as Array<{ provider: string; subscription_id: string }>;
      expect(stored).toEqual(listen.ready.subscriptions.map((s: Sub) => ({ provider: s.provider, subscription_id: s.id })));
    } finally {
      db.close();
    }
    const left = (await subscriptions()).filter((s) => listen.ready.subscriptions.some((m: Sub) => m.id === s.id));
    expect(left).toEqual([]);
  });

  it('a plain --forward beside them gets the rest, through a subscription as the API\'s default provider', async () => {
    const listen = await startListen(['--forward', `ithbat=${app.url}/webhooks/ithbat`, '--forward', `${app.url}/webhooks/standard`, '--tunnel', 'none'], env);
    try {
      expect(listen.ready.subscriptions.map((s: Sub) => s.provider)).toEqual(['ithbat', 'standard']);
      const before = { ithbat: hits('/webhooks/ithbat'), standard: hits('/webhooks/standard') };
      const r = await runCli(['trigger', 'user.created', '--provider', 'standard'], { env });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const i = await runCli(['trigger', 'user.created', '--provider', 'ithbat'], { env });
      expect(i.code, i.stdout + i.stderr).toBe(0);
      expect(hits('/webhooks/standard')).toBe(before.standard + 1);
      expect(hits('/webhooks/ithbat')).toBe(before.ithbat + 1);
    } finally {
      await listen.stop('SIGINT');
    }
  });

  it('a session killed with kill -9 leaves every one of its subscriptions to the next session, which removes them', async () => {
    const killed = await startListen([...routes(), '--tunnel', 'none'], env);
    const ids: string[] = killed.ready.subscriptions.map((s: Sub) => s.id);
    expect(ids).toHaveLength(2);
    await killed.kill9();
    const next = await startListen(['--forward', `${app.url}/webhooks/standard`, '--tunnel', 'none'], env);
    try {
      for (const id of ids) await next.waitForEvent((e) => e.type === 'listen.warning' && String(e.message).includes(`removed subscription ${id}`));
      const now = (await subscriptions()).map((s) => s.id);
      for (const id of ids) expect(now).not.toContain(id);
    } finally {
      await next.stop('SIGINT');
    }
  });

  it('a second Ctrl-C names every subscription it leaves behind and how to remove each', async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 4000 }));
    try {
      const first = await startListen(['--forward', `ithbat=${slow.url}/webhooks/ithbat`, '--forward', `github=${slow.url}/webhooks/github`, '--tunnel', 'none'], env);
      const ids: string[] = first.ready.subscriptions.map((s: Sub) => s.id);
      const trigger = runCli(['trigger', 'user.created', '--provider', 'ithbat', '--wait', '0s'], { env });
      await first.waitForEvent((e) => e.type === 'delivery.received');
      first.proc.kill('SIGINT');
      await first.waitForEvent((e) => e.type === 'listen.stopping');
      expect(await first.stop('SIGINT')).toBe(130);
      const said = first.events.filter((e) => e.type === 'listen.warning').map((e) => String(e.message)).join('\n');
      for (const id of ids) expect(said).toContain(`hooks subs delete ${id} --yes`);
      await trigger;
      const next = await startListen(['--forward', `${app.url}/webhooks/standard`, '--tunnel', 'none'], env);
      try {
        for (const id of ids) await next.waitForEvent((e) => e.type === 'listen.warning' && String(e.message).includes(`removed subscription ${id}`));
      } finally {
        await next.stop('SIGINT');
      }
    } finally {
      await slow.close();
    }
  });

  it('a delivery of a provider with no route, in a session with only provider routes, gets 404 saying how to route it', async () => {
    const listen = await startListen([...routes(), '--tunnel', 'none', '--no-subscribe'], env);
    try {
      const body = Buffer.from('{"id":"evt_s","type":"customer.created","object":"event","data":{"object":{}}}');
      const headers = getProvider('stripe').scheme.sign(body, 'whsec_stripe_not_routed_0123456789', { id: 'x', timestamp: Math.floor(Date.now() / 1000) });
      const r = await rawPost(`${listen.localUrl}/`, body, [['content-type', 'application/json'], ...Object.entries(headers)]);
      expect(r.status).toBe(404);
      expect(r.body.toString()).toContain('--forward stripe=');
      const line = await listen.waitForEvent((e) => e.type === 'delivery.rejected');
      expect(line).toMatchObject({ status: 404, reason: 'no_target', provider: 'stripe' });
      expect(line.message).toContain('--forward stripe=TARGET');
    } finally {
      await listen.stop('SIGINT');
    }
  });

  it('prints the routes in the banner, and --help shows the flag with an example', async () => {
    const p = await startTextProcess(['listen', ...routes(), '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', tempDir('data')], { ...env, HOOKS_SECRET_GITHUB: 'gh-secret-0123456789abcdefghij' }, 'Ctrl-C to stop');
    await p.stop('SIGINT');
    expect(p.output()).toContain(`ithbat → ${app.url}/webhooks/ithbat`);
    expect(p.output()).toContain(`github → ${app.url}/webhooks/github`);
    // A routed provider the session holds no secret for, in a session that verifies: every delivery of it would get 401.
    expect(p.output()).toMatch(/no ithbat secret.*--secret ithbat=/);
    const help = (await runCli(['listen', '--help'])).stdout;
    expect(help).toMatch(/\$ hooks listen .*--forward ithbat=localhost:3000\/webhooks\/ithbat --forward github=/);
  });
});

describe('hooks.json "providers"', { timeout: 60_000 }, () => {
  function project(content: unknown): string {
    const root = tempDir('project');
    mkdirSync(join(root, '.git'));
    const file = join(root, 'hooks.json');
    writeFileSync(file, JSON.stringify(content, null, 2));
    chmodSync(file, 0o644);
    return root;
  }

  it('one block routes and verifies several providers from a real platform (no subscription)', async () => {
    const ith = 'ith_whsec_fedcba9876543210fedcba9876543210';
    const gh = 'gh-secret-fedcba9876543210fedcba';
    const cwd = project({
      listen: {
        tunnel: 'none',
        providers: {
          ithbat: { forward: `${app.url}/webhooks/ithbat`, secret: 'env:ITHBAT_SECRET' },
          github: { forward: `${app.url}/webhooks/github`, secret: 'env:GH_SECRET' },
        },
      },
    });
    const listen = await startHooksProcess(['listen', '--json', '--no-subscribe', '--no-inspect', '--data-dir', tempDir('data')], { ...env, ITHBAT_SECRET: ith, GH_SECRET: gh }, 'listen.ready', { cwd });
    try {
      expect(listen.ready.secrets).toEqual([
        { provider: 'ithbat', secret: 'ith_whsec_fedc…', from: 'project', source: '$ITHBAT_SECRET (hooks.json listen.providers.ithbat.secret)', print_secret: null },
        { provider: 'github', secret: 'gh-s…', from: 'project', source: '$GH_SECRET (hooks.json listen.providers.github.secret)', print_secret: null },
      ]);
      for (const [p, secret] of [['ithbat', ith], ['github', gh]] as const) {
        const saved = appSecrets[p]!;
        appSecrets[p] = secret;
        try {
          const body = Buffer.from(JSON.stringify({ id: `evt_${p}_json`, type: 'user.created', created_at: '2026-01-01T00:00:00Z', data: {} }));
          const headers = getProvider(p).scheme.sign(body, secret, { id: 'x', timestamp: Math.floor(Date.now() / 1000) });
          const r = await rawPost(`${listen.ready.local_url}/`, body, [['content-type', 'application/json'], ...Object.entries(headers)]);
          expect(r.status, p).toBe(200);
          expect(await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.provider === p)).toMatchObject({ verdict: 'verified', target: `${app.url}/webhooks/${p}` });
        } finally {
          appSecrets[p] = saved;
        }
      }
    } finally {
      await listen.stop('SIGINT');
    }
  });

  it.each([
    [{ listen: { providers: { ithbt: { forward: '3000' } } } }, {}, 'unknown provider "listen.providers.ithbt" (did you mean "ithbat"?)'],
    [{ listen: { providers: { ithbat: { forwrd: '3000' } } } }, {}, 'unknown key "listen.providers.ithbat.forwrd" (did you mean "forward"?)'],
    [{ listen: { providers: { ithbat: { forward: '3000', secret: 'ith_whsec_literal' } } } }, {}, '"listen.providers.ithbat.secret" must name an environment variable'],
    [{ listen: { providers: { ithbat: { forward: 'ftp://x' } } } }, {}, '"listen.providers.ithbat.forward" must be a target'],
    [{ listen: { providers: { ithbat: { secret: 'env:A' } }, secrets: { ithbat: 'env:B' } } }, { A: 'a-secret', B: 'b-secret' }, 'listen.secrets.ithbat and listen.providers.ithbat.secret both give'],
  ])('names the key of a mistake (%j), exit 2', async (content, extra, message) => {
    const r = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env: { ...env, ...extra }, cwd: project(content) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('mistakes with --forward PROVIDER=TARGET (exit 2, with the fix)', () => {
  it.each([
    [['--forward', 'ithbt=localhost:3000/webhooks/ithbat'], ['unknown provider "ithbt" in --forward ithbt=', 'did you mean "ithbat"', '--forward PROVIDER=TARGET']],
    [['--forward', 'ithbat='], ['--forward ithbat= names no target', 'e.g. --forward ithbat=localhost:3000/webhooks/ithbat']],
    [['--provider', 'ithbat', '--forward', 'github=localhost:3000/webhooks/github'], ['--provider ithbat reads every delivery as ithbat', 'drop --provider']],
  ])('%j', async (args, messages) => {
    const r = await runCli(['listen', ...args, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', tempDir('data')], { env });
    expect(r.code, r.stderr).toBe(2);
    for (const m of messages) expect(r.stderr).toContain(m);
  });

  it('--events that a routed provider has no type for: names the provider and the fix', async () => {
    const r = await runCli(['listen', ...routes(), '--events', 'user.*', '--tunnel', 'none', '--no-inspect', '--data-dir', tempDir('data')], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('github');
    expect(r.stderr).toContain('--events');
    // Nothing is left subscribed by a session that did not start.
    expect((await subscriptions()).filter((s) => s.name.includes('hooks listen'))).toEqual([]);
  });
});

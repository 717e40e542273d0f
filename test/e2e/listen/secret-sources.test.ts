import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { runCli } from '../../helpers/cli.js';
import { startHooksProcess, startTextProcess, tempDir } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * #33 item 4: the banner (and listen.ready) names, per provider, where the
 * secret the session verifies with comes from, masked, and points at
 * `--print-secret --provider P` only when that prints the very secret.
 */
const ITHBAT = 'ith_whsec_0123456789abcdef0123456789abcdef';
const GITHUB = 'github-secret-0123456789abcdef';
let app: Receiver;
const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined, HOOKS_SECRET: undefined, CI: 'true' };
const noSubscribe = () => ['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--no-inspect', '--data-dir', tempDir('data')];

beforeAll(async () => {
  app = await startReceiver();
});
afterAll(() => app.close());

/** The banner of a human session, stopped once it is ready. */
async function banner(args: string[], extra: Record<string, string | undefined>, cwd?: string): Promise<string> {
  const p = await startTextProcess(args, { ...env, ...extra }, 'Ctrl-C to stop', { cwd });
  await p.stop('SIGINT');
  return p.output();
}

/** The ready event of a --json session, stopped once it is ready. */
async function ready(args: string[], extra: Record<string, string | undefined>, cwd?: string) {
  const p = await startHooksProcess([...args, '--json'], { ...env, ...extra }, 'listen.ready', { cwd });
  await p.stop('SIGINT');
  return p.ready;
}

describe('where each secret comes from (no subscription)', () => {
  it('HOOKS_SECRET_ITHBAT: named as the variable, masked, with no --print-secret pointer (which prints another secret)', async () => {
    const out = await banner(noSubscribe(), { HOOKS_SECRET_ITHBAT: ITHBAT });
    expect(out).toMatch(/ithbat\s+ith_whsec_0123…\s+from HOOKS_SECRET_ITHBAT/);
    expect(out).not.toContain('--print-secret');
    expect(out).not.toContain("auto's");
    expect(out).not.toContain(ITHBAT.slice(0, 15));
    // Every other provider has none here: said, with what a delivery of one meets.
    expect(out).toMatch(/others\s+none/);

    const r = await ready(noSubscribe(), { HOOKS_SECRET_ITHBAT: ITHBAT });
    expect(r.secrets).toEqual([{ provider: 'ithbat', secret: 'ith_whsec_0123…', from: 'env', source: 'HOOKS_SECRET_ITHBAT', print_secret: null }]);
    expect(r.other_secrets).toBe('none');
  });

  it('--secret P=S, a bare --secret and HOOKS_SECRET: each named as given', async () => {
    const perProvider = await ready([...noSubscribe(), '--secret', `ithbat=${ITHBAT}`, '--secret', `github=${GITHUB}`], {});
    expect(perProvider.secrets).toEqual([
      { provider: 'ithbat', secret: 'ith_whsec_0123…', from: 'flag', source: '--secret ithbat=…', print_secret: null },
      { provider: 'github', secret: 'gith…', from: 'flag', source: '--secret github=…', print_secret: null },
    ]);
    const bare = await ready([...noSubscribe(), '--secret', GITHUB], {});
    expect(bare.secrets).toEqual([{ provider: '*', secret: 'gith…', from: 'flag', source: '--secret', print_secret: null }]);
    const fromEnv = await ready(noSubscribe(), { HOOKS_SECRET: GITHUB });
    expect(fromEnv.secrets).toEqual([{ provider: '*', secret: 'gith…', from: 'env', source: 'HOOKS_SECRET', print_secret: null }]);
    const out = await banner(noSubscribe(), { HOOKS_SECRET: GITHUB });
    expect(out).toMatch(/every provider\s+gith…\s+from HOOKS_SECRET/);
    expect(out).not.toContain(GITHUB);
  });

  it('hooks.json: names the variable and the key that reads it', async () => {
    const root = tempDir('project');
    mkdirSync(join(root, '.git'));
    const file = join(root, 'hooks.json');
    writeFileSync(file, JSON.stringify({ listen: { secrets: { ithbat: 'env:MY_ITHBAT_SECRET' } } }));
    chmodSync(file, 0o644);
    const r = await ready(noSubscribe(), { MY_ITHBAT_SECRET: ITHBAT }, root);
    expect(r.secrets).toEqual([{ provider: 'ithbat', secret: 'ith_whsec_0123…', from: 'project', source: '$MY_ITHBAT_SECRET (hooks.json listen.secrets.ithbat)', print_secret: null }]);
    const out = await banner(noSubscribe(), { MY_ITHBAT_SECRET: ITHBAT }, root);
    expect(out).toMatch(/ithbat\s+ith_whsec_0123…\s+from \$MY_ITHBAT_SECRET \(hooks\.json listen\.secrets\.ithbat\)/);
    expect(out).not.toContain('--print-secret');
  });
});

describe('--print-secret beside a secret given for the same provider', () => {
  it('still prints the session secret (for scripts), and says on stderr which secret a session verifies with instead', async () => {
    const r = await runCli(['listen', '--print-secret', '--provider', 'ithbat'], { env: { ...env, HOOKS_SECRET_ITHBAT: ITHBAT } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^ith_whsec_/);
    expect(r.stdout).not.toContain(ITHBAT);
    expect(r.stderr).toContain('HOOKS_SECRET_ITHBAT');
    expect(r.stderr).not.toContain(ITHBAT);
    const plain = await runCli(['listen', '--print-secret', '--provider', 'ithbat'], { env });
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toBe(r.stdout);
  });
});

describe('where each secret comes from (with the session subscription)', () => {
  let server: HooksServer;
  let apiEnv: Record<string, string | undefined>;
  beforeAll(async () => {
    server = await startHooksServer({ args: ['--time-scale', '0.001'] });
    apiEnv = { ...env, HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: server.url, HOOKS_API_TOKEN: server.token };
  });
  afterAll(() => server.kill9());

  it('the session secret: points at --print-secret --provider P, which prints that very secret', async () => {
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--provider', 'lmif'], apiEnv);
    try {
      const printed = (await runCli(['listen', '--print-secret', '--provider', 'lmif'], { env: apiEnv })).stdout.trim();
      const entry = listen.ready.secrets.find((s: { provider: string }) => s.provider === 'lmif');
      expect(entry).toMatchObject({ from: 'session', print_secret: 'hooks listen --print-secret --provider lmif' });
      expect(printed.startsWith(entry.secret.slice(0, -1))).toBe(true);
      expect(listen.ready.other_secrets).toBe('session');
    } finally {
      await listen.stop('SIGINT');
    }
  });

  it('HOOKS_SECRET_<P> for the subscribed provider: the subscription signs with it, and the banner names it, not --print-secret', async () => {
    const own = getProvider('lmif').newSecret();
    const listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--provider', 'lmif'], { ...apiEnv, HOOKS_SECRET_LMIF: own });
    try {
      expect(listen.ready.secrets.find((s: { provider: string }) => s.provider === 'lmif')).toMatchObject({ from: 'env', source: 'HOOKS_SECRET_LMIF', print_secret: null });
      const t = await runCli(['trigger', 'box.created', '--provider', 'lmif'], { env: apiEnv });
      expect(t.code, t.stderr).toBe(0);
      expect(await listen.waitForEvent((e) => e.type === 'delivery.forwarded')).toMatchObject({ provider: 'lmif', verdict: 'verified' });
    } finally {
      await listen.stop('SIGINT');
    }
    const out = await banner(['listen', '--forward', app.url, '--tunnel', 'none', '--provider', 'lmif', '--no-inspect', '--data-dir', tempDir('data')], { ...apiEnv, HOOKS_SECRET_LMIF: own });
    expect(out).toMatch(/lmif\s+\S+…\s+from HOOKS_SECRET_LMIF/);
    expect(out).not.toContain('--print-secret --provider lmif');
    expect(out).not.toContain(own);
  });
});

import { createHmac, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksProcess, startTextProcess, tempDir } from '../../helpers/hooks-process.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// The Standard Webhooks "sign function works" vector.
const REAL = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = '1614265330';
const BODY = '{"test": 2432232314}';
const REAL_SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
/** What a forger sends when it guesses that a broken secret decodes to an empty key. */
const EMPTY_KEY_SIGNATURE = `v1,${createHmac('sha256', Buffer.alloc(0)).update(`${ID}.${TS}.${BODY}`).digest('base64')}`;

const verify = (secret: string, signature: string, extra: string[] = []) =>
  runCli(['verify', '--provider', 'standard', '--secret', secret, '--now', TS, '--header', `webhook-id: ${ID}`, '--header', `webhook-timestamp: ${TS}`, '--header', `webhook-signature: ${signature}`, ...extra], { input: BODY });

describe('a wrong Standard Webhooks secret never verifies', () => {
  it.each([
    ['whsec_!!!!!!!!!!!!!!!!', EMPTY_KEY_SIGNATURE],
    ['whsec_=anything-at-all', EMPTY_KEY_SIGNATURE],
    [`${REAL}=junk-suffix`, REAL_SIGNATURE],
    [`${REAL.slice(0, -4)}!${REAL.slice(-4)}`, REAL_SIGNATURE],
    ['whsec_', EMPTY_KEY_SIGNATURE],
    // Non-canonical: `B` sets bits past the key's last byte, so it decodes to the same 4 bytes as `A`.
    ['whsec_dGVzdB==', `v1,${createHmac('sha256', Buffer.from('test')).update(`${ID}.${TS}.${BODY}`).digest('base64')}`],
  ])('verify refuses --secret %j as a usage error (exit 2)', async (secret, signature) => {
    const r = await verify(secret, signature);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('valid standard');
    expect(r.stderr).toMatch(/not strict base64|nothing follows whsec_/);
    expect(r.stderr).not.toContain('unexpected error');
  });

  it('says the same in --json', async () => {
    const r = await verify('whsec_=anything-at-all', EMPTY_KEY_SIGNATURE, ['--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'invalid_secret', message: expect.stringContaining('base64') });
  });

  it('still verifies with the real secret, with or without its prefix', async () => {
    expect((await verify(REAL, REAL_SIGNATURE)).code).toBe(0);
    expect((await verify(REAL.slice(6), REAL_SIGNATURE)).code).toBe(0);
  });

  it.each(['whpk_not-base64!', 'whpk_AAAA', `whpk_${Buffer.alloc(40).toString('base64')}`])('refuses the malformed public key %j with exit 2 and a message', async (key) => {
    const r = await verify(key, `v1a,${Buffer.alloc(64).toString('base64')}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('whpk_ public key');
    expect(r.stderr).not.toContain('Invalid JWK');
  });

  it('still verifies ed25519 with a well-formed whpk_ key', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const r = await verify(`whpk_${raw.toString('base64')}`, `v1a,${Buffer.alloc(64).toString('base64')}`);
    expect(r.code).toBe(1);
  });
});

describe('listen and trigger apply the same rule', () => {
  let app: Receiver;
  const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined, HOOKS_SECRET: undefined };
  beforeAll(async () => {
    app = await startReceiver();
  });
  afterAll(() => app.close());

  it('listen refuses to start with a broken standard secret (exit 2)', async () => {
    const r = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'standard', '--secret', 'whsec_=anything-at-all', '--data-dir', tempDir('data')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not strict base64');
    expect(r.stdout).not.toContain('Ready');
  });

  it('listen refuses a broken secret from HOOKS_SECRET too', async () => {
    const r = await runCli(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'standard', '--data-dir', tempDir('data')], { env: { ...env, HOOKS_SECRET: 'whsec_!!!!!!!!' } });
    expect(r.code).toBe(2);
  });

  it.each([
    ['standard', 'whsec_!!!!!!!!!!!!!!!!'],
    ['standard', 'whsk_short'],
  ])('trigger --to refuses a broken %s secret before sending anything', async (provider, secret) => {
    const before = app.requests.length;
    const r = await runCli(['trigger', 'user.created', '--to', app.url, '--provider', provider, '--secret', secret], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('unexpected error');
    expect(app.requests.length).toBe(before);
  });
});

describe('the session secret is printed only when asked', () => {
  let app: Receiver;
  const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined };
  beforeAll(async () => {
    app = await startReceiver();
  });
  afterAll(() => app.close());

  it('is masked in the ready event and the banner, even when it came from HOOKS_SECRET', async () => {
    const secret = 'ith_whsec_0123456789abcdef0123456789abcdef';
    const json = await startHooksProcess(['listen', '--json', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'ithbat', '--data-dir', tempDir('data')], { ...env, HOOKS_SECRET: secret }, 'listen.ready');
    expect(json.ready.secret).toBe('ith_whsec_0123…');
    expect(JSON.stringify(json.events)).not.toContain(secret);
    await json.stop('SIGINT');

    const human = await startTextProcess(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'ithbat', '--data-dir', tempDir('data')], { ...env, HOOKS_SECRET: secret }, 'Ctrl-C to stop');
    await human.stop('SIGINT');
    expect(human.output()).toContain('ith_whsec_0123…');
    expect(human.output()).not.toContain(secret);
  });

  it('is printed in full with --print-secret', async () => {
    const r = await runCli(['listen', '--print-secret', '--provider', 'lmif'], { env });
    expect(r.stdout.trim()).toMatch(/^lmif_whsec_[0-9a-f]{64}$/);
  });
});

describe('no --help prints a value from the environment', () => {
  const MARK = 'ENV-VALUE-MUST-NOT-SHOW-7f3a';
  const env = { HOOKS_SECRET: MARK, HOOKS_API_TOKEN: MARK, HOOKS_SERVER_TOKEN: MARK, HOOKS_API_URL: `http://${MARK}.invalid`, HOOKS_PROFILE: MARK, CLOUDFLARED_TOKEN: MARK, NGROK_AUTHTOKEN: MARK };

  /** Every command and subcommand, read from the help itself, so a new one is covered without editing this test. */
  async function allCommands(): Promise<string[][]> {
    const names = (help: string) => [...help.split(/^Commands:$/m)[1]?.matchAll(/^ {2}([a-z][a-z-]*)(?:\|[a-z]+)?\b/gm) ?? []].map((m) => m[1]!).filter((n) => n !== 'help');
    const top = names((await runCli(['--help'], { env: { HOOKS_RENDER_HELP: '1' } })).stdout);
    expect(top.length).toBeGreaterThan(8);
    const out: string[][] = [];
    for (const cmd of top) {
      out.push([cmd]);
      for (const sub of names((await runCli([cmd, '--help'])).stdout)) out.push([cmd, sub]);
    }
    return out;
  }

  it('for every command', async () => {
    const commands = await allCommands();
    expect(commands.length).toBeGreaterThan(25);
    for (const words of commands) {
      const r = await runCli([...words, '--help'], { env });
      expect(r.code, words.join(' ')).toBe(0);
      expect(r.stdout + r.stderr, words.join(' ')).not.toContain(MARK);
    }
  }, 60_000);
});

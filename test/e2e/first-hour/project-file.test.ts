import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startHooksProcess, tempDir } from '../../helpers/hooks-process.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

let app: Receiver;
let users: Receiver;
beforeAll(async () => {
  app = await startReceiver(() => ({ status: 200, body: 'app' }));
  users = await startReceiver(() => ({ status: 202, body: 'users' }));
});
afterAll(async () => {
  await Promise.all([app.close(), users.close()]);
});

/** A repository with a hooks.json at its root, and a subdirectory to run from (the file is found in a parent). */
function project(content: unknown): { root: string; cwd: string; file: string } {
  const root = tempDir('project');
  const cwd = join(root, 'src', 'deep');
  mkdirSync(cwd, { recursive: true });
  mkdirSync(join(root, '.git'));
  const file = join(root, 'hooks.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o644 });
  chmodSync(file, 0o644);
  return { root, cwd, file };
}

const env = { HOOKS_CONFIG_DIR: tempDir('config'), HOOKS_API_URL: undefined };

describe('hooks.json', () => {
  it('gives listen its targets, routes and tunnel, says which file it used, and flags override it', async () => {
    const { cwd, file } = project({ listen: { forward: [`${app.url}/main`], routes: { 'user.*': `${users.url}/users` }, tunnel: 'none', events: ['user.*'] } });
    const listen = await startHooksProcess(['listen', '--json', '--no-subscribe', '--data-dir', tempDir('data')], env, 'listen.ready', { cwd });
    try {
      expect(listen.ready).toMatchObject({ project_file: file, targets: [`${app.url}/main`] });
      const user = Buffer.from('{"id":"evt_p1","type":"user.created"}');
      expect((await rawPost(`${listen.ready.local_url}/x`, user, [['content-type', 'application/json']])).status).toBe(202);
      const tenant = Buffer.from('{"id":"evt_p2","type":"tenant.updated"}');
      expect((await rawPost(`${listen.ready.local_url}/x`, tenant, [['content-type', 'application/json']])).status).toBe(200);
      expect(users.requests.at(-1)!.url).toBe('/users');
    } finally {
      await listen.stop('SIGINT');
    }
    const overridden = await startHooksProcess(['listen', '--json', '--no-subscribe', '--forward', `${users.url}/flag`, '--data-dir', tempDir('data')], env, 'listen.ready', { cwd });
    expect(overridden.ready.targets).toEqual([`${users.url}/flag`]);
    await overridden.stop('SIGINT');
  });

  it('gives trigger its receiver and provider', async () => {
    const { cwd } = project({ trigger: { to: `${app.url}/from-project`, provider: 'lmif' } });
    const r = await runCli(['trigger', 'box.created', '--secret', 'project-secret'], { env, cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(app.requests.find((q) => q.url === '/from-project')!.body.toString())).toMatchObject({ type: 'box.created', meta: { apiVersion: 'v1' } });
  });

  it.each([
    [{ listen: { forwards: ['3000'] } }, 'unknown key "listen.forwards" (did you mean "forward"?)'],
    [{ listen: { tunnel: 'ngrokk' } }, '"listen.tunnel" must be one of cloudflared, ngrok, none'],
    [{ listen: { provider: 'keycloak' } }, '"listen.provider" must be one of auto, ithbat'],
    [{ listen: { routes: { 'user.*': 'ftp://x' } } }, '"listen.routes["user.*"]" must be a target'],
    [{ trigger: { secret: 'x' } }, 'secrets do not belong in hooks.json'],
    ['{"listen": ', 'is not valid JSON'],
  ])('names the key of a mistake (%j), exit 2', async (content, message) => {
    const { cwd } = project(content);
    const r = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('--forward wins over the file\'s routes', async () => {
    const { cwd } = project({ listen: { routes: { 'user.*': `${users.url}/users` }, tunnel: 'none' } });
    const listen = await startHooksProcess(['listen', '--json', '--no-subscribe', '--forward', `${app.url}/flag`, '--data-dir', tempDir('data')], env, 'listen.ready', { cwd });
    try {
      const user = Buffer.from('{"id":"evt_p3","type":"user.created"}');
      const before = users.requests.length;
      expect((await rawPost(`${listen.ready.local_url}/x`, user, [['content-type', 'application/json']])).status).toBe(200);
      expect(app.requests.at(-1)!.url).toBe('/flag');
      expect(users.requests.length).toBe(before);
    } finally {
      await listen.stop('SIGINT');
    }
  });

  it('reads per-provider secrets from the environment variables the file names', async () => {
    const { cwd } = project({ listen: { tunnel: 'none', secrets: { ithbat: 'env:MY_ITHBAT_SECRET' } } });
    const secret = 'from-an-env-var-named-in-hooks-json';
    const listen = await startHooksProcess(['listen', '--json', '--no-subscribe', '--forward', app.url, '--data-dir', tempDir('data')], { ...env, MY_ITHBAT_SECRET: secret }, 'listen.ready', { cwd });
    try {
      const body = Buffer.from('{"id":"evt_p4","type":"user.created"}');
      const sig = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      expect((await rawPost(`${listen.ready.local_url}/x`, body, [['content-type', 'application/json'], ['X-Ithbat-Signature', sig]])).status).toBe(200);
      expect((await listen.waitForEvent((e) => e.type === 'delivery.verified')).verdict).toBe('verified');
    } finally {
      await listen.stop('SIGINT');
    }
    const unset = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env, cwd });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('"listen.secrets.ithbat" reads MY_ITHBAT_SECRET, which is not set');
    const literal = project({ listen: { secrets: { ithbat: 'ith_whsec_literal' } } });
    const r = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env, cwd: literal.cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must name an environment variable');
  });

  it('is looked for no higher than the repository root, and outside home and repositories only where hooks runs', async () => {
    // A hooks.json planted above the repository (a shared, world-writable /tmp, say) is never read.
    const above = tempDir('above');
    writeFileSync(join(above, 'hooks.json'), JSON.stringify({ listen: { forward: ['http://127.0.0.1:9/planted'] } }));
    const repo = join(above, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'deep'));
    const notRepo = join(above, 'plain', 'deeper');
    mkdirSync(notRepo, { recursive: true });
    for (const cwd of [join(repo, 'deep'), notRepo]) {
      const r = await runCli(['trigger', 'user.created', '--provider', 'ithbat', '--to', app.url, '--secret', 's', '--json'], { env, cwd });
      expect(r.code, r.stderr).toBe(0);
    }
    const listen = await startHooksProcess(['listen', '--json', '--no-subscribe', '--tunnel', 'none', '--forward', app.url, '--data-dir', tempDir('data')], env, 'listen.ready', { cwd: notRepo });
    expect(listen.ready).toMatchObject({ project_file: null, targets: [`${app.url}/`] });
    await listen.stop('SIGINT');
  });

  it('refuses a file others can write, a non-regular file, and one over 1 MB (exit 2, with the reason)', async () => {
    const writable = project({ listen: { tunnel: 'none' } });
    chmodSync(writable.file, 0o666);
    const r1 = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env, cwd: writable.cwd });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('other users can write it');
    expect(r1.stderr).toContain('chmod go-w');

    const zero = project({});
    execFileSync('rm', [zero.file]);
    symlinkSync('/dev/zero', zero.file);
    const r2 = await runCli(['trigger', 'user.created', '--provider', 'ithbat', '--to', app.url, '--secret', 's'], { env, cwd: zero.cwd });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('not a regular file');

    const fifo = project({});
    execFileSync('rm', [fifo.file]);
    execFileSync('mkfifo', [fifo.file]);
    const r3 = await runCli(['trigger', 'user.created', '--provider', 'ithbat', '--to', app.url, '--secret', 's'], { env, cwd: fifo.cwd });
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('not a regular file');

    const big = project(`{"listen": {"events": ["${'x'.repeat(1024 * 1024)}"]}}`);
    const r4 = await runCli(['trigger', 'user.created', '--provider', 'ithbat', '--to', app.url, '--secret', 's'], { env, cwd: big.cwd });
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain('a project file is under 1 MB');
  });

  it.runIf(process.getuid?.() === 0)("refuses a file another user owns, as ssh's StrictModes does", async () => {
    const { cwd, file } = project({ listen: { tunnel: 'none' } });
    chownSync(file, 12345, 12345);
    const r = await runCli(['listen', '--no-subscribe', '--data-dir', tempDir('data')], { env, cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('belongs to another user (uid 12345');
  });
});

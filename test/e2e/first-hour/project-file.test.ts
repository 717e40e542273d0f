import { mkdirSync, writeFileSync } from 'node:fs';
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

/** A project directory with a hooks.json, and a subdirectory to run from (the file is found in a parent). */
function project(content: unknown): { root: string; cwd: string; file: string } {
  const root = tempDir('project');
  const cwd = join(root, 'src', 'deep');
  mkdirSync(cwd, { recursive: true });
  const file = join(root, 'hooks.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
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
});

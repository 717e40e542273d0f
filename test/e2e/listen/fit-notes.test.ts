import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryHeaders } from '../../../src/core/providers/outgoing.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import { runCli } from '../../helpers/cli.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * A delivery whose body does not fit its platform's schema is noted, never
 * refused: the note rides on its --json events, is stored with it, and
 * `hooks events show` says it.
 */
const SECRET = 'github-fit-secret';
const github = getProvider('github');
let app: Receiver;
let listen: HooksListen;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startReceiver();
  env = { HOOKS_CONFIG_DIR: tempDir('fit-config') };
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'auto', '--secret', SECRET], env);
});
afterAll(async () => {
  await listen.kill9();
  await app.close();
});

async function send(type: string, change: (body: Record<string, unknown>) => void = () => undefined) {
  const built = github.catalog.build(type);
  const body = JSON.parse(built.body.toString('utf8'));
  change(body);
  const bytes = Buffer.from(JSON.stringify(body));
  const headers = deliveryHeaders(github, bytes, SECRET, { id: built.id, type, attempt: 1, timestamp: Math.floor(Date.now() / 1000) });
  const answer = await rawPost(`${listen.localUrl}/github`, bytes, Object.entries(headers));
  return { id: built.id, answer };
}

describe('listen notes a body that does not fit its schema, and forwards it all the same', () => {
  it('says what it lacks on its events, and stores it with the delivery', async () => {
    const { id, answer } = await send('issues.opened', (b) => delete b.issue);
    expect(answer.status).toBe(200);
    const forwarded = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === id);
    expect(forwarded).toMatchObject({ provider: 'github', event_type: 'issues.opened', verdict: 'verified', status: 200, notes: ['lacks issue'] });
    expect(listen.events.find((e) => e.type === 'delivery.received' && e.event_id === id)).toMatchObject({ notes: ['lacks issue'] });

    const shown = await runCli(['events', 'show', forwarded.id, '--data-dir', listen.dataDir], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('note: github issues.opened lacks issue');
    const json = JSON.parse((await runCli(['events', 'show', forwarded.id, '--data-dir', listen.dataDir, '--json'], { env })).stdout);
    expect(json.notes).toEqual(['lacks issue']);
  });

  it('notes nothing for a body that fits', async () => {
    const { id } = await send('push');
    const forwarded = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === id);
    expect(forwarded).toMatchObject({ event_type: 'push', notes: [] });
    const shown = await runCli(['events', 'show', forwarded.id, '--data-dir', listen.dataDir], { env });
    expect(shown.stdout).not.toContain('note:');
  });

  it('notes an undocumented field and a wrong type, however the delivery was signed', async () => {
    const { id } = await send('ping', (b) => {
      b.hook_id = 'not-a-number';
      b.surprise = true;
    });
    const forwarded = await listen.waitForEvent((e) => e.type === 'delivery.forwarded' && e.event_id === id);
    expect(forwarded.notes).toEqual(expect.arrayContaining(['hook_id is not integer', 'surprise is not documented']));
  });
});

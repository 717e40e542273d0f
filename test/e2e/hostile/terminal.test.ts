import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { runCli } from '../../helpers/cli.js';
import { startTextProcess, tempDir, type TextProcess } from '../../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

// With NO_COLOR our own output has no escape sequences at all: any ESC, CR or C1 byte came from an attacker.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;
/** Clears the line, retitles the window, and writes a fake "verified" line after a newline. */
const PAYLOAD = '\u001b]0;pwned\u0007\r\u001b[2Kuser.created\n12:00:00 ithbat user.created evt_x ✓ verified → http://localhost:3000 200 1 ms\u202e';
const SECRET = 'terminal-secret';

let server: HooksServer;
let app: Receiver;
let listen: TextProcess;
let env: Record<string, string | undefined>;
const dataDir = tempDir('data');

beforeAll(async () => {
  server = await startHooksServer();
  env = { HOOKS_CONFIG_DIR: server.configDir, HOOKS_API_URL: undefined, HOOKS_API_TOKEN: undefined };
  app = await startReceiver(() => ({ status: 500, body: `boom ${PAYLOAD}`, headers: { 'content-type': 'text/plain' } }));
  listen = await startTextProcess(['listen', '--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'ithbat', '--secret', SECRET, '--data-dir', dataDir], env, 'Ctrl-C to stop');
});
afterAll(async () => {
  await listen.stop('SIGKILL');
  await server.kill9();
  await app.close();
});

/** No control character got through, and the fake line did not start a line of its own. */
const clean = (text: string, what: string) => {
  expect(text, what).not.toMatch(CONTROL);
  expect(text.split('\n').filter((line) => /^\W*12:00:00 ithbat/.test(line)), what).toEqual([]);
};

describe('values from the network are printed with control characters made visible', () => {
  it('in the listen log', async () => {
    const local = /local +(http:\/\/\S+)/.exec(listen.output())![1]!;
    const body = Buffer.from(JSON.stringify({ id: 'evt_evil', type: PAYLOAD }));
    const forged = getProvider('ithbat').scheme.sign(Buffer.from('{}'), SECRET, { id: 'x', timestamp: 0 });
    expect((await rawPost(`${local}/in`, body, Object.entries(forged))).status).toBe(401);
    await listen.waitFor('signature_mismatch');
    clean(listen.output(), 'listen log');
    expect(listen.output()).toContain('\\x1b]0;pwned\\x07\\r\\x1b[2K');
  });

  it('in hooks events list and show', async () => {
    const list = await runCli(['events', 'list', '--data-dir', dataDir], { env });
    clean(list.stdout, 'events list');
    const id = /rcv_\w+/.exec(list.stdout)![0];
    const show = await runCli(['events', 'show', id, '--data-dir', dataDir], { env });
    clean(show.stdout, 'events show');
    expect(show.stdout).toContain('\\x1b');
  });

  it('in subscriptions, their delivery feed and trigger, while --json keeps the exact value', async () => {
    const sub = await server.api('POST', '/webhooks/subscriptions', { name: `red \u001b[31mALERT\u001b[0m`, url: app.url, events: ['*'], description: PAYLOAD });
    const list = await runCli(['subs', 'list'], { env });
    clean(list.stdout, 'subs list');
    expect(list.stdout).toContain('\\x1b[31mALERT');
    clean((await runCli(['subs', 'get', sub.json.id], { env })).stdout, 'subs get');

    const trigger = await runCli(['trigger', 'user.created'], { env });
    clean(trigger.stdout + trigger.stderr, 'trigger');
    clean((await runCli(['subs', 'deliveries', sub.json.id], { env })).stdout, 'subs deliveries');

    const json = await runCli(['subs', 'get', sub.json.id, '--json'], { env });
    expect(JSON.parse(json.stdout).name).toBe('red \u001b[31mALERT\u001b[0m');
  });

  it('in hooks verify', async () => {
    const r = await runCli(['verify', '--provider', 'ithbat', '--secret', SECRET, '--header', `X-Ithbat-Signature: ${PAYLOAD.replace(/\n/g, ' ')}`], { input: '{}' });
    expect(r.code).toBe(1);
    clean(r.stdout + r.stderr, 'verify');
  });

  it('in error messages that carry what an API answered', async () => {
    const evil = await startReceiver(() => ({ status: 400, body: JSON.stringify({ error: { code: 'bad', message: PAYLOAD } }), headers: { 'content-type': 'application/json' } }));
    try {
      const r = await runCli(['subs', 'list', '--api-url', evil.url, '--token', 'x'.repeat(20)], { env });
      expect(r.code).toBe(1);
      clean(r.stderr, 'error');
    } finally {
      await evil.close();
    }
  });
});

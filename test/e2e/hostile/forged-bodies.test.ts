import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { openEventStore } from '../../../src/core/store/event-store.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { rawPost } from '../../helpers/raw-http.js';

const SECRET = 'forged-bodies-secret';
const env = { HOOKS_CONFIG_DIR: tempDir('config') };
const sign = (body: Buffer, secret = SECRET) => getProvider('ithbat').scheme.sign(body, secret, { id: 'msg_1', timestamp: 0 });
/** A JSON body nested `depth` levels deep: parses fine, but JSON.stringify overflows the stack on it. */
const deep = (depth: number) => Buffer.from(`{"type":"user.created","data":${'['.repeat(depth)}${']'.repeat(depth)}}`);

let app: Receiver;
let listen: HooksListen;
beforeAll(async () => {
  app = await startReceiver();
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--secret', SECRET, '--provider', 'ithbat'], env);
});
afterAll(async () => {
  await listen.kill9();
  await app.close();
});

describe('forged bodies', () => {
  it('verify gives the ordinary invalid verdict on a 5,000-level body (exit 1, no crash)', async () => {
    const body = deep(5000);
    const signed = sign(Buffer.from('{"other":"body"}'));
    const r = await runCli(['verify', '--provider', 'ithbat', '--secret', SECRET, '--header', `X-Ithbat-Signature: ${signed['X-Ithbat-Signature']}`], { input: body });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('invalid ithbat signature: signature_mismatch');
    expect(r.stderr).not.toContain('unexpected error');
  });

  it('listen answers 401 to a 5,000-level forgery and stores it', async () => {
    const body = deep(5000);
    const r = await rawPost(`${listen.localUrl}/deep`, body, [...Object.entries(sign(Buffer.from('{}'))), ['content-type', 'application/json']]);
    expect(r.status).toBe(401);
    const line = await listen.waitForEvent((e) => e.type === 'delivery.rejected' && e.status === 401 && e.reason === 'signature_mismatch');
    const store = await openEventStore(listen.dataDir);
    try {
      expect(store.get(line.id)).toMatchObject({ verdict: 'invalid', path: '/deep' });
    } finally {
      await store.close();
    }
  });

  it('a valid 5,000-level body is still forwarded byte for byte', async () => {
    const body = deep(5000);
    const r = await rawPost(`${listen.localUrl}/deep-valid`, body, Object.entries(sign(body)));
    expect(r.status).toBe(200);
    expect(app.requests.find((q) => q.url === '/deep-valid')!.body.equals(body)).toBe(true);
  });

  it('does not diagnose a body over 256 KB, and says so', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'user.created', pad: 'x'.repeat(600_000) }));
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    const r = await rawPost(`${listen.localUrl}/big`, pretty, Object.entries(sign(body)));
    expect(r.status).toBe(401);
    const answer = JSON.parse(r.body.toString());
    // The pretty-printed copy would be found as body_reserialized under the bound; over it, nothing is tried.
    expect(answer.error.hints).toEqual([]);
    expect(answer.error.message).toMatch(/not diagnosed: the body is \d+ KB, and the diagnosis reads bodies up to 256 KB/);

    const v = await runCli(['verify', '--provider', 'ithbat', '--secret', SECRET, '--header', `X-Ithbat-Signature: ${sign(body)['X-Ithbat-Signature']}`], { input: pretty });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('not diagnosed');
  });

  it('still diagnoses a body under 256 KB', async () => {
    const body = Buffer.from(JSON.stringify({ type: 'user.created', pad: 'x'.repeat(100_000) }));
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    const r = await rawPost(`${listen.localUrl}/mid`, pretty, Object.entries(sign(body)));
    expect(JSON.parse(r.body.toString()).error.hints.map((h: { code: string }) => h.code)).toContain('body_reserialized');
  });
});

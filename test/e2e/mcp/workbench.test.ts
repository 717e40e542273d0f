import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { HOOKS_BIN, runCli } from '../../helpers/cli.js';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../../helpers/hooks-listen.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * `hooks mcp` driven by the SDK's own Client over stdio, as a coding agent's
 * client runs it: trigger an event, wait for it, read why a signature failed,
 * replay it edited, with a hooks server and a hooks listen session running.
 */
let server: HooksServer;
let app: Receiver;
let listen: HooksListen;
let env: Record<string, string>;
let secret: string;
const clients: Client[] = [];
/** Everything any tool answered, to look for secrets in. */
const seen: string[] = [];

async function connect(allowWrite: boolean): Promise<Client> {
  const client = new Client({ name: 'hooks-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [HOOKS_BIN, 'mcp', ...(allowWrite ? ['--allow-write'] : [])], env, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

type Result = { isError?: boolean; content: Array<{ type: string; text: string }>; structuredContent?: any };
async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Result> {
  const r = (await client.callTool({ name, arguments: args })) as Result;
  seen.push(JSON.stringify(r));
  return r;
}

beforeAll(async () => {
  server = await startHooksServer({ args: ['--time-scale', '0.001'] });
  app = await startReceiver(() => ({ status: 200, body: 'ok' }));
  const dataDir = tempDir('mcp-listen');
  env = { ...(process.env as Record<string, string>), HOOKS_CONFIG_DIR: server.configDir, HOOKS_DATA_DIR: dataDir, NO_COLOR: '1' };
  delete env.HOOKS_API_URL;
  delete env.HOOKS_API_TOKEN;
  delete env.HOOKS_SECRET;
  listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--provider', 'standard'], env, dataDir);
  secret = (await runCli(['listen', '--print-secret', '--provider', 'standard'], { env })).stdout.trim();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await listen.kill9();
  await server.kill9();
  await app.close();
});

describe('hooks mcp', () => {
  it('offers the read-only tools by default and the writing ones only with --allow-write', async () => {
    const read = (await (await connect(false)).listTools()).tools.map((t) => t.name).sort();
    expect(read).toEqual(['diff_deliveries', 'get_delivery', 'list_deliveries', 'list_event_types', 'list_providers', 'list_subscriptions', 'status', 'verify_signature', 'wait_for_delivery']);
    const all = (await (await connect(true)).listTools()).tools.map((t) => t.name);
    expect(all).toEqual(expect.arrayContaining([...read, 'trigger_event', 'replay_delivery', 'create_subscription', 'delete_subscription', 'audit_receiver']));
  });

  it('triggers through the API while listen runs, waits for the delivery, and shows it verified', async () => {
    const client = await connect(true);
    const status = await call(client, 'status');
    expect(status.structuredContent.api.reachable).toBe(true);
    expect(status.structuredContent.sessions.map((s: { local_url: string }) => s.local_url)).toContain(listen.localUrl);
    const before = (await call(client, 'list_deliveries', { limit: 1 })).structuredContent.deliveries[0]?.seq ?? 0;
    const triggered = await call(client, 'trigger_event', { type: 'user.created', provider: 'standard' });
    expect(triggered.isError, triggered.content[0]!.text).toBeFalsy();
    expect(triggered.structuredContent.deliveries.length).toBeGreaterThan(0);
    const waited = await call(client, 'wait_for_delivery', { after_seq: before, provider: 'standard', timeout_seconds: 20 });
    expect(waited.structuredContent.delivery).toMatchObject({ verdict: 'verified', untrusted: { event_type: 'user.created' } });
    const got = await call(client, 'get_delivery', { id: waited.structuredContent.delivery.id });
    expect(got.structuredContent).toMatchObject({ verdict: 'verified', untrusted: { note: expect.stringContaining('never as instructions'), body_cut: false } });
    expect(JSON.parse(got.structuredContent.untrusted.body_text)).toMatchObject({ type: 'user.created' });
    expect(got.structuredContent.attempts[0]).toMatchObject({ kind: 'forward', status: 200 });
  });

  it("reads why a forged delivery's signature failed, replays it edited and re-signed, and diffs the two", async () => {
    const client = await connect(true);
    const before = (await call(client, 'list_deliveries', { limit: 1 })).structuredContent.deliveries[0]?.seq ?? 0;
    // Signed over the compact JSON, sent pretty-printed: what a proxy that re-serializes does.
    const compact = Buffer.from(JSON.stringify({ id: 'evt_forged', type: 'user.deleted', data: { user_id: 'usr_1' } }));
    const headers = getProvider('standard').scheme.sign(compact, secret, { id: 'msg_forged', timestamp: Math.floor(Date.now() / 1000) });
    const pretty = Buffer.from(JSON.stringify(JSON.parse(compact.toString()), null, 2));
    expect((await rawPost(`${listen.localUrl}/hooks`, pretty, [['content-type', 'application/json'], ...Object.entries(headers)])).status).toBe(401);
    const waited = await call(client, 'wait_for_delivery', { after_seq: before, verdict: 'invalid', timeout_seconds: 20 });
    const forged = waited.structuredContent.delivery;
    expect(forged).toMatchObject({ verdict: 'invalid', reason: 'signature_mismatch' });
    expect(forged.hint_codes).toContain('body_reserialized');
    expect(waited.content[0]!.text).toContain('invalid');

    const edited = JSON.stringify({ id: 'evt_forged', type: 'user.deleted', data: { user_id: 'usr_2' } });
    const replayed = await call(client, 'replay_delivery', { id: forged.id, body: edited, to: `${app.url}/fixed` });
    expect(replayed.isError, replayed.content[0]!.text).toBeFalsy();
    expect(replayed.structuredContent.results[0]).toMatchObject({ ok: true, status: 200, resigned: true });
    const atApp = app.requests.find((r) => r.url === '/fixed')!;
    expect(atApp.body.toString()).toBe(edited);
    const check = await call(client, 'verify_signature', { provider: 'standard', headers: atApp.headers, body: edited, secret });
    expect(check.structuredContent).toMatchObject({ valid: true });

    const other = (await call(client, 'list_deliveries', { verdict: 'verified', limit: 1 })).structuredContent.deliveries[0];
    const diff = await call(client, 'diff_deliveries', { a: forged.id, b: other.id });
    expect(diff.structuredContent.untrusted.body).not.toBeNull();
  });

  it('answers mistakes as tool errors with the CLI message and hint, and goes on serving', async () => {
    const client = await connect(true);
    const missing = await call(client, 'get_delivery', { id: 'rcv_nope' });
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/no stored delivery rcv_nope\nhint: list_deliveries gives the ids/);
    const unknown = await call(client, 'trigger_event', { type: 'user.creatd', provider: 'standard' });
    expect(unknown).toMatchObject({ isError: true, structuredContent: { error: { code: 'unknown_event_type' } } });
    expect(unknown.content[0]!.text).toContain('did you mean "user.created"');
    expect((await call(client, 'list_providers')).isError).toBeFalsy();
  });

  it('never answers with a secret or a token, even when a tool is handed one or creates one', async () => {
    const client = await connect(true);
    const created = await call(client, 'create_subscription', { name: 'from an agent', url: `${app.url}/agent`, events: ['user.*'], provider: 'standard' });
    expect(created.structuredContent.subscription.id).toMatch(/^sub_/);
    await call(client, 'list_subscriptions');
    await call(client, 'verify_signature', { provider: 'standard', headers: { 'webhook-id': 'x', 'webhook-timestamp': '1', 'webhook-signature': `v1,${secret}` }, body: secret, secret });
    await call(client, 'delete_subscription', { id: created.structuredContent.subscription.id });
    const everything = seen.join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secret.slice('whsec_'.length));
    expect(everything).not.toContain(server.token);
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { expectSchema, schemaAccepts } from '../../helpers/openapi.js';
import { startHooksServer, type HooksServer } from '../../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';
import { oktaReceiver, replyJson, supabaseReceiver, workosReceiver } from '../../helpers/sync-receivers.js';

/**
 * The emulator runs the flows around a synchronous hook: a registration
 * points a hook type at a real receiver, "sign in as this user" answers
 * with the token the platform would issue after the hook, "register this
 * user" with allowed or denied, and late, failing or invalid answers take
 * the platform's documented path, which the run and the feed say.
 */
let server: HooksServer;
let okta: Receiver;
let supabase: Receiver;
let workos: Receiver;
const OKTA_SECRET = 'okta-hook-authorization';
const SUPABASE_SECRET = `v1,whsec_${randomBytes(32).toString('base64')}`;
const WORKOS_SECRET = 'workos-actions-secret';

beforeAll(async () => {
  server = await startHooksServer();
  okta = await startReceiver(
    oktaReceiver(OKTA_SECRET, (p, _i) => {
      // /late answers after Okta's 3 s.
      const claims = { type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/tier', value: p.data.context.user.profile.login.endsWith('@gold.test') ? 'gold' : 'basic' }] };
      return replyJson({ commands: [claims] });
    }),
  );
  supabase = await startReceiver(supabaseReceiver(SUPABASE_SECRET, (p) => (p.user.email.endsWith('@blocked.test') ? replyJson({ error: { http_code: 403, message: 'Sign-ups from blocked.test are closed' } }) : replyJson({}))));
  workos = await startReceiver(workosReceiver(WORKOS_SECRET, () => ({ status: 503 })));
});
afterAll(async () => {
  await server.stop();
  await Promise.all([okta.close(), supabase.close(), workos.close()]);
});

describe('hooks server: synchronous hook registrations and simulated flows', () => {
  it('registers a hook, shows its secret once, and refuses a type that is no hook', async () => {
    const created = await server.api('POST', '/hooks', { type: 'com.okta.oauth2.tokens.transform', url: `${okta.url}/token`, secret: OKTA_SECRET });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ provider: 'okta', type: 'com.okta.oauth2.tokens.transform', secret: OKTA_SECRET });
    expectSchema('Hook', created.json);
    expectSchema('HookTypeList', (await server.api('GET', '/hook-types')).json);
    const got = await server.api('GET', `/hooks/${created.json.id}`);
    expect(got.json.secret).toBeUndefined();
    const bad = await server.api('POST', '/hooks', { type: 'com.okta.oauth2.token.transform', url: `${okta.url}/x` }, { status: 422 });
    expect(bad.json.error.message).toContain('com.okta.oauth2.tokens.transform');
  });

  it('"sign in as this user" returns the token with the claims the hook added', async () => {
    const r = await server.api('POST', '/flows/sign-in', { provider: 'okta', email: 'ada@gold.test' });
    expect(r.json).toMatchObject({ flow: 'sign-in', signed_in: true, path: 'answer', violations: [], email: 'ada@gold.test' });
    expect(r.json.token.access_token.claims.tier).toBe('gold');
    expectSchema('HookRun', r.json);
    // The request the platform sent, its Authorization value masked.
    expect(r.json.request.headers.authorization).not.toBe(OKTA_SECRET);
    expect(r.json.request.payload.data.context.user.profile.login).toBe('ada@gold.test');
    const feed = await server.api('GET', '/flows');
    expect(feed.json.data[0]).toMatchObject({ id: r.json.id, provider: 'okta', type: 'com.okta.oauth2.tokens.transform' });
    const line = await server.waitForEvent((e) => e.type === 'hook.called' && e.run_id === r.json.id);
    expect(line).toMatchObject({ provider: 'okta', status_code: 200, proceeds: true, path: 'answer', violations: [] });
  });

  it('a late token hook takes Okta\'s open path: the original token, and the run says so', async () => {
    const late = await startReceiver(oktaReceiver(OKTA_SECRET, () => ({ ...replyJson({ commands: [] }), delayMs: 3500 })));
    try {
      const hook = await server.api('POST', '/hooks', { type: 'com.okta.oauth2.tokens.transform', url: `${late.url}/late`, secret: OKTA_SECRET });
      const r = await server.api('POST', `/hooks/${hook.json.id}/run`, { email: 'ada@gold.test' });
      expect(r.json).toMatchObject({ signed_in: true, path: 'open', violations: [{ code: 'late_answer' }] });
      expect(r.json.token.access_token.claims.tier).toBeUndefined();
      expect(r.json.token.access_token.claims.sub).toBe('ada@gold.test');
      await server.api('DELETE', `/hooks/${hook.json.id}`, undefined, { status: 204 });
    } finally {
      await late.close();
    }
  });

  it('"register this user": allowed, or denied with the hook\'s reason (Supabase before-user-created)', async () => {
    await server.api('POST', '/hooks', { type: 'before-user-created', provider: 'supabase', url: `${supabase.url}/signup`, secret: SUPABASE_SECRET });
    const ok = await server.api('POST', '/flows/register', { provider: 'supabase', email: 'grace@example.test' });
    expect(ok.json).toMatchObject({ registered: true, path: 'answer', violations: [] });
    const no = await server.api('POST', '/flows/register', { provider: 'supabase', email: 'eve@blocked.test' });
    expect(no.json).toMatchObject({ registered: false, path: 'answer', reason: '403: Sign-ups from blocked.test are closed', violations: [] });
  });

  it('a failing WorkOS action denies by default, and allows when the endpoint is set to fail open', async () => {
    const closed = await server.api('POST', '/hooks', { type: 'authentication_action_context', url: `${workos.url}/a`, secret: WORKOS_SECRET });
    const denied = await server.api('POST', `/hooks/${closed.json.id}/run`, {});
    expect(denied.json).toMatchObject({ signed_in: false, path: 'closed', violations: [{ code: 'status_not_200' }] });
    const open = await server.api('POST', '/hooks', { type: 'authentication_action_context', url: `${workos.url}/a`, secret: WORKOS_SECRET, fail_open: true });
    const allowed = await server.api('POST', `/hooks/${open.json.id}/run`, {});
    expect(allowed.json).toMatchObject({ signed_in: true, path: 'open', violations: [{ code: 'status_not_200' }] });
    // Okta's token hook has no such setting.
    await server.api('POST', '/hooks', { type: 'com.okta.user.pre-registration', url: `${okta.url}/r`, secret: OKTA_SECRET, fail_open: true }, { status: 400 });
  });

  it("the OpenAPI document's request bodies are the ones the routes take", async () => {
    const hook = { type: 'before-user-created', provider: 'supabase', url: `${supabase.url}/doc`, secret: SUPABASE_SECRET };
    const creates = [hook, { ...hook, name: 'x'.repeat(201) }, { ...hook, colour: 'red' }, { ...hook, url: '' }, { ...hook, fail_open: 'yes' }];
    for (const body of creates) {
      const r = await server.api('POST', '/hooks', body, { status: schemaAccepts('HookCreate', body) ? 201 : 400 });
      if (r.status === 201) await server.api('DELETE', `/hooks/${r.json.id}`, undefined, { status: 204 });
    }
    const flows = [{}, { email: null }, { email: 'x'.repeat(321) }, { provider: 'supabase' }, { colour: 'red' }];
    const created = await server.api('POST', '/hooks', hook);
    for (const body of flows) {
      await server.api('POST', `/hooks/${created.json.id}/run`, body, { status: schemaAccepts('HookRunRequest', body) ? 200 : 400 });
      await server.api('POST', '/flows/register', { ...body, provider: 'supabase' }, { status: schemaAccepts('FlowRequest', { ...body, provider: 'supabase' }) ? 200 : 400 });
    }
    await server.api('DELETE', `/hooks/${created.json.id}`, undefined, { status: 204 });
  });

  it("Okta's SAML hook in a sign-in: the assertion Okta sends after the patch, or the original when the patch is wrong", async () => {
    const saml = await startReceiver(
      oktaReceiver(OKTA_SECRET, (p) => {
        const tier = { attributes: { NameFormat: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic' }, attributeValues: [{ attributes: { 'xsi:type': 'xs:string' }, value: 'gold' }] };
        // Unescaped on purpose for one user: RFC 6901 wants ~1 for each "/".
        const path = p.data.context.user.profile.login.startsWith('raw') ? '/claims/https://example.com/tier' : '/claims/https:~1~1example.com~1tier';
        return replyJson({ commands: [{ type: 'com.okta.assertion.patch', value: [{ op: 'add', path, value: tier }] }] });
      }),
    );
    try {
      const hook = await server.api('POST', '/hooks', { type: 'com.okta.saml.tokens.transform', url: `${saml.url}/saml`, secret: OKTA_SECRET });
      const ok = await server.api('POST', `/hooks/${hook.json.id}/run`, { email: 'ada@example.test' });
      expect(ok.json).toMatchObject({ flow: 'sign-in', signed_in: true, path: 'answer', violations: [] });
      expect(ok.json.token.saml_assertion.claims['https://example.com/tier'].attributeValues[0].value).toBe('gold');
      expect(ok.json.token.saml_assertion.subject.nameId).toBe('ada@example.test');
      expectSchema('HookRun', ok.json);
      const raw = await server.api('POST', `/hooks/${hook.json.id}/run`, { email: 'raw@example.test' });
      expect(raw.json).toMatchObject({ signed_in: true, path: 'open', violations: [{ code: 'unescaped_uri_claim' }] });
      expect(raw.json.token.saml_assertion.claims['https://example.com/tier']).toBeUndefined();
      await server.api('DELETE', `/hooks/${hook.json.id}`, undefined, { status: 204 });
    } finally {
      await saml.close();
    }
  });

  it('a flow with no hook registered for it says how to register one', async () => {
    const r = await server.api('POST', '/flows/register', { provider: 'firebase' }, { status: 409 });
    expect(r.json.error.message).toContain('POST /api/v1/hooks');
  });

  it('hooks trigger TYPE without --to runs the flow of the hook registered in hooks server', async () => {
    const env = { HOOKS_CONFIG_DIR: server.configDir };
    const r = await runCli(['trigger', 'com.okta.oauth2.tokens.transform', '--set', 'data.context.user.profile.login=lin@gold.test', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'okta', verdict: { proceeds: true, violations: [] } });
    const none = await runCli(['trigger', 'send-sms', '--provider', 'supabase'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no send-sms hook is registered');
  });
});

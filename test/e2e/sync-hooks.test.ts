import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { FIREBASE_PROJECT } from '../../src/core/providers/sync/firebase.js';
import { firebaseReceiver, oktaReceiver, replyJson, supabaseReceiver } from '../helpers/sync-receivers.js';

const SUPABASE_SECRET = `v1,whsec_${randomBytes(32).toString('base64')}`;
let okta: Receiver;
let supabase: Receiver;

beforeAll(async () => {
  okta = await startReceiver(
    oktaReceiver('okta-secret', (p) =>
      p.eventType === 'com.okta.oauth2.tokens.transform'
        ? replyJson({ commands: [{ type: 'com.okta.identity.patch', value: [{ op: 'add', path: p.data.identity.claims.nonce ? '/claims/tier' : '/claims/sub', value: 'gold' }] }] })
        : { status: 204 },
    ),
  );
  supabase = await startReceiver(supabaseReceiver(SUPABASE_SECRET, (p) => (p.claims.email ? replyJson({ claims: p.claims }) : replyJson({ error: { message: 'no' } }, 403))));
});
afterAll(async () => {
  await okta.close();
  await supabase.close();
});

describe('hooks trigger for a synchronous hook', () => {
  it('exit 0 and what Okta would do: the token after the patch (--json gives the same as data)', async () => {
    const r = await runCli(['trigger', 'com.okta.oauth2.tokens.transform', '--provider', 'okta', '--to', `${okta.url}/token`, '--secret', 'okta-secret', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: true, provider: 'okta', type: 'com.okta.oauth2.tokens.transform', verdict: { proceeds: true, path: 'answer', violations: [] }, contract: { deadline_ms: 3000, fails: 'open' } });
    expect(out.verdict.result.tokens.id_token.claims.tier).toBe('gold');
    const text = await runCli(['trigger', 'com.okta.oauth2.tokens.transform', '--to', `${okta.url}/token`, '--secret', 'okta-secret']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('"tier": "gold"');
  });

  it('exit 1 naming the violation: a reserved claim, and the open path Okta takes', async () => {
    const r = await runCli(['trigger', 'com.okta.oauth2.tokens.transform', '--to', `${okta.url}/token`, '--secret', 'okta-secret', '--set', 'data.identity.claims.nonce=null']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('violation [reserved_claim]');
    expect(r.stdout).toContain('fails open');
  });

  it('exit 1 for an error object under a status Supabase ignores; --set changes the payload', async () => {
    const ok = await runCli(['trigger', 'customize-access-token', '--provider', 'supabase', '--to', `${supabase.url}/hook`, '--secret', SUPABASE_SECRET]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const r = await runCli(['trigger', 'custom_access_token', '--provider', 'supabase', '--to', `${supabase.url}/hook`, '--secret', SUPABASE_SECRET, '--set', 'claims.email=', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).verdict.violations.map((v: { code: string }) => v.code)).toEqual(['error_under_ignored_status']);
  });

  it("Okta's user import hook and Firebase's e-mail and SMS hooks: exit 0 for a correct answer, 1 naming the violation", async () => {
    const link = [{ type: 'com.okta.action.update', value: { result: 'LINK_USER' } }];
    const importer = await startReceiver(oktaReceiver('okta-secret', (p) => replyJson({ commands: p.data.user.profile.firstName === 'Lone' ? link : [...link, { type: 'com.okta.user.update', value: { id: '00uabcdefgh12345678' } }] })));
    const firebase = await startReceiver(firebaseReceiver(FIREBASE_PROJECT, (t) => (t.email?.endsWith('@blocked.test') ? replyJson({ error: { status: 'PERMISSION_DENIED', message: 'no e-mail for you' } }, 403) : t.phone_number ? { status: 500 } : replyJson({}))));
    try {
      const linked = await runCli(['trigger', 'com.okta.import.transform', '--to', `${importer.url}/import`, '--secret', 'okta-secret', '--json']);
      expect(linked.code, linked.stderr).toBe(0);
      expect(JSON.parse(linked.stdout).verdict).toMatchObject({ proceeds: true, violations: [], result: { result: 'LINK_USER', user_id: '00uabcdefgh12345678' } });
      const lone = await runCli(['trigger', 'com.okta.import.transform', '--to', `${importer.url}/import`, '--secret', 'okta-secret', '--set', 'data.user.profile.firstName=Lone']);
      expect(lone.code).toBe(1);
      expect(lone.stdout).toContain('violation [link_without_user]');
      expect(lone.stdout).toContain('fails open');
      const email = await runCli(['trigger', 'beforeEmailSent', '--provider', 'firebase', '--to', `${firebase.url}/email`, '--json']);
      expect(email.code, email.stderr).toBe(0);
      expect(JSON.parse(email.stdout)).toMatchObject({ type: 'beforeSendEmail', verdict: { proceeds: true, result: { sent: true } } });
      const blocked = await runCli(['trigger', 'beforeSendEmail', '--provider', 'firebase', '--to', `${firebase.url}/email`, '--set', 'email=eve@blocked.test']);
      expect(blocked.code, blocked.stdout).toBe(0);
      expect(blocked.stdout).toContain('PERMISSION_DENIED: no e-mail for you');
      const sms = await runCli(['trigger', 'beforeSendSms', '--provider', 'firebase', '--to', `${firebase.url}/sms`]);
      expect(sms.code).toBe(1);
      expect(sms.stdout).toContain('violation [error_not_https_error]');
    } finally {
      await Promise.all([importer.close(), firebase.close()]);
    }
  });

  it('usage errors name the fix: a secret not written v1,whsec_, an unknown hook', async () => {
    const bad = await runCli(['trigger', 'send-email', '--provider', 'supabase', '--to', `${supabase.url}/hook`, '--secret', SUPABASE_SECRET.slice(3)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('v1,whsec_');
    const typo = await runCli(['trigger', 'send-emial', '--provider', 'supabase', '--to', `${supabase.url}/hook`]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('send-email');
  });

  it('exit 3 when nothing answers', async () => {
    const r = await runCli(['trigger', 'beforeSignIn', '--provider', 'firebase', '--to', 'http://127.0.0.1:9/none']);
    expect(r.code).toBe(3);
  });

  it('--list shows the synchronous hooks apart, and as kind "sync" in JSON', async () => {
    const r = await runCli(['trigger', '--list', '--provider', 'okta']);
    expect(r.stdout).toContain('SYNCHRONOUS HOOKS');
    expect(r.stdout).toContain('com.okta.oauth2.tokens.transform');
    const json = JSON.parse((await runCli(['trigger', '--list', '--json'])).stdout) as Array<{ kind?: string; provider: string; type: string; fails?: string }>;
    const sync = json.filter((t) => t.kind === 'sync');
    expect(sync.map((t) => `${t.provider} ${t.type}`)).toEqual(expect.arrayContaining(['supabase customize-access-token', 'firebase beforeSignIn', 'workos authentication_action_context', 'okta com.okta.user.pre-registration']));
    expect(sync.find((t) => t.type === 'com.okta.oauth2.tokens.transform')!.fails).toBe('open');
  });
});

describe('hooks audit --type for a synchronous hook', () => {
  it('grades a correct receiver 0 and one that checks nothing 1, naming the checks', async () => {
    const good = await runCli(['audit', `${supabase.url}/hook`, '--provider', 'supabase', '--type', 'customize-access-token', '--secret', SUPABASE_SECRET, '--only', 'answers_contract,refuses_wrong_secret,refuses_stale', '--json']);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ provider: 'supabase', type: 'customize-access-token', failed: 0, checks: [{ id: 'answers_contract', status: 'pass' }, { id: 'refuses_wrong_secret', status: 'pass' }, { id: 'refuses_stale', status: 'pass' }] });
    const open = await startReceiver(() => ({ status: 204 }));
    try {
      const bad = await runCli(['audit', `${open.url}/token`, '--type', 'com.okta.oauth2.tokens.transform', '--secret', 'okta-secret', '--only', 'refuses_unauthenticated,refuses_wrong_secret']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('refuses_unauthenticated');
      expect(bad.stdout).toContain('as okta calls its com.okta.oauth2.tokens.transform hook');
    } finally {
      await open.close();
    }
  });
});

describe('hooks providers for the platforms with synchronous hooks', () => {
  it('shows each hook\'s contract: deadline, retries, and the open or closed path', async () => {
    const supabaseOnly = await runCli(['providers', 'show', 'supabase', '--json']);
    expect(supabaseOnly.code).toBe(0);
    const s = JSON.parse(supabaseOnly.stdout);
    expect(s.hooks.find((h: { type: string }) => h.type === 'customize-access-token')).toMatchObject({ deadline_ms: 5000, deadline_per: 'call', fails: 'closed' });
    const oktaBoth = JSON.parse((await runCli(['providers', 'show', 'okta', '--json'])).stdout);
    expect(oktaBoth.events.length).toBeGreaterThan(100);
    expect(oktaBoth.synchronous_hooks.hooks.find((h: { type: string }) => h.type === 'com.okta.oauth2.tokens.transform')).toMatchObject({ deadline_ms: 3000, fails: 'open' });
    expect((await runCli(['providers', 'list'])).stdout).toContain('SYNCHRONOUS HOOKS');
    expect(oktaBoth.synchronous_hooks.hooks.find((h: { type: string }) => h.type === 'com.okta.saml.tokens.transform')).toMatchObject({ deadline_ms: 3000, fails: 'open' });
    expect(oktaBoth.synchronous_hooks.hooks.find((h: { type: string }) => h.type === 'com.okta.import.transform')).toMatchObject({ deadline_ms: 3000, fails: 'open' });
    const firebase = JSON.parse((await runCli(['providers', 'show', 'firebase', '--json'])).stdout);
    expect(firebase.hooks.map((h: { type: string }) => h.type)).toEqual(['beforeCreate', 'beforeSignIn', 'beforeSendEmail', 'beforeSendSms']);
    expect(firebase.hooks.find((h: { type: string }) => h.type === 'beforeSendSms')).toMatchObject({ deadline_ms: 7000, fails: 'closed' });
  });
});


import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/core/audit/audit.js';
import { catalog } from '../../../src/core/fixtures/catalog.js';
import type { AuditReport, CheckStatus } from '../../../src/core/audit/report.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import * as R from '../../helpers/audit-receivers.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/** The audit engine against real receivers on loopback, one per scheme family and one per classic mistake. */
const http = new Agent({ connections: 5 });
const running: Receiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
afterAll(() => http.close());

async function audit(provider: string, secret: string, behaviour: R.Behaviour, opts: { only?: string[]; timeoutMs?: number } = {}): Promise<{ report: AuditReport; receiver: Receiver }> {
  const receiver = await startReceiver(behaviour);
  running.push(receiver);
  const report = await runAudit({ url: new URL(`${receiver.url}/hooks`), profile: getProvider(provider), secret, only: opts.only, timeoutMs: opts.timeoutMs ?? 5000, http });
  return { report, receiver };
}
const verdicts = (r: AuditReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.status])) as Record<string, CheckStatus>;
const ITHBAT = 'ith_whsec_0123456789abcdef0123456789abcdef';
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('a correct receiver passes every required check', () => {
  it('ithbat (HMAC of the raw body)', async () => {
    const { report } = await audit('ithbat', ITHBAT, R.ithbatReceiver(ITHBAT));
    expect(verdicts(report)).toEqual({
      accepts_valid: 'pass', rejects_wrong_secret: 'pass', rejects_tampered_body: 'pass', rejects_missing_signature: 'pass', rejects_stale_timestamp: 'skip',
      raw_body: 'pass', duplicate_ack: 'pass', unknown_type_ack: 'pass', handshake: 'skip', answers_in_time: 'pass', large_body: 'pass', https: 'pass',
    });
    expect(report).toMatchObject({ failed: 0, warned: 0 });
  });

  it('standard, built on the official standardwebhooks package', async () => {
    const { report } = await audit('standard', WHSEC, R.standardReceiver(WHSEC));
    expect(report.checks.filter((c) => c.required && c.status !== 'pass')).toEqual([{ ...report.checks.find((c) => c.id === 'handshake'), status: 'skip' }]);
    expect(verdicts(report).rejects_stale_timestamp).toBe('pass');
  });

  it.each([
    ['clerk', WHSEC, R.clerkReceiver(WHSEC)],
    ['fusionauth', 'fa-hmac-secret-000', R.fusionauthReceiver('fa-hmac-secret-000')],
    ['okta', 'okta-secret-value', R.oktaReceiver('okta-secret-value')],
    ['asgardeo', 'asg-secret-0123456789', R.asgardeoReceiver('asg-secret-0123456789', { answerWebSub: true })],
  ] as const)('%s, from its own library or sample', async (provider, secret, behaviour) => {
    const { report } = await audit(provider, secret, behaviour);
    expect(report.failed, JSON.stringify(report.checks.filter((c) => c.status === 'fail'))).toBe(0);
    expect(report.warned).toBe(0);
  });

  it('okta: the unsigned body and the absent timestamp are skipped, the verification GET is checked', async () => {
    const { report } = await audit('okta', 'okta-secret-value', R.oktaReceiver('okta-secret-value'));
    expect(verdicts(report)).toMatchObject({ rejects_tampered_body: 'skip', raw_body: 'skip', rejects_stale_timestamp: 'skip', handshake: 'pass' });
  });

  it("workos with WorkOS's own SDK: raw_body only warns, since the SDK re-serializes and WorkOS sends JSON that survives it", async () => {
    const { report } = await audit('workos', 'wk-secret-abcdef', R.workosReceiver('wk-secret-abcdef'));
    expect(verdicts(report)).toMatchObject({ accepts_valid: 'pass', rejects_stale_timestamp: 'pass', raw_body: 'warn' });
    expect(report.failed).toBe(0);
  });
});

describe('each classic mistake fails its check, and explains itself', () => {
  it('a receiver that accepts everything', async () => {
    const { report } = await audit('ithbat', ITHBAT, R.acceptAll);
    expect(verdicts(report)).toMatchObject({ accepts_valid: 'pass', rejects_wrong_secret: 'fail', rejects_tampered_body: 'fail', rejects_missing_signature: 'fail' });
    expect(report.checks.find((c) => c.id === 'rejects_wrong_secret')!.hint).toContain('answer 401');
  });

  it('a receiver that re-serializes before verifying (the seeds\' Ithbat and Scalekit samples)', async () => {
    const { report } = await audit('ithbat', ITHBAT, R.ithbatReceiver(ITHBAT, { reserialize: true }));
    const raw = report.checks.find((c) => c.id === 'raw_body')!;
    expect(raw).toMatchObject({ status: 'fail', required: true, status_code: 401 });
    expect(raw.detail).toContain('your receiver verifies a re-serialized body');
    expect(raw.hint).toContain('express.raw');
    expect(report.failed).toBe(1);
  });

  it('a receiver that ignores timestamps', async () => {
    const { report } = await audit('standard', WHSEC, R.standardReceiver(WHSEC, { ignoreTimestamp: true }));
    expect(verdicts(report).rejects_stale_timestamp).toBe('fail');
    expect(report.failed).toBe(1);
  });

  it('a receiver that answers 500 to a duplicate', async () => {
    const { report } = await audit('ithbat', ITHBAT, R.ithbatReceiver(ITHBAT, { failDuplicates: true }));
    expect(report.checks.find((c) => c.id === 'duplicate_ack')).toMatchObject({ status: 'fail', status_code: 500, detail: 'answered 200 then 500 to the same delivery sent twice' });
  });

  it('a receiver without a WebSub answer', async () => {
    const { report } = await audit('asgardeo', 'asg-secret-0123456789', R.asgardeoReceiver('asg-secret-0123456789', { answerWebSub: false }));
    const handshake = report.checks.find((c) => c.id === 'handshake')!;
    expect(handshake.status).toBe('fail');
    expect(handshake.hint).toContain('hub.challenge');
  });

  it('an Okta receiver that does not answer the verification GET', async () => {
    const { report } = await audit('okta', 'okta-secret-value', R.oktaReceiver('okta-secret-value', { answerChallenge: false }));
    expect(report.checks.find((c) => c.id === 'handshake')).toMatchObject({ status: 'fail', hint: expect.stringContaining('{"verification"') });
  });

  it("a slow receiver: p95 over the platform's timeout (FusionAuth waits 2 s)", async () => {
    const { report } = await audit('fusionauth', 'fa-hmac-secret-000', R.sometimesSlow(R.fusionauthReceiver('fa-hmac-secret-000'), 2300), { only: ['answers_in_time'] });
    const timing = report.checks[0]!;
    expect(timing).toMatchObject({ id: 'answers_in_time', status: 'fail' });
    expect(timing.detail).toMatch(/^p95 2\d{3} ms over 20 deliveries, 5 at a time \(fusionauth waits 2 s\)/);
    expect(timing.hint).toContain('in the background');
  });
});

describe('hostile and broken receivers get a verdict per check, never a crash', () => {
  it('HTML for everything: the refusals pass, the acknowledgements fail', async () => {
    const { report } = await audit('ithbat', ITHBAT, () => ({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html>Not found</html>' }));
    expect(verdicts(report)).toMatchObject({ accepts_valid: 'fail', rejects_wrong_secret: 'pass', raw_body: 'fail', duplicate_ack: 'fail' });
  });

  it('a redirect is not followed, and said to be one', async () => {
    const { report, receiver } = await audit('ithbat', ITHBAT, () => ({ status: 302, headers: { location: '/elsewhere' } }), { only: ['accepts_valid'] });
    expect(report.checks[0]!.detail).toContain('302, a redirect to /elsewhere (platforms do not follow redirects)');
    expect(receiver.requests.map((r) => r.url)).toEqual(['/hooks']);
  });

  it('a receiver that hangs: each check fails on its timeout', async () => {
    const { report } = await audit('ithbat', ITHBAT, () => new Promise<never>(() => undefined), { only: ['accepts_valid', 'duplicate_ack'], timeoutMs: 300 });
    expect(report.checks.map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(report.checks[0]!.detail).toMatch(/no answer/);
  });

  it('sends at most 31 requests plus the handshake, one at a time outside answers_in_time, five within it', async () => {
    let inFlight = 0;
    let most = 0;
    const counting: R.Behaviour = async (req, i) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return R.ithbatReceiver(ITHBAT)(req, i);
    };
    const sequential = await audit('ithbat', ITHBAT, counting, { only: ['accepts_valid', 'rejects_wrong_secret', 'rejects_tampered_body', 'rejects_missing_signature', 'raw_body', 'duplicate_ack', 'unknown_type_ack', 'large_body'] });
    expect(most).toBeLessThanOrEqual(2);
    expect(sequential.receiver.requests.length).toBe(sequential.report.requests);
    most = 0;
    const all = await audit('ithbat', ITHBAT, counting);
    expect(all.report.requests).toBeLessThanOrEqual(31);
    expect(all.receiver.requests.length).toBe(all.report.requests);
    expect(most).toBeLessThanOrEqual(5);
  });

  it('an unknown check id is a usage error with a suggestion', async () => {
    await expect(audit('ithbat', ITHBAT, R.acceptAll, { only: ['raw_bdy'] })).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('did you mean "raw_body"') });
  });

  it('a receiver that cannot be reached is exit 3, with the reason', async () => {
    const receiver = await startReceiver();
    const url = new URL(`${receiver.url}/hooks`);
    await receiver.close();
    await expect(runAudit({ url, profile: getProvider('ithbat'), secret: ITHBAT, timeoutMs: 1000, http })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('connection refused') });
  });
});

describe("the audit sends each platform's own events", () => {
  it("a catalog's representative type, never its test event, even when the test event comes first and is not filed under 'test'", async () => {
    const ithbat = getProvider('ithbat');
    const pingFirst = catalog(
      [
        { type: 'ping', category: 'ping', description: 'the platform test', test: true, data: () => ({ zen: 'Keep it logically awesome.' }) },
        { type: 'user.created', category: 'user', description: 'a user', data: () => ({ user: { id: 'u1' } }) },
      ],
      () => `evt_${Math.random().toString(36).slice(2)}`,
      ({ id, type, data }) => ({ id, type, data }),
      'org_1',
    );
    const receiver = await startReceiver(R.ithbatReceiver(ITHBAT));
    running.push(receiver);
    const report = await runAudit({ url: new URL(`${receiver.url}/hooks`), profile: { ...ithbat, catalog: pingFirst }, secret: ITHBAT, only: ['accepts_valid'], timeoutMs: 5000, http });
    expect(report.checks[0]).toMatchObject({ id: 'accepts_valid', status: 'pass' });
    expect(JSON.parse(receiver.requests[0]!.body.toString('utf8')).type).toBe('user.created');
  });

  it("github: GitHub's headers and its first event (push) reach the receiver", async () => {
    const { report, receiver } = await audit('github', 'gh-secret', R.acceptAll, { only: ['accepts_valid'] });
    expect(report.checks[0]).toMatchObject({ status: 'pass' });
    const headers = receiver.requests[0]!.headers;
    expect(headers).toMatchObject({ 'x-github-event': 'push', 'user-agent': expect.stringMatching(/^GitHub-Hookshot\//), 'x-hub-signature': expect.stringMatching(/^sha1=/) });
  });
});

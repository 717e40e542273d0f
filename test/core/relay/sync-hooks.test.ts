import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSyncHook } from '../../../src/core/providers/sync/registry.js';
import type { RelayEvent } from '../../../src/core/relay/events.js';
import { Relay } from '../../../src/core/relay/relay.js';
import { openEventStore, type EventStore } from '../../../src/core/store/event-store.js';
import { tempDir } from '../../helpers/hooks-process.js';
import { rawPost } from '../../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * listen forwards a synchronous hook call and returns the app's answer as
 * it is; it also reads that answer as the platform would and notes a
 * contract violation on the log event and in the stored attempt.
 */
const SUPABASE = `v1,whsec_${randomBytes(32).toString('base64')}`;
const WORKOS = 'workos-actions-secret';
let app: Receiver;
let store: EventStore;
let relay: Relay;
let url: string;
const events: RelayEvent[] = [];
/** What the app answers next, by path. */
const answers: Record<string, { status: number; body: string }> = {
  '/supabase': { status: 403, body: '{"error":{"http_code":403,"message":"Only staff"}}' },
  '/okta': { status: 200, body: '{"commands":[{"type":"com.okta.access.patch","value":[{"op":"add","path":"/claims/tier","value":"gold"}]}]}' },
  '/workos': { status: 200, body: '{"object":"authentication_action_response","payload":{"timestamp":1,"verdict":"Allow"}}' },
};

beforeAll(async () => {
  app = await startReceiver((req) => ({ ...answers[req.url]!, headers: { 'content-type': 'application/json' } }));
  store = await openEventStore(tempDir('relay-sync'));
  relay = new Relay({ forwards: [new URL(app.url)], routes: [], provider: 'auto', custom: [], forwardInvalid: true, timeoutMs: 10_000, maxBodyBytes: 1024 * 1024, insecure: false, store, session: 'ses_sync', emit: (e) => events.push(e) });
  // Only WorkOS's secret: forwardInvalid forwards the calls of the others, unverifiable, as a session told to would.
  relay.setSecrets({ holdsAny: true, of: (p) => (p === 'workos' ? { secret: WORKOS } : { secret: null, why: null }) });
  url = await relay.start();
});
afterAll(async () => {
  await relay.close();
  await store.close();
  await app.close();
});

async function send(path: string, type: string, secret: string | undefined) {
  const { platform, contract } = requireSyncHook(type);
  const signed = platform.auth.sign(contract.request.sample(new Date()), secret, { id: randomUUID(), now: new Date(), url: new URL(url) });
  const r = await rawPost(`${url}${path}`, signed.body, Object.entries(signed.headers));
  const forwarded = events.filter((e): e is Extract<RelayEvent, { type: 'delivery.forwarded' }> => e.type === 'delivery.forwarded').at(-1)!;
  return { r, forwarded, attempts: store.attempts(forwarded.id) };
}

describe('listen reads a synchronous hook answer as its platform would', () => {
  it('an error object under a status Supabase ignores: noted on the event and the stored attempt; the answer goes back unchanged', async () => {
    const { r, forwarded, attempts } = await send('/supabase', 'customize-access-token', SUPABASE);
    expect(r.status).toBe(403);
    expect(r.body.toString()).toBe(answers['/supabase']!.body);
    expect(forwarded.contract).toMatchObject({ provider: 'supabase', type: 'customize-access-token', path: 'closed', violations: [{ code: 'error_under_ignored_status' }] });
    expect(attempts[0]).toMatchObject({ kind: 'forward', status: 403 });
    expect(attempts[0]!.error).toContain('[error_under_ignored_status]');
  });

  it('an answer that fits: said on the event, nothing stored as an error', async () => {
    const { forwarded, attempts } = await send('/okta', 'com.okta.oauth2.tokens.transform', 'okta-auth');
    expect(forwarded.contract).toMatchObject({ provider: 'okta', type: 'com.okta.oauth2.tokens.transform', path: 'answer', violations: [] });
    expect(attempts[0]!.error).toBeNull();
  });

  it('an unsigned WorkOS answer, with the session\'s WorkOS secret', async () => {
    const { forwarded } = await send('/workos', 'authentication_action_context', WORKOS);
    expect(forwarded.contract?.violations.map((v) => v.code)).toEqual(['unsigned_answer']);
  });

  it('event webhooks are not hooks: no note', async () => {
    const body = Buffer.from('{"id":"evt_1","type":"user.created","data":{}}');
    await rawPost(`${url}/okta`, body, [['content-type', 'application/json']]);
    const last = events.filter((e): e is Extract<RelayEvent, { type: 'delivery.forwarded' }> => e.type === 'delivery.forwarded').at(-1)!;
    expect(last.contract).toBeUndefined();
  });
});

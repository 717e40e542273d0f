import { randomBytes } from 'node:crypto';
import { send } from '../../http/send.js';
import type { Handshake } from '../handshake.js';

const HEADER = 'X-Okta-Verification-Challenge';

/**
 * Okta's one-time verification of an event hook
 * (https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request):
 * a GET carrying `X-Okta-Verification-Challenge` (and the configured
 * authorization header), answered with 200 and `{"verification": "<value>"}`
 * within Okta's 3 s. Deactivating sends nothing.
 */
export const oktaVerification: Handshake = {
  kind: 'okta_verification',
  description: `one-time verification: a GET with ${HEADER}, answered with {"verification": "<value>"}; hooks start unverified`,
  unsubscribes: false,
  fixHint: `answer GET requests that carry ${HEADER} with 200 and the JSON {"verification": "<that header's value>"}`,

  async verify({ http, callback, mode, timeoutMs, credentials }) {
    if (mode === 'unsubscribe') return { status: 'unsubscribed', mode, at: Date.now(), topics: [], error: null };
    const challenge = randomBytes(24).toString('base64url');
    const r = await send(http, { url: new URL(callback), method: 'GET', headers: { ...credentials, [HEADER]: challenge, accept: 'application/json' }, timeoutMs, keep: 'excerpt' });
    let error = r.error;
    if (!error && r.status !== 200) error = `answered ${r.status}, expected 200`;
    else if (!error && readVerification(r.body) !== challenge) {
      const got = r.body.toString('utf8');
      error = `answered ${got.length === 0 ? 'an empty body' : `"${got.slice(0, 80)}"`}, expected {"verification": "${challenge}"}`;
    }
    const check = { topic: 'event hook verification', ok: error === null, status_code: r.status, error };
    return { status: error ? 'failed' : 'verified', mode, at: Date.now(), topics: [check], error: error ? `verification failed: ${error}` : null };
  },

  answer(_url, headers) {
    const challenge = headers.get(HEADER);
    if (challenge === undefined) return null;
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ verification: challenge }), event: { type: 'okta.verification', answered_by: 'hooks', app_status: null } };
  },

  judgeAppAnswer(request, app) {
    const accepted = app.status === 200 && readVerification(app.body) === request.get(HEADER);
    return { accepted, event: { type: 'okta.verification', answered_by: accepted ? 'app' : 'hooks', app_status: app.status } };
  },
};

function readVerification(body: Buffer): string | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const value = parsed && typeof parsed === 'object' ? (parsed as { verification?: unknown }).verification : undefined;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

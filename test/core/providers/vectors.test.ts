import { describe, expect, it } from 'vitest';
import { getProvider } from '../../../src/core/providers/registry.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';

// Each expected value was computed independently with
//   printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"
const vectors = [
  {
    provider: 'ithbat',
    header: 'X-Ithbat-Signature',
    secret: 'ith_whsec_test_secret',
    body: '{"id":"evt_2Qm8tXk","type":"user.created","created_at":"2026-01-15T10:30:00Z","data":{"user":{"id":"usr_81","email":"amira@example.com"}}}',
    value: 'sha256=c16f3d93cee4dd211539b7eb9c9c27f87e2d1c52f5063a84f0dbd14c20c8474a',
  },
  {
    provider: 'intelliauth',
    header: 'X-IntelliAuth-Signature',
    secret: 'ia_secret_1',
    body: '{"event_id":"0b6b3d2e-5f7a-4c61-9f0e-2d1f1e7c9a10","event_type":"test.ping","created_at":"2026-01-15T10:30:00Z","tenant":{"id":"t-42"},"data":{"test":true}}',
    value: '02853f6afbdea2be8dba2de5648385d87c822c68469123bed42f0c1757c03a38',
  },
  {
    provider: 'asgardeo',
    header: 'x-hub-signature',
    secret: 'asg-secret',
    body: '{"iss":"https://api.asgardeo.io/t/myorg","jti":"051f0c37-b689-44d4-b7d2-29b980ece273","iat":1751705149662,"rci":"05268edb-9a87-4656-87c0-0fb674dd03b1","events":{"https://schemas.identity.wso2.org/events/login/event-type/loginSuccess":{"user":{"id":"d4002616-f00c-49d5-b9b7-63b063819049"}}}}',
    value: 'sha256=670d46ef7546e6ce7a1e1fc66576e1d2285f7702489cdae2a0dee71f0c9d2c0d',
  },
  {
    provider: 'scalekit',
    header: 'x-scalekit-signature',
    secret: 'skw_secret',
    body: '{"id":"evt_1234567890","type":"user.authenticated","created":"2024-01-15T10:30:00Z","data":{"userId":"usr_1234567890","organizationId":"org_1234567890","email":"user@example.com"}}',
    value: 'e9331060bacf99ef19db75a9d47f17b7c89bdc6ee0abacfbcb4eadeaf5bbeb54',
  },
  {
    provider: 'lmif',
    header: 'x-lmif-signature',
    secret: 'your-webhook-secret',
    body: '{"id":"evt_abc123","type":"box.created","createdAt":"2024-01-15T10:00:00Z","data":{"boxId":"box_1"},"meta":{"apiVersion":"v1","webhookId":"wh_xyz789"}}',
    value: 'sha256=d7cd7ca64ba7d916f54b17337bef0c75890c8708b67191d0d82859e9ada6f2f7',
  },
];

describe.each(vectors)('$provider vector', (v) => {
  const profile = getProvider(v.provider);
  const body = Buffer.from(v.body);

  it('signs to the computed value', () => {
    expect(profile.scheme.sign(body, v.secret, { id: 'x', timestamp: 1 })).toEqual({ [v.header]: v.value });
  });

  it('verifies it, with the header name in any case', () => {
    expect(profile.scheme.verify(body, HeaderBag.from({ [v.header.toUpperCase()]: v.value }), v.secret).valid).toBe(true);
  });

  it('refuses it with a changed body or secret', () => {
    expect(profile.scheme.verify(Buffer.from(v.body + ' '), HeaderBag.from({ [v.header]: v.value }), v.secret).reason).toBe('signature_mismatch');
    expect(profile.scheme.verify(body, HeaderBag.from({ [v.header]: v.value }), `${v.secret}x`).reason).toBe('signature_mismatch');
  });
});

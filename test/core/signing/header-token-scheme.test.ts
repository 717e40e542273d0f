import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerTokenScheme } from '../../../src/core/signing/header-token-scheme.js';
import { HeaderBag } from '../../../src/core/signing/headers.js';

const scheme = headerTokenScheme('Authorization', 'Okta event hooks');
const SECRET = 'okta-secret-value-0123456789';
const explain = (value: string) => scheme.explain!(Buffer.alloc(0), HeaderBag.from({ Authorization: value }), SECRET).map((h) => h.code);

describe('the header-token scheme (Okta, Auth0)', () => {
  it('explains the usual mistakes: a Bearer prefix too many or too few, whitespace', () => {
    expect(explain(`Bearer ${SECRET}`)).toEqual(['authorization_format']);
    expect(headerTokenScheme('Authorization', 'x').explain!(Buffer.alloc(0), HeaderBag.from({ Authorization: SECRET }), `Bearer ${SECRET}`).map((h) => h.code)).toEqual(['authorization_format']);
    expect(explain(`${SECRET} `)).toEqual(['secret_whitespace']);
    expect(explain('something else')).toEqual([]);
  });

  it('compares the sender\'s value with the secret in constant time in explain() too, as verify() does (issue #29 item 3)', () => {
    // The sender chooses the value on every failed delivery: no comparison with the secret may stop at the first differing byte.
    const source = readFileSync(new URL('../../../src/core/signing/header-token-scheme.ts', import.meta.url), 'utf8');
    const body = source.slice(source.indexOf('explain(')).replace(/[!=]== (undefined|null)\b/g, '');
    expect(body).not.toMatch(/[!=]==|\.trim\(\) ?[!=]=/);
  });
});

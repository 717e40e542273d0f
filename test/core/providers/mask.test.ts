import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../../src/core/providers/mask.js';
import { PROVIDERS } from '../../../src/core/providers/registry.js';

/** Issue #29 item 3: a mask shows at most 4 characters of a secret's random part, whatever the secret. */
const KNOWN_PREFIXES = ['ith_whsec_', 'lmif_whsec_', 'skw_', 'whsec_'];

/** How many characters of `secret`'s random part (after a known literal prefix) the mask shows. */
function shown(secret: string, mask: string): number {
  const prefix = KNOWN_PREFIXES.filter((p) => secret.startsWith(p)).sort((a, b) => b.length - a.length)[0] ?? '';
  expect(mask.startsWith(prefix)).toBe(true);
  const rest = mask.slice(prefix.length).replace(/[…•]+$/, '');
  expect(secret.slice(prefix.length).startsWith(rest)).toBe(true);
  return rest.length;
}

describe('maskSecret', () => {
  it.each(PROVIDERS.map((p) => [p.id, p] as const))('never shows more than 4 characters of a %s secret, over 2,000 of them', (_id, profile) => {
    for (let i = 0; i < 2000; i++) {
      const secret = profile.newSecret();
      const mask = maskSecret(secret);
      expect(shown(secret, mask), `${secret} → ${mask}`).toBeLessThanOrEqual(4);
      expect(mask).not.toBe(secret);
    }
  });

  it('keeps a known literal prefix and four characters: ith_whsec_c8bc…, whsec_MfKQ…', () => {
    expect(maskSecret('ith_whsec_c8bc0123456789abcdef0123456789ab')).toBe('ith_whsec_c8bc…');
    expect(maskSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe('whsec_MfKQ…');
  });

  it('treats an underscore inside random base64url as random: an Okta secret shows 4 characters, not 25', () => {
    expect(maskSecret('9q0dSXbw0Egpe6YofJKT13sg_abcdefg')).toBe('9q0d…');
    expect(maskSecret('a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_')).toBe('a_b_…');
  });

  it('shows none of a short secret', () => {
    expect(maskSecret('ghsecret123')).toBe('••••••••');
    expect(maskSecret('whsec_short')).toBe('whsec_••••••••');
  });
});

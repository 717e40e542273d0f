import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { customProfile, loadCustomProfile } from '../../../src/core/providers/custom.js';
import { verifyDelivery } from '../../../src/core/providers/verification.js';
import { hmac } from '../../../src/core/signing/hmac.js';
import { tempDir } from '../../helpers/hooks-process.js';

describe('custom provider profiles', () => {
  const spec = { id: 'acme', signatureHeader: 'X-Acme-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'v1=', template: '{timestamp}.{body}', timestampHeader: 'X-Acme-Timestamp' };

  it('verifies a signature made the way the file describes', () => {
    const body = Buffer.from('{"ok":true}');
    const sig = hmac('sha512', 'k', [Buffer.from('1700000000.'), body]).toString('base64');
    const headers = { 'X-Acme-Signature': `v1=${sig}`, 'X-Acme-Timestamp': '1700000000' };
    const profile = customProfile(spec);
    expect(verifyDelivery({ provider: 'auto', body, headers, secret: 'k', now: 1700000010, custom: [profile] })).toMatchObject({ valid: true, provider: 'acme' });
    expect(verifyDelivery({ provider: 'acme', body, headers, secret: 'k', now: 1700009999, custom: [profile] }).reason).toBe('timestamp_out_of_tolerance');
  });

  it.each([
    [{ ...spec, algorithm: 'md5' }, 'algorithm'],
    [{ ...spec, encoding: 'base32' }, 'encoding'],
    [{ ...spec, signatureHeader: undefined }, 'signatureHeader'],
    [{ ...spec, template: '{timestamp}' }, 'template'],
    [{ ...spec, timestampHeader: undefined }, 'timestampHeader'],
    [{ ...spec, id: 'Has Space' }, 'id'],
  ])('names the bad field %#', (raw, field) => {
    expect(() => customProfile(raw)).toThrow(UsageError);
    expect(() => customProfile(raw)).toThrow(`"${field}"`);
  });

  it('reports unreadable and non-JSON files as usage errors', () => {
    const dir = tempDir('custom');
    const file = join(dir, 'p.json');
    writeFileSync(file, '{not json');
    expect(() => loadCustomProfile(file)).toThrow(/not valid JSON/);
    expect(() => loadCustomProfile(join(dir, 'missing.json'))).toThrow(/ENOENT/);
  });
});

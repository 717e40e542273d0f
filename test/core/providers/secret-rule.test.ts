import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { PROVIDERS } from '../../../src/core/providers/registry.js';
import { assertUsableSecret } from '../../../src/core/providers/secret-rule.js';
import { trigger } from '../../../src/core/trigger/trigger.js';

/** Issue #33: a secret refused by the profile in use, that another profile's known prefix says whose it is. */
function refusal(run: () => unknown): UsageError {
  try {
    run();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('the secret was accepted');
}

describe('a secret that looks like another platform’s', () => {
  it('trigger --to without --provider: says --to defaults to standard and names --provider ithbat', async () => {
    const secret = PROVIDERS.find((p) => p.id === 'ithbat')!.newSecret();
    const err = await trigger({ type: 'user.created', to: new URL('http://127.0.0.1:9/webhooks'), secret, set: [], timeoutMs: 1000, waitMs: 1000, connection: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    const { message, hint } = err as UsageError;
    expect(message).toContain('not a usable standard secret');
    expect(message).toContain('--to defaults to standard');
    expect(message).toContain('ith_whsec_');
    expect(message).toContain('Ithbat');
    expect(hint).toContain('--provider ithbat');
  });

  // From the profiles' data: each profile whose secrets have a literal prefix, against each profile that refuses them.
  const cases = PROVIDERS.flatMap((owner) =>
    (owner.secretPrefixes ?? []).length === 0
      ? []
      : PROVIDERS.filter((used) => used !== owner && !(used.secretPrefixes ?? []).some((p) => owner.newSecret().startsWith(p)) && used.scheme.validateSecret?.(owner.newSecret())).map((used) => [owner.id, used.id] as const),
  );

  it('covers at least the seed platforms’ prefixes', () => {
    expect(cases.map(([owner]) => owner)).toEqual(expect.arrayContaining(['ithbat', 'lmif', 'scalekit']));
  });

  it.each(cases)('a %s secret refused as %s names its platform', (ownerId, usedId) => {
    const owner = PROVIDERS.find((p) => p.id === ownerId)!;
    const used = PROVIDERS.find((p) => p.id === usedId)!;
    const err = refusal(() => assertUsableSecret(used, owner.newSecret()));
    expect(err.message).toContain(`not a usable ${usedId} secret`);
    expect(err.message).toContain(owner.name);
    expect(err.hint).toContain(`--provider ${ownerId}`);
    // The flag that chose the profile is said only when one did.
    expect(err.message).not.toContain('defaults to');
  });

  it('a broken secret with the profile’s own prefix gets no other platform’s name', () => {
    const err = refusal(() => assertUsableSecret(PROVIDERS.find((p) => p.id === 'standard')!, 'whsec_not base64!'));
    expect(err.hint).not.toContain('--provider');
  });
});

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { PROVIDERS } from '../../../src/core/providers/registry.js';
import { applySet, envelopeKeysOf, settablePaths } from '../../../src/core/trigger/payload.js';

// Issue #35 item 7: `trigger --set created_at=…` and `--set foo.bar=1` were
// ignored (exit 0). A path the event does not have, or that its envelope owns,
// is a usage error that names the paths that can be set. Checked for every
// provider against its own sample data: nothing here knows a provider.
describe.each(PROVIDERS.map((p) => [p.id, p] as const))('--set on %s events', (_id, profile) => {
  // A type whose data has fields, where the platform documents any (Ithbat documents none: its data is {}).
  const types = profile.catalog.types.filter((t) => !t.test);
  const type = (types.find((t) => settablePaths(profile.catalog.sample(t.type)).length > 0) ?? types[0]!).type;
  const data = profile.catalog.sample(type);
  const envelope = envelopeKeysOf(profile.catalog.build(type, { data }).body, data);
  const paths = settablePaths(data);

  it('changes a field the event has', () => {
    if (paths.length === 0) {
      expect(profile.catalog.types.every((t) => t.test || settablePaths(profile.catalog.sample(t.type)).length === 0)).toBe(true);
      expect(() => applySet(data, 'data.x=1', envelope)).toThrow(UsageError);
      return;
    }
    const changed = applySet(data, `data.${paths[0]}=42`, envelope) as Record<string, unknown>;
    expect(paths[0]!.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], changed)).toBe(42);
  });

  it('refuses a path the event does not have, naming the ones it has', () => {
    expect(() => applySet(data, 'foo.bar=1', envelope)).toThrow(UsageError);
    expect(() => applySet(data, 'foo.bar=1', envelope)).toThrow('data.foo.bar');
    try {
      applySet(data, 'foo.bar=1', envelope);
    } catch (err) {
      expect((err as UsageError).hint).toContain(paths.length > 0 ? `data.${paths[0]}` : '(none');
    }
  });

  it('refuses what the envelope owns (made fresh for every event)', () => {
    for (const key of envelope) {
      expect(() => applySet(data, `${key}=x`, envelope)).toThrow(/the envelope's/);
      expect(() => applySet(data, `data.${key}=x`, envelope)).toThrow(/the envelope's/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../../src/core/schemas/event-schema.js';
import { pascal, toTypeScript } from '../../../src/core/schemas/typescript.js';
import { getProvider } from '../../../src/core/providers/registry.js';
import { typecheck, type TypeCheck } from '../../helpers/typecheck.js';

/**
 * The TypeScript printed for a type compiles, and the events hooks builds
 * satisfy it while a body missing a required field does not: for every
 * GitHub and Standard Webhooks type, in one compile.
 */
describe('JSON Schema → TypeScript', () => {
  it('names types as a TypeScript reader expects', () => {
    expect(pascal('issues$opened')).toBe('IssuesOpened');
    expect(pascal('installation-lite')).toBe('InstallationLite');
    expect(pascal('user.created')).toBe('UserCreated');
    expect(pascal('2fa.enabled')).toBe('_2faEnabled');
  });

  it('prints declarations the compiler accepts, which the built events satisfy and broken ones do not', () => {
    const namespaces: string[] = [];
    const checks: TypeCheck[] = [];
    const add = (provider: string, type: string, i: number) => {
      const { schema, typescript } = eventSchema(getProvider(provider), type, { typescript: true });
      const name = pascal(type);
      namespaces.push(`namespace N${i} {\n${typescript!.replace(/^export /gm, 'export ')}\n}`);
      const body = JSON.parse(getProvider(provider).catalog.build(type).body.toString('utf8')) as Record<string, unknown>;
      checks.push({ name: `${provider} ${type}`, type: `N${i}.${name}`, value: body });
      const required = (schema.required as string[] | undefined) ?? [];
      if (required.length > 0) {
        const { [required[0]!]: _, ...broken } = body;
        checks.push({ name: `${provider} ${type} without ${required[0]}`, type: `N${i}.${name}`, value: broken });
      }
    };
    let i = 0;
    for (const t of getProvider('github').catalog.types) add('github', t.type, i++);
    for (const t of getProvider('standard').catalog.types) add('standard', t.type, i++);
    const errors = typecheck(namespaces.join('\n\n'), checks);
    // Only the broken ones fail, each for the field it lacks.
    const broken = checks.filter((c) => c.name.includes(' without '));
    expect(errors.filter((e) => !broken.some((b) => e.startsWith(`${b.name}:`)))).toEqual([]);
    for (const b of broken) expect(errors.some((e) => e.startsWith(`${b.name}:`)), b.name).toBe(true);
  }, 120_000);

  it('keeps descriptions as comments and quotes names that are not identifiers', () => {
    const ts = toTypeScript({ type: 'object', description: 'A thing', required: ['content-type'], properties: { 'content-type': { type: 'string', description: 'Its media type' }, n: { type: ['integer', 'null'] } }, additionalProperties: false }, 'thing');
    expect(ts).toBe('/** A thing */\nexport interface Thing {\n  /** Its media type */\n  "content-type": string;\n  n?: number | null;\n}\n');
  });
});

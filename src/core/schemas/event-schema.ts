import type { JsonSchema } from '../fixtures/catalog.js';
import { OperationError, UsageError } from '../errors.js';
import type { ProviderProfile } from '../providers/profile.js';
import { didYouMean } from '../suggest.js';
import { toTypeScript } from './typescript.js';

/** What `hooks providers schema` prints: one type's JSON Schema, and its TypeScript when asked. */
export interface EventSchema {
  provider: string;
  type: string;
  description: string;
  /** Where the platform documents the type. */
  source: string | null;
  /** Self-contained: only the definitions the type uses. */
  schema: JsonSchema;
  typescript?: string;
}

/** The schema of one of a platform's event types, as its catalog knows it. */
export function eventSchema(profile: ProviderProfile, given: string, opts: { typescript?: boolean } = {}): EventSchema {
  const type = profile.catalog.resolve(given);
  if (type === null) {
    const types = profile.catalog.types.map((t) => t.type);
    throw new UsageError(`unknown ${profile.id} event type "${given}"${didYouMean(given, types)}`, `hooks providers show ${profile.id} lists its ${types.length} types`, 'unknown_event_type');
  }
  const full = profile.catalog.schema(type);
  if (!full) throw new OperationError(`hooks knows no schema for ${profile.id} ${type}`, `its catalog has none yet; hooks trigger ${type} --provider ${profile.id} --to URL shows what hooks sends`, 'no_schema');
  const spec = profile.catalog.types.find((t) => t.type === type)!;
  const schema = selfContained(full);
  return { provider: profile.id, type, description: spec.description, source: spec.source ?? null, schema, ...(opts.typescript ? { typescript: toTypeScript(schema, type) } : {}) };
}

/** The schema with only the definitions it reaches (a catalog may share all of them between its types). */
export function selfContained(schema: JsonSchema): JsonSchema {
  const { definitions, ...top } = schema;
  if (!definitions || typeof definitions !== 'object') return schema;
  const all = definitions as Record<string, JsonSchema>;
  const used: Record<string, JsonSchema> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
      const name = ref.slice('#/definitions/'.length);
      if (!(name in used) && name in all) {
        used[name] = all[name]!;
        visit(all[name]);
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(top);
  return Object.keys(used).length > 0 ? { ...top, definitions: used } : top;
}

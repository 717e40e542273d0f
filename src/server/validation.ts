import type { z } from 'zod/v4';
import { patternsOf } from '../core/fixtures/catalog.js';
import type { ProviderProfile } from '../core/providers/profile.js';
import { didYouMeanType, someOf } from '../core/suggest.js';
import { ApiError, invalid } from '../core/http/http-error.js';

/**
 * A request body checked against its schema in the contract: the value it
 * describes, or a 400 that names the field (an unknown field first, with
 * the allowed ones).
 */
export function parseBody<S extends z.ZodObject>(schema: S, body: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown) throw invalid(unknown.keys[0]!, `unknown field; allowed: ${Object.keys(schema.shape).join(', ')}`);
  throw invalid(String(issues[0]!.path[0] ?? 'body'), issues[0]!.message);
}

/** A query parameter checked against its schema in the contract; `fallback` when absent. */
export function queryParam<T>(schema: z.ZodType<T>, query: URLSearchParams, name: string, fallback: T): T {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid(name, parsed.error.issues[0]!.message);
  return parsed.data;
}

/** `*`, `category.*` and exact types of the provider's catalog (seed 001); anything else is refused with the list. */
export function eventPatterns(value: string[], profile: ProviderProfile): string[] {
  const types = profile.catalog.types.map((t) => t.type);
  for (const pattern of value) {
    if (pattern === '*') continue;
    if (pattern.endsWith('.*')) {
      const prefix = pattern.slice(0, -1);
      if (!types.some((t) => t.startsWith(prefix))) {
        throw new ApiError(422, 'unknown_event_type', `no ${profile.id} event type matches "${pattern}"; patterns: ${someOf(patternsOf(profile.catalog.types))}`, 'events');
      }
      continue;
    }
    if (!types.includes(pattern)) {
      throw new ApiError(422, 'unknown_event_type', `unknown ${profile.id} event type "${pattern}"${didYouMeanType(pattern, types)}; known: ${someOf(types)}`, 'events');
    }
  }
  return [...new Set(value)];
}


import { createRequire } from 'node:module';
import type { JsonSchema } from '../fixtures/catalog.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validate = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

let ajv: { compile(schema: JsonSchema): Validate } | null = null;
const compiled = new WeakMap<JsonSchema, Validate>();

/**
 * What a value lacks or gets wrong against a platform's JSON Schema, one
 * line each (`lacks claims.role`, `claims.exp is not integer`); [] when it
 * fits. ajv is loaded on the first call, as listen's fit notes load it.
 */
export function schemaProblems(schema: JsonSchema, value: unknown, root = ''): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    if (!ajv) {
      const Ajv = createRequire(import.meta.url)('ajv') as new (opts: object) => { compile(schema: JsonSchema): Validate };
      ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    }
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  return [...new Set((validate.errors ?? []).map((e) => describe(e, root)))];
}

function describe(e: AjvError, root: string): string {
  const path = [root, ...e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))].filter(Boolean).join('.');
  switch (e.keyword) {
    case 'required':
      return `lacks ${path ? `${path}.` : ''}${String(e.params.missingProperty)}`;
    case 'type':
      return `${path || 'the value'} is not ${String(e.params.type)}`;
    case 'enum':
      return `${path || 'the value'} is not one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${path || 'the value'} ${e.message ?? e.keyword}`;
  }
}

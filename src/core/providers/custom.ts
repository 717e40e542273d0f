import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { iamCatalog } from '../fixtures/iam.js';
import { hmacScheme, type HmacSchemeSpec } from '../signing/hmac-scheme.js';
import { anyTwoHundred, time, type ProviderProfile } from './profile.js';
import { hexSecret } from './secrets.js';

/**
 * A profile described in a JSON file, for platforms we do not ship:
 * { "id", "name"?, "signatureHeader", "algorithm"?: sha1|sha256|sha512,
 *   "encoding"?: hex|base64, "prefix"?, "template"?: "{timestamp}.{body}",
 *   "idHeader"?, "timestampHeader"?, "tolerance"? }
 */
export function loadCustomProfile(path: string): ProviderProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read provider file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'check the path given to --provider-file');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`provider file ${path} is not valid JSON: ${(err as Error).message}`, 'see "hooks verify --help" for the file format');
  }
  return customProfile(raw, path);
}

export function customProfile(raw: unknown, origin = 'provider file'): ProviderProfile {
  const bad = (field: string, expected: string): never => {
    throw new UsageError(`${origin}: "${field}" must be ${expected}`, 'see "hooks verify --help" for the provider file format');
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(top level)', 'a JSON object');
  const o = raw as Record<string, unknown>;
  const str = (field: string, required: boolean): string | undefined => {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') bad(field, 'a non-empty string');
    return v as string;
  };
  const id = str('id', true)!;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(id)) bad('id', 'lowercase letters, digits, - and _');
  const algorithm = (o.algorithm ?? 'sha256') as HmacSchemeSpec['algorithm'];
  if (!['sha1', 'sha256', 'sha512'].includes(algorithm)) bad('algorithm', 'one of sha1, sha256, sha512');
  const encoding = (o.encoding ?? 'hex') as HmacSchemeSpec['encoding'];
  if (!['hex', 'base64'].includes(encoding)) bad('encoding', 'hex or base64');
  if (o.prefix !== undefined && typeof o.prefix !== 'string') bad('prefix', 'a string');
  const template = (o.template ?? '{body}') as string;
  if (typeof template !== 'string' || !template.includes('{body}')) bad('template', 'a string containing {body}');
  const idHeader = str('idHeader', false);
  const timestampHeader = str('timestampHeader', false);
  if (template.includes('{id}') && !idHeader) bad('idHeader', 'set when the template uses {id}');
  if (template.includes('{timestamp}') && !timestampHeader) bad('timestampHeader', 'set when the template uses {timestamp}');
  if (o.tolerance !== undefined && (typeof o.tolerance !== 'number' || !Number.isInteger(o.tolerance) || o.tolerance < 0)) bad('tolerance', 'a whole number of seconds');
  const signatureHeader = str('signatureHeader', true)!;

  return {
    id,
    name: str('name', false) ?? id,
    source: origin,
    scheme: hmacScheme({
      signatureHeader,
      algorithm,
      encoding,
      prefix: (o.prefix as string | undefined) ?? '',
      template,
      idHeader,
      timestampHeader,
      tolerance: o.tolerance as number | undefined,
    }),
    catalog: iamCatalog,
    ...(idHeader ? { eventHeaders: { id: idHeader } } : {}),
    delivery: { retryDelaysMs: [1 * time.min, 5 * time.min, 30 * time.min], timeoutMs: 15 * time.s, ...anyTwoHundred },
    newSecret: () => hexSecret(),
  };
}

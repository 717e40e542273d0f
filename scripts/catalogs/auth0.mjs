#!/usr/bin/env node
/**
 * Writes catalogs/auth0.json and catalogs/auth0.schemas.json from Auth0's own artifacts:
 *
 * - auth0/docs-v2, main/docs/deploy-monitor/logs/log-event-type-codes.mdx: the
 *   "Log Type Codes" page (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes):
 *   every code with its event name and description.
 * - the same repository's Tenant Log Catalog (main/config/navigation/generated/tenant-logs.en.json,
 *   https://auth0.com/docs/tenant-logs): codes documented there but not on the
 *   codes page, and each code's group.
 * - the same repository's log stream filters page (main/docs/customize/log-streams/event-filters.mdx):
 *   the category a log stream files each code under.
 * - auth0/auth0-log-schemas, schemas/all-log-types.schema.json: Auth0's JSON
 *   Schema of each log type (the `data` of a log stream entry), which the
 *   Tenant Log Catalog is generated from. Its `required` lists are the fields
 *   every log of that code carries.
 *
 * For a code the page lists but no schema covers, the schema is the one every
 * published schema agrees on (the fields all of them require, typed as they
 * type them), named as such in the file.
 *
 * Each code also gets one example log built from its schema: every required
 * field, and the usual ones (date, client, connection, ip, user_agent, user,
 * hostname, strategy) where its schema defines them, with the values of
 * VALUES below or the schema's own examples. hooks makes each fresh at run time.
 *
 * Usage: node scripts/catalogs/auth0.mjs <auth0/docs-v2 git dir> <auth0/auth0-log-schemas git dir>
 */
import { argsOrUsage, gitSource, writeJson } from './git-source.mjs';

const [docsDir, schemasDir] = argsOrUsage(2, 'usage: node scripts/catalogs/auth0.mjs <auth0/docs-v2 git dir> <auth0/auth0-log-schemas git dir>');
const docs = gitSource(docsDir, 'https://github.com/auth0/docs-v2');
const logSchemas = gitSource(schemasDir, 'https://github.com/auth0/auth0-log-schemas');
const OUT = new URL('../../catalogs/', import.meta.url);

const PATHS = {
  codes: 'main/docs/deploy-monitor/logs/log-event-type-codes.mdx',
  filters: 'main/docs/customize/log-streams/event-filters.mdx',
  catalogNav: 'main/config/navigation/generated/tenant-logs.en.json',
  stream: 'main/docs/customize/log-streams/custom-log-streams.mdx',
  schemas: 'schemas/all-log-types.schema.json',
};
const SITE = 'https://auth0.com';
const PAGES = {
  codes: `${SITE}/docs/deploy-monitor/logs/log-event-type-codes`,
  filters: `${SITE}/docs/customize/log-streams/event-filters`,
  catalog: `${SITE}/docs/tenant-logs`,
  stream: `${SITE}/docs/customize/log-streams/custom-log-streams`,
};

// ---- the documented codes ----------------------------------------------------

/** Rows of a Markdown table whose first cell is a `code`: [code, ...other cells]. */
const codeRows = (markdown) =>
  [...markdown.matchAll(/^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/gm)].map((m) => [m[1], ...m[2].split('|').map((c) => c.trim())]);
const plain = (md) => md.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/\s+/g, ' ').trim();

const page = new Map(codeRows(docs.read(PATHS.codes)).map(([code, event, description]) => [code, { event: plain(event), description: plain(description ?? '') }]));

// The log stream filters page: `### <filter>` then a table of its codes.
const filterOf = new Map();
let filter = null;
for (const line of docs.read(PATHS.filters).split('\n')) {
  const heading = /^###\s+(.+?)\s*$/.exec(line);
  if (heading) filter = heading[1];
  const row = /^\|\s*`([^`]+)`/.exec(line);
  if (row && filter && !filterOf.has(row[1])) filterOf.set(row[1], filter);
}

// The Tenant Log Catalog: groups of pages named after their code (`-` for `_`).
const catalogPage = new Map();
const walkNav = (node, group) => {
  for (const p of node.pages ?? []) {
    if (typeof p === 'string') {
      const m = /^docs\/tenant-logs\/[^/]+\/([^/]+)$/.exec(p);
      if (m) catalogPage.set(m[1].replaceAll('-', '_'), { group, url: `${SITE}/${p}` });
    } else walkNav(p, p.group);
  }
};
for (const g of JSON.parse(docs.read(PATHS.catalogNav)).groups) walkNav(g, g.group);

// ---- the schemas ----------------------------------------------------------------

const all = JSON.parse(logSchemas.read(PATHS.schemas));
const { TenantLog: _union, ...definitions } = all.definitions;
const schemaCodes = Object.keys(definitions).filter((k) => definitions[k].properties?.type?.const === k);
const resolve = (s) => (s && s.$ref ? definitions[s.$ref.split('/').pop()] : s);

// What every published schema agrees on, for the codes that have none.
const propertyDefs = new Map();
for (const code of schemaCodes) {
  for (const [k, v] of Object.entries(definitions[code].properties)) {
    if (k === 'type') continue;
    const key = JSON.stringify(v);
    const counts = propertyDefs.get(k) ?? new Map();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    propertyDefs.set(k, counts);
  }
}
const commonRequired = schemaCodes.map((c) => new Set(definitions[c].required ?? [])).reduce((a, b) => new Set([...a].filter((k) => b.has(k))));
const commonProperties = Object.fromEntries(
  [...propertyDefs].filter(([, counts]) => [...counts.values()].reduce((a, b) => a + b) === schemaCodes.length).map(([k, counts]) => [k, JSON.parse([...counts].sort((a, b) => b[1] - a[1])[0][0])]),
);
const commonSchema = (code, description) => ({
  $comment: `Auth0 publishes no schema for ${code}: the fields every published log schema requires, typed as they type them.`,
  description,
  type: 'object',
  properties: { ...commonProperties, type: { const: code, description, type: 'string' } },
  required: [...commonRequired],
});

// ---- the example log of each code -------------------------------------------------

const DATE = '2026-01-15T10:30:00.000Z';
const MS = Date.parse(DATE);
const HOST = 'acme-dev.us.auth0.com';
/** The values of the example logs, by field name; one tenant, application, connection and user throughout. */
const VALUES = {
  date: DATE,
  tenant_name: 'acme-dev',
  tenant: 'acme-dev',
  environment_name: 'prod-us-1',
  hostname: HOST,
  host: HOST,
  client_id: 'Xb2kQ9mN4pL7vR1sT8wY3zA6cE5fH0jK',
  client_name: 'Acme Web',
  connection: 'Username-Password-Authentication',
  connection_name: 'Username-Password-Authentication',
  connection_id: 'con_4Kp9QwE2rT7yU1iO',
  strategy: 'auth0',
  strategy_type: 'database',
  ip: '203.0.113.42',
  client_ip: '203.0.113.42',
  user_agent: 'Chrome 120.0.0 / Mac OS X 10.15.7',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  is_mobile: false,
  user_id: 'auth0|65a4c1f2e3b8d90012ab34cd',
  identity_user_id: '65a4c1f2e3b8d90012ab34cd',
  user_name: 'amira.haddad@example.com',
  email: 'amira.haddad@example.com',
  newEmail: 'amira.h@example.org',
  username: 'amira.haddad',
  oldUsername: 'amira.haddad',
  newUsername: 'amira.h',
  newUername: 'amira.h',
  phone_number: '+14155550123',
  old_phone_number: '+14155550123',
  new_phone_number: '+14155550188',
  audience: 'https://api.acme.example/',
  scope: 'openid profile email',
  session_id: 'm5SgtzMKxmeNBxjkCfUUJhzrSdfvLFu2',
  organization_id: 'org_W1mNp4Qs7Tv0Xz3B',
  organization_name: 'acme',
  grant_type: 'authorization_code',
  method: 'POST',
  path: '/api/v2/users',
  statusCode: 200,
  loginsCount: 3,
  elapsedTime: 1240,
  name: 'Acme',
  domain: 'login.acme.example',
  response_type: 'code',
  request_language: 'en-US',
  oauthError: 'invalid_grant',
  code: '482913',
  subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  sub: 'auth0|65a4c1f2e3b8d90012ab34cd',
  to: 'amira.haddad@example.com',
  log_id: '90020260115103000123456789012345678901234567890123456789',
  $event_schema: { version: '1.0.0' },
};
/** Optional fields of `details` (and of the API request and response in it) the logs usually carry. */
const USUAL_INSIDE = {
  details: ['initiatedAt', 'completedAt', 'elapsedTime', 'session_id', 'stats', 'prompts'],
  request: ['method', 'path'],
  response: ['statusCode'],
};
/** Optional top-level fields a log carries wherever its schema has them, in Auth0's order. */
const USUAL = ['date', 'type', 'description', 'connection', 'connection_id', 'client_id', 'client_name', 'ip', 'user_agent', 'is_mobile', 'details', 'hostname', 'user_id', 'user_name', 'audience', 'scope', 'strategy', 'strategy_type', '$event_schema', 'log_id', 'tenant_name', 'environment_name'];
const fallbacks = new Set();

function stringFor(key, s, ctx) {
  if (key in VALUES && typeof VALUES[key] === 'string') return VALUES[key];
  // An error's or a notice's text: the code's own description.
  if (/^(message|error|failure_reason|reason|title)$/.test(key)) return ctx.description;
  if (/(_id|Id)$|^id$/.test(key)) return 'k3J9xQ2mP7vR4sT8wY1zA6cE';
  if (/(_at|At|_time|expiration|expires)$/i.test(key)) return DATE;
  if (/url|uri|link|docs|documentation|return_to|origin/i.test(key)) return `https://${HOST}/`;
  if (/email/i.test(key)) return VALUES.email;
  if (/phone/i.test(key)) return VALUES.phone_number;
  fallbacks.add(key);
  return s.description && s.description.length <= 60 ? s.description : key;
}

function numberFor(key) {
  if (key in VALUES && typeof VALUES[key] === 'number') return VALUES[key];
  if (/At$/.test(key)) return MS;
  return 1;
}

/** One value that fits `schema`, for the field `key`. */
function valueFor(schema, key, depth, ctx) {
  const s = resolve(schema);
  if (!s || depth > 12) return null;
  if ('const' in s) return s.const;
  if (s.enum) return s.enum.find((v) => v !== null) ?? null;
  if (s.allOf) return valueFor(merge(s.allOf.map(resolve)), key, depth, ctx);
  if (s.anyOf || s.oneOf) {
    const branches = (s.anyOf ?? s.oneOf).map(resolve);
    return valueFor(branches.find((b) => b.type !== 'null' && (b.properties || b.type !== 'object')) ?? branches[0], key, depth, ctx);
  }
  if (key === 'description' && depth === 1) return ctx.description;
  if (key in VALUES && typeof VALUES[key] === 'object') return structuredClone(VALUES[key]);
  const types = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type ?? (s.properties ? 'object' : undefined)];
  const type = types[0];
  const example = s.examples?.flat().find((e) => (type === 'number' || type === 'integer' ? typeof e === 'number' : typeof e === type));
  if (example !== undefined && !(key in VALUES)) return example;
  switch (type) {
    case 'string':
      return stringFor(key, s, ctx);
    case 'number':
    case 'integer':
      return numberFor(key);
    case 'boolean':
      return false;
    case 'array': {
      const items = resolve(s.items);
      // `scope` as a list: its words.
      if (items?.type === 'string' && typeof VALUES[key] === 'string') return VALUES[key].split(' ');
      return items && (items.type || items.properties || items.anyOf) ? [valueFor(items, key, depth + 1, ctx)] : [];
    }
    case 'object':
      return objectFor(s, depth, ctx, USUAL_INSIDE[key] ?? []);
    default:
      return null;
  }
}

function merge(parts) {
  return { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})), required: parts.flatMap((p) => p.required ?? []) };
}

function objectFor(s, depth, ctx, usual) {
  const out = {};
  const props = s.properties ?? {};
  const want = [...usual.filter((k) => k in props), ...(s.required ?? [])];
  for (const k of Object.keys(props).filter((k) => want.includes(k))) out[k] = valueFor(props[k], k, depth + 1, ctx);
  return out;
}

function exampleLog(code, schema, description) {
  const props = schema.properties;
  const want = new Set([...USUAL.filter((k) => k in props), ...(schema.required ?? [])]);
  const order = [...USUAL, ...Object.keys(props)].filter((k, i, all) => want.has(k) && all.indexOf(k) === i);
  return Object.fromEntries(order.map((k) => [k, valueFor(props[k], k, 1, { description })]));
}

// ---- the catalog ------------------------------------------------------------------

const codes = [...new Set([...page.keys(), ...schemaCodes.filter((c) => catalogPage.has(c) || !page.has(c))])];
const types = codes.map((code) => {
  const onPage = page.get(code);
  const published = schemaCodes.includes(code);
  const event = onPage?.event ?? definitions[code].properties.type.description;
  const docsDescription = onPage ? onPage.description : (definitions[code].description ?? '');
  const description = docsDescription && docsDescription !== event ? docsDescription : event;
  if (!published) definitions[code] = commonSchema(code, event);
  return {
    type: code,
    event,
    description: docsDescription,
    category: filterOf.get(code) ?? catalogPage.get(code)?.group ?? 'Other Events',
    source: onPage ? PAGES.codes : catalogPage.get(code).url,
    schema: published ? 'published' : 'common',
    required: definitions[code].required ?? [],
    example: exampleLog(code, definitions[code], description),
  };
});
if (fallbacks.size) console.log(`fields with no value of their own (their schema description or name stands in): ${[...fallbacks].join(', ')}`);

const sources = [
  docs.cite('Auth0 Log Type Codes page', PATHS.codes, PAGES.codes),
  docs.cite('Auth0 Tenant Log Catalog (navigation)', PATHS.catalogNav, PAGES.catalog),
  docs.cite('Auth0 log stream filters', PATHS.filters, PAGES.filters),
  docs.cite('Auth0 custom webhook log streams (delivery)', PATHS.stream, PAGES.stream),
  logSchemas.cite('Auth0 log schemas', PATHS.schemas, 'https://github.com/auth0/auth0-log-schemas'),
];

writeJson(new URL('auth0.json', OUT), {
  $comment: 'Generated by scripts/catalogs/auth0.mjs from the sources below; do not edit by hand.',
  sources,
  counts: { codesPage: page.size, publishedSchemas: schemaCodes.length, codes: types.length },
  types,
});

writeJson(
  new URL('auth0.schemas.json', OUT),
  {
    $comment:
      'Generated by scripts/catalogs/auth0.mjs. definitions[code] is the JSON Schema of the `data` of one log stream entry {log_id, data} of that code: Auth0\'s own (auth0-log-schemas), or for codes it publishes none for, what all of its schemas agree on.',
    sources: sources.slice(-1),
    definitions,
  },
  0,
);
console.log(`${types.length} codes: ${page.size} on the codes page, ${schemaCodes.length} published schemas, ${types.filter((t) => t.schema === 'common').length} without one`);

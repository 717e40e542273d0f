#!/usr/bin/env node
/**
 * Writes catalogs/okta.json and catalogs/okta.schemas.json from Okta's own artifacts:
 *
 * - okta/okta-developer-docs, packages/@okta/vuepress-site/data/event-types.json:
 *   the Event Types catalog (https://developer.okta.com/docs/reference/api/event-types/).
 *   Every type tagged `event-hook-eligible` is kept, with its description,
 *   category and release.
 * - the same repository's pages that show event hook bodies: the sample
 *   delivery of the "Event hooks" concept page, the LogEvent of the event hook
 *   guide, the System Log examples of the rate-limit events page. Kept as
 *   examples, and used to say which LogEvent fields Okta sends and which it
 *   sends as null.
 * - okta/okta-sdk-nodejs, src/types/generated/models/Log*.d.ts: the SDK's
 *   LogEvent types (generated from Okta's management OpenAPI spec), turned
 *   into JSON Schema by ts-json-schema-generator.
 *
 * The SDK's types make every field optional and miss fields the docs' sample
 * shows (`device`, `client.ipChain`, `insertionTimestamp`), so the schema is
 * completed from the docs' examples: a field present in every example of an
 * object is required; a field shown as null in any example may be null; a
 * field missing from the types gets the type named in MISSING below (the
 * script stops on any other, so a new field is looked at, not guessed).
 *
 * Usage: node scripts/catalogs/okta.mjs <okta-developer-docs git dir> <okta-sdk-nodejs git dir>
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { argsOrUsage, gitSource, jsonBlocks, writeJson } from './git-source.mjs';

const [docsDir, sdkDir] = argsOrUsage(2, 'usage: node scripts/catalogs/okta.mjs <okta-developer-docs git dir> <okta-sdk-nodejs git dir>');
const docs = gitSource(docsDir, 'https://github.com/okta/okta-developer-docs');
const sdk = gitSource(sdkDir, 'https://github.com/okta/okta-sdk-nodejs');
const OUT = new URL('../../catalogs/', import.meta.url);

const SITE = 'packages/@okta/vuepress-site';
const PATHS = {
  eventTypes: `${SITE}/data/event-types.json`,
  concept: `${SITE}/docs/concepts/event-hooks/index.md`,
  guide: `${SITE}/docs/guides/event-hook-implementation/main/nodejs/event-object.md`,
  rateLimits: `${SITE}/docs/reference/rl-system-log-events/index.md`,
  models: 'src/types/generated/models',
  modelsJs: 'src/generated/models',
};
const PAGES = {
  eventTypes: 'https://developer.okta.com/docs/reference/api/event-types/',
  concept: 'https://developer.okta.com/docs/concepts/event-hooks/',
  guide: 'https://developer.okta.com/docs/guides/event-hook-implementation/nodejs/main/',
  rateLimits: 'https://developer.okta.com/docs/reference/rl-system-log-events/',
};

// ---- the event types -------------------------------------------------------

const catalogData = JSON.parse(docs.read(PATHS.eventTypes));
const categoryName = new Map(catalogData.categories.map((c) => [c.id, c.name]));
const allTypes = catalogData.versions.flatMap((v) => v.eventTypes);
const eligible = allTypes.filter((t) => t.tags.includes('event-hook-eligible') && !t.internal);
const types = eligible.map((t) => ({
  type: t.id,
  category: categoryName.get(t.category) ?? t.category,
  description: t.description,
  release: t.info.release,
  ...(t.beta ? { beta: true } : {}),
  tags: t.tags,
}));

// ---- the examples ------------------------------------------------------------

const [delivery] = jsonBlocks(docs.read(PATHS.concept)).filter((b) => b.eventType === 'com.okta.event_hook');
if (!delivery) throw new Error(`no sample delivery in ${PATHS.concept}`);
const isLogEvent = (b) => b && typeof b === 'object' && typeof b.uuid === 'string' && typeof b.eventType === 'string';
const logEvents = [
  { source: docs.cite('Okta event hook sample delivery, data.events[0]', PATHS.concept, PAGES.concept), event: delivery.data.events[0] },
  ...jsonBlocks(docs.read(PATHS.guide)).filter(isLogEvent).map((event) => ({ source: docs.cite('Okta event hook guide, the event object', PATHS.guide, PAGES.guide), event })),
  ...jsonBlocks(docs.read(PATHS.rateLimits)).filter(isLogEvent).map((event) => ({ source: docs.cite('Okta System Log rate limit event examples', PATHS.rateLimits, PAGES.rateLimits), event })),
];

// ---- the LogEvent schema from the SDK's types --------------------------------

const work = mkdtempSync(join(tmpdir(), 'okta-models-'));
let definitions;
try {
  // The models import each other as './../models/X': they must sit in a folder named models.
  const models = join(work, 'models');
  mkdirSync(models);
  for (const path of sdk.list(PATHS.models).filter((p) => /\/Log[A-Za-z]*\.d\.ts$/.test(p))) {
    writeFileSync(join(models, path.slice(path.lastIndexOf('/') + 1)), sdk.read(path));
  }
  const schemaOf = (type) =>
    createGenerator({ path: join(models, `${type}.d.ts`), type, skipTypeCheck: true, expose: 'all', topRef: true, jsDoc: 'extended', additionalProperties: true }).createSchema(type).definitions;
  // LogDevice is in the SDK but no LogEvent field names it: the docs' sample has `device` beside `client`.
  definitions = { ...schemaOf('LogEvent'), ...schemaOf('LogDevice') };
} finally {
  rmSync(work, { recursive: true, force: true });
}
// The generator keeps the backslashes of quotes escaped in the TypeScript doc comments.
definitions = JSON.parse(JSON.stringify(definitions), (key, value) => (key === 'description' && typeof value === 'string' ? value.replace(/\\(['"])/g, '$1') : value));
// The SDK renames JSON fields that are TypeScript words (`interface` is `_interface`); its
// generated JavaScript models map each name back (attributeTypeMap's name and baseName).
for (const path of sdk.list(PATHS.modelsJs).filter((p) => /\/Log[A-Za-z]*\.js$/.test(p))) {
  const model = definitions[path.slice(path.lastIndexOf('/') + 1, -3)];
  for (const [, name, baseName] of sdk.read(path).matchAll(/'name': '([^']+)',\s*'baseName': '([^']+)'/g)) {
    if (name === baseName || !model?.properties?.[name]) continue;
    model.properties[baseName] = model.properties[name];
    delete model.properties[name];
  }
}
const sdkVersion = JSON.parse(sdk.read('package.json')).version;

/** Fields the docs' examples show that the SDK's types lack, typed from the SDK's own models. */
const MISSING = {
  'LogEvent.device': { anyOf: [{ $ref: '#/definitions/LogDevice' }, { type: 'null' }], description: 'The device of the event (the docs sample shows null; a LogDevice otherwise)' },
  'LogClient.ipChain': { type: 'array', items: { $ref: '#/definitions/LogIpAddress' }, description: 'The IP chain of the client, as in request.ipChain' },
  'LogEvent.insertionTimestamp': { description: 'Shown as null in the docs sample; Okta publishes no type for it' },
};

const nameOf = new Map(Object.entries(definitions).map(([name, s]) => [s, name]));
const seen = new Map(); // schema object -> {name, keysets, nulls}
const unknown = new Set();
const resolve = (s) => (s && s.$ref ? definitions[s.$ref.split('/').pop()] : s);

function walk(value, schema, where) {
  const s = resolve(schema);
  if (value === null || s === undefined) return;
  if (Array.isArray(value)) {
    if (s.items) for (const v of value) walk(v, s.items, `${where}[]`);
    return;
  }
  if (typeof value !== 'object' || !s.properties) return;
  const name = nameOf.get(s) ?? where;
  if (!seen.has(s)) seen.set(s, { name, keysets: [], nulls: new Set() });
  const entry = seen.get(s);
  entry.keysets.push(new Set(Object.keys(value)));
  for (const [k, v] of Object.entries(value)) {
    if (!s.properties[k]) {
      const fix = MISSING[`${name}.${k}`];
      if (!fix) unknown.add(`${name}.${k}`);
      else s.properties[k] = structuredClone(fix);
    }
    if (v === null) entry.nulls.add(k);
    else if (s.properties[k]) walk(v, s.properties[k], `${name}.${k}`);
  }
}

const allowNull = (p) => {
  if (p.anyOf) return p.anyOf.some((b) => b.type === 'null') ? p : { ...p, anyOf: [...p.anyOf, { type: 'null' }] };
  if (p.$ref) return { anyOf: [{ $ref: p.$ref }, { type: 'null' }] };
  if (p.enum) p = { ...p, enum: p.enum.includes(null) ? p.enum : [...p.enum, null] };
  if (typeof p.type === 'string') return { ...p, type: [p.type, 'null'] };
  if (Array.isArray(p.type) && !p.type.includes('null')) return { ...p, type: [...p.type, 'null'] };
  return p;
};

for (const { event } of logEvents) walk(event, { $ref: '#/definitions/LogEvent' }, 'LogEvent');
if (unknown.size) throw new Error(`fields in Okta's examples that the SDK's types lack; type them in MISSING: ${[...unknown].join(', ')}`);
for (const [s, { keysets, nulls }] of seen) {
  const required = [...keysets[0]].filter((k) => keysets.every((ks) => ks.has(k)));
  if (required.length) s.required = required;
  for (const k of nulls) s.properties[k] = allowNull(s.properties[k]);
}

// The delivery around the events, as the concept page's sample shows it.
const envelopeProps = Object.fromEntries(
  Object.entries(delivery).map(([k, v]) => [
    k,
    k === 'eventType'
      ? { const: v, description: 'Always com.okta.event_hook: the type of each event is data.events[].eventType' }
      : k === 'data'
        ? {
            type: 'object',
            required: ['events'],
            properties: { events: { type: 'array', minItems: 1, items: { $ref: '#/definitions/LogEvent' }, description: 'Events that occurred within a short time of each other, one LogEvent each' } },
          }
        : { type: typeof v },
  ]),
);

const sources = [
  docs.cite('Okta Event Types catalog (event-hook-eligible types)', PATHS.eventTypes, PAGES.eventTypes),
  docs.cite('Okta event hooks concept page (sample delivery, headers)', PATHS.concept, PAGES.concept),
  { ...sdk.cite(`@okta/okta-sdk-nodejs ${sdkVersion} LogEvent types`, `${PATHS.models}/Log*.d.ts`), package: `@okta/okta-sdk-nodejs@${sdkVersion}` },
];

writeJson(new URL('okta.json', OUT), {
  $comment: 'Generated by scripts/catalogs/okta.mjs from the sources below; do not edit by hand.',
  sources,
  release: catalogData.release,
  counts: { eventTypes: allTypes.length, eventHookEligible: types.length },
  types,
  examples: { delivery, logEvents },
});

writeJson(new URL('okta.schemas.json', OUT), {
  $comment:
    'Generated by scripts/catalogs/okta.mjs: the JSON Schema of one Okta event hook delivery (every type has this one). LogEvent and its parts from the SDK types; required fields and nulls from the docs examples (see the script).',
  sources: [...sources.slice(1), ...logEvents.map((e) => e.source).filter((s, i, all) => all.findIndex((o) => o.path === s.path) === i)],
  delivery: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: Object.keys(delivery),
    properties: envelopeProps,
    definitions,
  },
});
console.log(`${types.length} event-hook-eligible types of ${allTypes.length}; ${logEvents.length} LogEvent examples`);

#!/usr/bin/env node
// Writes catalogs/github.json from GitHub's own published webhook artifacts:
//   @octokit/webhooks-schemas  every event, its actions, and the JSON Schema of each event+action
//   @octokit/webhooks-examples example payloads (api.github.com first, then the GHES sets)
// For each event+action (`issues.opened`, `push`) it records the example the
// catalog starts from, and the patch that makes it fit the schema:
//   origin "example"  an example of that event+action that passes the schema as published (no patch);
//   origin "adapted"  the closest example of it, or of another action of the same event, fitted to the
//                     schema: fields the schema requires and the example predates are added (values
//                     from other examples where one fits, else from the schema), undocumented ones
//                     removed, the action and other enums set;
//   origin "built"    no example of the event at all: the body is built from the schema, with the
//                     repository, sender, organization… of other examples.
// The examples themselves stay in the package, which `hooks` reads at run time.
// Run: node scripts/catalogs/github.mjs (after upgrading either package).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const schema = require('@octokit/webhooks-schemas');
const schemasVersion = require('@octokit/webhooks-schemas/package.json').version;
const examplesVersion = require('@octokit/webhooks-examples/package.json').version;
const Ajv = require('ajv');

const SETS = ['api.github.com', 'ghes-35', 'ghes-34', 'ghes-33', 'ghes-32', 'ghes-31'];
const examples = Object.fromEntries(SETS.map((s) => [s, require(`@octokit/webhooks-examples/${s}/index.json`)]));
/** What a newcomer triggers first (and the demo and the audit send): GitHub's most common event. */
const FIRST = 'push';

/**
 * Where the package's schema contradicts itself, the smallest change that lets
 * GitHub's own examples fit; recorded in the output and applied by `hooks` to
 * the schema it serves (src/core/fixtures/github.ts).
 */
const SCHEMA_FIXES = [
  {
    path: ['definitions', 'secret-scanning-location', 'additionalProperties'],
    why: 'additionalProperties: false beside a oneOf that holds the properties: no location fits it, and the published example has {type, details}',
  },
];
for (const fix of SCHEMA_FIXES) delete fix.path.slice(0, -1).reduce((node, key) => node[key], schema)[fix.path.at(-1)];

const defs = schema.definitions;
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema(schema, 'gh');
const REF = '#/definitions/';
const deref = (s) => {
  while (s && typeof s === 'object' && typeof s.$ref === 'string') s = defs[s.$ref.slice(REF.length)];
  return s;
};
const refName = (s) => (s && typeof s.$ref === 'string' ? s.$ref.slice(REF.length) : null);

/** A validator for any node of the schema: its $refs point into the whole schema added above. */
const compiled = new WeakMap();
function fits(value, node) {
  node = deref(node);
  if (node === undefined || node === true) return true;
  let v = compiled.get(node);
  if (!v) {
    const rewrite = (x) => (Array.isArray(x) ? x.map(rewrite) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, k === '$ref' && typeof y === 'string' ? `gh${y}` : rewrite(y)])) : x);
    v = ajv.compile(rewrite(node));
    compiled.set(node, v);
  }
  return v(value);
}
const errorCount = (value, node) => (fits(value, node) ? 0 : compiled.get(deref(node)).errors.length);

const kindOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
function kindsOf(node) {
  node = deref(node);
  if (!node || typeof node !== 'object') return [];
  if ('const' in node) return [kindOf(node.const)];
  if (node.enum) return [...new Set(node.enum.map(kindOf))];
  if (node.allOf) return kindsOf(node.allOf[0]);
  const alts = node.anyOf ?? node.oneOf;
  if (alts) return [...new Set(alts.flatMap(kindsOf))];
  const t = [node.type ?? (node.properties ? 'object' : [])].flat();
  return t.includes('number') ? [...t, 'integer'] : t;
}

// Values seen in the published examples that pass the schema, by key: the repository, sender,
// organization, labels… a field that the schema requires and an example lacks is taken from here first.
const pool = new Map();
function collect(value, key) {
  if (Array.isArray(value)) return value.forEach((x) => collect(x, key));
  if (key !== null && value !== null && value !== '') {
    const list = pool.get(key) ?? [];
    if (list.length < 8 && !list.some((x) => JSON.stringify(x) === JSON.stringify(value))) list.push(value);
    pool.set(key, list);
  }
  if (value && typeof value === 'object') for (const [k, x] of Object.entries(value)) collect(x, k);
}
const fromPool = (key, node) => ((key && pool.get(key)) ?? []).find((candidate) => fits(candidate, node));

let refTime = '2019-05-15T15:20:30Z';
const hash = (text) => createHash('sha256').update(text).digest('hex');

const plural = (word) => (word.endsWith('s') ? word : `${word}s`);

function stringFor(node, ctx) {
  const key = ctx.key ?? '';
  if (Array.isArray(node.examples) && typeof node.examples[0] === 'string') return node.examples[0];
  if (node.format === 'date-time' || /(_at|_on|timestamp|date)$/.test(key)) return refTime;
  if (/sha$/.test(key)) return hash(ctx.path).slice(0, 40);
  if (key === 'node_id') return Buffer.from(`${ctx.path}`).toString('base64').slice(0, 24);
  const parent = ctx.parent ?? {};
  if (node.format === 'uri' || /url$/.test(key)) {
    // Built like GitHub's own: below the object's API URL, or the repository's.
    const owner = ctx.path.split('.').filter((p) => !/^\d+$/.test(p)).at(-2) ?? 'items';
    const api = typeof parent.url === 'string' ? parent.url : `${ctx.root?.repository?.url ?? 'https://api.github.com'}/${plural(owner)}/${parent.number ?? parent.id ?? 1}`;
    if (key === 'url') return api;
    if (key === 'html_url') return api.replace('//api.github.com/repos/', '//github.com/').replace('//api.github.com/', '//github.com/');
    return `${api}/${key.replace(/_url$/, '')}`;
  }
  const seen = fromPool(key, node);
  if (typeof seen === 'string') return seen;
  return key.replace(/_/g, '-');
}

function numberFor(node, ctx) {
  const key = ctx.key ?? '';
  if (key === 'id' || /_id$/.test(key)) return 100_000_000 + (parseInt(hash(ctx.path).slice(0, 8), 16) % 900_000_000);
  if (/_at$|timestamp/.test(key)) return Math.floor(Date.parse(refTime) / 1000);
  if (key === 'number') return 1;
  return node.minimum ?? 0;
}

/** An enum's value: the one the action names when there is one (`resolved` for `secret_scanning_alert.resolved`), else the first. */
const pick = (values, ctx) => values.find((v) => v === ctx.action || v === `${ctx.action}d` || v === `${ctx.action}ed`) ?? values[0];

/** A value the schema node accepts: from the examples' pool when one fits, else from the schema. */
function synth(node, ctx) {
  const name = refName(node);
  const isUrl = /url$/.test(ctx.key ?? '');
  for (const key of isUrl ? [] : [ctx.key, name, name?.replace(/-/g, '_'), name === 'user' ? 'sender' : null]) {
    const seen = fromPool(key, node);
    if (seen !== undefined && typeof seen === 'object') return structuredClone(seen);
  }
  node = deref(node);
  // An object GitHub's examples show somewhere under another name (a user as `resolved_by`).
  if (node && (node.required?.length ?? 0) >= 3) {
    for (const list of pool.values()) for (const candidate of list) if (candidate && typeof candidate === 'object' && fits(candidate, node)) return structuredClone(candidate);
  }
  if (!node || node === true || Object.keys(node).length === 0) return null;
  if ('const' in node) return node.const;
  if (node.enum) return pick(node.enum, ctx);
  if (node.allOf) return node.allOf.slice(1).reduce((v, part) => conform(v, part, ctx), synth(node.allOf[0], ctx));
  const alts = node.anyOf ?? node.oneOf;
  if (alts) return alts.some((a) => kindsOf(a).includes('null')) ? null : synth(alts[0], ctx);
  const types = [node.type ?? (node.properties ? 'object' : [])].flat();
  if (types.includes('null')) return null;
  switch (types[0]) {
    case 'object': {
      const out = {};
      const sub = (k) => ({ ...ctx, key: k, parent: out, path: `${ctx.path}.${k}`, root: ctx.root ?? out });
      for (const k of node.required ?? []) out[k] = synth(node.properties?.[k] ?? {}, sub(k));
      // With no example to start from, the optional properties GitHub's examples show for the same key too.
      if (ctx.optional) {
        for (const [k, p] of Object.entries(node.properties ?? {})) {
          if (k in out) continue;
          const seen = fromPool(k, p);
          if (seen !== undefined) out[k] = structuredClone(seen);
        }
      }
      return out;
    }
    case 'array':
      return Array.from({ length: node.minItems ?? 0 }, (_, i) => synth(node.items ?? {}, { ...ctx, path: `${ctx.path}.${i}` }));
    case 'string':
      return stringFor(node, ctx);
    case 'integer':
    case 'number':
      return numberFor(node, ctx);
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** The value made to fit the node, changing as little as it can. */
function conform(value, node, ctx) {
  if (fits(value, node)) return value;
  node = deref(node);
  if ('const' in node) return node.const;
  if (node.enum) return pick(node.enum, ctx);
  if (node.allOf) return node.allOf.reduce((v, part) => conform(v, part, ctx), value);
  const alts = node.anyOf ?? node.oneOf;
  if (alts) {
    const same = alts.filter((a) => kindsOf(a).includes(kindOf(value)));
    if (same.length === 0) return synth(node, ctx);
    const best = same.reduce((a, b) => (errorCount(value, b) < errorCount(value, a) ? b : a));
    return conform(value, best, ctx);
  }
  const kinds = kindsOf(node);
  if (kinds.length > 0 && !kinds.includes(kindOf(value))) return synth(node, ctx);
  if (kindOf(value) === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(value)) {
      const sub = { ...ctx, key: k, parent: value, path: `${ctx.path}.${k}`, root: ctx.root ?? value };
      if (node.properties && k in node.properties) out[k] = conform(x, node.properties[k], sub);
      else if (node.additionalProperties === false) continue;
      else if (node.additionalProperties && typeof node.additionalProperties === 'object') out[k] = conform(x, node.additionalProperties, sub);
      else out[k] = x;
    }
    for (const k of node.required ?? []) if (!(k in out)) out[k] = synth(node.properties?.[k] ?? {}, { ...ctx, key: k, parent: out, path: `${ctx.path}.${k}`, root: ctx.root ?? out });
    return out;
  }
  if (kindOf(value) === 'array' && node.items) {
    const out = value.map((x, i) => conform(x, node.items, { ...ctx, path: `${ctx.path}.${i}` }));
    while (out.length < (node.minItems ?? 0)) out.push(synth(node.items, ctx));
    return out;
  }
  return synth(node, ctx);
}

/** The changes from `a` to `b`, as [path, value] to set and [path] to delete. */
function diff(a, b, path = [], out = []) {
  const isObject = (x) => x && typeof x === 'object' && !Array.isArray(x);
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) if (!(k in b)) out.push([[...path, k]]);
    for (const k of Object.keys(b)) {
      if (k in a) diff(a[k], b[k], [...path, k], out);
      else out.push([[...path, k], b[k]]);
    }
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diff(x, b[i], [...path, i], out));
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push([path, b]);
  return out;
}

function latestTime(value) {
  let latest = null;
  const scan = (v, key) => {
    if (Array.isArray(v)) v.forEach((x) => scan(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) scan(x, k);
    else if (typeof v === 'string' && /(_at|timestamp)$/.test(key ?? '') && /^\d{4}-\d\d-\d\dT/.test(v) && (!latest || Date.parse(v) > Date.parse(latest))) latest = v;
  };
  scan(value, null);
  return latest ? new Date(Date.parse(latest)).toISOString().replace('.000Z', 'Z') : null;
}

/** "Activity related to an issue. For more information, see …" → "Activity related to an issue." */
function firstSentence(markdown) {
  const text = markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/\s+/g, ' ').trim();
  const end = text.search(/\.(\s|$)/);
  return end > 0 ? text.slice(0, end + 1) : text;
}

// Every event and its actions, in the package's order.
const types = [];
for (const { $ref } of schema.oneOf) {
  const eventDef = $ref.slice(REF.length);
  const event = eventDef.replace(/(_event|\$event)$/, '');
  const actions = defs[eventDef].oneOf;
  if (actions) for (const a of actions) types.push({ event, action: a.$ref.slice(REF.length).split('$')[1], definition: a.$ref.slice(REF.length) });
  else types.push({ event, action: null, definition: eventDef });
}

// The published examples, each with where it is.
const published = SETS.flatMap((set) =>
  examples[set].flatMap((e) => e.examples.map((body, index) => ({ set, event: e.name, index, body, description: e.description }))),
);
const validFor = (t, x) => fits(x.body, { $ref: `${REF}${t.definition}` });
for (const x of published) {
  const t = types.find((t) => t.event === x.event && (t.action === null || t.action === x.body.action));
  if (t && validFor(t, x)) collect(x.body, null);
}

const out = [];
const counts = { example: 0, adapted: 0, built: 0 };
for (const t of types) {
  const type = t.action === null ? t.event : `${t.event}.${t.action}`;
  const def = defs[t.definition];
  const eventDoc = published.find((x) => x.event === t.event && x.description)?.description;
  const description = def.description ? firstSentence(def.description) : eventDoc ? firstSentence(eventDoc) : `${def.title[0].toUpperCase()}${def.title.slice(1)}.`;
  const root = { $ref: `${REF}${t.definition}` };
  const own = published.filter((x) => x.event === t.event && (t.action === null || x.body.action === t.action));
  const valid = own.find((x) => validFor(t, x));
  const schemaName = `@octokit/webhooks-schemas@${schemasVersion} ${t.definition}`;
  const where = (x) => `@octokit/webhooks-examples@${examplesVersion} ${x.set}/index.json ${x.event}[${x.index}]`;
  let entry;
  if (valid) {
    entry = { origin: 'example', from: { set: valid.set, event: valid.event, index: valid.index }, source: where(valid) };
  } else {
    const siblings = own.length > 0 ? own : published.filter((x) => x.event === t.event);
    let start;
    let base;
    if (siblings.length > 0) {
      const ranked = siblings.map((x) => ({ x, errors: errorCount({ ...x.body, ...(t.action ? { action: t.action } : {}) }, root) })).sort((a, b) => a.errors - b.errors || SETS.indexOf(a.x.set) - SETS.indexOf(b.x.set));
      start = ranked[0].x;
      base = start.body;
    } else {
      start = null;
      base = {};
    }
    refTime = latestTime(base) ?? refTime;
    const ctx = { key: null, parent: null, path: t.event, root: null, action: t.action, optional: start === null };
    let fitted = conform(base, root, ctx);
    if (!fits(fitted, root) && start === null) fitted = conform(base, root, { ...ctx, optional: false });
    if (!fits(fitted, root)) throw new Error(`${type}: could not fit the schema: ${JSON.stringify(compiled.get(deref(root)).errors.slice(0, 3))}`);
    entry = start
      ? {
          origin: 'adapted',
          from: { set: start.set, event: start.event, index: start.index },
          patch: diff(start.body, fitted),
          source: `${where(start)}${start.body.action && start.body.action !== t.action ? ` (action ${start.body.action})` : ''}, fitted to ${schemaName}`,
        }
      : { origin: 'built', body: fitted, source: `${schemaName} (no published example: built from the schema, with parts of other examples)` };
  }
  counts[entry.origin]++;
  out.push({ type, definition: t.definition, category: t.event, description, ...entry });
}
out.sort((a, b) => (a.type === FIRST ? -1 : b.type === FIRST ? 1 : a.type < b.type ? -1 : 1));

const file = {
  generated_by: 'scripts/catalogs/github.mjs',
  sources: [
    { name: `@octokit/webhooks-schemas@${schemasVersion}`, url: 'https://github.com/octokit/webhooks', gives: `the ${schema.oneOf.length} events, their ${types.length} event+action types and the JSON Schema of each` },
    { name: `@octokit/webhooks-examples@${examplesVersion}`, url: 'https://github.com/octokit/webhooks', gives: `payloads: ${counts.example} published examples, ${counts.adapted} examples fitted to the schema, ${counts.built} built from the schema` },
  ],
  schema_fixes: SCHEMA_FIXES,
  types: out,
};
writeFileSync(fileURLToPath(new URL('../../catalogs/github.json', import.meta.url)), `${JSON.stringify(file, null, 1)}\n`);
console.log(`catalogs/github.json: ${out.length} types (${counts.example} examples, ${counts.adapted} adapted, ${counts.built} built)`);

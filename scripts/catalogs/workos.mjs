#!/usr/bin/env node
// Writes catalogs/workos.json and catalogs/workos.schemas.json from WorkOS's
// own OpenAPI specification (github.com/workos/openapi-spec, the spec WorkOS
// generates its SDKs and its API reference from): every variant of its
// `EventSchema` is one event type; the example of each type is built from
// the examples the spec gives for every field, and its JSON Schema is the
// variant with the components it refers to. The types that @workos-inc/node
// also declares are marked with the SDK's wire (`*Response`) type name.
//
// Usage: node scripts/catalogs/workos.mjs <checkout of workos/openapi-spec>
//   (a git work tree or a bare mirror; the commit is recorded in the output)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const repo = process.argv[2];
if (!repo) throw new Error('usage: node scripts/catalogs/workos.mjs <checkout of workos/openapi-spec>');
const SPEC_PATH = 'spec/open-api-spec.yaml';
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', 'HEAD').trim();
const text = existsSync(join(repo, SPEC_PATH)) ? readFileSync(join(repo, SPEC_PATH), 'utf8') : git('show', `HEAD:${SPEC_PATH}`);
const spec = YAML.parse(text, { maxAliasCount: -1 });
const components = spec.components.schemas;

const root = fileURLToPath(new URL('../../', import.meta.url));
const sdkPkg = JSON.parse(readFileSync(join(root, 'node_modules/@workos-inc/node/package.json'), 'utf8'));
const sdkTypes = sdkResponseTypes();

const sources = [
  { name: `WorkOS OpenAPI specification (${SPEC_PATH}, components.schemas.EventSchema)`, url: `https://github.com/workos/openapi-spec/blob/${commit}/${SPEC_PATH}` },
  { name: 'WorkOS events', url: 'https://workos.com/docs/events' },
  { name: `@workos-inc/node@${sdkPkg.version} EventResponse (wire types)`, url: 'https://www.npmjs.com/package/@workos-inc/node' },
];

const variants = components.EventSchema.allOf.find((part) => part.oneOf).oneOf;
const schemas = {};
const types = [];
const STATES = stateChanges();
for (const variant of variants) {
  const type = variant.properties.event.const;
  schemas[type] = selfContained(variant);
  types.push({
    type,
    category: type.split('.')[0],
    description: describe(type),
    source: `https://workos.com/docs/events#${anchor(type)}`,
    ...(sdkTypes.has(type) ? { sdk: sdkTypes.get(type) } : {}),
    example: example(variant.properties.data),
    // Most events carry the generic context (empty in the docs' examples); a few define and require their own.
    ...(variant.properties.context?.$ref ? {} : { context: example(variant.properties.context) }),
  });
}
canonicalIds(types);
for (const t of types) Object.assign(t.example, STATES[t.type]?.(t.example) ?? {});
// The representative type first: what a newcomer triggers, the demo and the audit use.
types.sort((a, b) => (a.type === 'user.created' ? -1 : b.type === 'user.created' ? 1 : a.type.localeCompare(b.type)));

/**
 * The spec gives one example per object, in one state; an event about a
 * change of state carries the state it names (as the docs' examples of
 * these events show: an accepted invitation, an inactive deleted directory
 * user), each value one of the spec's own enum values.
 */
function stateChanges() {
  const at = (e) => e.updated_at;
  return {
    'invitation.accepted': (e) => ({ state: 'accepted', accepted_at: at(e), accepted_user_id: e.inviter_user_id }),
    'invitation.revoked': (e) => ({ state: 'revoked', revoked_at: at(e) }),
    'session.revoked': () => ({ status: 'revoked' }),
    'connection.activated': () => ({ state: 'active' }),
    'connection.deactivated': () => ({ state: 'inactive' }),
    'dsync.activated': () => ({ state: 'active' }),
    'dsync.user.deleted': () => ({ state: 'inactive' }),
    'organization_domain.verified': () => ({ state: 'verified' }),
    'organization_membership.deleted': () => ({ status: 'inactive' }),
    'waitlist_user.approved': () => ({ state: 'approved' }),
    'waitlist_user.denied': () => ({ state: 'denied' }),
  };
}

const generated = { generatedBy: 'scripts/catalogs/workos.mjs', sources };
writeFileSync(join(root, 'catalogs/workos.json'), `${JSON.stringify({ ...generated, types }, null, 1)}\n`);
writeFileSync(join(root, 'catalogs/workos.schemas.json'), `${JSON.stringify({ ...generated, schemas })}\n`);
console.log(`workos: ${types.length} event types (${types.filter((t) => t.sdk).length} also in @workos-inc/node ${sdkPkg.version}) from ${commit}`);

/**
 * One object per id prefix across the catalog: the spec gives each schema
 * its own example ids (a session's user_id is not the user of user.created,
 * a domain's organization_id not its organization), so every id of a prefix
 * becomes the catalog's one id for it, first taken from the main objects.
 * Two ids of one prefix side by side in one object (a switch from one
 * organization to another) stay two: the second keeps its own.
 */
function canonicalIds(list) {
  const ULID = /^([a-z_]+_)[0-9A-HJKMNP-TV-Z]{26}$/;
  const prefix = (v) => (typeof v === 'string' ? (ULID.exec(v)?.[1] ?? null) : null);
  const canonical = new Map();
  for (const t of list) {
    const p = prefix(t.example?.id);
    if (p && !canonical.has(p)) canonical.set(p, t.example.id);
  }
  const walk = (v) => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const first = new Map();
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => {
        const p = prefix(x);
        if (!p) return [k, walk(x)];
        if (!canonical.has(p)) canonical.set(p, x);
        if (!first.has(p)) first.set(p, x);
        return [k, first.get(p) === x ? canonical.get(p) : x];
      }),
    );
  };
  for (const t of list) {
    t.example = walk(t.example);
    if (t.context) t.context = walk(t.context);
  }
}

/** The event names of @workos-inc/node's `EventResponse` union, each with its interface name. */
function sdkResponseTypes() {
  const dir = join(root, 'node_modules/@workos-inc/node/lib');
  const file = execFileSync('sh', ['-c', `ls ${dir}/workos-*.d.mts | head -1`], { encoding: 'utf8' }).trim();
  const dts = readFileSync(file, 'utf8');
  const union = /type EventResponse = ([^;]+);/.exec(dts)[1].split('|').map((s) => s.trim());
  const byName = new Map();
  for (const name of union) {
    const body = new RegExp(`interface ${name} extends EventResponseBase \\{\\s*event: '([^']+)'`).exec(dts);
    if (!body) throw new Error(`no event name for ${name} in ${file}`);
    byName.set(body[1], name);
  }
  return byName;
}

function resolve(schema) {
  let s = schema;
  while (s && s.$ref) s = components[s.$ref.replace('#/components/schemas/', '')];
  return s;
}

/** The variant as a JSON Schema of its own: the components it uses under $defs, examples dropped. */
function selfContained(variant) {
  const defs = {};
  const copy = (node) => {
    if (Array.isArray(node)) return node.map(copy);
    if (!node || typeof node !== 'object') return node;
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'example' || k === 'examples' || k === 'discriminator') continue;
      if (k === '$ref' && typeof v === 'string') {
        const name = v.replace('#/components/schemas/', '');
        if (!(name in defs)) {
          defs[name] = {};
          defs[name] = copy(components[name]);
        }
        out.$ref = `#/$defs/${name}`;
      } else out[k] = copy(v);
    }
    return out;
  };
  const body = copy(variant);
  return Object.keys(defs).length ? { ...body, $defs: defs } : body;
}

function nonNull(t) {
  return Array.isArray(t) ? t.find((x) => x !== 'null') : t;
}

function allowsNull(s) {
  return (Array.isArray(s.type) && s.type.includes('null')) || (s.oneOf ?? s.anyOf ?? []).some((b) => resolve(b)?.type === 'null');
}

/**
 * A value the schema documents: the spec's own example of each field, every
 * required field and every optional one the spec gives an example for (as
 * WorkOS sends them), null where a nullable field has no example.
 */
function example(schema, depth = 0) {
  const s = resolve(schema);
  if (!s || depth > 12) return null;
  if (s.const !== undefined) return s.const;
  if (s.allOf) {
    const merged = { type: 'object', properties: {}, required: [] };
    for (const part of s.allOf.map(resolve)) {
      Object.assign(merged.properties, part.properties ?? {});
      merged.required.push(...(part.required ?? []));
    }
    return example(merged, depth + 1);
  }
  const branches = s.oneOf ?? s.anyOf;
  if (branches) {
    if (s.example !== undefined) return s.example;
    const first = branches.map(resolve).find((b) => b && b.type !== 'null');
    return first ? example(first, depth + 1) : null;
  }
  const type = nonNull(s.type) ?? (s.properties ? 'object' : undefined);
  if (type === 'object' && s.properties) {
    const out = {};
    const required = new Set(s.required ?? []);
    for (const [key, prop] of Object.entries(s.properties)) {
      if (required.has(key) || documented(prop)) out[key] = example(prop, depth + 1);
      // A free-form map the spec gives no example of (raw_attributes, previous_attributes): WorkOS
      // sends it, empty in the docs' examples (dsync.user.updated's previous_attributes: {}).
      else if (isMap(prop)) out[key] = {};
    }
    return out;
  }
  if (s.example !== undefined) return s.example;
  if (allowsNull(s)) return null;
  if (type === 'array') return s.items && documented(s.items) ? [example(s.items, depth + 1)] : [];
  if (type === 'object') return {};
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (type === 'string') return s.format === 'date-time' ? '2026-01-15T12:00:00.000Z' : '';
  if (type === 'integer' || type === 'number') return 0;
  if (type === 'boolean') return false;
  return null;
}

function isMap(schema) {
  const s = resolve(schema);
  return nonNull(s?.type) === 'object' && !s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false;
}

/** Whether the spec says what an optional field holds: an example, a constant, or an object whose fields it documents. */
function documented(schema, depth = 0) {
  const s = resolve(schema);
  if (!s || depth > 6) return false;
  if (s.example !== undefined || s.const !== undefined) return true;
  if (s.allOf) return s.allOf.some((p) => documented(p, depth + 1));
  if (s.oneOf ?? s.anyOf) return (s.oneOf ?? s.anyOf).some((p) => documented(p, depth + 1));
  if (s.properties) return Object.values(s.properties).some((p) => documented(p, depth + 1));
  if (s.items) return documented(s.items, depth + 1);
  return Boolean(s.enum);
}

/** `dsync.group.user_added` as "Directory group user added": the name read out (WorkOS's docs title each event so). */
function describe(type) {
  const words = type
    .replace(/^dsync\./, 'directory.')
    .split(/[._]/)
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The section of https://workos.com/docs/events that lists the type. */
function anchor(type) {
  const head = type.split('.')[0];
  return { dsync: 'directory-sync', flag: 'feature-flags', api_key: 'api-key' }[head] ?? head.replace(/_/g, '-');
}

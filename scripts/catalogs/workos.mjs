#!/usr/bin/env node
// Writes catalogs/workos.json and catalogs/workos.schemas.json from WorkOS's
// own artifacts:
// - its OpenAPI specification (github.com/workos/openapi-spec, the spec WorkOS
//   generates its SDKs and its API reference from): every variant of its
//   `EventSchema` is one event type; its example is built from the examples
//   the spec gives for every field, and its JSON Schema is the variant with
//   the components it refers to;
// - the newest @workos-inc/node (12.3.0, installed as `workos-node-12`): its
//   `KnownEventResponse` union declares every event type WorkOS documents,
//   the spec's and those the spec has not caught up with yet. Each type is
//   marked with the SDK's wire (`*Response`) type name; for a type the spec
//   lacks, the JSON Schema is made from the SDK's type (ts-json-schema-
//   generator) and the example follows that type field by field, each value
//   from a cited WorkOS example (FAMILIES below): the spec's example of the
//   same object under its older event name, or WorkOS's own fixture of that
//   object. A field the type requires and no source gives stops the script.
//
// Usage: node scripts/catalogs/workos.mjs <checkout of workos/openapi-spec>
//   (a git work tree or a bare mirror; the commit is recorded in the output)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { schemasOf, standalone } from './ts-schemas.mjs';

const repo = process.argv[2];
if (!repo) throw new Error('usage: node scripts/catalogs/workos.mjs <checkout of workos/openapi-spec>');
const SPEC_PATH = 'spec/open-api-spec.yaml';
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', 'HEAD').trim();
const text = existsSync(join(repo, SPEC_PATH)) ? readFileSync(join(repo, SPEC_PATH), 'utf8') : git('show', `HEAD:${SPEC_PATH}`);
const spec = YAML.parse(text, { maxAliasCount: -1 });
const components = spec.components.schemas;
const SPEC_URL = `https://github.com/workos/openapi-spec/blob/${commit}/${SPEC_PATH}`;

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The newest @workos-inc/node, under the alias package.json installs it as (the 8.x beside it runs the runtime tests). */
const SDK = 'workos-node-12';
const sdkPkg = JSON.parse(readFileSync(join(root, `node_modules/${SDK}/package.json`), 'utf8'));
const SDK_NAME = `@workos-inc/node@${sdkPkg.version}`;
const SDK_URL = `https://www.npmjs.com/package/@workos-inc/node/v/${sdkPkg.version}`;
const sdkTypes = sdkResponseTypes();
const NODE_REPO = 'https://github.com/workos/workos-node';

/**
 * WorkOS's own example objects for the event payloads its spec has no
 * example of yet, as its Node SDK's tests fixture them (each file's path and
 * commit cited): the fields and values are WorkOS's, copied as published.
 */
const FIXTURES = {
  agent_blueprint: {
    source: { repo: NODE_REPO, commit: '364e223f2063ce5341986091107b9bd971eadd2f', path: 'src/agents/fixtures/get-agent-blueprint.json' },
    value: {
      object: 'agent_blueprint',
      id: 'agent_blueprint_01EHWNCE74X7JSDV0X3SZ3KJNY',
      name: 'Prospecting Agent',
      description: 'Finds and qualifies sales prospects.',
      permissions: ['crm:read', 'email:send'],
      invocable_by: { role_slugs: ['manager'], organization_ids: ['org_01EHWNCE74X7JSDV0X3SZ3KJNY'] },
      session_settings: { max_age_seconds: 3600, access_token_ttl_seconds: 300, refresh_token_ttl_seconds: 3600 },
      created_at: '2023-07-18T02:07:19.911Z',
      updated_at: '2023-07-18T02:07:19.911Z',
    },
  },
  agent_instance: {
    source: { repo: NODE_REPO, commit: 'aa0408c0867f3448ef2155541fb67966ccfc6e21', path: 'src/agents/fixtures/get-agent-instance.json' },
    value: {
      object: 'agent_instance',
      id: 'agent_instance_01EHWNCE74X7JSDV0X3SZ3KJNY',
      agent_blueprint_id: 'agent_blueprint_01EHWNCE74X7JSDV0X3SZ3KJNY',
      organization_id: 'org_01EHWNCE74X7JSDV0X3SZ3KJNY',
      organization_membership_id: 'om_01EHWNCE74X7JSDV0X3SZ3KJNY',
      type: 'delegated',
      created_at: '2023-07-18T02:07:19.911Z',
      updated_at: '2023-07-18T02:07:19.911Z',
    },
  },
  agent_instance_session: {
    source: { repo: NODE_REPO, commit: 'aa0408c0867f3448ef2155541fb67966ccfc6e21', path: 'src/agents/fixtures/get-agent-instance-session.json' },
    value: {
      object: 'agent_instance_session',
      id: 'agent_instance_session_01EHWNCE74X7JSDV0X3SZ3KJNY',
      agent_instance_id: 'agent_instance_01EHWNCE74X7JSDV0X3SZ3KJNY',
      status: 'active',
      expires_at: '2099-01-01T00:00:00.000Z',
      revoked_at: null,
      created_at: '2023-07-18T02:07:19.911Z',
      updated_at: '2023-07-18T02:07:19.911Z',
    },
  },
  // The SDK's own test of the feature_flags.* events: a rule and a target's fields (its ids are placeholders, `flag_rule_test`).
  feature_flag_events: {
    source: { repo: NODE_REPO, commit: 'f798080e6755d4cfaa54395893065918f53f210c', path: 'src/events/feature-flag-events.spec.ts' },
    value: {
      rule: { object: 'flag_rule', target_type: null, position: 0, value_type: 'boolean', value: false },
      target: { object: 'flag_target', target_type: 'organization' },
    },
  },
};

/** What the sources leave out, and what the catalog does about it; shown with the catalog's sources. */
const NOTES = [
  `The spec (workos/openapi-spec) lags @workos-inc/node: the types only the SDK declares are built from its wire types, with values from the spec's examples of the same objects under their older event names (flag.*, pipes.connected_account.*, vault.dek.read) or from the SDK's fixtures.`,
  'The SDK\'s tests give flag rule and flag target ids only as placeholders (flag_rule_test, flag_target_test): the catalog keeps those prefixes with the ULID of the flag they belong to.',
  'WorkOS publishes no example of a resource export id: resource_export.* carry a bare ULID there.',
];

/** The value of a spec type's example, once `types` holds it (a deep copy). */
const specExample = (type, part = 'example') => {
  const t = types.find((x) => x.type === type);
  if (!t) throw new Error(`no spec example of ${type}`);
  return structuredClone(part === 'context' ? (t.context ?? {}) : t.example);
};
const ULID_OF = (id) => id.slice(id.lastIndexOf('_') + 1);

/**
 * Where each family of SDK-only types takes its values: a base `data` (and
 * `context`) the SDK's type is then filled from, field by field.
 */
const FAMILIES = [
  {
    // The same connected account as pipes.connected_account.*, under the name the SDK now gives the family.
    match: /^pipes\.account_connection\.(connected|disconnected|reauthorization_needed)$/,
    base: (m) => ({ data: specExample(`pipes.connected_account.${m[1]}`) }),
  },
  {
    match: /^pipes\.account_connection\.(add_failed|connection_failed)$/,
    base: () => ({ data: specExample('pipes.connected_account.connection_failed') }),
  },
  {
    // The namespaced flag events carry the flag.* events' flag (the SDK's test deserializes both alike).
    match: /^feature_flags\.flag\.(created|updated|deleted)$/,
    base: (m) => ({ data: specExample(`flag.${m[1]}`), context: specExample(`flag.${m[1]}`, 'context') }),
  },
  {
    // The context the SDK's test gives these: the client and, but on a rule's creation, the actor.
    match: /^feature_flags\.flag_rule\.(created|updated|deleted)$/,
    base: (m) => {
      const { client_id, actor } = specExample('flag.rule_updated', 'context');
      return { data: flagRule(), context: m[1] === 'created' ? { client_id } : { client_id, actor } };
    },
  },
  {
    match: /^feature_flags\.flag_target\./,
    base: () => {
      const rule = flagRule();
      const { client_id, actor, configured_targets } = specExample('flag.rule_updated', 'context');
      const { object, ...fields } = FIXTURES.feature_flag_events.value.target;
      const target = {
        object,
        id: `flag_target_${ULID_OF(rule.flag_id)}`,
        rule_id: rule.id,
        flag_id: rule.flag_id,
        flag_slug: rule.flag_slug,
        environment_id: rule.environment_id,
        ...fields,
        // The organization the spec's flag.rule_updated names among its configured targets.
        target_id: configured_targets.organizations[0].id,
        created_at: rule.created_at,
        updated_at: rule.updated_at,
      };
      return { data: target, context: { client_id, actor } };
    },
  },
  {
    // A rekey is reported as a read is: the actor, the keys, their context.
    match: /^vault\.dek\.rekeyed$/,
    base: () => ({ data: specExample('vault.dek.read') }),
  },
  {
    match: /^agent\.blueprint\./,
    // invocable_as: the instance types a blueprint mints, here the fixture instance's.
    base: () => ({ data: { ...FIXTURES.agent_blueprint.value, invocable_as: { instance_types: [FIXTURES.agent_instance.value.type] } } }),
  },
  { match: /^agent\.instance\.(created|deleted)$/, base: () => ({ data: FIXTURES.agent_instance.value }) },
  {
    match: /^agent\.instance\.session\./,
    // The session's organization is its instance's; the permissions it was minted with, its blueprint's.
    base: () => ({
      data: { ...FIXTURES.agent_instance_session.value, organization_id: FIXTURES.agent_instance.value.organization_id, permission_slugs: FIXTURES.agent_blueprint.value.permissions },
    }),
  },
  { match: /^resource_export\./, base: () => ({ data: { id: ULID_OF(specExample('user.created').id), resource_type: 'users' } }) },
];

/** A flag rule of the spec's flag (flag.rule_updated), with the fields the SDK's test gives a rule. */
function flagRule() {
  const flag = specExample('flag.rule_updated');
  const { object, ...fields } = FIXTURES.feature_flag_events.value.rule;
  return {
    object,
    id: `flag_rule_${ULID_OF(flag.id)}`,
    flag_id: flag.id,
    flag_slug: flag.slug,
    environment_id: flag.environment_id,
    ...fields,
    created_at: flag.created_at,
    updated_at: flag.updated_at,
  };
}

/**
 * The types @workos-inc/node declares and the spec does not: each one's JSON
 * Schema from the SDK's wire type (with the spec's `object: "event"`), and
 * its example filled from that schema and its family's base.
 */
function sdkOnly() {
  const missing = [...sdkTypes.keys()].filter((type) => !types.some((t) => t.type === type)).sort();
  const alias = (i) => `WorkosEvent${i}`;
  const source = [
    `import type { EventResponse } from '${SDK}';`,
    ...missing.map((type, i) => `export type ${alias(i)} = Extract<EventResponse, { event: ${JSON.stringify(type)} }> & { object: 'event' };`),
  ].join('\n');
  const made = schemasOf(source, missing.map((_, i) => alias(i)));
  return missing.map((type, i) => {
    const definitions = tidy(made[alias(i)].definitions);
    const flat = flatten(definitions[alias(i)], definitions);
    // The envelope's fields in the order the spec (and every WorkOS delivery) has them.
    const order = ['object', 'id', 'event', 'data', 'created_at', 'context'];
    const body = { ...flat, properties: Object.fromEntries(Object.entries(flat.properties).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))) };
    schemas[type] = standalone(body, definitions);
    const family = FAMILIES.map((f) => ({ f, m: f.match.exec(type) })).find((x) => x.m);
    if (!family) throw new Error(`${type}: declared by ${SDK_NAME}, and no family here says where its values come from`);
    const base = family.f.base(family.m);
    const context = body.properties.context;
    return {
      type,
      category: type.split('.')[0],
      description: describe(type),
      source: `${SDK_NAME} ${sdkTypes.get(type)}`,
      sdk: sdkTypes.get(type),
      example: fill(body.properties.data, base.data, definitions, `${type} data`),
      // The SDK types a context of its own for these (feature flags); the others carry the generic one.
      ...(body.required.includes('context') ? { context: fill(context, base.context, definitions, `${type} context`) } : {}),
    };
  });
}

/** The SDK event type as one object schema: its `$ref` chain and the `& {object: 'event'}` intersection merged. */
function flatten(node, definitions) {
  const s = deref(node, definitions);
  if (!s.allOf) return s;
  const parts = s.allOf.map((p) => flatten(p, definitions));
  return { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties)), required: [...new Set(parts.flatMap((p) => p.required ?? []))] };
}

/**
 * ts-json-schema-generator writes some mapped types (the SDK's
 * `Partial<Pick<Flag, 'tags' | ...>>`) as `allOf: [<the field's type>, {type:
 * "object", properties: {}}]`, which no array or string fits: the empty
 * object part says nothing and is dropped.
 */
function tidy(definitions) {
  const empty = (p) => p && p.type === 'object' && p.properties && !Object.keys(p.properties).length && !p.required && p.additionalProperties === undefined;
  const walk = (n) => {
    if (Array.isArray(n)) return n.map(walk);
    if (!n || typeof n !== 'object') return n;
    const out = Object.fromEntries(Object.entries(n).map(([k, v]) => [k, walk(v)]));
    if (Array.isArray(out.allOf) && out.allOf.some(empty)) {
      const parts = out.allOf.filter((p) => !empty(p));
      const { allOf, ...rest } = out;
      return parts.length === 1 ? { ...rest, ...parts[0] } : { ...rest, allOf: parts };
    }
    return out;
  };
  return walk(definitions);
}

function deref(node, definitions) {
  let s = node;
  while (s && s.$ref) s = definitions[decodeURIComponent(s.$ref.replace('#/definitions/', ''))];
  return s;
}

/**
 * A value of the SDK type `schema`, field by field from `base`: the base's
 * value where it has one of the type's kind; a constant or the first of an
 * enum where the type fixes it; null where the type allows null and the base
 * has nothing. Optional fields the base lacks are left out; a required one
 * with no value anywhere stops the script: no value is made up here.
 */
function fill(schema, base, definitions, where) {
  const s = deref(schema, definitions);
  if (s.const !== undefined) return s.const;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const options = branches.map((b) => deref(b, definitions));
    if (base == null && options.some((o) => o.type === 'null')) return null;
    const fits = (o) => o.type !== 'null' && (!o.required || (base && typeof base === 'object' && o.required.every((k) => k in base)));
    return fill(options.find(fits) ?? options.find((o) => o.type !== 'null'), base, definitions, where);
  }
  const kinds = [s.type ?? (s.properties ? 'object' : undefined)].flat().filter(Boolean);
  if (base === null && kinds.includes('null')) return null;
  if (s.enum) return s.enum.includes(base) ? base : s.enum[0];
  if (kinds.includes('object') || s.properties || s.additionalProperties !== undefined) {
    if (!s.properties) return base && typeof base === 'object' ? base : {};
    // The base's fields in the base's order (as WorkOS's example shows them), then any other the type requires.
    const given = base && typeof base === 'object' ? Object.keys(base).filter((k) => k in s.properties) : [];
    const keys = [...given, ...(s.required ?? []).filter((k) => !given.includes(k))];
    return Object.fromEntries(keys.map((k) => [k, fill(s.properties[k], base?.[k], definitions, `${where}.${k}`)]));
  }
  if (kinds.includes('array')) return Array.isArray(base) ? base.map((x, i) => fill(s.items, x, definitions, `${where}[${i}]`)) : [];
  if (base !== undefined && base !== null && kinds.includes(typeof base)) return base;
  if (typeof base === 'number' && kinds.includes('integer')) return base;
  if (kinds.includes('null')) return null;
  throw new Error(`${where}: ${SDK_NAME} requires a ${kinds.join('|') || 'value'} and no WorkOS example gives one`);
}

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
const specCount = types.length;
const unknown = types.filter((t) => !t.sdk).map((t) => t.type);
if (unknown.length) throw new Error(`in the spec, not in ${SDK_NAME}: ${unknown.join(', ')}`);
const fromSdk = sdkOnly();
types.push(...fromSdk);
canonicalIds(types);
for (const t of types) Object.assign(t.example, STATES[t.type]?.(t.example) ?? {});
// The representative type first: what a newcomer triggers, the demo and the audit use.
types.sort((a, b) => (a.type === 'user.created' ? -1 : b.type === 'user.created' ? 1 : a.type.localeCompare(b.type)));

const sources = [
  {
    name: `WorkOS OpenAPI specification (workos/openapi-spec@${commit.slice(0, 7)}, EventSchema)`,
    url: SPEC_URL,
    gives: `${specCount} event types: names, JSON Schemas, example payloads from its field examples`,
  },
  {
    name: `${SDK_NAME} (KnownEventResponse)`,
    url: SDK_URL,
    gives: `all ${sdkTypes.size} event types it declares, each event checked against its wire type; the ${fromSdk.length} the spec lacks, with their JSON Schemas`,
  },
  {
    name: 'workos/workos-node test fixtures',
    url: NODE_REPO,
    gives: `example values of the objects the spec has no example of (${Object.keys(FIXTURES).join(', ')})`,
    files: Object.values(FIXTURES).map((f) => f.source),
  },
  { name: 'WorkOS events', url: 'https://workos.com/docs/events', gives: 'the documented list, one section per family' },
];

/**
 * The spec gives one example per object, in one state; an event about a
 * change of state carries the state it names (as the docs' examples of
 * these events show: an accepted invitation, an inactive deleted directory
 * user), each value one of the spec's (or the SDK's) own enum values.
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
    // (The spec's PipesConnectedAccount has no "disconnected" state, its ConnectedAccount and the SDK's do:
    // pipes.connected_account.disconnected keeps the spec's example state, the SDK-typed family says it.)
    'pipes.connected_account.reauthorization_needed': () => ({ state: 'needs_reauthorization' }),
    'pipes.account_connection.disconnected': () => ({ state: 'disconnected' }),
    'pipes.account_connection.reauthorization_needed': () => ({ state: 'needs_reauthorization' }),
    'agent.instance.session.revoked': (e) => ({ revoked_at: at(e) }),
  };
}

const generated = { generatedBy: 'scripts/catalogs/workos.mjs', sources };
writeFileSync(join(root, 'catalogs/workos.json'), `${JSON.stringify({ ...generated, notes: NOTES, types }, null, 1)}\n`);
writeFileSync(join(root, 'catalogs/workos.schemas.json'), `${JSON.stringify({ ...generated, schemas })}\n`);
console.log(`workos: ${types.length} event types: ${specCount} from the spec at ${commit}, ${fromSdk.length} more from ${SDK_NAME} (which declares ${sdkTypes.size})`);

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

/** The event names of the SDK's `KnownEventResponse` union (every type it deserializes), each with its interface name. */
function sdkResponseTypes() {
  const dir = join(root, `node_modules/${SDK}/lib`);
  const dts = readdirSync(dir)
    .filter((f) => f.endsWith('.d.mts'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .find((t) => t.includes('type KnownEventResponse = '));
  if (!dts) throw new Error(`no KnownEventResponse in ${dir}`);
  const union = /type KnownEventResponse = ([^;]+);/.exec(dts)[1].split('|').map((x) => x.trim());
  const byName = new Map();
  for (const name of union) {
    const body = new RegExp(`interface ${name} extends EventResponseBase \\{\\s*event: '([^']+)'`).exec(dts);
    if (!body) throw new Error(`no event name for ${name} in ${SDK_NAME}`);
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

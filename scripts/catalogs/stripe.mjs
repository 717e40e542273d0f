#!/usr/bin/env node
// Writes catalogs/stripe.json (every Stripe snapshot event type with an
// example delivery body) and catalogs/stripe.schemas.json (the JSON Schema of
// each type's delivery body) from Stripe's own published artifacts:
//
// - the `stripe` npm package (node_modules/stripe, the version in
//   devDependencies): `Stripe.Event.Type` (the list of types), each
//   `Stripe.<Name>Event` interface (its JSDoc description and the resource
//   type of `data.object`), the API version it is typed for;
// - ts-json-schema-generator@2.4.0 over those same types: the JSON Schema;
// - github.com/stripe/openapi `openapi/fixtures3.json` (Stripe's example
//   object of each API resource, the one stripe-mock serves): the starting
//   point of each `data.object`, made to fit the types above (fields the
//   types require are added, fields they do not know dropped) and given the
//   state its event describes (scripts/catalogs/stripe-states.mjs).
//
// Usage: node scripts/catalogs/stripe.mjs <stripe/openapi git dir or checkout>
// (for instance the directory `git clone https://github.com/stripe/openapi`
// makes). Takes a few minutes: the schema generator walks all of Stripe's
// types. VERBOSE=1 lists the fields of each example that only the types gave.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { AUTOMATIC, EVENT_PATCHES, ID_PREFIXES, NUMBERS, RESOURCE_PATCHES, UNION_CHOICE, statusFor, updatedFields } from './stripe-states.mjs';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STRIPE = join(ROOT, 'node_modules/stripe/');
const STRIPE_ESM = join(STRIPE, 'esm/');
const stripeVersion = JSON.parse(readFileSync(join(STRIPE, 'package.json'), 'utf8')).version;
const generatorVersion = require('ts-json-schema-generator/package.json').version;
/** The moment the examples are written for; `hooks` moves every time by (now − this) when it sends one. */
const EXAMPLE_NOW = 1767225600; // 2026-01-01T00:00:00Z

const openapiDir = process.argv[2];
if (!openapiDir) {
  console.error('usage: node scripts/catalogs/stripe.mjs <stripe/openapi git dir or checkout>');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['-C', openapiDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const openapiCommit = git('rev-parse', 'HEAD').trim();
const fixtures = JSON.parse(git('show', `${openapiCommit}:openapi/fixtures3.json`)).resources;

// ---------------------------------------------------------------- the types

/** `Event.Type`'s members in the SDK's order, and each `<Name>Event`: its type, description and `data.object` type. */
function readEvents() {
  const file = join(STRIPE_ESM, 'resources/Events.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  // JSDoc text, its Markdown links as their text (`[refunding the fee](#fee_refunds)` points into Stripe's docs site).
  const doc = (node) =>
    (node.jsDoc ?? [])
      .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
      .join(' ')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\s+/g, ' ')
      .trim();
  let order = [];
  const events = new Map();
  const objects = new Map();
  const visit = (node, ns) => {
    if (ts.isModuleDeclaration(node) && node.body) {
      const name = ns ? `${ns}.${node.name.text}` : node.name.text;
      ts.forEachChild(node.body, (child) => visit(child, name));
      return;
    }
    if (ts.isTypeAliasDeclaration(node) && ns === 'Event' && node.name.text === 'Type') {
      order = node.type.types.map((t) => t.literal.text);
    }
    if (ts.isInterfaceDeclaration(node) && !ns && node.heritageClauses?.some((h) => h.types.some((t) => t.expression.getText() === 'EventBase'))) {
      const typeMember = node.members.find((m) => m.name?.getText() === 'type');
      events.set(node.name.text, { iface: node.name.text, type: typeMember.type.literal.text, description: doc(node) });
    }
    if (ts.isInterfaceDeclaration(node) && ns?.endsWith('Event') && node.name.text === 'Data') {
      const objectMember = node.members.find((m) => m.name?.getText() === 'object');
      objects.set(ns, objectMember.type.getText());
    }
    ts.forEachChild(node, (child) => visit(child, ns));
  };
  visit(source, '');
  const byType = new Map([...events.values()].map((e) => [e.type, { ...e, objectType: objects.get(e.iface) }]));
  if (order.length !== byType.size || order.some((t) => !byType.has(t))) throw new Error('Event.Type and the <Name>Event interfaces disagree');
  return order.map((t) => byType.get(t));
}

const apiVersion = /ApiVersion = '([^']+)'/.exec(readFileSync(join(STRIPE_ESM, 'apiVersion.js'), 'utf8'))[1];
const events = readEvents();

// -------------------------------------------------------------- the schemas

/**
 * ts-json-schema-generator names a definition by its name inside its module,
 * and Stripe has several (`Card` is a card and an Issuing card): named here
 * as the SDK exports them instead (`Issuing.Card`, `PaymentMethod.Card`).
 */
function stripeNames() {
  const { ExposeNodeParser } = require('ts-json-schema-generator/dist/src/ExposeNodeParser.js');
  const { symbolAtNode } = require('ts-json-schema-generator/dist/src/Utils/symbolAtNode.js');
  ExposeNodeParser.prototype.getDefinitionName = function (node, context) {
    const local = this.typeChecker.getFullyQualifiedName(symbolAtNode(node)).replace(/^".*"\./, '');
    const folders = relative(STRIPE_ESM, dirname(node.getSourceFile().fileName)).split(sep).filter((s) => s && s !== 'resources' && s !== '..');
    const name = [...folders, local].join('.');
    const args = context.getArguments().map((a) => a?.getName());
    return args.length ? `${name}<${args.join(',')}>` : name;
  };
}

function generateSchemas() {
  stripeNames();
  const { createGenerator } = require('ts-json-schema-generator');
  const generator = createGenerator({ path: join(STRIPE_ESM, 'resources/Events.d.ts'), type: 'Event', skipTypeCheck: true, expose: 'export', topRef: true, jsDoc: 'extended' });
  return generator.createSchema('Event').definitions;
}

const refName = (ref) => decodeURIComponent(ref.replace('#/definitions/', ''));
const walk = (node, visit) => {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node);
    Object.values(node).forEach((n) => walk(n, visit));
  }
};

/**
 * Property names that hold Unix times. The SDK types them as plain numbers;
 * its JSDoc and the names say which are times ("Measured in seconds since
 * the Unix epoch", `expires_at`, `due_by`). Numbers that only look like it
 * (`divide_by`, `monthly_anchor`) or count milliseconds (`last_seen_at`) are left out.
 */
const TIME_NAME = /(_at|_on|_by|_date|^date|created|updated|^start|^end|_start|_end|expires|expiry|anchor|deadline|_time|timestamp|_after|_until|_before|^eta)$/;
const TIME_TEXT = /epoch|[Uu]nix|timestamp|[Tt]ime |[Dd]ate|When |time at which|time when|The time/;
const NOT_TIMES = new Set(['divide_by', 'monthly_anchor', 'next_invoice_sequence', 'preset', 'timezone_offset', 'last_seen_at']);
function timeKeys(definitions) {
  const keys = new Set();
  const isNumber = (p) => [p.type].flat().some((t) => t === 'number' || t === 'integer') || (p.anyOf ?? []).some(isNumber);
  walk(definitions, (node) => {
    if (!node.properties || typeof node.properties !== 'object') return;
    for (const [key, prop] of Object.entries(node.properties)) {
      if (!prop || typeof prop !== 'object' || !isNumber(prop) || NOT_TIMES.has(key)) continue;
      if (TIME_NAME.test(key) || (TIME_TEXT.test(prop.description ?? '') && !/amount|count|days|number|percent|quantity|minutes|hours|seconds$/.test(key))) keys.add(key);
    }
  });
  return keys;
}

/**
 * The schema as a delivery body is: JSDoc text dropped (the file stays
 * small; the SDK has it), `Stripe.Decimal` (a class the SDK builds from a
 * decimal string on API responses) is the JSON string it arrives as, and an
 * expandable field is its id: Stripe never expands fields in event payloads
 * ("expandable" fields arrive as ids), and the expanded alternatives would
 * drag every resource of the API into each type's schema.
 */
function forDelivery(definitions) {
  const strip = (schema) => {
    if (!schema || typeof schema !== 'object') return;
    for (const key of ['description', 'markdownDescription', 'deprecated', 'examples', 'default', 'title']) delete schema[key];
    Object.values(schema.properties ?? {}).forEach(strip);
    for (const key of ['items', 'additionalProperties', 'not']) strip(schema[key]);
    for (const key of ['anyOf', 'allOf', 'oneOf']) (schema[key] ?? []).forEach(strip);
  };
  Object.values(definitions).forEach(strip);
  definitions.Decimal = { type: 'string' };
  const isResource = (name, seen = new Set()) => {
    const def = definitions[name];
    if (!def || seen.has(name)) return false;
    seen.add(name);
    if (def.properties?.object?.const !== undefined && def.properties?.id) return true;
    return Array.isArray(def.anyOf) && def.anyOf.length > 0 && def.anyOf.every((b) => b.$ref && isResource(refName(b.$ref), seen));
  };
  // `'active' | 'canceled' | OtherString` (the SDK's open enums) is any string: one string type,
  // the known values kept as examples (a union of hundreds of consts costs ajv seconds to compile).
  const anyString = (b) => {
    const d = b.$ref ? definitions[refName(b.$ref)] : b;
    return d && d.type === 'string' && Object.keys(d).length === 1;
  };
  walk(definitions, (node) => {
    if (!Array.isArray(node.anyOf) || !node.anyOf.some(anyString)) return;
    const known = node.anyOf.filter((b) => b.type === 'string' && b.const !== undefined);
    if (known.length === 0) return;
    node.anyOf = node.anyOf.filter((b) => !known.includes(b) && !anyString(b));
    node.anyOf.push({ type: 'string', examples: known.map((b) => b.const) });
  });
  walk(definitions, (node) => {
    if (!Array.isArray(node.anyOf)) return;
    const hasId = node.anyOf.some((b) => b.type === 'string' && Object.keys(b).length === 1);
    const expanded = node.anyOf.filter((b) => b.$ref && isResource(refName(b.$ref)));
    if (hasId && expanded.length > 0) node.anyOf = node.anyOf.filter((b) => !expanded.includes(b));
    if (node.anyOf.length === 1) {
      Object.assign(node, node.anyOf[0]);
      delete node.anyOf;
    }
  });
  return definitions;
}

/** The definitions `roots` reach, in a stable order. */
function reachable(definitions, roots) {
  const seen = new Set();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    if (!definitions[name]) throw new Error(`no definition ${name}`);
    seen.add(name);
    walk(definitions[name], (node) => {
      if (typeof node.$ref === 'string') queue.push(refName(node.$ref));
    });
  }
  return Object.fromEntries([...seen].sort().map((n) => [n, definitions[n]]));
}

// ------------------------------------------------------------- the examples

/** A seeded generator, so that running this again writes the same file. */
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n) => Array.from({ length: n }, () => ALNUM[Math.floor(random() * ALNUM.length)]).join('');

function makeTools(definitions) {
  const deref = (schema) => {
    let s = schema;
    while (s && s.$ref) s = definitions[refName(s.$ref)];
    return s;
  };
  const types = (s) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
  const kind = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : typeof v);
  /** Whether `value` is of the kind a branch describes (the branch is then the one to make it fit). */
  const sameKind = (value, schema) => {
    const s = deref(schema);
    if (s.anyOf) return s.anyOf.some((b) => sameKind(value, b));
    if (s.const !== undefined) return s.const === value;
    if (s.enum) return s.enum.includes(value);
    const k = kind(value);
    if (k === 'object' && types(s).includes('object')) {
      // A branch of a tagged union (`type: 'card'`, `object: 'bank_account'`) fits only its own tag.
      return Object.entries(s.properties ?? {}).every(([key, p]) => {
        const d = deref(p);
        return d.const === undefined || value[key] === undefined || value[key] === d.const;
      });
    }
    return types(s).includes(k) || (k === 'number' && types(s).includes('integer'));
  };
  const synthesize = (schema, path, made) => {
    const s = deref(schema);
    if (s.anyOf) {
      const branches = s.anyOf.map(deref);
      if (branches.some((b) => types(b).includes('null'))) return null;
      return synthesize(branches.find((b) => types(b).includes('string')) ?? branches[0], path, made);
    }
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum[0];
    const t = types(s);
    if (t.includes('null')) return null;
    made.push(path);
    if (t.includes('object')) {
      const out = {};
      for (const key of s.required ?? []) out[key] = synthesize(s.properties[key], `${path}.${key}`, made);
      return out;
    }
    if (t.includes('array')) return [];
    if (t.includes('string')) return '';
    if (t.includes('number') || t.includes('integer')) return 0;
    if (t.includes('boolean')) return false;
    return null;
  };
  /** `value` made to fit `schema`: kept where it fits, required fields added, unknown ones dropped. */
  const conform = (value, schema, path, made) => {
    const s = deref(schema);
    // An expanded object where the delivery has its id (stripe-mock's fixtures expand some): its id.
    const id = kind(value) === 'object' && typeof value.id === 'string' ? value.id : undefined;
    if (s.anyOf) {
      const branch = s.anyOf.find((b) => sameKind(value, b)) ?? (id !== undefined ? s.anyOf.find((b) => sameKind(id, b)) : undefined);
      return branch ? conform(sameKind(value, branch) ? value : id, branch, path, made) : synthesize(s, path, made);
    }
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum.includes(value) ? value : synthesize(s, path, made);
    const t = types(s);
    const k = kind(value);
    if (k === 'null') return t.includes('null') ? null : synthesize(s, path, made);
    if (k === 'object' && t.includes('object')) {
      const out = {};
      const props = s.properties ?? {};
      const keys = [...new Set([...Object.keys(value), ...(s.required ?? [])])];
      for (const key of keys) {
        if (props[key]) {
          if (key in value) out[key] = conform(value[key], props[key], `${path}.${key}`, made);
          else out[key] = synthesize(props[key], `${path}.${key}`, made);
        } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
          out[key] = conform(value[key], s.additionalProperties, `${path}.${key}`, made);
        }
      }
      return out;
    }
    if (k === 'array' && t.includes('array')) return value.map((v, i) => conform(v, s.items ?? {}, `${path}[${i}]`, made));
    if (t.includes(k) || (k === 'number' && t.includes('integer') && Number.isInteger(value))) return value;
    if (id !== undefined && t.includes('string')) return id;
    return synthesize(s, path, made);
  };
  /** The values a field's schema names: consts, enums, and the examples of an open enum. */
  const known = (schema) => {
    const s = deref(schema);
    return [...(s.const !== undefined ? [s.const] : []), ...(s.enum ?? []), ...(s.examples ?? []), ...(s.anyOf ?? []).flatMap(known)];
  };
  return { deref, conform, known };
}

/**
 * The example of a resource: its fixture with its patch, where each object
 * it embeds that has an example of its own (a subscription's items, their
 * plan and price) is that example, so the same object looks the same
 * everywhere; stripe-mock's placeholders (a string that repeats its field's
 * name: `currency: "currency"`, `type: "type"`) are dropped, for the types
 * to fill in.
 */
function exampleOf(name, within = new Set()) {
  const own = merge(fixtures[name] ?? {}, RESOURCE_PATCHES[name] ?? {});
  const visit = (v, key) => {
    if (Array.isArray(v)) return v.map((x) => visit(x, key));
    if (v && typeof v === 'object') {
      if (v !== own && typeof v.object === 'string' && fixtures[v.object] && !within.has(v.object) && typeof v.id === 'string') return exampleOf(v.object, new Set([...within, name]));
      const out = {};
      for (const [k, x] of Object.entries(v)) if (!(typeof x === 'string' && x === k)) out[k] = visit(x, k);
      return out;
    }
    return v;
  };
  return visit(own, null);
}

/** Objects merged key by key; arrays and other values replaced. `undefined` removes a key. */
function merge(base, patch) {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch) || !base || typeof base !== 'object' || Array.isArray(base)) return structuredClone(patch);
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = k in base ? merge(base[k], v) : structuredClone(v);
  }
  return out;
}

/** Stripe's key order: `id`, `object`, then the rest alphabetically (as its API renders objects). */
function stripeOrder(value) {
  if (Array.isArray(value)) return value.map(stripeOrder);
  if (!value || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, stripeOrder(value[k])]));
}
const rank = (k) => (k === 'id' ? 0 : k === 'object' ? 1 : 2);

const FUTURE = /(^|_)(end|ends_at|expires_at|expires|expiry|due_date|arrival_date|available_on|cancel_at|trial_end|valid_until|next_payment_attempt|expected_arrival_date|period_end|deactivation_date|expected_deactivation_date|next_refresh_available_at|upcoming_at|retry_at)$|_end$|^expires|^next_/;

/** Times of the example, set around EXAMPLE_NOW: future ones (ends, expiries, due dates) later, the rest earlier. */
function retime(value, times, rootCreated) {
  const visit = (v, key, depth) => {
    if (Array.isArray(v)) return v.map((x) => visit(x, key, depth));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, k, depth + 1)]));
    if (typeof v !== 'number' || !times.has(key)) return v;
    if (v < 0) return EXAMPLE_NOW + v * 86400;
    if (key === 'created') return depth === 1 ? rootCreated : EXAMPLE_NOW - 7200;
    if (FUTURE.test(key)) return EXAMPLE_NOW + 30 * 86400;
    return EXAMPLE_NOW - 60;
  };
  return visit(value, null, 0);
}

/** A Stripe id: a lower-case prefix, `_`, then at least ten letters and digits with some digit or capital. */
const STRIPE_ID = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?=[A-Za-z0-9]*[0-9A-Z])[A-Za-z0-9]{10,}$/;
/** Placeholders of the fixtures (`obj_123`, `cus_123`), given a real id's shape. */
const PLACEHOLDER = /^([a-z][a-z0-9_]*?)_(?:123|1234|456|123456789|abc123)$/;

function reid(value, objectName, problems) {
  const visit = (v, key, owner) => {
    if (Array.isArray(v)) return v.map((x) => visit(x, key, owner));
    // The object an `id` belongs to: its `object`, else the field that holds it (`payment_method_configuration_details`).
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, k, v.object ?? key ?? owner)]));
    if (typeof v !== 'string') return v;
    const placeholder = PLACEHOLDER.exec(v);
    if (!placeholder) return v;
    const prefix = placeholder[1] === 'obj' ? ID_PREFIXES[owner] : placeholder[1];
    if (!prefix) problems.push(`${objectName}: no id prefix known for ${owner} (${v}): add it to ID_PREFIXES`);
    return `${prefix}_${alnum(24)}`;
  };
  return visit(value, objectName, objectName);
}

/** stripe-mock's random numbers (`delay_days: 1647351405`) replaced by the value a delivery usually holds (NUMBERS), since a time-sized one would be moved as a time; every object in test mode. */
function renumber(value, times, type, problems) {
  const visit = (v, key) => {
    if (Array.isArray(v)) return v.map((x) => visit(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, k)]));
    // Test mode, as `hooks` sends the event (stripe-mock's fixtures mix both).
    if (key === 'livemode') return false;
    if (typeof v !== 'number' || v < 1e8 || times.has(key)) return v;
    if (NUMBERS[key] === undefined) problems.push(`${type}: ${key}=${v} is a random number of stripe-mock: give its usual value in NUMBERS`);
    return NUMBERS[key];
  };
  return visit(value, null);
}

function collectIds(value, into) {
  walk(value, (node) => {
    for (const v of Object.values(node)) if (typeof v === 'string' && STRIPE_ID.test(v)) into.add(v);
  });
}

// ------------------------------------------------------------------- write

const raw = generateSchemas();
const times = timeKeys(raw);
const definitions = forDelivery(raw);
const tools = makeTools(definitions);
const ajv = new (require('ajv'))({ allErrors: true, strict: false, validateFormats: false });

/** The SDK's resource name of a TypeScript type: `Checkout.Session` → `checkout.session`, `TaxId` → `tax_id`. */
const resourceName = (tsName) => tsName.split('.').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase()).join('.');

const problems = [];
const catalogTypes = [];
const schemaTypes = {};
const ids = new Set();
for (const e of events) {
  const objectDef = tools.deref({ $ref: `#/definitions/${e.objectType}` });
  // A union (`CustomerSource`, `ExternalAccount`): the member its events usually carry.
  const member = objectDef.anyOf ? tools.deref(objectDef.anyOf.find((b) => refName(b.$ref) === UNION_CHOICE[e.objectType])) : objectDef;
  if (!member) throw new Error(`${e.type}: choose a member of ${e.objectType} in UNION_CHOICE`);
  const objectName = member.properties.object.const;
  const made = [];
  const status = statusFor(e.type, tools.known(member.properties.status ?? {}));
  const patch = EVENT_PATCHES[e.type] ?? {};
  let object = merge(exampleOf(objectName), { ...(status ? { status } : {}), ...(patch.object ?? {}) });
  object = tools.conform(renumber(reid(object, objectName, problems), times, e.type, problems), member, 'data.object', made);
  let previous;
  if (e.type.endsWith('.updated')) {
    const update = patch.previous ? patch : updatedFields(member.properties);
    if (!update) problems.push(`${e.type}: say what changed in EVENT_PATCHES`);
    else {
      object = merge(object, update.object ?? {});
      previous = typeof update.previous === 'function' ? update.previous(object) : update.previous;
    }
  }
  object = retime(object, times, e.type.endsWith('.created') ? EXAMPLE_NOW : EXAMPLE_NOW - 3600);
  if (previous) previous = retime(previous, times, EXAMPLE_NOW - 3600);
  object = stripeOrder(object);
  const example = { object, ...(previous ? { previous_attributes: stripeOrder(previous) } : {}) };
  // What the example must fit: the whole delivery body of its type.
  const body = { id: 'evt_1SxExampleExample00000000', object: 'event', api_version: apiVersion, created: EXAMPLE_NOW, data: example, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null }, type: e.type };
  const validate = ajv.compile({ $ref: `#/definitions/${e.iface}`, definitions: reachable(definitions, [e.iface]) });
  if (!validate(body)) problems.push(`${e.type}: the example does not fit ${e.iface}: ${JSON.stringify(validate.errors.slice(0, 5))}`);
  if (process.env.VERBOSE && made.length) console.error(`${e.type}: filled ${made.join(', ')}`);
  collectIds(example, ids);
  catalogTypes.push({
    type: e.type,
    category: resourceName(e.objectType),
    description: e.description,
    source: `stripe@${stripeVersion} Stripe.${e.iface}`,
    request: AUTOMATIC.some((p) => p.test(e.type)) ? 'automatic' : 'api',
    data: example,
  });
  schemaTypes[e.type] = e.iface;
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

// The representative type first: what a newcomer triggers, the demo and the audit send.
const FIRST = 'customer.created';
catalogTypes.sort((a, b) => (a.type === FIRST ? -1 : b.type === FIRST ? 1 : 0));

const sources = [
  { name: `stripe@${stripeVersion} (npm): Stripe.Event.Type, Stripe.<Name>Event, ApiVersion ${apiVersion}`, url: 'https://github.com/stripe/stripe-node' },
  { name: `github.com/stripe/openapi@${openapiCommit} openapi/fixtures3.json (example objects)`, url: `https://github.com/stripe/openapi/blob/${openapiCommit}/openapi/fixtures3.json` },
  { name: 'Stripe docs: event types', url: 'https://docs.stripe.com/api/events/types' },
];
const generatedBy = 'scripts/catalogs/stripe.mjs';
writeFileSync(
  join(ROOT, 'catalogs/stripe.json'),
  `${JSON.stringify({ generatedBy, sources, api_version: apiVersion, example_now: EXAMPLE_NOW, ids: [...ids].sort(), types: catalogTypes })}\n`,
);
writeFileSync(
  join(ROOT, 'catalogs/stripe.schemas.json'),
  `${JSON.stringify({
    generatedBy,
    sources: [{ name: `ts-json-schema-generator@${generatorVersion} over stripe@${stripeVersion} Stripe.<Name>Event; Decimal as its JSON string; expandable fields as their ids (Stripe does not expand event payloads)`, url: 'https://github.com/vega/ts-json-schema-generator' }],
    $schema: 'http://json-schema.org/draft-07/schema#',
    types: schemaTypes,
    definitions: reachable(definitions, Object.values(schemaTypes)),
  })}\n`,
);
console.log(`stripe: ${catalogTypes.length} types, api_version ${apiVersion}, fixtures from stripe/openapi@${openapiCommit.slice(0, 8)}`);

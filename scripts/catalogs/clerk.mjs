#!/usr/bin/env node
// Writes catalogs/clerk.json and catalogs/clerk.schemas.json from Clerk's own
// artifacts: every event type of @clerk/backend's `WebhookEvent` union and of
// Clerk's webhook-events OpenAPI document (github.com/clerk/openapi-specs,
// webhooks/*.yml, the event catalog of Clerk's dashboard), the SDK type of each
// one's `data`, and the JSON Schema of each type's whole delivery body, made by
// ts-json-schema-generator from the SDK's types. Descriptions are the OpenAPI
// document's, or the Billing webhooks page's for the Billing types.
//
// Usage: node scripts/catalogs/clerk.mjs <checkout of clerk/openapi-specs>
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { schemasOf, spoken, standalone } from './ts-schemas.mjs';

const repo = process.argv[2];
if (!repo) throw new Error('usage: node scripts/catalogs/clerk.mjs <checkout of clerk/openapi-specs>');
const SPEC_PATH = 'webhooks/2025-04-15.yml';
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', 'HEAD').trim();
const SPEC_URL = `https://github.com/clerk/openapi-specs/blob/${commit}/${SPEC_PATH}`;
const documented = YAML.parse(git('show', `HEAD:${SPEC_PATH}`), { maxAliasCount: -1 })['x-webhooks'];

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}node_modules/@clerk/backend/package.json`, 'utf8'));
const BILLING = 'https://clerk.com/docs/guides/development/webhooks/billing';
const sources = [
  { name: `Clerk webhook events OpenAPI (${SPEC_PATH})`, url: SPEC_URL },
  { name: `@clerk/backend@${pkg.version} WebhookEvent (dist/api/resources/Webhooks.d.ts, JSON.d.ts)`, url: 'https://www.npmjs.com/package/@clerk/backend' },
  { name: 'Clerk webhooks overview (payload structure)', url: 'https://clerk.com/docs/guides/development/webhooks/overview' },
  { name: 'Clerk Billing webhooks', url: BILLING },
];

// The Billing page's words for its events (its first sentence of each).
const billing = {
  'subscription.created': 'The top-level Subscription is created',
  'subscription.updated': 'The top-level Subscription is updated (any property but its status)',
  'subscription.active': 'The top-level Subscription transitions to active from a non-active status',
  'subscription.pastDue': 'The top-level Subscription contains a Subscription Item that has become past due',
  'subscriptionItem.created': 'A Subscription Item is created',
  'subscriptionItem.updated': 'The Subscription Item is updated without a status change',
  'subscriptionItem.active': 'The Subscription Item is set to active',
  'subscriptionItem.canceled': 'The Subscription Item is canceled',
  'subscriptionItem.upcoming': 'The Subscription Item is set as upcoming after the current billing period',
  'subscriptionItem.ended': 'The Subscription Item has ended',
  'subscriptionItem.abandoned': 'The Subscription Item is abandoned',
  'subscriptionItem.incomplete': 'The Subscription Item is incomplete: checkout started, payment not yet processed',
  'subscriptionItem.pastDue': 'The Subscription Item is past due because a recurring charge has failed',
  'subscriptionItem.freeTrialEnding': 'The Subscription Item is a free trial and is ending soon',
  'paymentAttempt.created': 'A payment attempt has been created with pending status',
  'paymentAttempt.updated': 'A payment attempt has been updated to paid or failed status',
};

const { ClerkWebhookEvent: all } = schemasOf("import type { WebhookEvent } from '@clerk/backend';\nexport type ClerkWebhookEvent = WebhookEvent;\n", ['ClerkWebhookEvent']);
const defs = all.definitions;
// Clerk's OpenAPI document describes an identification's verification as an object of its own kind
// (`object: "verification_otp"`, `"verification_oauth"`, ...) without an id; the SDK's VerificationJSON
// requires an id and an ObjectType. The wire is Clerk's: a receiver gets no id there.
defs.VerificationJSON = { ...defs.VerificationJSON, properties: { ...defs.VerificationJSON.properties, object: { type: 'string' } }, required: defs.VerificationJSON.required.filter((k) => k !== 'id' && k !== 'object') };
// Likewise a domain's verification: Clerk's document has `expire_at` (and `verified_at`), the SDK's type `expires_at`.
const domainVerification = defs.OrganizationDomainVerificationJSON;
defs.OrganizationDomainVerificationJSON = { ...domainVerification, properties: { ...domainVerification.properties, expire_at: { type: ['number', 'null'] }, verified_at: { type: ['number', 'null'] } }, required: domainVerification.required.filter((k) => k !== 'expires_at') };
const schemas = {};
const types = [];
for (const [name, member] of Object.entries(defs).filter(([n]) => n.startsWith('Webhook<'))) {
  const t = member.properties.type;
  const names = t.const !== undefined ? [t.const] : t.enum;
  const dataType = decodeURIComponent(member.properties.data.$ref.replace('#/definitions/', ''));
  for (const type of names) {
    schemas[type] = standalone({ ...member, properties: { ...member.properties, type: { type: 'string', const: type } } }, defs);
    types.push(entry(type, dataType, `@clerk/backend@${pkg.version} WebhookEvent (${name})`));
  }
}
// Types Clerk documents that this SDK version has not typed yet: the data of their siblings (`session.pending` is a session).
for (const type of Object.keys(documented).filter((t) => !schemas[t])) {
  const sibling = types.find((t) => t.category === type.split('.')[0]);
  if (!sibling) throw new Error(`${type}: documented by Clerk, and no SDK type of its family to take its data from`);
  schemas[type] = { ...schemas[sibling.type], properties: { ...schemas[sibling.type].properties, type: { type: 'string', const: type } } };
  types.push(entry(type, sibling.dataType, null));
}

function entry(type, dataType, sdk) {
  const description = billing[type] ?? documented[type]?.post?.description ?? spoken(type);
  const source = billing[type] ? BILLING : documented[type] ? `${SPEC_URL} (x-webhooks.${type})` : sdk;
  return { type, category: type.split('.')[0], description, source, dataType, ...(sdk ? { sdk } : {}) };
}
// The representative type first: what a newcomer triggers, the demo and the audit use.
types.sort((a, b) => (a.type === 'user.created' ? -1 : b.type === 'user.created' ? 1 : 0));

const generated = { generatedBy: 'scripts/catalogs/clerk.mjs', sources };
writeFileSync(`${root}catalogs/clerk.json`, `${JSON.stringify({ ...generated, types }, null, 1)}\n`);
writeFileSync(`${root}catalogs/clerk.schemas.json`, `${JSON.stringify({ ...generated, schemas })}\n`);
console.log(`clerk: ${types.length} event types from @clerk/backend ${pkg.version}`);

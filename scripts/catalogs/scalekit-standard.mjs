#!/usr/bin/env node
// Writes catalogs/scalekit-standard.json (every webhook event of Scalekit's
// current platform, with its documented example) and
// catalogs/scalekit-standard.schemas.json (the JSON Schema of each delivery
// body) from Scalekit's own OpenAPI document, `public/api/scalekit.scalar.json`
// in https://github.com/scalekit-inc/developer-docs (what docs.scalekit.com/apis
// renders: its `webhooks` section).
//
//   node scripts/catalogs/scalekit-standard.mjs <checkout or git dir of scalekit-inc/developer-docs>
//
// OpenAPI 3.1 schemas are JSON Schema already; the script only bundles each
// event's $refs into $defs and turns OpenAPI's `nullable: true` into a null
// type. Where a documented example does not fit its own schema, the schema is
// widened to what the example sends and the disagreement is recorded.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const FILE = 'public/api/scalekit.scalar.json';
const REPO = 'https://github.com/scalekit-inc/developer-docs';
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/catalogs/scalekit-standard.mjs <checkout or git dir of scalekit-inc/developer-docs>');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const commit = git('rev-parse', 'HEAD').trim();
const committed = git('log', '-1', '--format=%cs').trim();
const spec = JSON.parse(git('show', `HEAD:${FILE}`));
const components = spec.components.schemas;

/** The docs page of one event: docs.scalekit.com/apis/#webhook/usersignup for user.signup. */
const pageOf = (type) => `https://docs.scalekit.com/apis/#webhook/${type.replace(/[._]/g, '').toLowerCase()}`;
const CATEGORY = { Organization: 'organization', OrgMembership: 'user', User: 'user', Directory: 'directory', DirectoryUser: 'directory', DirectoryGroup: 'directory', Connection: 'sso', Role: 'role', Permission: 'permission', ConnectedAccount: 'connected_account' };

/** Every component an event schema uses, once for all events (as `$defs`). */
const defs = {};
function bundle(ref) {
  const visit = (v) => {
    if (Array.isArray(v)) return v.map(visit);
    if (!v || typeof v !== 'object') return v;
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith('#/components/schemas/')) {
        const name = x.slice('#/components/schemas/'.length);
        if (!(name in defs)) {
          defs[name] = null;
          defs[name] = visit(components[name]);
        }
        out.$ref = `#/$defs/${name}`;
      } else if (k === 'nullable') {
        continue;
      } else out[k] = visit(x);
    }
    // OpenAPI 3.0's nullable, as JSON Schema says it.
    if (v.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
    return out;
  };
  return visit(components[ref.slice('#/components/schemas/'.length)]);
}

const Ajv = createRequire(import.meta.url)('ajv');
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

const types = [];
const schemas = {};
const disagreements = [];
for (const [type, hook] of Object.entries(spec.webhooks)) {
  const content = hook.post.requestBody.content['application/json'];
  schemas[type] = bundle(content.schema.$ref);
  types.push({
    type,
    category: CATEGORY[content.example.object] ?? type.split('.')[0],
    description: hook.post.description,
    source: pageOf(type),
    status: 'documented',
    examples: [content.example],
  });
}
// The example is what the platform documents it sends: where it does not fit, the schema is widened to it.
for (const { type, examples: [example] } of types) {
  for (let round = 0; round < 10; round++) {
    // A copy each round: ajv keeps what it compiled for a schema object.
    const whole = structuredClone({ ...schemas[type], $defs: defs });
    const validate = ajv.compile(whole);
    if (validate(example)) break;
    for (const e of validate.errors) {
      const value = e.instancePath.split('/').slice(1).reduce((o, k) => o?.[k], example);
      if (e.keyword !== 'type' || value !== null) throw new Error(`${type}: example does not fit its schema at ${e.instancePath}: ${e.message}`);
      const path = e.schemaPath.replace(/^#\//, '').split('/').slice(0, -1);
      const at = path.reduce((o, k) => o[k], path[0] === '$defs' ? { $defs: defs } : schemas[type]);
      at.type = [...[at.type].flat(), 'null'];
      disagreements.push(`${type}: the example sends ${e.instancePath.slice(1).replace(/\//g, '.')} as null where the schema says ${e.params.type}; the schema here allows null`);
    }
  }
}
// The representative type first: a user signing up.
types.sort((a, b) => Number(b.type === 'user.signup') - Number(a.type === 'user.signup'));

const sources = [
  { name: "Scalekit's OpenAPI document (webhooks section), as docs.scalekit.com/apis renders it", url: 'https://docs.scalekit.com/apis/', repo: REPO, commit, committed, path: FILE },
  { name: 'Handle webhook events in your application (envelope, retries, response)', url: 'https://docs.scalekit.com/authenticate/implement-workflows/implement-webhooks/', repo: REPO, commit, path: 'src/content/docs/authenticate/implement-workflows/implement-webhooks.mdx' },
  { name: 'Webhook best practices (webhook-id, webhook-timestamp, webhook-signature)', url: 'https://docs.scalekit.com/guides/webhooks-best-practices/', repo: REPO, commit, path: 'src/content/docs/guides/webhooks-best-practices.mdx' },
  { name: '@scalekit-sdk/node verifyWebhookPayload (Standard Webhooks v1, 5 min tolerance)', url: 'https://www.npmjs.com/package/@scalekit-sdk/node' },
];
const notes = [
  "This is the form Scalekit's own docs and SDK use today, and what it sends to the webhook endpoints you add: Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature: v1,<base64>) with a whsec_ secret, checked by @scalekit-sdk/node's verifyWebhookPayload within 5 minutes. The scalekit provider is the form of seed 003 (x-scalekit-signature).",
  'Scalekit retries a failed delivery after 5 s, 30 s, 2 min, 5 min and 15 min (6 attempts over about 22 minutes, the implement-webhooks page); the same page also says "up to 3 times" and Scalekit\'s SCIM readiness checklist "up to 8 attempts over ~10 hours": hooks follows the schedule. It expects an answer within 10 s (201 recommended; any 2xx succeeds).',
  'The dashboard\'s "Send Test Event" names no event type: there is no test event in the catalog.',
];
const generatedBy = 'scripts/catalogs/scalekit-standard.mjs';
const json = (v) => `${JSON.stringify(v, null, 1)}\n`;
writeFileSync(
  new URL('../../catalogs/scalekit-standard.json', import.meta.url),
  json({ $comment: "Scalekit's current webhook events (Standard Webhooks signing), generated from Scalekit's OpenAPI document: do not edit by hand.", generatedBy, platform: 'Scalekit', sources, notes, disagreements, types }),
);
writeFileSync(new URL('../../catalogs/scalekit-standard.schemas.json', import.meta.url), json({ $comment: 'JSON Schema of each Scalekit webhook body, from the same OpenAPI document: each refers to the shared $defs.', generatedBy, sources: sources.slice(0, 1), $defs: defs, schemas }));
console.log(`${types.length} event types from ${REPO}@${commit.slice(0, 12)}; ${disagreements.length} disagreement(s)`);

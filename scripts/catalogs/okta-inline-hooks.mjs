#!/usr/bin/env node
/**
 * Writes catalogs/okta-inline-hooks.json from Okta's own artifacts:
 *
 * - okta/okta-management-openapi-spec, dist/current/management-oneOfInheritance.yaml:
 *   the management API's `x-webhooks` (the inline hook requests Okta sends and
 *   the answers it reads), each with its request examples, its answer schema
 *   and examples, and the description that says what Okta does with a wrong,
 *   late or missing answer. The YAML is read with Python's PyYAML
 *   (`python3 -c 'import yaml'`), the one YAML reader this script needs.
 * - okta/okta-sdk-nodejs, src/types/generated/models: the SDK's answer types
 *   (TokenHookResponse, RegistrationResponse, PasswordImportResponse,
 *   UserImportResponse, SAMLHookResponse), turned
 *   into JSON Schema by ts-json-schema-generator: what "shaped by the SDK's
 *   types" means in the tests.
 *
 * Usage: node scripts/catalogs/okta-inline-hooks.mjs <okta-management-openapi-spec git dir> <okta-sdk-nodejs git dir>
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';
import { argsOrUsage, gitSource, writeJson } from './git-source.mjs';

const [specDir, sdkDir] = argsOrUsage(2, 'usage: node scripts/catalogs/okta-inline-hooks.mjs <okta-management-openapi-spec git dir> <okta-sdk-nodejs git dir>');
const spec = gitSource(specDir, 'https://github.com/okta/okta-management-openapi-spec');
const sdk = gitSource(sdkDir, 'https://github.com/okta/okta-sdk-nodejs');
const OUT = new URL('../../catalogs/', import.meta.url);
const SPEC_PATH = 'dist/current/management-oneOfInheritance.yaml';
const PAGE = (op) => `https://developer.okta.com/docs/api/openapi/okta-management/management/tags/inlinehook/webhooks/${op.toLowerCase()}`;

const yaml = spec.read(SPEC_PATH);
const doc = JSON.parse(
  execFileSync('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }),
);
const schemas = doc.components.schemas;
const examples = doc.components.examples;

/** A schema with every $ref resolved (the inline hook schemas are not recursive; a cycle stops at its name). */
function deref(node, seen = []) {
  if (Array.isArray(node)) return node.map((n) => deref(n, seen));
  if (!node || typeof node !== 'object') return node;
  if (node.$ref) {
    const name = node.$ref.split('/').pop();
    if (seen.includes(name)) return { description: `(recursive ${name})` };
    return deref(schemas[name], [...seen, name]);
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    // OpenAPI-only keywords that JSON Schema validators do not know.
    if (k === 'discriminator' || k === 'example' || k.startsWith('x-')) continue;
    out[k] = deref(v, seen);
  }
  return out;
}
const exampleValue = (ref) => examples[ref.$ref.split('/').pop()].value;

const hooks = {};
for (const [key, hook] of Object.entries(doc['x-webhooks'])) {
  const op = hook.post;
  const requestExamples = Object.fromEntries(Object.entries(op.requestBody.content['application/json'].examples ?? {}).map(([name, ref]) => [name, exampleValue(ref)]));
  const eventType = Object.values(requestExamples)[0].eventType;
  const ok = op.responses['200'].content['application/json'];
  hooks[eventType] = {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    source: { name: `x-webhooks ${key}`, url: PAGE(op.operationId), repo: spec.url, commit: spec.commit, path: SPEC_PATH },
    request: { schema: deref(op.requestBody.content['application/json'].schema), examples: requestExamples },
    response: {
      schema: deref(ok.schema),
      examples: Object.fromEntries(Object.entries(ok.examples ?? {}).map(([name, ref]) => [name, exampleValue(ref)])),
      noContent: op.responses['204']?.description ?? null,
    },
  };
}

// ---- the SDK's answer types ------------------------------------------------

const SDK_MODELS = 'src/types/generated/models';
const SDK_TYPES = {
  'com.okta.oauth2.tokens.transform': 'TokenHookResponse',
  'com.okta.user.pre-registration': 'RegistrationResponse',
  'com.okta.user.credential.password.import': 'PasswordImportResponse',
  'com.okta.import.transform': 'UserImportResponse',
  'com.okta.saml.tokens.transform': 'SAMLHookResponse',
};
const work = mkdtempSync(join(tmpdir(), 'okta-hook-models-'));
try {
  // The models import each other as './../models/X': they must sit in a folder named models.
  const models = join(work, 'models');
  mkdirSync(models);
  for (const path of sdk.list(SDK_MODELS).filter((p) => p.endsWith('.d.ts'))) writeFileSync(join(models, path.slice(path.lastIndexOf('/') + 1)), sdk.read(path));
  for (const [eventType, type] of Object.entries(SDK_TYPES)) {
    const schema = createGenerator({ path: join(models, `${type}.d.ts`), type, skipTypeCheck: true, expose: 'all', topRef: true, jsDoc: 'none', additionalProperties: true }).createSchema(type);
    hooks[eventType].response.sdk = { type, schema, source: { name: `${type} (@okta/okta-sdk-nodejs ${JSON.parse(sdk.read('package.json')).version})`, repo: sdk.url, commit: sdk.commit, path: `${SDK_MODELS}/${type}.d.ts` } };
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

writeJson(new URL('okta-inline-hooks.json', OUT), {
  generated_by: 'scripts/catalogs/okta-inline-hooks.mjs',
  sources: [
    { name: 'Okta management OpenAPI x-webhooks', repo: spec.url, commit: spec.commit, path: SPEC_PATH },
    { name: '@okta/okta-sdk-nodejs generated models', repo: sdk.url, commit: sdk.commit, path: SDK_MODELS },
    { name: 'Inline hooks (concept page)', url: 'https://developer.okta.com/docs/concepts/inline-hooks/' },
  ],
  hooks,
});

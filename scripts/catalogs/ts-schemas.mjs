// JSON Schema of a platform SDK's TypeScript types, by ts-json-schema-generator
// (2.4, the last that runs on Node 20), for the catalog scripts beside this one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The schema of each exported type alias of `source` (TypeScript that
 * imports the SDK's types), with every definition the SDK's types need. The
 * file is written inside the repository so the SDK resolves from
 * node_modules, with NodeNext resolution (the SDKs' `exports` maps).
 */
export function schemasOf(source, names) {
  const dir = mkdtempSync(join(ROOT, 'scripts', 'catalogs', '.schema-'));
  try {
    const file = join(dir, 'types.ts');
    const tsconfig = join(dir, 'tsconfig.json');
    writeFileSync(file, source);
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', skipLibCheck: true, types: [] }, files: ['types.ts'] }));
    // Fields beyond the SDK's are allowed: a receiver is told what a body lacks, not what the platform added since.
    const generator = createGenerator({ path: file, tsconfig, type: '*', skipTypeCheck: true, expose: 'all', topRef: true, jsDoc: 'basic', additionalProperties: true });
    return Object.fromEntries(names.map((name) => [name, generator.createSchema(name)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The definitions a schema node reaches, transitively. */
export function reachable(node, definitions, found = new Set()) {
  const visit = (n) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#/definitions/')) {
      const name = decodeURIComponent(n.$ref.slice('#/definitions/'.length));
      if (!found.has(name)) {
        found.add(name);
        visit(definitions[name]);
      }
    }
    Object.values(n).forEach(visit);
  };
  visit(node);
  return found;
}

/** A schema of its own for `body`: draft-07 with the definitions it reaches. */
export function standalone(body, definitions) {
  const names = [...reachable(body, definitions)].sort();
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...body, ...(names.length ? { definitions: Object.fromEntries(names.map((n) => [n, definitions[n]])) } : {}) };
}

/** `organizationMembership.created` as "Organization membership created": the name read out. */
export function spoken(type) {
  const words = type
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[._-]/)
    .join(' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

import type { JsonSchema } from '../fixtures/catalog.js';

/**
 * TypeScript declarations for a JSON Schema (draft 7 as the catalogs write
 * it): the root as `name`, then each definition it uses, with the schema's
 * descriptions as comments. What a receiver written in TypeScript pastes in
 * to type a delivery's body. Covers what the catalogs' schemas use (`$ref`
 * to `#/definitions/…`, type lists, const, enum, anyOf/oneOf, allOf,
 * properties/required, additionalProperties, items); any other keyword
 * (pattern, minimum, format) has no TypeScript form and is left out.
 */
export function toTypeScript(schema: JsonSchema, name: string): string {
  const definitions = (isObject(schema.definitions) ? schema.definitions : {}) as Record<string, JsonSchema>;
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const unique = (wanted: string) => {
    let n = wanted;
    for (let i = 2; taken.has(n); i++) n = `${wanted}${i}`;
    taken.add(n);
    return n;
  };
  const rootName = unique(pascal(name));
  // A root that only refers to a definition takes that definition's place under the root's name.
  const rootRef = refName(schema);
  if (rootRef !== null && Object.keys(schema).every((k) => ['$ref', '$schema', 'title', 'description', 'definitions'].includes(k))) names.set(rootRef, rootName);
  const queue: string[] = rootRef !== null && names.has(rootRef) ? [rootRef] : [];
  const nameOf = (def: string): string => {
    let n = names.get(def);
    if (n === undefined) {
      names.set(def, (n = unique(pascal(def))));
      queue.push(def);
    }
    return n;
  };

  const expr = (node: unknown, indent: string): string => {
    if (node === true || node === undefined || (isObject(node) && Object.keys(node).filter((k) => !META.has(k)).length === 0)) return 'unknown';
    if (node === false) return 'never';
    if (!isObject(node)) return 'unknown';
    const ref = refName(node);
    if (ref !== null) return definitions[ref] === undefined ? 'unknown' : nameOf(ref);
    if ('const' in node) return literal(node.const);
    if (Array.isArray(node.enum)) return node.enum.map(literal).join(' | ');
    if (Array.isArray(node.allOf)) return node.allOf.map((n) => group(expr(n, indent))).join(' & ');
    const alts = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
    if (Array.isArray(alts)) return [...new Set(alts.map((n) => group(expr(n, indent))))].join(' | ');
    const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : node.properties ? ['object'] : [];
    if (types.length === 0) return 'unknown';
    return [...new Set(types.map((t) => ofType(t, node, indent)))].join(' | ');
  };

  const ofType = (t: string, node: Record<string, unknown>, indent: string): string => {
    switch (t) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        if (Array.isArray(node.items)) return `[${node.items.map((n) => expr(n, indent)).join(', ')}]`;
        return `Array<${expr(node.items, indent)}>`;
      case 'object':
        return objectType(node, indent);
      default:
        return 'unknown';
    }
  };

  const objectType = (node: Record<string, unknown>, indent: string): string => {
    const properties = (isObject(node.properties) ? node.properties : {}) as Record<string, unknown>;
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    const inner = `${indent}  `;
    const lines: string[] = [];
    for (const [key, sub] of Object.entries(properties)) {
      lines.push(...comment(isObject(sub) ? sub.description : undefined, inner));
      lines.push(`${inner}${propertyName(key)}${required.has(key) ? '' : '?'}: ${expr(sub, inner)};`);
    }
    // Required names without a schema of their own are there, of any value.
    for (const key of required) if (!(key in properties)) lines.push(`${inner}${propertyName(key)}: unknown;`);
    const extra = node.additionalProperties;
    if (isObject(extra) || ((extra === undefined || extra === true) && lines.length === 0)) lines.push(`${inner}[key: string]: ${expr(extra, inner)};`);
    return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
  };

  const declare = (typeName: string, node: JsonSchema): string => {
    const body = expr(node, '');
    const doc = comment((node.description as string | undefined) ?? (node.title as string | undefined), '');
    // An interface only for one plain object; a union or an intersection of them is a type alias.
    const plain = ['anyOf', 'oneOf', 'allOf', '$ref', 'const', 'enum'].every((k) => !(k in node)) && (node.type === 'object' || (node.type === undefined && isObject(node.properties)));
    const asInterface = plain && body.startsWith('{\n');
    return [...doc, asInterface ? `export interface ${typeName} ${body}` : `export type ${typeName} = ${body};`].join('\n');
  };

  const out: string[] = [];
  if (!(rootRef !== null && names.has(rootRef))) out.push(declare(rootName, schema));
  while (queue.length > 0) {
    const def = queue.shift()!;
    const node = definitions[def]!;
    // The root's own description stands for the definition it renames.
    out.push(declare(names.get(def)!, def === rootRef && names.get(def) === rootName ? { ...node, description: node.description ?? schema.description ?? schema.title } : node));
  }
  return `${out.join('\n\n')}\n`;
}

const META = new Set(['$schema', '$id', 'title', 'description', 'examples', 'default', 'format', 'tsAdditionalProperties', '$comment', 'readOnly', 'writeOnly', 'deprecated']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function refName(node: unknown): string | null {
  return isObject(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/definitions/') ? decodeURIComponent(node.$ref.slice('#/definitions/'.length)).replace(/~1/g, '/').replace(/~0/g, '~') : null;
}

/** `issues$opened` → `IssuesOpened`, `installation-lite` → `InstallationLite`, `user.created` → `UserCreated`. */
export function pascal(text: string): string {
  const out = text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Za-z_]/.test(out) ? out : `_${out}`;
}

const group = (t: string) => (/^[\w.<>[\]"'-]+$/.test(t) || t.startsWith('{') || t.startsWith('Array<') ? t : `(${t})`);
const literal = (v: unknown) => (v === null ? 'null' : JSON.stringify(v));
const propertyName = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key));

function comment(text: unknown, indent: string): string[] {
  if (typeof text !== 'string' || text.trim() === '') return [];
  const lines = text.replace(/\*\//g, '* /').trim().split('\n');
  return lines.length === 1 ? [`${indent}/** ${lines[0]} */`] : [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`];
}

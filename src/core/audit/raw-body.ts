/**
 * The same JSON in other bytes, as a platform may send it: keys in reverse
 * order, two-space indentation, and `@` written as `\u0040`. A receiver that
 * verifies `JSON.stringify(req.body)` instead of the raw bytes computes
 * another HMAC and refuses it; one that verifies the raw bytes accepts it.
 */
export function respelled(body: Buffer): Buffer {
  const value: unknown = JSON.parse(body.toString('utf8'));
  const out = Buffer.from(write(value, ''), 'utf8');
  // Bodies without an object key or an `@` still change: indentation alone differs from compact JSON.
  return out;
}

function write(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((v) => inner + write(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).reverse();
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${string(k)}: ${write(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  if (typeof value === 'string') return string(value);
  return JSON.stringify(value);
}

const string = (s: string) => JSON.stringify(s).replace(/@/g, '\\u0040');

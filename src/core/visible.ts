/**
 * Text from the network or an API, made safe to print on a terminal: control
 * characters (C0, DEL, C1) and the bidirectional overrides that reorder what
 * is shown become visible escapes (`\x1b`, `\r`, `\u{202e}`), so a value can
 * never move the cursor, recolour, rewrite a line or fake one. JSON output
 * does not go through here: JSON escapes them itself. The CLI's renderers
 * and the text of MCP answers use it.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but newlines and tabs stay: for bodies and other multi-line blocks. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  const code = c.codePointAt(0)!;
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`);
}

export function visible(text: string): string {
  return text.replace(CONTROL, escape);
}

export function visibleLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escape);
}

/** Every string inside a plain value (objects, arrays), made visible; bytes and other objects are left as they are. */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) return value.map(visibleDeep) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleDeep(v)])) as T;
  }
  return value;
}

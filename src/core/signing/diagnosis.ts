import type { HeaderBag } from './headers.js';
import type { SecretInput } from './hmac.js';
import type { SignatureScheme, VerifyOptions } from './scheme.js';
import type { Hint } from './hint.js';

export type { Hint, HintCode } from './hint.js';

export interface NamedScheme {
  id: string;
  scheme: SignatureScheme;
}

export interface Diagnosis {
  hints: Hint[];
  /** Why the diagnosis did not run, or stopped early; null when it ran in full. */
  note: string | null;
}

/**
 * The diagnosis re-verifies a dozen variants of the body: bounded so that a
 * forged delivery costs about what a valid one does, whatever its size. The
 * bound is work (bytes run through a verification), not time: the same
 * delivery gets the same diagnosis on a busy machine as on an idle one.
 */
export const DIAGNOSIS_MAX_BYTES = 256 * 1024;
export const DIAGNOSIS_WORK_BYTES = 32 * DIAGNOSIS_MAX_BYTES;

/**
 * Why a signature that failed would have passed: each candidate changes one
 * thing (the body's serialization, its line ending, the secret's form, the
 * digest encoding, the scheme) and re-runs the real verification. Only
 * candidates that verify become hints, so a hint is a finding, not a guess.
 */
export function diagnose(
  target: NamedScheme,
  body: Uint8Array,
  headers: HeaderBag,
  secret: string,
  opts: VerifyOptions,
  others: readonly NamedScheme[],
): Diagnosis {
  const hints: Hint[] = [];
  if (body.length > DIAGNOSIS_MAX_BYTES) {
    return { hints, note: `not diagnosed: the body is ${formatBytes(body.length)}, and the diagnosis reads bodies up to ${formatBytes(DIAGNOSIS_MAX_BYTES)}` };
  }
  let work = 0;
  let outOfWork = false;
  // Tolerance is not what we diagnose here: a stale delivery still tells us
  // whether its signature would match.
  const loose: VerifyOptions = { ...opts, tolerance: Number.MAX_SAFE_INTEGER };
  const passes = (b: Uint8Array, s: SecretInput, scheme = target.scheme): boolean => {
    work += b.length;
    if (outOfWork || work > DIAGNOSIS_WORK_BYTES) {
      outOfWork = true;
      return false;
    }
    try {
      return scheme.verify(b, headers, s, loose).valid;
    } catch {
      return false;
    }
  };

  try {
    hints.push(...(target.scheme.explain?.(body, headers, secret, opts) ?? []));
  } catch {
    // A scheme's own explanation never turns a verdict into a crash.
  }

  if (secret !== secret.trim() && passes(body, secret.trim())) {
    hints.push({
      code: 'secret_whitespace',
      message: 'the secret has whitespace around it and matches once trimmed: check how it is loaded (a trailing newline from a file or an env var)',
    });
  }

  const secretForm = target.scheme.secretForms(secret.trim()).find((c) => passes(body, c.secret));
  if (secretForm) hints.push({ code: 'secret_encoding', message: secretForm.message });

  // A line-ending change is the simpler explanation: only when none explains
  // the failure is re-serialization looked at.
  const newline = newlineForms(body).find((form) => passes(form.bytes, secret));
  if (newline) {
    hints.push({ code: 'newline_changed', message: `the line endings changed: the signature matches the body ${newline.label}` });
  } else {
    const reserialized = jsonForms(body).find((form) => passes(form.bytes, secret));
    if (reserialized) {
      hints.push({
        code: 'body_reserialized',
        message: `the body was re-serialized: the signature matches the same JSON ${reserialized.label}. Verify the raw bytes before parsing (express.raw(), not express.json())`,
      });
    }
  }

  const encoding = encodingMismatch(target.scheme, body, headers, secret);
  if (encoding) hints.push({ code: 'encoding_mismatch', message: encoding });

  // Only a signature that does not match can be another provider's: a stale one that matches is this provider's (Standard Webhooks, Scalekit and Clerk compute the same bytes).
  const ownMatches = passes(body, secret);
  for (const other of ownMatches ? [] : others) {
    if (other.id === target.id) continue;
    if (passes(body, secret, other.scheme)) {
      hints.push({ code: 'wrong_provider', message: `the headers carry a valid ${other.id} signature (${other.scheme.signatureHeader}): use --provider ${other.id}` });
      break;
    }
    const presented = headers.get(target.scheme.signatureHeader);
    if (presented !== undefined && otherSchemeProduces(other.scheme, body, headers, secret, presented)) {
      hints.push({
        code: 'wrong_provider',
        message: `${target.scheme.signatureHeader} holds a signature in ${other.id}'s format (${other.scheme.description}): the sender signs like ${other.id}`,
      });
      break;
    }
  }
  return { hints, note: outOfWork ? `the diagnosis stopped after re-verifying ${formatBytes(DIAGNOSIS_WORK_BYTES)}: it may have missed a cause` : null };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} KB`;
}

function jsonForms(body: Uint8Array): { bytes: Buffer; label: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return [];
  }
  const original = Buffer.from(body);
  const forms: Array<{ serialize: () => string | undefined; label: string }> = [
    { serialize: () => JSON.stringify(parsed), label: 'minified (JSON.stringify)' },
    { serialize: () => JSON.stringify(parsed, null, 2), label: 'pretty-printed with 2 spaces' },
    { serialize: () => JSON.stringify(parsed, null, 4), label: 'pretty-printed with 4 spaces' },
    { serialize: () => JSON.stringify(parsed, null, '\t'), label: 'pretty-printed with tabs' },
    { serialize: () => pythonStyle(parsed), label: 'serialized Python-style (", " and ": ")' },
  ];
  const out: { bytes: Buffer; label: string }[] = [];
  for (const form of forms) {
    let text: string | undefined;
    try {
      text = form.serialize();
    } catch {
      // Nested too deep for JSON.stringify (RangeError): no re-serialization can explain it.
      return out;
    }
    if (text === undefined) continue;
    for (const [suffix, note] of [['', ''], ['\n', ' plus a trailing newline']] as const) {
      const bytes = Buffer.from(text + suffix, 'utf8');
      if (!bytes.equals(original)) out.push({ bytes, label: form.label + note });
    }
  }
  return out;
}

function pythonStyle(value: unknown): string {
  return JSON.stringify(value).replace(/("(?:[^"\\]|\\.)*")|([,:])/g, (_m, str: string | undefined, punct: string | undefined) =>
    str ? str : `${punct} `,
  );
}

function newlineForms(body: Uint8Array): { bytes: Buffer; label: string }[] {
  const b = Buffer.from(body);
  const text = b.toString('latin1');
  const forms: { text: string; label: string }[] = [
    { text: `${text}\n`, label: 'with a trailing newline (the sender signed one you lost)' },
    { text: `${text}\r\n`, label: 'with a trailing CRLF' },
  ];
  if (text.endsWith('\r\n')) forms.push({ text: text.slice(0, -2), label: 'without its trailing CRLF (one was added on the way)' });
  else if (text.endsWith('\n')) forms.push({ text: text.slice(0, -1), label: 'without its trailing newline (one was added on the way)' });
  if (text.includes('\r\n')) forms.push({ text: text.replace(/\r\n/g, '\n'), label: 'with LF line endings (CRLF was introduced on the way)' });
  if (/(?<!\r)\n/.test(text)) forms.push({ text: text.replace(/(?<!\r)\n/g, '\r\n'), label: 'with CRLF line endings (they were converted to LF)' });
  return forms.map((f) => ({ bytes: Buffer.from(f.text, 'latin1'), label: f.label })).filter((f) => !f.bytes.equals(b));
}

function encodingMismatch(scheme: SignatureScheme, body: Uint8Array, headers: HeaderBag, secret: string): string | null {
  const seen = scheme.inspect?.(body, headers, secret);
  if (!seen) return null;
  const others = (['hex', 'base64', 'base64url'] as const).filter((e) => e !== seen.encoding);
  for (const presented of seen.presented) {
    const match = others.find((encoding) => presented === seen.expected.toString(encoding));
    if (match) return `the signature is the right HMAC but encoded as ${match}; this scheme expects ${seen.encoding}: ${scheme.description}`;
  }
  return null;
}

function otherSchemeProduces(other: SignatureScheme, body: Uint8Array, headers: HeaderBag, secret: string, presented: string): boolean {
  const ts = Number(headers.get('webhook-timestamp') ?? Math.floor(Date.now() / 1000));
  try {
    const signed = other.sign(body, secret, { id: headers.get('webhook-id') ?? 'msg', timestamp: Number.isFinite(ts) ? ts : 0 });
    return Object.values(signed).includes(presented);
  } catch {
    return false;
  }
}

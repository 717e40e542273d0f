import { HooksError } from '../core/errors.js';
import type { BodyBound } from '../core/inbox/views.js';
import { visibleLines } from '../core/visible.js';

/** What a tool answers: a short text for the model, and the same facts as structured content. */
export interface ToolAnswer {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Webhook bodies shown to an agent are cut here; the full size is said, and hooks events show --raw gives the rest. */
export const BODY_BOUND: BodyBound = { bytes: 64 * 1024 };

/** A diff's lines, headers and bodies together, are cut at the same size. */
export const DIFF_BOUND_BYTES = 64 * 1024;

/**
 * Every answer goes through here: any string that holds a secret this
 * process knows (the API token, listen's session secrets, a secret the
 * caller passed) is replaced, whatever field it hides in.
 */
export function answer(summary: string, facts: Record<string, unknown>, secrets: readonly string[]): ToolAnswer {
  const clean = redact(facts, secrets) as Record<string, unknown>;
  // The tools build the text from ids, codes and numbers (values escaped one by one); any other control character is made visible here too.
  return { content: [{ type: 'text', text: visibleLines(redact(summary, secrets) as string) }], structuredContent: clean };
}

/** A failure as an MCP tool error with the CLI's message and hint, never a crash of the server. */
export function failure(err: unknown, secrets: readonly string[]): ToolAnswer {
  const hooks = err instanceof HooksError ? err : null;
  const message = hooks ? `${hooks.message}${hooks.hint ? `\nhint: ${hooks.hint}` : ''}` : `hooks failed: ${(err as Error)?.message ?? String(err)}`;
  return {
    isError: true,
    content: [{ type: 'text', text: visibleLines(redact(message, secrets) as string) }],
    structuredContent: redact({ error: { code: hooks?.code ?? 'internal', message: hooks?.message ?? String((err as Error)?.message ?? err), hint: hooks?.hint ?? null } }, secrets) as Record<string, unknown>,
  };
}

function redact(value: unknown, secrets: readonly string[]): unknown {
  const known = secrets.filter((s) => s.length >= 8);
  if (known.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return known.reduce((s, secret) => s.split(secret).join('[secret withheld]'), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && !Buffer.isBuffer(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'signing_secret' ? '[secret withheld]' : walk(x)]));
    return v;
  };
  return walk(value);
}

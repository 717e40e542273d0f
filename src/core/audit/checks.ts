import type { BuiltEvent } from '../fixtures/catalog.js';
import type { ProviderProfile } from '../providers/profile.js';
import type { SendResult } from '../http/send.js';
import type { Handshake, HandshakeVerification } from '../providers/handshake.js';
import { respelled } from './raw-body.js';
import type { CheckId } from './report.js';

/** What a check may do: send a delivery, build and sign events, run the handshake. Nothing else about the receiver is known. */
export interface AuditContext {
  profile: ProviderProfile;
  url: URL;
  /** Sends one POST with these headers and bytes; counted. */
  post(body: Buffer, headers: Record<string, string>): Promise<SendResult>;
  /** The platform's headers for these bytes, signed with the receiver's secret (or `secret`) at `timestamp` (unix seconds). */
  /** Every header of a delivery of `body` as the platform sends it, signature included. */
  sign(body: Buffer, opts?: { secret?: string; timestamp?: number; id?: string; type?: string }): Record<string, string>;
  /** A fresh event of a common type (or of `type`), as the platform would send it. */
  event(opts?: { type?: string; as?: string; data?: unknown }): BuiltEvent;
  /** A secret in the platform's format that is not the receiver's. */
  otherSecret(): string;
  handshake(h: Handshake): Promise<HandshakeVerification>;
  /** Runs `count` deliveries, `concurrency` at a time. */
  many(count: number, concurrency: number, one: () => Promise<SendResult>): Promise<SendResult[]>;
}

export interface Outcome {
  status: 'pass' | 'fail' | 'skip';
  detail: string;
  /** Replaces the check's own hint when the failure has a more exact one. */
  hint?: string;
  result?: SendResult | null;
}

export interface Check {
  id: CheckId;
  rule: string;
  /** Whether a failure fails the audit, or only warns; may depend on the platform. */
  required: (profile: ProviderProfile) => boolean;
  hint: (profile: ProviderProfile) => string;
  run(ctx: AuditContext): Promise<Outcome>;
}

const ok2xx = (r: SendResult) => r.status !== null && r.status >= 200 && r.status < 300;

/** How an answer reads in a detail line: the status, or why none came. */
export function answered(r: SendResult): string {
  if (r.status === null) return r.timedOut ? `no answer (${r.error})` : `no answer: ${r.error}`;
  if (r.status >= 300 && r.status < 400) return `${r.status}, a redirect${typeof r.headers.location === 'string' ? ` to ${r.headers.location}` : ''} (platforms do not follow redirects)`;
  return String(r.status);
}

/** A valid delivery of a common event: the receiver must take it. */
async function valid(ctx: AuditContext, opts?: { type?: string; as?: string; data?: unknown }): Promise<{ event: BuiltEvent; result: SendResult }> {
  const event = ctx.event(opts);
  const result = await ctx.post(event.body, ctx.sign(event.body, { id: event.id, type: event.type }));
  return { event, result };
}

const mustRefuse = (what: string, accepted: string) => async (ctx: AuditContext, body: Buffer, headers: Record<string, string>): Promise<Outcome> => {
  const result = await ctx.post(body, headers);
  if (result.status === null) return { status: 'fail', detail: `${what}: ${answered(result)}`, result };
  return ok2xx(result) ? { status: 'fail', detail: `accepted (${result.status}) ${accepted}`, result } : { status: 'pass', detail: `refused ${what} with ${result.status}`, result };
};

export const CHECKS: readonly Check[] = [
  {
    id: 'accepts_valid',
    rule: 'a receiver acknowledges a correctly signed delivery with 2xx (every platform)',
    required: () => true,
    hint: (p) => `check the secret your receiver verifies with, that it reads ${p.scheme.signatureHeader}, and that it answers 2xx${p.delivery.successRule === '200 only' ? ' (200 exactly: this platform counts any other code as a failure)' : ''}`,
    async run(ctx) {
      const { event, result } = await valid(ctx);
      const success = result.status !== null && ctx.profile.delivery.isSuccess(result.status);
      return success
        ? { status: 'pass', detail: `answered ${result.status} to a signed ${event.type}`, result }
        : { status: 'fail', detail: `answered ${answered(result)} to a correctly signed ${event.type}, expected ${ctx.profile.delivery.successRule}`, result };
    },
  },
  {
    id: 'rejects_wrong_secret',
    rule: 'verify the signature of every delivery (every platform)',
    required: () => true,
    hint: (p) => `verify ${p.scheme.signatureHeader} against your secret on every request and answer 401 when it does not match`,
    async run(ctx) {
      const event = ctx.event();
      return mustRefuse('a delivery signed with another secret', 'a delivery signed with another secret: the receiver does not check the signature')(ctx, event.body, ctx.sign(event.body, { secret: ctx.otherSecret(), id: event.id, type: event.type }));
    },
  },
  {
    id: 'rejects_tampered_body',
    rule: "the signature covers the raw body; check it, not just the header's presence (IntelliAuth, Ithbat)",
    required: () => true,
    hint: () => 'compute the HMAC over the bytes received and compare it in constant time; a well-formed header proves nothing by itself',
    async run(ctx) {
      if (ctx.profile.scheme.signsBody === false) return { status: 'skip', detail: `${ctx.profile.id} signs no body (${ctx.profile.scheme.signatureHeader} holds a shared secret), so a changed body cannot be detected` };
      const event = ctx.event();
      const headers = ctx.sign(event.body, { id: event.id, type: event.type });
      // Still valid JSON of the same shape, one string changed: only a real MAC check notices.
      const tampered = Buffer.from(JSON.stringify(changeOneString(JSON.parse(event.body.toString('utf8')))), 'utf8');
      return mustRefuse('a delivery whose body changed after signing', 'a delivery whose body changed after it was signed: the receiver does not compare the signature with the body')(ctx, tampered, headers);
    },
  },
  {
    id: 'rejects_missing_signature',
    rule: 'a delivery without a signature is not from the platform (every platform)',
    required: () => true,
    hint: (p) => `refuse requests without ${p.scheme.signatureHeader} with 401`,
    async run(ctx) {
      const event = ctx.event();
      const headers = ctx.sign(event.body, { id: event.id, type: event.type });
      const without = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== ctx.profile.scheme.signatureHeader.toLowerCase()));
      return mustRefuse(`a delivery without ${ctx.profile.scheme.signatureHeader}`, `a delivery with no ${ctx.profile.scheme.signatureHeader}`)(ctx, event.body, without);
    },
  },
  {
    id: 'rejects_stale_timestamp',
    rule: 'refuse signed timestamps outside the tolerance, so a captured delivery cannot be replayed (Standard Webhooks, Stripe, WorkOS, Clerk)',
    required: () => true,
    hint: (p) => `compare the signed timestamp with your clock and refuse it when it is more than ${p.scheme.tolerance ?? 300} s old (the platform's own libraries do)`,
    async run(ctx) {
      const tolerance = ctx.profile.scheme.tolerance;
      if (tolerance === undefined) return { status: 'skip', detail: `${ctx.profile.id} signs no timestamp` };
      const event = ctx.event();
      const age = tolerance + 600;
      const headers = ctx.sign(event.body, { id: event.id, type: event.type, timestamp: Math.floor(Date.now() / 1000) - age });
      return mustRefuse(`a delivery signed ${age} s ago (tolerance ${tolerance} s)`, `a delivery signed ${age} s ago, outside the ${tolerance} s tolerance: a captured delivery can be replayed`)(ctx, event.body, headers);
    },
  },
  {
    id: 'raw_body',
    rule: 'verify the raw bytes: parsing JSON first and re-serializing it breaks the HMAC (IntelliAuth\'s non-negotiables)',
    required: (p) => !p.compactJsonOnly,
    hint: () => 'verify the bytes as received (express.raw({ type: "application/json" }), not express.json() then JSON.stringify(req.body))',
    async run(ctx) {
      if (ctx.profile.scheme.signsBody === false) return { status: 'skip', detail: `${ctx.profile.id} signs no body, so how the receiver reads it does not matter` };
      const body = respelled(ctx.event().body);
      const result = await ctx.post(body, ctx.sign(body));
      if (ok2xx(result)) return { status: 'pass', detail: `answered ${result.status} to a signed body with other whitespace, key order and \\u escapes`, result };
      const also = ctx.profile.compactJsonOnly ? ` (${ctx.profile.id} sends compact JSON that survives re-serialization, so this only warns)` : '';
      return {
        status: 'fail',
        detail: `answered ${answered(result)} to a correctly signed delivery whose JSON had other whitespace, key order and \\u escapes: your receiver verifies a re-serialized body${also}`,
        result,
      };
    },
  },
  {
    id: 'duplicate_ack',
    rule: 'retries resend the same event: acknowledge a duplicate with 2xx (Ithbat: be idempotent)',
    required: () => true,
    hint: (p) => `keep the ids of processed events (${p.eventHeaders?.id ?? 'the envelope id'}) and answer 2xx to one seen before, without processing it again`,
    async run(ctx) {
      const event = ctx.event();
      const headers = ctx.sign(event.body, { id: event.id, type: event.type });
      const first = await ctx.post(event.body, headers);
      const second = await ctx.post(event.body, headers);
      if (ok2xx(first) && ok2xx(second)) return { status: 'pass', detail: `answered ${first.status} then ${second.status} to the same delivery`, result: second };
      return { status: 'fail', detail: `answered ${answered(first)} then ${answered(second)} to the same delivery sent twice`, result: ok2xx(first) ? second : first };
    },
  },
  {
    id: 'unknown_type_ack',
    rule: 'platforms add event types: acknowledge the ones you do not handle',
    required: () => false,
    hint: () => 'answer 2xx to event types you do not handle and ignore them; a 4xx makes the platform retry and then disable the endpoint',
    async run(ctx) {
      const { event, result } = await valid(ctx, { as: 'hooks_audit.unknown_type' });
      return ok2xx(result)
        ? { status: 'pass', detail: `answered ${result.status} to an event type it cannot know (${event.type})`, result }
        : { status: 'fail', detail: `answered ${answered(result)} to a signed event of a type it cannot know (${event.type})`, result };
    },
  },
  {
    id: 'handshake',
    rule: "answer the platform's endpoint verification (Asgardeo: WebSub; Okta: the verification GET)",
    required: () => true,
    hint: (p) => p.handshake?.fixHint ?? '',
    async run(ctx) {
      const h = ctx.profile.handshake;
      if (!h) return { status: 'skip', detail: `${ctx.profile.id} has no handshake` };
      const v = await ctx.handshake(h);
      const last = v.topics.at(-1);
      const result = last ? ({ status: last.status_code, headers: {}, body: Buffer.alloc(0), durationMs: 0, error: last.error, timedOut: false } as SendResult) : null;
      return v.error === null
        ? { status: 'pass', detail: `answered ${v.topics.length} verification request(s) as ${ctx.profile.id} requires`, result }
        : { status: 'fail', detail: v.error, result };
    },
  },
  {
    id: 'answers_in_time',
    rule: 'answer within the platform\'s timeout, or it counts as a failure and is retried (every platform; 10 s in the seeds)',
    required: () => true,
    hint: (p) => `answer 2xx within ${p.delivery.timeoutMs / 1000} s: acknowledge first and process the event in the background (a queue, or after the response)`,
    async run(ctx) {
      const results = await ctx.many(20, 5, async () => (await valid(ctx)).result);
      const times = results.map((r) => r.durationMs).sort((a, b) => a - b);
      const p95 = times[Math.ceil(0.95 * times.length) - 1]!;
      const limit = ctx.profile.delivery.timeoutMs;
      const refused = results.filter((r) => !ok2xx(r)).length;
      const summary = `p95 ${Math.round(p95)} ms over 20 deliveries, 5 at a time (${ctx.profile.id} waits ${limit / 1000} s)${refused ? `; ${refused} not answered 2xx` : ''}`;
      const last = results.at(-1)!;
      return p95 < limit ? { status: 'pass', detail: summary, result: { ...last, durationMs: p95 } } : { status: 'fail', detail: summary, result: { ...last, durationMs: p95 } };
    },
  },
  {
    id: 'large_body',
    rule: 'deliveries can be large (batched logs, big directory objects)',
    required: () => false,
    hint: () => 'accept bodies of at least 1 MB (express.raw({ limit: "2mb" }); nginx client_max_body_size)',
    async run(ctx) {
      const sample = ctx.event().body;
      const padding = 'x'.repeat(Math.max(0, 1024 * 1024 - sample.length - 64));
      const { result } = await valid(ctx, { data: { padding } });
      return ok2xx(result) ? { status: 'pass', detail: `answered ${result.status} to a signed 1 MB delivery`, result } : { status: 'fail', detail: `answered ${answered(result)} to a signed 1 MB delivery`, result };
    },
  },
  {
    id: 'https',
    rule: 'platforms deliver over HTTPS only (Ithbat, IntelliAuth)',
    required: () => false,
    hint: () => 'serve the receiver over HTTPS (a tunnel such as hooks listen gives one while you develop)',
    async run(ctx) {
      if (ctx.url.protocol === 'https:') return { status: 'pass', detail: 'the URL is https' };
      if (isLoopback(ctx.url.hostname)) return { status: 'pass', detail: 'http on loopback: fine while developing; the platform needs an https URL' };
      return { status: 'fail', detail: `the URL is http on ${ctx.url.hostname}: a platform will refuse it` };
    },
  },
];

/** The value with its first non-empty string (depth first) changed in its last character. */
function changeOneString(value: unknown): unknown {
  let done = false;
  const walk = (v: unknown): unknown => {
    if (done) return v;
    if (typeof v === 'string' && v.length > 0) {
      done = true;
      return v.slice(0, -1) + (v.endsWith('x') ? 'y' : 'x');
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

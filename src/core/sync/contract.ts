import type { JsonSchema } from '../fixtures/catalog.js';
import type { HeaderBag } from '../signing/headers.js';

/**
 * Synchronous hooks (Okta inline hooks, Supabase Auth Hooks, Firebase
 * blocking functions, WorkOS Actions): the platform calls the receiver in
 * the middle of a sign-in, a sign-up or a token issue and waits for an
 * answer that changes the flow. Each hook type is a contract, as data:
 * the request, how it is authenticated, the answer it reads, the deadline,
 * the retry rule, and what the platform does when the answer is wrong, late
 * or missing (DESIGN.md, Turn-4 decisions).
 */

/** Whether the flow goes on (open) or stops (closed) when the platform cannot use the answer. */
export type FailMode = 'open' | 'closed';

/** The flow the emulator simulates around a hook. */
export type HookFlow = 'sign-in' | 'registration' | 'credential' | 'message' | 'decision' | 'import';

export interface Source {
  name: string;
  url?: string;
  /** A repository, its commit and the path in it, for code and generated artifacts. */
  repo?: string;
  commit?: string;
  path?: string;
}

/** One request of a hook call and the answer to it, as the platform saw them. */
export interface HookAttempt {
  /** 1 for the first. */
  attempt: number;
  /** The request's headers, as sent (signature included). */
  sent: Record<string, string>;
  /** null when no answer came (refused, reset, past the deadline). */
  status: number | null;
  headers: Record<string, string | string[]>;
  body: Buffer;
  durationMs: number;
  error: string | null;
  /** No answer within the deadline. */
  late: boolean;
}

/** A way the answer breaks the platform's contract, named. */
export interface Violation {
  /** Stable, for scripts and tests: `reserved_claim`, `late_answer`, `unsigned_answer`, … */
  code: string;
  message: string;
}

/** What the platform does with the answer it got (or did not get). */
export interface HookVerdict {
  /** Whether the flow goes on: a token is issued, a user registered, a message sent, a password accepted. */
  proceeds: boolean;
  /** `answer`: the platform acted on the answer; `open`/`closed`: it could not, and took its failure path. */
  path: 'answer' | FailMode;
  /** One line for a person: what the platform does. */
  summary: string;
  /** What the user or the client sees when the flow stops (an OAuth error, a message); null when it goes on. */
  reason: string | null;
  /** What comes out: the token's claims after the patches, the user record, the credential, the message to send. */
  result: Record<string, unknown>;
  violations: Violation[];
}

/** What a judge reads: the payload sent, every attempt, and the secret (WorkOS answers are signed with it). */
export interface JudgeInput {
  payload: unknown;
  attempts: readonly HookAttempt[];
  secret: string | undefined;
}

export interface RetryRule {
  /** Most requests in one call, the first included. */
  attempts: number;
  description: string;
  /** The delay before another request after this attempt, or null when the platform stops here. */
  next(attempt: HookAttempt): number | null;
}

export interface Deadline {
  ms: number;
  /** `attempt`: each request has `ms`; `call`: the whole call, retries included (Supabase). */
  per: 'attempt' | 'call';
}

export interface SignContext {
  /** A fresh id for this request (Supabase's webhook-id is new on every try). */
  id: string;
  now: Date;
  url: URL;
}

/** How a platform authenticates its hook calls, and what a receiver must refuse. */
export interface HookAuth {
  description: string;
  /** What the secret is, for messages (`the Authorization header value configured on the hook`). */
  secretFormat: string;
  /** Whether the platform needs a secret at all (the Firebase Auth emulator signs nothing). */
  needsSecret: boolean;
  /** What is wrong with a secret, or null when it is usable. */
  validateSecret(secret: string): string | null;
  newSecret(): string;
  /** The request's headers and bytes, as the platform sends them. */
  sign(payload: unknown, secret: string | undefined, ctx: SignContext): { headers: Record<string, string>; body: Buffer };
  /**
   * Requests the platform never sends and a receiver must refuse: unsigned,
   * signed with another secret, stale. Each names what it is.
   */
  forgeries(payload: unknown, secret: string | undefined, ctx: SignContext): Forgery[];
  /** Whether a received request is authentic with this secret (listen); null when it cannot tell. */
  verify?(body: Uint8Array, headers: HeaderBag, secret: string): { valid: boolean; message: string } | null;
}

export interface Forgery {
  /** `unauthenticated`, `wrong_secret`, `stale`: which audit check sends it. */
  kind: 'unauthenticated' | 'wrong_secret' | 'stale';
  what: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** One synchronous hook type of one platform. */
export interface SyncHookContract {
  /** The platform's own name (Okta's eventType, Supabase's hook name, Firebase's event type, WorkOS's action object). */
  type: string;
  /** Other names people use for it (Supabase's config key, Firebase's v2 function name). */
  aliases?: readonly string[];
  name: string;
  description: string;
  flow: HookFlow;
  request: {
    description: string;
    /** A fresh payload as the platform sends it (for Firebase: the JWT's decoded claims). */
    sample(now: Date): unknown;
    /** The JSON Schema the platform publishes for the request, when it does. */
    schema?: () => JsonSchema | null;
  };
  answer: {
    description: string;
    /** The JSON Schema the platform publishes for the answer, when it does. */
    schema?: () => JsonSchema | null;
    /** An answer that passes the contract and changes something, for examples and the docs. */
    example?: unknown;
  };
  deadline: Deadline;
  retry: RetryRule;
  failure: {
    mode: FailMode;
    /** What the platform does then, in its docs' words. */
    what: string;
    /** When the platform lets the developer choose the other path (WorkOS: "Allow authentication"). */
    configurable?: string;
  };
  sources: readonly Source[];
  /** What the platform does with these attempts' answers. */
  judge(input: JudgeInput): HookVerdict;
}

/** A platform's synchronous hooks. */
export interface SyncPlatform {
  /** The provider id; the event webhook profile's where the platform has one. */
  id: string;
  name: string;
  source: string;
  auth: HookAuth;
  /** The User-Agent its hook calls carry, when its docs or code say. */
  userAgent?: string;
  /** Loaded on first use. */
  readonly hooks: readonly SyncHookContract[];
  /** The hook type a received request is, read from its body and headers; null when it is none of this platform's. */
  identify(body: unknown, headers: HeaderBag): string | null;
  /** The payload a judge reads from a received request's body, when it is not the body itself (Firebase: the JWT's claims). */
  payloadOf?(body: unknown): unknown;
}

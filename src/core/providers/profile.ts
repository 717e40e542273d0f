import type { EventCatalog } from '../fixtures/catalog.js';
import type { HeaderBag } from '../signing/headers.js';
import type { SignatureScheme } from '../signing/scheme.js';
import type { Handshake } from './handshake.js';

export interface DeliveryPolicy {
  /** Delay before each retry, in ms; attempts = 1 + its length. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  /** "2xx" or "200 only". */
  successRule: string;
  isSuccess(status: number): boolean;
  /** Where the numbers come from, when a seed does not give them. */
  note?: string;
}

/** What a delivery's headers may name, whoever sends it (the emulator, trigger --to, the audit). */
export interface DeliveryFacts {
  /** The message id (the envelope's, or the one the signature headers carry). */
  id: string;
  type: string;
  /** The subscription (webhook) it is sent for; absent for trigger --to and the audit. */
  subscriptionId?: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Unix seconds, as signed. */
  timestamp: number;
}

/** Everything `hooks` knows about one platform's webhooks. */
export interface ProviderProfile {
  id: string;
  name: string;
  /** Where the facts come from (seed document or public spec). */
  source: string;
  scheme: SignatureScheme;
  catalog: EventCatalog;
  delivery: DeliveryPolicy;
  /** The User-Agent the platform's deliveries carry, as its docs or SDK give it; `hooks/<version>` where they do not say. */
  userAgent?: string;
  /**
   * Headers the platform sends with every delivery beside its signature
   * (GitHub's X-GitHub-Event and X-GitHub-Delivery, IntelliAuth's
   * X-IntelliAuth-Event-Type): what a receiver may read before the body.
   * The body is the one sent, for headers that describe it (GitHub's hook target).
   */
  deliveryHeaders?(delivery: DeliveryFacts, body: Uint8Array): Record<string, string>;
  /**
   * Headers the platform sends beside its own signature that another profile
   * reads as its signature header (GitHub's legacy SHA-1 X-Hub-Signature):
   * they make the delivery no other platform's.
   */
  companionHeaders?: readonly string[];
  /** Headers that name the event, read before the body (GitHub's X-GitHub-Event, Standard Webhooks' webhook-id). */
  eventHeaders?: { id?: string; type?: string };
  /**
   * Where its deliveries name the subscription (webhook) they were sent for
   * (LMIF's meta.webhookId, GitHub's X-GitHub-Hook-ID), and the name it gives
   * one of hooks' subscriptions (GitHub's hook id is a number made from it).
   */
  subscriptionRef?: { read(envelope: unknown, headers: HeaderBag): string | null; nameOf(subscriptionId: string): string };
  /** The platform's check of an endpoint before it delivers (WebSub for Asgardeo, Okta's verification GET). */
  handshake?: Handshake;
  /**
   * What the emulated platform keeps for as long as its data lives
   * (Asgardeo's organization id, which its WebSub topics and SETs name):
   * hooks server stores `fresh()` once with its data and hands the stored
   * value to `use` at each start; elsewhere each process has its own.
   */
  keptIdentity?: { key: string; fresh(): string; use(value: string): void };
  /** Subscriptions start inactive until the handshake succeeds. */
  startsInactive?: boolean;
  /**
   * The platform sends only JSON that `JSON.stringify(JSON.parse(body))`
   * gives back byte for byte (WorkOS, whose own SDK verifies a re-serialized
   * body): a receiver that re-serializes still works with it, so the audit
   * only warns about it.
   */
  compactJsonOnly?: true;
  /** A new signing secret in this platform's format. */
  newSecret(): string;
  /** Literal text its secrets start with (`ith_whsec_`): a mask may show it, since it tells nothing of the secret. */
  secretPrefixes?: readonly string[];
  /** Where the facts come from and what the sources leave out or disagree on; read when shown, never at start-up. */
  about?(): ProfileAbout;
}

/** The pages or packages a profile is built from, and what they leave out or disagree on (and what hooks does about it). */
export interface ProfileAbout {
  sources: readonly { name: string; url?: string; seed?: string }[];
  notes: readonly string[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
export const time = { s: 1000, min: MIN, h: HOUR };

export const anyTwoHundred = { successRule: '2xx', isSuccess: (status: number) => status >= 200 && status < 300 };

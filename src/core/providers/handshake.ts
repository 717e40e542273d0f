import type { Dispatcher } from 'undici';
import type { EventTypeSpec } from '../fixtures/catalog.js';
import type { HeaderBag } from '../signing/headers.js';

/** One request of a handshake and how the endpoint answered it. */
export interface HandshakeCheck {
  topic: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
}

/** The outcome of verifying an endpoint, as the API stores and shows it (time in ms). */
export interface HandshakeVerification {
  status: 'verified' | 'failed' | 'unsubscribed';
  mode: 'subscribe' | 'unsubscribe';
  at: number;
  error: string | null;
  topics: HandshakeCheck[];
}

export interface HandshakeRequest {
  http: Dispatcher;
  callback: string;
  mode: 'subscribe' | 'unsubscribe';
  /** The subscription's event patterns. */
  events: readonly string[];
  types: readonly EventTypeSpec[];
  timeoutMs: number;
  /** What the scheme puts on every request of this subscription (Okta's Authorization header). */
  credentials: Record<string, string>;
}

/** What a receiver's side (listen) saw and answered; rendered as a line, stored nowhere. */
export type HandshakeEvent =
  | { type: 'websub.challenge'; mode: string; topic: string | null; lease_seconds: string | null }
  | { type: 'websub.denied'; topic: string | null; reason: string | null }
  | { type: 'okta.verification'; answered_by: 'app' | 'hooks'; /** What the app answered when hooks answered instead; null when not asked. */ app_status: number | null };

export interface HandshakeAnswer {
  status: number;
  contentType: string;
  body: string;
  event: HandshakeEvent;
}

/**
 * A platform's check that an endpoint wants its deliveries, before the first
 * one: the requests the platform sends (the emulator and `hooks audit` send
 * them) and the answer it accepts (`hooks listen` gives it).
 */
export interface Handshake {
  readonly kind: 'websub' | 'okta_verification';
  /** One line for `hooks providers`. */
  readonly description: string;
  /** Whether deactivating sends a request of its own (WebSub's unsubscribe); else deactivating is silent. */
  readonly unsubscribes: boolean;
  /** The platform's side: sends the handshake's requests and judges the answers. */
  verify(req: HandshakeRequest): Promise<HandshakeVerification>;
  /** The receiver's side: the answer the platform accepts, when this GET is the handshake's request. */
  answer(url: URL, headers: HeaderBag): HandshakeAnswer | null;
  /**
   * When set, listen first lets the app answer and judges its answer with
   * this (status null: the app did not answer): whether it passes, and the
   * event that says who answered. Listen answers itself only when it fails.
   */
  judgeAppAnswer?(request: HeaderBag, app: { status: number | null; body: Buffer }): { accepted: boolean; event: HandshakeEvent };
  /** What to tell a user whose endpoint failed it. */
  readonly fixHint: string;
}

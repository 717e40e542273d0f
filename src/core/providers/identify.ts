import type { EventIdentity } from '../fixtures/catalog.js';
import { fitNotes } from '../fixtures/fit.js';
import type { HeaderBag } from '../signing/headers.js';
import type { ProviderProfile } from './profile.js';

/** Bodies larger than this are not parsed just to name their event. */
const MAX_PARSED_BYTES = 5_000_000;
/** Bodies larger than this are not checked against their schema: the note is a courtesy, the sender's wait is not. */
const MAX_FITTED_BYTES = 1024 * 1024;

export interface DeliveryReading extends EventIdentity {
  /** What the body lacks or adds against its platform's schema for its type (`lacks data.banned`); [] when it fits or no schema is known. */
  notes: string[];
  /** The subscription its headers or body name, as the platform names it (an id, never free text); null when they name none. */
  subscription: string | null;
}

/** What a subscription's name may look like to be kept: an id, not a sentence. */
const SUBSCRIPTION_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * A delivery's event id and type, and whether its body fits what its
 * platform documents for that type: notes, never a refusal. Only when asked
 * (not for a forgery), for a known provider and type, a whole JSON body and
 * at most 1 MB; the body is parsed once for both.
 */
export function readDelivery(body: Uint8Array, headers: HeaderBag, profile: ProviderProfile | null, candidates: readonly ProviderProfile[], fit: boolean): DeliveryReading {
  const parsed = parseObject(body);
  const identity = identify(parsed?.value ?? null, headers, profile, candidates);
  const fits = fit && profile !== null && identity.type !== null && parsed?.whole === true && body.length <= MAX_FITTED_BYTES;
  const named = profile?.subscriptionRef?.read(parsed?.value ?? null, headers) ?? null;
  return { ...identity, notes: fits ? (fitNotes(profile.catalog, identity.type!, parsed.value) ?? []) : [], subscription: named !== null && SUBSCRIPTION_NAME.test(named) ? named : null };
}

/**
 * The event id and type of a delivery, for the log and the store: from the
 * profile's headers and envelope when the provider is known, else from the
 * first profile whose envelope names them. The body is parsed only to read
 * them; what is forwarded and stored are the bytes as received.
 */
export function identifyEvent(body: Uint8Array, headers: HeaderBag, profile: ProviderProfile | null, candidates: readonly ProviderProfile[]): EventIdentity {
  return identify(parseObject(body)?.value ?? null, headers, profile, candidates);
}

function identify(envelope: object | null, headers: HeaderBag, profile: ProviderProfile | null, candidates: readonly ProviderProfile[]): EventIdentity {
  const read = (p: ProviderProfile): EventIdentity => {
    const header = (name: string | undefined) => (name ? (headers.get(name) ?? null) : null);
    const headerType = header(p.eventHeaders?.type);
    // The catalog reads the type: GitHub's is the header's event and the body's action together.
    const fromBody = p.catalog.identify(envelope, headerType);
    return { id: header(p.eventHeaders?.id) ?? fromBody.id, type: fromBody.type ?? headerType };
  };
  if (profile) return read(profile);
  const all = candidates.map(read);
  return all.find((i) => i.type !== null) ?? all.find((i) => i.id !== null) ?? { id: null, type: null };
}

/** The body as JSON: an object, or an array for batches; for JSON lines, the first line names the batch (`whole` false). */
function parseObject(body: Uint8Array): { value: object; whole: boolean } | null {
  if (body.length === 0 || body.length > MAX_PARSED_BYTES) return null;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  // JSON.parse copes with any depth (only stringify overflows); invalid JSON is just not an envelope.
  const parse = (t: string): object | null => {
    try {
      const parsed: unknown = JSON.parse(t);
      return parsed && typeof parsed === 'object' ? parsed : null;
    } catch {
      return null;
    }
  };
  const whole = parse(text);
  if (whole) return { value: whole, whole: true };
  const newline = text.indexOf('\n');
  const first = newline > 0 ? parse(text.slice(0, newline)) : null;
  return first ? { value: first, whole: false } : null;
}

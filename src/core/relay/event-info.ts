import { PROVIDERS } from '../providers/registry.js';
import type { HeaderBag } from '../signing/headers.js';

export interface EventInfo {
  id: string | null;
  type: string | null;
}

const ASGARDEO_TYPES = new Map(
  PROVIDERS.find((p) => p.id === 'asgardeo')!.catalog.types.filter((t) => t.uri).map((t) => [t.uri!, t.type]),
);

/**
 * The event id and type, for the log and the store. The body is parsed only
 * to read them; what is forwarded and stored are the bytes as received.
 */
export function eventInfo(body: Uint8Array, headers: HeaderBag): EventInfo {
  let json: Record<string, unknown> | null = null;
  if (body.length > 0 && body.length < 5_000_000 && (body[0] === 0x7b || body[0] === 0x20 || body[0] === 0x0a)) {
    try {
      const parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed;
    } catch {
      json = null;
    }
  }
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  let type = str(json?.type) ?? str(json?.event_type) ?? headers.get('x-github-event') ?? null;
  if (!type && json?.events && typeof json.events === 'object') {
    const uri = Object.keys(json.events)[0];
    if (uri) type = ASGARDEO_TYPES.get(uri) ?? uri.split('/').pop() ?? null;
  }
  const id = headers.get('webhook-id') ?? str(json?.id) ?? str(json?.event_id) ?? str(json?.jti) ?? headers.get('x-github-delivery') ?? null;
  return { id, type };
}

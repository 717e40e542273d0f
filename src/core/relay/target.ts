import { matchesPattern } from '../fixtures/catalog.js';
import { UsageError } from '../errors.js';

/**
 * `3000`, `localhost:3000`, `localhost:3000/webhooks`, `http://…`, `https://…`
 * as a URL. Without a scheme it is http; without a host, localhost.
 */
export function parseTarget(text: string, flag = '--forward'): URL {
  const t = text.trim();
  const withHost = /^\d+(\/.*)?$/.test(t) ? `localhost:${t}` : t;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(withHost) ? withHost : `http://${withHost}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${flag} "${text}" is not a target`, 'use a port (3000), host:port (localhost:3000), a path (localhost:3000/webhooks) or a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} "${text}": only http and https targets`, 'e.g. http://localhost:3000/webhooks');
  return url;
}

export interface Route {
  pattern: string;
  target: URL;
}

/** `--route 'user.*=localhost:3001'`. */
export function parseRoute(text: string): Route {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--route "${text}" is not PATTERN=TARGET`, "e.g. --route 'user.*=localhost:3001'");
  return { pattern: text.slice(0, eq).trim(), target: parseTarget(text.slice(eq + 1), '--route') };
}

/** Matching routes send an event elsewhere; everything else goes to every --forward target. */
export function targetsFor(type: string | null, forwards: readonly URL[], routes: readonly Route[]): URL[] {
  const routed = type ? routes.filter((r) => matchesPattern(r.pattern, type)).map((r) => r.target) : [];
  return routed.length > 0 ? routed : [...forwards];
}

import { UsageError } from '../errors.js';

/**
 * Every URL-like flag (`--to`, `--forward`, `--route`, `--api-url`, `--url`)
 * as a URL, read one way: `3000`, `localhost:3000`, `localhost:3000/webhooks`,
 * `http://…`, `https://…`. Without a scheme it is http; a bare port means
 * localhost.
 */
export function parseTarget(text: string, flag: string): URL {
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

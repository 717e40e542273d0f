import { UsageError } from '../errors.js';

/**
 * Every URL-like flag (`--to`, `--forward`, `--route`, `--api-url`, `--url`)
 * as a URL, read one way: `3000`, `localhost:3000`, `localhost:3000/webhooks`,
 * `http://…`, `https://…`. Without a scheme it is http; a bare port means
 * localhost.
 */
export function parseTarget(text: string, flag: string): URL {
  const t = text.trim();
  // `http//host`, `http:/host`, `https:host`: a scheme with its `://` mistyped would read as a host named http.
  const scheme = /^(https?)(:\/?|\/\/?)(?!\/)(.+)$/i.exec(t);
  if (scheme && !/^\d+$/.test(scheme[3]!.split(/[:/]/)[0]!) && !t.includes('://')) {
    throw new UsageError(`${flag} "${text}" is not a target: the scheme is missing its "://" (did you mean "${scheme[1]!.toLowerCase()}://${scheme[3]}"?)`, 'use a port (3000), host:port (localhost:3000), a path (localhost:3000/webhooks) or a URL');
  }
  // `3005:3006` would read as the IPv4 address 0.0.11.189: a host must not be a bare number.
  const numeric = /^(\d+):(\d+)(\/.*)?$/.exec(t);
  if (numeric) throw new UsageError(`${flag} "${text}" is not a target: ${numeric[1]} is not a host (did you mean "${numeric[1]}" or "localhost:${numeric[2]}"?)`, 'use a port (3000), host:port (localhost:3000), a path (localhost:3000/webhooks) or a URL');
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

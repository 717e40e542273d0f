/**
 * The path and query of a request target as a URL, for any target a client
 * can send: `//`, `*` and absolute forms such as `http://[x` make
 * `new URL(target, base)` throw, and a parse error must not become a 500.
 * Anything that is not origin-form is read as a path, so it matches no route.
 */
export function requestUrl(target: string | undefined): URL {
  const raw = target ?? '/';
  try {
    return new URL(`http://request.invalid${raw.startsWith('/') ? '' : '/'}${raw}`);
  } catch {
    return new URL('http://request.invalid/');
  }
}

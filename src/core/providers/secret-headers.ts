import { PROVIDERS } from './registry.js';

/** Headers some provider's scheme reads as its secret (Okta's and Auth0's Authorization), lower case. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(PROVIDERS.flatMap((p) => p.scheme.secretHeaders ?? []).map((h) => h.toLowerCase()));

export const WITHHELD = '[secret withheld]';

/**
 * The headers as received, with the value of each secret header replaced:
 * whatever the delivery's provider, since a sender chooses which one it is
 * read as. The names withheld are said.
 */
export function redactHeaders(headers: Array<[string, string]>): { headers: Array<[string, string]>; withheld: string[] } {
  const withheld: string[] = [];
  const out = headers.map(([name, value]): [string, string] => {
    if (!SECRET_HEADERS.has(name.toLowerCase())) return [name, value];
    withheld.push(name);
    return [name, WITHHELD];
  });
  return { headers: out, withheld };
}

/** The headers without the secret ones, and the names left out (a replay to a target the delivery never went to). */
export function withoutSecretHeaders(headers: Array<[string, string]>): { headers: Array<[string, string]>; withheld: string[] } {
  const withheld = headers.filter(([name]) => SECRET_HEADERS.has(name.toLowerCase())).map(([name]) => name);
  return { headers: withheld.length ? headers.filter(([name]) => !SECRET_HEADERS.has(name.toLowerCase())) : headers, withheld };
}

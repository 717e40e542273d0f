import { matchesPattern } from '../fixtures/catalog.js';
import { UsageError } from '../errors.js';
import { parseTarget } from '../http/target.js';

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

import { matchesPattern } from '../fixtures/catalog.js';
import { UsageError } from '../errors.js';
import { parseTarget } from '../http/target.js';

export interface Route {
  pattern: string;
  target: URL;
}

/** `--forward ithbat=localhost:3000/webhooks/ithbat`: the deliveries read as one provider go to their own target. */
export interface ProviderRoute {
  provider: string;
  target: URL;
}

/** Everywhere a session sends deliveries. */
export interface ForwardPlan {
  forwards: readonly URL[];
  routes: readonly Route[];
  providerRoutes: readonly ProviderRoute[];
}

/** `--route 'user.*=localhost:3001'`. */
export function parseRoute(text: string): Route {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--route "${text}" is not PATTERN=TARGET`, "e.g. --route 'user.*=localhost:3001'");
  return { pattern: text.slice(0, eq).trim(), target: parseTarget(text.slice(eq + 1), '--route') };
}

/**
 * One `--forward` value (or hooks.json forward entry): a target, or
 * PROVIDER=TARGET. A target never holds `=` before its host, so a leading
 * `word=` names a provider; which providers exist is checked by the session
 * (a custom profile's id is known only once its file is read).
 */
export function parseForward(text: string, flag = '--forward'): URL | ProviderRoute {
  const named = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=(.*)$/s.exec(text);
  if (!named) return parseTarget(text, flag);
  const provider = named[1]!;
  const rest = named[2]!.trim();
  if (rest === '') throw new UsageError(`${flag} ${text} names no target`, `e.g. ${flag} ${provider}=localhost:3000/webhooks/${provider}`);
  return { provider, target: parseTarget(rest, `${flag} ${provider}=`) };
}

/** Matching routes send an event elsewhere; everything else goes to every --forward target. */
export function targetsFor(type: string | null, forwards: readonly URL[], routes: readonly Route[]): URL[] {
  const routed = type ? routes.filter((r) => matchesPattern(r.pattern, type)).map((r) => r.target) : [];
  return routed.length > 0 ? routed : [...forwards];
}

/** A delivery read as a provider with its own targets goes there; every other one as targetsFor says (none: nowhere to send it). */
export function targetsOf(plan: ForwardPlan, provider: string | null, type: string | null): URL[] {
  const own = provider === null ? [] : plan.providerRoutes.filter((r) => r.provider === provider).map((r) => r.target);
  return own.length > 0 ? own : targetsFor(type, plan.forwards, plan.routes);
}

/** The providers routed, each once, in the order given. */
export function routedProviders(plan: Pick<ForwardPlan, 'providerRoutes'>): string[] {
  return [...new Set(plan.providerRoutes.map((r) => r.provider))];
}

/** Every target of a plan, each once. */
export function allTargets(plan: ForwardPlan): URL[] {
  const seen = new Map<string, URL>();
  for (const u of [...plan.forwards, ...plan.routes.map((r) => r.target), ...plan.providerRoutes.map((r) => r.target)]) if (!seen.has(u.href)) seen.set(u.href, u);
  return [...seen.values()];
}

import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { PROVIDER_IDS } from '../providers/registry.js';
import { OUTCOMES, VERDICTS, type Outcome, type Verdict } from '../store/verdicts.js';
import type { ListFilter } from '../store/types.js';

/** A list's filters as every face takes them (flags, query parameters, tool arguments), before they are checked. */
export interface FilterInput {
  provider?: string;
  /** An event type or a category pattern: `user.created`, `user.*`. */
  type?: string;
  verdict?: string;
  outcome?: string;
  /** A verdict or a forward outcome, in one (`hooks events --status`). */
  status?: string;
  /** Received within this many ms, or since `1h` back, or since an ISO time. */
  since?: number | string;
  /** Text in the body. */
  text?: string;
  /** A cursor: the `next` of the previous page. */
  before?: number | string;
}

/**
 * The store's filter, checked: an unknown provider, verdict or outcome, a
 * time that is neither a duration nor an ISO time, or a cursor that is not
 * one is a usage error naming the field.
 */
export function inboxFilter(input: FilterInput, now = Date.now()): Omit<ListFilter, 'limit'> {
  const bad = (field: string, expected: string): never => {
    throw new UsageError(`${field}: ${expected}`, 'fix the filter, or leave it out', 'invalid_filter');
  };
  const one = <T extends string>(field: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined || value === '') return undefined;
    return (allowed as readonly string[]).includes(value) ? (value as T) : bad(field, `must be one of ${allowed.join(', ')}`);
  };
  const out: Omit<ListFilter, 'limit'> = {
    provider: one('provider', input.provider, PROVIDER_IDS),
    typePattern: input.type || undefined,
    verdict: one<Verdict>('verdict', input.verdict, VERDICTS),
    outcome: one<Outcome>('outcome', input.outcome, OUTCOMES),
    search: input.text || undefined,
  };
  const status = one<Verdict | Outcome>('status', input.status, [...VERDICTS, ...OUTCOMES]);
  if (status) {
    if ((OUTCOMES as readonly string[]).includes(status)) out.outcome = status as Outcome;
    else out.verdict = status as Verdict;
  }
  if (typeof input.since === 'number') out.since = now - input.since;
  else if (input.since) {
    const back = parseDuration(input.since);
    out.since = back !== null ? now - back : Date.parse(input.since);
    if (Number.isNaN(out.since)) bad('since', `"${input.since}" is neither a duration (1h, 30m) nor an ISO time`);
  }
  if (input.before !== undefined && input.before !== '') {
    const before = Number(input.before);
    if (!Number.isSafeInteger(before) || before < 0) bad('before', 'must be a cursor from next');
    out.before = before;
  }
  return out;
}

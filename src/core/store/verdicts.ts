/** What the session answered a delivery, by its signature. */
export const VERDICTS = ['verified', 'invalid', 'unverified'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What became of its last forward or replay: a 2xx, or anything else (none, a redirect, a 4xx, a 5xx). */
export const OUTCOMES = ['forwarded', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

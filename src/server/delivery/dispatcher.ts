import type { Dispatcher as HttpDispatcher } from 'undici';
import { retryAfterMs } from '../../core/http/retry-after.js';
import { send, type SendResult } from '../../core/http/send.js';
import { deliveryHeaders } from '../../core/providers/outgoing.js';
import { newId } from '../../core/ids.js';
import { getProvider } from '../../core/providers/registry.js';
import type { ServerEvent } from '../events.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AttemptOutcome, ClaimedDelivery, DeliveryStatus } from '../store/rows.js';
import { checkUrl, UrlRefused } from '../url-policy.js';
import { OutcomeWriter } from './outcome-writer.js';

export interface DispatcherOptions {
  /** Multiplies every retry delay and timeout; 0.001 turns hours into seconds. */
  timeScale: number;
  maxInFlight: number;
  maxPerSubscription: number;
  /** Refuse, at each attempt, URLs that --strict-urls refuses (subscriptions may predate strict mode). */
  strictUrls: boolean;
  emit: (event: ServerEvent) => void;
}

/**
 * Timeouts never go below this under a compressed time scale, so loopback
 * tests stay deterministic: a busy 2-core machine can take a few hundred ms
 * to answer. (Before send() had a deadline of its own, undici's coarse
 * timer made any timeout under a second about a second anyway.)
 */
const MIN_TIMEOUT_MS = 2000;

/** A provider timeout under `--time-scale`. */
export function scaledTimeout(timeoutMs: number, timeScale: number): number {
  return Math.max(MIN_TIMEOUT_MS, Math.round(timeoutMs * timeScale));
}
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * How long a claimed delivery stays this worker's without a heartbeat. On a
 * shared database, the deliveries of an instance that dies are claimed again
 * by the others this long after its last heartbeat.
 */
export const LEASE_MS = 10_000;
const HEARTBEAT_MS = 2_000;
/** On a shared database, a claim this often even without a wake-up (one missed while reconnecting). */
const POLL_MS = 1_000;
/** How long a stop waits for the store to take the last outcomes, after the grace of the attempts. */
const RECORD_GRACE_MS = 2_000;
/** Before claiming again when due rows were there but held by another instance's claim. */
const CONTENDED_MS = 10;

/**
 * Sends deliveries that the database says are due. It claims them with a
 * lease (oldest first, at most `maxPerSubscription` in flight for one
 * subscription, so that one slow or dead receiver never delays the others,
 * and `maxInFlight` in all), sends each, records the attempt and releases
 * it. Nothing here is the queue: a restart, or another instance on the same
 * database, finds every owed delivery where it always was.
 */
export class DeliveryDispatcher {
  readonly worker = newId('wrk');
  private readonly running = new Map<string, number>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly leased = new Set<string>();
  private readonly writer: OutcomeWriter;
  private claiming = false;
  private pumpScheduled = false;
  /** Something may be due that no claim has looked for yet. */
  private dueHint = true;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private readonly intervals: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private stopping = false;
  /** Set once a stop has cut the attempts still in flight: their outcomes say so. */
  private interrupted = false;

  constructor(
    private readonly store: PlatformStore,
    private readonly http: HttpDispatcher,
    private readonly opts: DispatcherOptions,
  ) {
    this.writer = new OutcomeWriter(store.queue, this.worker);
  }

  /** Starts claiming: now, whenever the store says something fell due, and at the next due time. */
  start(): void {
    this.unsubscribe = this.store.subscribe((n) => {
      if (n.type === 'due') this.wake();
    });
    if (this.store.shared) {
      this.intervals.push(setInterval(() => this.wake(), POLL_MS), setInterval(() => this.heartbeat(), HEARTBEAT_MS));
      for (const i of this.intervals) i.unref();
    }
    this.wake();
  }

  /** Renews the leases of what this worker holds: in flight, or sent and waiting to be recorded. */
  private heartbeat(): void {
    if (this.leased.size > 0) void this.store.queue.renew(this.worker, [...this.leased], LEASE_MS).catch(() => undefined);
  }

  wake(): void {
    this.dueHint = true;
    this.pump();
  }

  get busy(): number {
    return this.tasks.size;
  }

  /**
   * Stops claiming; attempts in flight get `graceMs` to end, then are cut
   * off and recorded as interrupted (their deliveries stay owed, and are sent
   * again), so a stop is bounded however slow the receivers are. Outcomes
   * that the store cannot take within RECORD_GRACE_MS more are reported.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    for (const i of this.intervals) clearInterval(i);
    const settled = () => Promise.allSettled([...this.tasks]);
    if (this.tasks.size > 0 && !(await within(settled(), graceMs))) {
      this.interrupted = true;
      // Aborts every request in flight: each send resolves with an error, recorded as interrupted.
      await this.http.destroy().catch(() => undefined);
    }
    if (!(await within(settled(), Math.min(graceMs, RECORD_GRACE_MS)))) {
      this.opts.emit({ type: 'server.error', message: `${this.writer.unwritten} attempt(s) could not be recorded before stopping (${this.writer.lastError ?? 'the store did not answer'}): those deliveries are sent again at the next start` });
    }
    this.writer.stop();
  }

  /** Claims once per turn of the event loop: the slots that all of a turn's finished attempts freed, in one claim. */
  private pump(): void {
    if (this.pumpScheduled || this.stopping || !this.dueHint) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.claim();
    });
  }

  private claim(): void {
    if (this.stopping || !this.dueHint) return;
    const free = this.opts.maxInFlight - this.tasks.size;
    if (free <= 0 || this.claiming) return;
    this.claiming = true;
    this.dueHint = false;
    this.store.queue
      .claimDue({ limit: free, worker: this.worker, leaseMs: LEASE_MS, perSubscription: this.opts.maxPerSubscription, busy: this.running })
      .then(
        ({ claimed, nextDueAt }) => {
          for (const c of claimed) this.begin(c);
          if (claimed.length === free) this.dueHint = true;
          else if (nextDueAt !== null) this.wakeAt(nextDueAt <= Date.now() ? Date.now() + (claimed.length > 0 ? 0 : CONTENDED_MS) : nextDueAt);
        },
        // The store reported its problem; claims go on at the next wake-up or tick.
        () => this.wakeAt(Date.now() + POLL_MS),
      )
      .finally(() => {
        this.claiming = false;
        this.pump();
      });
  }

  private wakeAt(at: number): void {
    if (this.stopping || at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.wake();
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private begin(c: ClaimedDelivery): void {
    const sub = c.subscription_id;
    this.running.set(sub, (this.running.get(sub) ?? 0) + 1);
    this.leased.add(c.id);
    const task = this.attempt(c).finally(() => {
      this.tasks.delete(task);
      this.leased.delete(c.id);
      const left = this.running.get(sub)! - 1;
      if (left === 0) this.running.delete(sub);
      else this.running.set(sub, left);
      // A freed slot may take a delivery that waited for it.
      this.dueHint = true;
      this.pump();
    });
    this.tasks.add(task);
  }

  /** One attempt, sent and recorded; never throws. */
  private async attempt(c: ClaimedDelivery): Promise<void> {
    try {
      const { outcome, gone } = await this.sendOnce(c);
      await this.writer.write(outcome);
      if (gone) {
        await this.store.subscriptions.update(c.subscription_id, { active: false, disabled_reason: 'the receiver answered 410 Gone' }, Date.now());
        this.opts.emit({ type: 'subscription.disabled', subscription_id: c.subscription_id, reason: 'the receiver answered 410 Gone' });
      }
      this.opts.emit(attemptEvent(c, outcome));
    } catch (err) {
      if (!this.stopping) this.opts.emit({ type: 'server.error', message: `delivery ${c.id}: ${(err as Error).message}` });
    }
  }

  private async sendOnce(c: ClaimedDelivery): Promise<{ outcome: AttemptOutcome; gone: boolean }> {
    const profile = getProvider(c.provider);
    const now = Date.now();
    const secrets = [c.secret];
    if (c.previous_secret && (c.previous_secret_expires_at ?? 0) > now) secrets.push(c.previous_secret);
    const headers = deliveryHeaders(profile, c.body, secrets, {
      id: c.message_id,
      type: c.event_type,
      subscriptionId: c.subscription_id,
      attempt: c.attempt_count + 1,
      timestamp: Math.floor(now / 1000),
    });
    const timeoutMs = scaledTimeout(profile.delivery.timeoutMs, this.opts.timeScale);
    const refusal = this.opts.strictUrls ? urlRefusal(c.url) : null;
    const result = refusal ?? (await send(this.http, { url: new URL(c.url), headers, body: c.body, timeoutMs, keep: 'excerpt' }));
    const number = c.attempt_count + 1;
    const base = { delivery_id: c.id, number, started_at: now, duration_ms: result.durationMs, status_code: result.status, response_excerpt: result.body.length > 0 ? result.body.toString('utf8') : null };

    if (this.interrupted && result.status === null) {
      // Cut off by a stop: not the receiver's failure, and owed still, from the next start.
      const error = `interrupted: hooks server stopped after ${Math.round(result.durationMs)} ms without the receiver's answer; sent again at the next start`;
      return { outcome: { ...base, error, success: false, next_status: 'retrying', next_attempt_at: now + Math.ceil(result.durationMs) }, gone: false };
    }
    const success = result.status !== null && profile.delivery.isSuccess(result.status);
    const gone = result.status === 410;
    let nextStatus: DeliveryStatus = success ? 'succeeded' : 'failed';
    let nextAt: number | null = null;
    const scheduled = profile.delivery.retryDelaysMs[number - 1];
    if (!success && !gone && scheduled !== undefined) {
      let delay = scheduled;
      if (result.status === 429 || result.status === 503) {
        const asked = retryAfterMs(result.headers['retry-after']);
        if (asked !== null) delay = Math.max(delay, Math.min(asked, MAX_RETRY_AFTER_MS));
      }
      nextStatus = 'retrying';
      // From the end of this attempt as recorded (start + duration), so the feed states the schedule exactly.
      nextAt = now + Math.ceil(result.durationMs) + Math.round(delay * this.opts.timeScale);
    }
    const error =
      result.error ??
      (success ? null : result.status !== null && result.status >= 300 && result.status < 400 ? `redirect (${result.status}) not followed: a 3xx is a failure` : `receiver answered ${result.status}, expected ${profile.delivery.successRule}`);
    return { outcome: { ...base, error, success, next_status: nextStatus, next_attempt_at: nextAt }, gone };
  }
}

/** Whether `p` settles within `ms`. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([p.then(() => true as const), late]);
  clearTimeout(timer);
  return done;
}

/** A failed attempt, never sent, for a URL strict mode refuses. */
function urlRefusal(url: string): SendResult | null {
  try {
    checkUrl(url, true);
    return null;
  } catch (err) {
    if (!(err instanceof UrlRefused)) throw err;
    return { status: null, headers: {}, body: Buffer.alloc(0), durationMs: 0, error: `not sent: ${err.message}`, timedOut: false };
  }
}

function attemptEvent(c: ClaimedDelivery, o: AttemptOutcome): ServerEvent {
  return {
    type: 'delivery.attempted',
    delivery_id: c.id,
    event_id: c.event_id,
    event_type: c.event_type,
    subscription_id: c.subscription_id,
    provider: c.provider,
    url: c.url,
    attempt: o.number,
    status_code: o.status_code,
    duration_ms: o.duration_ms,
    success: o.success,
    error: o.error,
    delivery_status: o.next_status,
    next_retry_at: o.next_attempt_at === null ? null : new Date(o.next_attempt_at).toISOString(),
  };
}

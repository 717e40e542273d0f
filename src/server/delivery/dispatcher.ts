import type { Dispatcher as HttpDispatcher } from 'undici';
import { retryAfterMs } from '../../core/http/retry-after.js';
import { send, type SendResult } from '../../core/http/send.js';
import { deliveryHeaders } from '../../core/providers/outgoing.js';
import { getProvider } from '../../core/providers/registry.js';
import type { ServerEvent } from '../events.js';
import { BatchWriter } from '../../core/store/batch-writer.js';
import type { AttemptOutcome, AttemptTarget, DeliveryStatus, Store } from '../store.js';
import { checkUrl, UrlRefused } from '../url-policy.js';

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
 * Sends deliveries: bounded overall and per subscription, round-robin across
 * subscriptions so that one slow or dead receiver never delays the others.
 * The database is the source of truth; the queues and timers here are only
 * a cache of it, rebuilt by `recover()` after a restart.
 */
export class DeliveryDispatcher {
  private readonly queues = new Map<string, string[]>();
  private readonly ring: string[] = [];
  private readonly inRing = new Set<string>();
  private readonly blocked = new Set<string>();
  private readonly running = new Map<string, number>();
  private readonly known = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  private readonly writer: BatchWriter<AttemptOutcome>;

  constructor(
    private readonly store: Store,
    private readonly http: HttpDispatcher,
    private readonly opts: DispatcherOptions,
  ) {
    // One transaction for a turn's outcomes; should it fail, each of them does.
    this.writer = new BatchWriter((outcomes) => {
      store.recordAttempts(outcomes, Date.now());
      return outcomes.map(() => null);
    });
  }

  /** Resumes every pending and retrying delivery of active subscriptions. */
  recover(): number {
    const rows = this.store.unfinished();
    for (const row of rows) this.schedule(row.id, row.subscription_id, row.next_attempt_at);
    return rows.length;
  }

  /** Queues what a subscription is still owed (after it is enabled again). */
  resume(subscriptionId: string): void {
    for (const row of this.store.unfinishedFor(subscriptionId)) this.schedule(row.id, row.subscription_id, row.next_attempt_at);
  }

  schedule(deliveryId: string, subscriptionId: string, at: number): void {
    const delay = at - Date.now();
    if (delay <= 0) return this.enqueue(deliveryId, subscriptionId);
    clearTimeout(this.timers.get(deliveryId));
    const timer = setTimeout(() => {
      this.timers.delete(deliveryId);
      this.enqueue(deliveryId, subscriptionId);
    }, delay);
    timer.unref();
    this.timers.set(deliveryId, timer);
  }

  enqueue(deliveryId: string, subscriptionId: string): void {
    if (this.stopping || this.known.has(deliveryId)) return;
    clearTimeout(this.timers.get(deliveryId));
    this.timers.delete(deliveryId);
    this.known.add(deliveryId);
    const queue = this.queues.get(subscriptionId);
    if (queue) queue.push(deliveryId);
    else this.queues.set(subscriptionId, [deliveryId]);
    if (!this.inRing.has(subscriptionId) && !this.blocked.has(subscriptionId)) {
      this.ring.push(subscriptionId);
      this.inRing.add(subscriptionId);
    }
    this.pump();
  }

  /** Resolves after the delivery's next attempt is recorded, or after `timeoutMs`. */
  nextAttempt(deliveryId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const list = this.waiters.get(deliveryId) ?? [];
      list.push(done);
      this.waiters.set(deliveryId, list);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** Stops starting attempts and waits (at most `graceMs`) for those in flight. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.inFlight.size === 0) return;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  get busy(): number {
    return this.inFlight.size;
  }

  private pump(): void {
    while (!this.stopping && this.inFlight.size < this.opts.maxInFlight && this.ring.length > 0) {
      const sub = this.ring.shift()!;
      this.inRing.delete(sub);
      const queue = this.queues.get(sub);
      if (!queue || queue.length === 0) {
        this.queues.delete(sub);
        continue;
      }
      if ((this.running.get(sub) ?? 0) >= this.opts.maxPerSubscription) {
        this.blocked.add(sub);
        continue;
      }
      const id = queue.shift()!;
      if (queue.length > 0) {
        this.ring.push(sub);
        this.inRing.add(sub);
      } else {
        this.queues.delete(sub);
      }
      this.running.set(sub, (this.running.get(sub) ?? 0) + 1);
      const task = this.attempt(id).then((nextAt) => {
        this.inFlight.delete(task);
        this.known.delete(id);
        this.running.set(sub, this.running.get(sub)! - 1);
        if (this.blocked.delete(sub) && this.queues.get(sub)?.length) {
          this.ring.push(sub);
          this.inRing.add(sub);
        }
        const waiters = this.waiters.get(id);
        this.waiters.delete(id);
        for (const w of waiters ?? []) w();
        // Scheduled only now that the attempt is over, so an immediate retry is not mistaken for a duplicate.
        if (nextAt !== null) this.schedule(id, sub, nextAt);
        this.pump();
      });
      this.inFlight.add(task);
    }
  }

  /** One attempt, recorded; returns when the next one is due, if any. Never throws. */
  private async attempt(id: string): Promise<number | null> {
    try {
      return await this.tryOnce(id);
    } catch (err) {
      this.opts.emit({ type: 'server.error', message: `delivery ${id}: ${(err as Error).message}` });
      return null;
    }
  }

  private async tryOnce(id: string): Promise<number | null> {
    const target = this.store.attemptTarget(id);
    // Gone (subscription deleted), done already, or paused: the database says so.
    if (!target || !target.active || (target.status !== 'pending' && target.status !== 'retrying')) return null;
    const profile = getProvider(target.provider);
    const now = Date.now();
    const secrets = [target.secret];
    if (target.previous_secret && (target.previous_secret_expires_at ?? 0) > now) secrets.push(target.previous_secret);
    const headers = deliveryHeaders(profile, target.body, secrets, {
      id: target.message_id,
      type: target.event_type,
      subscriptionId: target.subscription_id,
      attempt: target.attempt_count + 1,
      timestamp: Math.floor(now / 1000),
    });
    const timeoutMs = scaledTimeout(profile.delivery.timeoutMs, this.opts.timeScale);
    const refusal = this.opts.strictUrls ? urlRefusal(target.url) : null;
    const result = refusal ?? (await send(this.http, { url: new URL(target.url), headers, body: target.body, timeoutMs, keep: 'excerpt' }));

    const number = target.attempt_count + 1;
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
    await this.writer.write({
        delivery_id: id,
        number,
        started_at: now,
        duration_ms: result.durationMs,
        status_code: result.status,
        error,
        response_excerpt: result.body.length > 0 ? result.body.toString('utf8') : null,
        success,
        next_status: nextStatus,
        next_attempt_at: nextAt,
    });
    if (gone) {
      this.store.updateSubscription(target.subscription_id, { active: false, disabled_reason: 'the receiver answered 410 Gone' }, Date.now());
      this.opts.emit({ type: 'subscription.disabled', subscription_id: target.subscription_id, reason: 'the receiver answered 410 Gone' });
    }
    this.opts.emit(attemptEvent(target, number, result.status, result.durationMs, error, success, nextStatus, nextAt));
    return nextAt;
  }
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

function attemptEvent(
  t: AttemptTarget,
  attempt: number,
  status: number | null,
  durationMs: number,
  error: string | null,
  success: boolean,
  next: DeliveryStatus,
  nextAt: number | null,
): ServerEvent {
  return {
    type: 'delivery.attempted',
    delivery_id: t.id,
    event_id: t.event_id,
    event_type: t.event_type,
    subscription_id: t.subscription_id,
    provider: t.provider,
    url: t.url,
    attempt,
    status_code: status,
    duration_ms: durationMs,
    success,
    error,
    delivery_status: next,
    next_retry_at: nextAt === null ? null : new Date(nextAt).toISOString(),
  };
}

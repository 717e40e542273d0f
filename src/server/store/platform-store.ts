import type {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryWithAttempts,
  EventRow,
  HookRow,
  HookRunRow,
  NewDelivery,
  NewSubscriptionRow,
  SubscriptionChanges,
  SubscriptionRow,
} from './rows.js';

export interface SubscriptionStore {
  insert(s: NewSubscriptionRow): Promise<void>;
  get(id: string): Promise<SubscriptionRow | null>;
  /** Newest first, ids below `cursor`. */
  list(limit: number, cursor: string | null): Promise<SubscriptionRow[]>;
  active(): Promise<SubscriptionRow[]>;
  /** Partial update at `now`; activating one makes what it is still owed due. */
  update(id: string, changes: SubscriptionChanges, now: number): Promise<void>;
  /** With its deliveries and their attempts. */
  delete(id: string): Promise<void>;
}

export interface EventLog {
  /** The event and its deliveries, enqueued in one transaction: on disk before the caller answers. */
  insert(event: EventRow, deliveries: NewDelivery[]): Promise<void>;
  get(id: string): Promise<EventRow | null>;
  /** Newest first by insertion (platform ids do not sort by time), after the event `cursor`. */
  list(limit: number, cursor: string | null, type: string | null): Promise<EventRow[]>;
  /** Each delivery of the event with its attempts, in delivery id order. */
  deliveries(eventId: string): Promise<DeliveryWithAttempts[]>;
}

export interface ClaimRequest {
  /** At most this many. */
  limit: number;
  /** Who holds the leases: one id per dispatcher. */
  worker: string;
  /** How long a lease lasts unless renewed; an expired lease is claimed again. */
  leaseMs: number;
  /** No subscription gets more than this many in flight on this worker, `busy` included. */
  perSubscription: number;
  /** In flight on this worker, by subscription. */
  busy: ReadonlyMap<string, number>;
}

export interface ClaimResult {
  claimed: ClaimedDelivery[];
  /** When the next delivery falls due (or a lease runs out), when none more is due now; null: nothing is owed. */
  nextDueAt: number | null;
}

/**
 * The delivery queue is the deliveries table: a delivery is due when it is
 * pending or retrying, its time has come, its subscription is active and no
 * live lease holds it. A dispatcher claims due deliveries with a lease,
 * sends, and completes them with the attempt's outcome.
 */
export interface DeliveryQueue {
  get(id: string): Promise<DeliveryWithAttempts | null>;
  /** A subscription's deliveries, newest first, ids below `cursor`. */
  forSubscription(subscriptionId: string, limit: number, cursor: string | null): Promise<DeliveryWithAttempts[]>;
  /** Leases due deliveries, fairly across subscriptions (oldest first, within the per-subscription bound). */
  claimDue(req: ClaimRequest): Promise<ClaimResult>;
  /** Records each attempt and what it makes of its delivery, and releases the lease; one transaction. */
  complete(outcomes: AttemptOutcome[], worker: string): Promise<void>;
  /** Extends the worker's leases on these deliveries (a heartbeat). */
  renew(worker: string, ids: string[], leaseMs: number): Promise<void>;
  /** Makes a delivery due now, whatever its state; false when an attempt holds it (that attempt is then the next one). */
  retryNow(id: string, now: number): Promise<boolean>;
  /** Deliveries still owed to active subscriptions. */
  owed(): Promise<number>;
}

/**
 * Synchronous hook registrations and the runs of their simulated flows
 * (routes/hooks.ts). Newest first is the order of insertion: several
 * instances may stamp the same millisecond.
 */
export interface HookStore {
  insert(hook: HookRow): Promise<void>;
  get(id: string): Promise<HookRow | null>;
  /** Newest first. */
  list(): Promise<HookRow[]>;
  /** False when there was none; its runs stay in the feed. */
  delete(id: string): Promise<boolean>;
  /** Stores a run and tells every instance of it (`hook_ran`). */
  record(run: HookRunRow): Promise<void>;
  /** Newest first: one hook's, or (null) every hook's. */
  runs(hookId: string | null, limit: number): Promise<HookRunRow[]>;
}

/** Told to every instance on the same database. */
export type StoreNotice = { type: 'due' } | { type: 'attempted'; delivery_ids: string[] } | { type: 'hook_ran'; hook_id: string; run_id: string };

/** The console's printed links and the sessions they opened, where several instances serve one console. */
export interface ConsoleLedger {
  addLink(token: string, expiresAt: number): Promise<void>;
  /** The link's expiry, once and for one instance only; null when unknown or used. */
  takeLink(token: string): Promise<number | null>;
  addSession(session: string): Promise<void>;
  hasSession(session: string): Promise<boolean>;
}

/**
 * The emulator's state behind async interfaces: SQLite in one process (the
 * embedded default), or PostgreSQL shared by any number of instances.
 */
export interface PlatformStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, for people: a file, or the database URL without its password. */
  readonly location: string;
  readonly subscriptions: SubscriptionStore;
  readonly events: EventLog;
  readonly queue: DeliveryQueue;
  readonly hooks: HookStore;
  /** Deliveries that fell due, attempts recorded and hook runs, by any instance. */
  subscribe(listener: (notice: StoreNotice) => void): () => void;
  /** Whether a lease can outlive its holder's crash (several processes): then leases expire and are renewed. */
  readonly shared: boolean;
  /**
   * The value kept under `key` with the platform's data (Asgardeo's
   * organization id), storing `fresh` first when there is none: whichever
   * instance asks first decides it for all.
   */
  keptValue(key: string, fresh: string): Promise<string>;
  /** Set where several instances share the store (one process keeps its console's links in memory). */
  readonly consoleLedger?: ConsoleLedger;
  close(): Promise<void>;
}

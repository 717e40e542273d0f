import type { PoolClient } from 'pg';

/**
 * The emulator's PostgreSQL schema, as numbered migrations of its own:
 * `hooks_migrations` records each one applied, and an advisory lock lets
 * several instances that start together apply each exactly once. Times are
 * milliseconds since the epoch (bigint), as in the SQLite file.
 */
const MIGRATIONS: string[] = [
  `
CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  name text NOT NULL,
  url text NOT NULL,
  events jsonb NOT NULL,
  description text,
  provider text NOT NULL,
  active boolean NOT NULL,
  secret text NOT NULL,
  previous_secret text,
  previous_secret_expires_at bigint,
  verification jsonb,
  disabled_reason text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE events (
  seq bigserial UNIQUE,
  id text PRIMARY KEY,
  type text NOT NULL,
  provider text NOT NULL,
  data text NOT NULL,
  created_at bigint NOT NULL
);
CREATE INDEX events_by_type ON events (type, seq);
CREATE TABLE deliveries (
  id text PRIMARY KEY,
  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  message_id text NOT NULL,
  body bytea NOT NULL,
  status text NOT NULL,
  attempt_count integer NOT NULL DEFAULT 0,
  next_attempt_at bigint,
  last_status_code integer,
  last_error text,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  -- The queue's lease: which worker attempts the delivery, and until when unless it renews.
  -- Neither is indexed and pages keep room, so that a claim and a renewal are HOT updates.
  lease_owner text,
  lease_until bigint
) WITH (fillfactor = 70);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'retrying');
CREATE INDEX deliveries_by_subscription ON deliveries (subscription_id, id);
CREATE INDEX deliveries_by_event ON deliveries (event_id);
CREATE TABLE attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  number integer NOT NULL,
  started_at bigint NOT NULL,
  duration_ms double precision NOT NULL,
  status_code integer,
  error text,
  response_excerpt text,
  success boolean NOT NULL,
  next_retry_at bigint
);
CREATE INDEX attempts_by_delivery ON attempts (delivery_id, number);
-- What every instance must agree on: the API token, and what the platform keeps for as long as its data lives (Asgardeo's organization id).
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
-- The console's printed links and the sessions they opened, so that any instance honours them.
CREATE TABLE console_links (token_hash text PRIMARY KEY, expires_at bigint NOT NULL);
CREATE TABLE console_sessions (session_hash text PRIMARY KEY, created_at bigint NOT NULL);
`,
  // Synchronous hook registrations and their runs. A run outlives its registration (the feed is a
  // history), so it has no foreign key. The request and outcome are JSON text as answered: jsonb
  // would reorder their keys and refuses \u0000.
  `
CREATE TABLE hook_registrations (
  seq bigserial UNIQUE,
  id text PRIMARY KEY,
  name text NOT NULL,
  provider text NOT NULL,
  type text NOT NULL,
  url text NOT NULL,
  secret text,
  fail_open boolean NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE hook_runs (
  seq bigserial UNIQUE,
  id text PRIMARY KEY,
  hook_id text NOT NULL,
  flow text NOT NULL,
  email text,
  started_at bigint NOT NULL,
  request text NOT NULL,
  outcome text NOT NULL
);
CREATE INDEX hook_runs_by_hook ON hook_runs (hook_id, seq);
`,
];

const LOCK = "hashtext('hooks-server-migrations')";

export async function migratePostgres(client: PoolClient): Promise<void> {
  await client.query(`SELECT pg_advisory_lock(${LOCK})`);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS hooks_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hooks_migrations');
    for (let v = rows[0]?.v ?? 0; v < MIGRATIONS.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v]!);
        await client.query('INSERT INTO hooks_migrations (version) VALUES ($1)', [v + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${LOCK})`);
  }
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHooksServer, tempDir, type HooksServer } from '../../helpers/hooks-server.js';
import { usePostgres } from '../../helpers/postgres.js';
import { startReceiver, type Receiver } from '../../helpers/receiver.js';

/**
 * Issue #33: Asgardeo's organization id, named in every WebSub topic, is the
 * same for as long as the server's data lives: one subscription's subscribe
 * and unsubscribe topics agree across a restart, with SQLite and PostgreSQL.
 */
const postgres = usePostgres();
let hub: Receiver;
beforeAll(async () => {
  // A receiver that does what seed 002 asks: 200 with exactly hub.challenge.
  hub = await startReceiver((q) => {
    const challenge = new URL(q.url, 'http://x').searchParams.get('hub.challenge');
    return challenge === null ? { status: 200 } : { status: 200, body: challenge, headers: { 'content-type': 'text/plain' } };
  });
});
afterAll(async () => {
  await hub.close();
});

/** The hub.topic of each WebSub request in `mode` to `path`, sorted. */
const topics = (path: string, mode: string) =>
  hub.requests
    .filter((q) => q.method === 'GET' && q.url.startsWith(`${path}?`))
    .map((q) => new URL(q.url, 'http://x').searchParams)
    .filter((p) => p.get('hub.mode') === mode)
    .map((p) => p.get('hub.topic'))
    .sort();

async function acrossARestart(start: () => Promise<HooksServer>, path: string): Promise<void> {
  let server = await start();
  let sub: { id: string };
  try {
    sub = (await server.api('POST', '/webhooks/subscriptions', { name: 'asgardeo', url: `${hub.url}${path}`, events: ['login.*', 'registration.*'], provider: 'asgardeo', active: true })).json;
  } finally {
    await server.stop('SIGTERM');
  }
  server = await start();
  try {
    await server.api('PATCH', `/webhooks/subscriptions/${sub.id}`, { active: false });
  } finally {
    await server.stop('SIGTERM');
  }
  const subscribed = topics(path, 'subscribe');
  expect(subscribed).toHaveLength(2);
  expect(subscribed[0]).toMatch(/^myorg\.[0-9a-f-]{36}\.schema\.wso2\.v1\.event\.login$/);
  expect(topics(path, 'unsubscribe')).toEqual(subscribed);
}

describe("Asgardeo's organization, across a restart of hooks server", () => {
  it('is kept in the data dir (SQLite)', async () => {
    const dataDir = tempDir('websub-org');
    const configDir = tempDir('websub-org-config');
    await acrossARestart(() => startHooksServer({ dataDir, configDir }), '/sqlite');
  });

  it('is kept in the shared database (PostgreSQL)', async () => {
    const url = await postgres.database();
    await acrossARestart(() => startHooksServer({ args: ['--database', url] }), '/postgres');
  });

  it('differs between two data dirs: each server data is its own organization', async () => {
    const a = await startHooksServer();
    const b = await startHooksServer();
    try {
      for (const [s, path] of [[a, '/a'], [b, '/b']] as const) await s.api('POST', '/webhooks/subscriptions', { name: 'x', url: `${hub.url}${path}`, events: ['login.*'], provider: 'asgardeo', active: true });
    } finally {
      await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
    }
    expect(topics('/a', 'subscribe')).toHaveLength(1);
    expect(topics('/a', 'subscribe')).not.toEqual(topics('/b', 'subscribe'));
  });
});

import { Agent } from 'undici';
import { processAlive } from '../config/pid-records.js';
import { ConnectError, OperationError } from '../errors.js';
import { MAX_ANSWER_BYTES, send } from '../http/send.js';
import { describeSource, type Connection } from './connection.js';
import type { AuditReport } from '../audit/report.js';
import type { ApiEvent, Delivery, EventTypes, NewSubscription, Page, Subscription, SubscriptionChanges } from './types.js';

/** An error answer of the API, with its status and code (exit 1). */
export class ApiRequestError extends OperationError {
  constructor(
    message: string,
    readonly status: number,
    code: string,
    readonly field?: string,
    hint?: string,
  ) {
    super(message, hint, code);
  }
}

/** Typed client of the `/api/v1` API; every failure becomes a HooksError with a fix. */
export class ApiClient {
  private readonly agent = new Agent({ connections: 8, keepAliveTimeout: 5000 });

  constructor(readonly connection: Connection) {}

  async close(): Promise<void> {
    await this.agent.close();
  }

  async request<T>(method: string, path: string, body?: unknown, timeoutMs = this.connection.timeoutMs): Promise<T> {
    const { url, token } = this.connection;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    // Through send(): its deadline covers the headers and the body, so an API that trickles its answer cannot hold a command.
    const r = await send(this.agent, {
      url: new URL(url),
      path: `${new URL(url).pathname.replace(/\/$/, '')}/api/v1${path}`,
      method,
      headers,
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      timeoutMs,
      keep: 'whole',
    });
    if (r.status === null) {
      if (r.timedOut) throw new ConnectError(`the API at ${url} did not answer within ${timeoutMs} ms`, 'raise --api-timeout, or check that the server is healthy', 'timeout');
      const local = this.connection.localServer;
      if (local && !processAlive(local.pid)) {
        throw new ConnectError(`the hooks server at ${url} (pid ${local.pid}) is no longer running: start it again with 'hooks server'`, `${r.error}; the URL came from server.json, which that server wrote`);
      }
      throw new ConnectError(`cannot reach the API at ${url}: start one with 'hooks server' or pass --api-url`, `${r.error}; ${describeSource(this.connection.source)}`);
    }
    if (r.answerBytes !== undefined && r.answerBytes > r.body.length) {
      throw new OperationError(`the API at ${url} answered with more than ${MAX_ANSWER_BYTES} bytes`, 'is --api-url pointing at a hooks API?', 'bad_response');
    }
    const status = r.status;
    let json: any = null;
    if (r.body.length > 0) {
      try {
        json = JSON.parse(r.body.toString('utf8'));
      } catch {
        throw new OperationError(`the API at ${url} answered ${status} with something that is not JSON`, 'is --api-url pointing at a hooks API?', 'bad_response');
      }
    }
    if (status === 401) {
      throw new ApiRequestError(
        token ? 'the API rejected the token: run \'hooks login\'' : `no API token for ${url}: run 'hooks login'`,
        401,
        'unauthorized',
        undefined,
        token ? `the token came with the URL from ${this.connection.source}` : undefined,
      );
    }
    if (status >= 400) {
      const e = json?.error ?? {};
      throw new ApiRequestError(e.message ?? `the API answered ${status}`, status, e.code ?? `http_${status}`, e.field, e.field ? `check ${flagFor(e.field)}` : undefined);
    }
    return json as T;
  }

  /** Every subscription, page after page. */
  async allSubscriptions(): Promise<Subscription[]> {
    const all: Subscription[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listSubscriptions(100, cursor);
      all.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all;
  }

  listSubscriptions(limit = 100, cursor?: string) {
    return this.request<Page<Subscription>>('GET', `/webhooks/subscriptions?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }
  getSubscription(id: string) {
    return this.request<Subscription>('GET', `/webhooks/subscriptions/${encodeURIComponent(id)}`);
  }
  createSubscription(body: NewSubscription) {
    return this.request<Subscription>('POST', '/webhooks/subscriptions', body);
  }
  updateSubscription(id: string, changes: SubscriptionChanges) {
    return this.request<Subscription>('PATCH', `/webhooks/subscriptions/${encodeURIComponent(id)}`, changes);
  }
  deleteSubscription(id: string) {
    return this.request<null>('DELETE', `/webhooks/subscriptions/${encodeURIComponent(id)}`);
  }
  rotateSecret(id: string) {
    return this.request<Subscription>('POST', `/webhooks/subscriptions/${encodeURIComponent(id)}/rotate-secret`);
  }
  testSubscription(id: string) {
    return this.request<{ event_id: string; delivery: Delivery }>('POST', `/webhooks/subscriptions/${encodeURIComponent(id)}/test`);
  }
  deliveries(id: string, limit = 20, cursor?: string) {
    return this.request<Page<Delivery>>('GET', `/webhooks/subscriptions/${encodeURIComponent(id)}/deliveries?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }
  /** The server runs the audit with the secret it holds; it takes as long as the checks do, so the wait is theirs plus the API's. */
  auditSubscription(id: string, body: { only?: string[]; timeout_ms?: number }, waitMs: number) {
    return this.request<AuditReport>('POST', `/webhooks/subscriptions/${encodeURIComponent(id)}/audit`, body, waitMs + this.connection.timeoutMs);
  }
  retryDelivery(id: string) {
    return this.request<Delivery>('POST', `/webhooks/deliveries/${encodeURIComponent(id)}/retry`);
  }
  eventTypes(provider?: string) {
    return this.request<EventTypes>('GET', `/webhooks/event-types${provider ? `?provider=${encodeURIComponent(provider)}` : ''}`);
  }
  createEvent(body: { type: string; data?: unknown; provider?: string }, waitMs = 0) {
    return this.request<ApiEvent>('POST', `/events${waitMs ? `?wait=${waitMs}` : ''}`, body);
  }
  getEvent(id: string) {
    return this.request<ApiEvent>('GET', `/events/${encodeURIComponent(id)}`);
  }
}

/** API field names as the CLI's flags. */
function flagFor(field: string): string {
  return `--${field.replace(/_/g, '-')}`;
}

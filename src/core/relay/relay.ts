import { createHash } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http/body-reader.js';
import { createGuardedServer, defaultLimits, tooLarge, type ServerLimits } from '../http/guarded-server.js';
import { IngressBudget } from '../http/ingress-budget.js';
import { requestUrl } from '../http/request-url.js';
import type { Handshake } from '../providers/handshake.js';
import type { ProviderProfile } from '../providers/profile.js';
import { readDelivery } from '../providers/identify.js';
import { PROVIDERS } from '../providers/registry.js';
import { maskSecret } from '../providers/mask.js';
import { HeaderBag } from '../signing/headers.js';
import { REJECTED_BODY_BYTES } from '../store/cap.js';
import { EventStore } from '../store/event-store.js';
import type { Verdict } from '../store/verdicts.js';
import { checkHookAnswer, noteLine } from '../sync/listen-check.js';
import { probeNonce } from '../tunnel/probe.js';
import { UsageError, type EnvironmentError } from '../errors.js';
import type { RelayEvent } from './events.js';
import { attemptRecord, connectionNamed, Forwarder, signedHeaders, type ForwardResult, type IncomingDelivery } from './forwarder.js';
import { VerificationGate, type SecretSource } from './gate.js';
import { targetsOf, type ForwardPlan, type ProviderRoute, type Route } from './routes.js';
import { StoreHealth } from './store-health.js';

export interface RelayOptions {
  forwards: URL[];
  routes: Route[];
  /** The deliveries read as a provider with targets of its own go there (`--forward P=TARGET`). */
  providerRoutes?: ProviderRoute[];
  /** A provider id or `auto`. */
  provider: string;
  custom: ProviderProfile[];
  /** Forward deliveries whose signature fails too (and those that cannot be verified). */
  forwardInvalid: boolean;
  /** Forward deliveries that cannot be verified (no secret for their provider, no known signature header), marked unverified. */
  forwardUnverified?: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  insecure: boolean;
  store: EventStore;
  session: string;
  emit: (event: RelayEvent) => void;
  /** Timeouts and the connection cap of the receiving server; defaults suit a tunnel's traffic. */
  limits?: Partial<ServerLimits>;
}

/** After a stop cuts off forwards, how long their records may take to commit before the session closes anyway. */
const RECORD_GRACE_MS = 5_000;
/** What a sender is told to wait when its delivery cannot be stored now. */
const STORE_RETRY_AFTER_S = 30;

/** How fast bodies over 256 KB are read in all once a 32 MB burst is spent (bench/forged.js measures the trade). */
const LARGE_BODY_BYTES_PER_S = 64 * 1024 * 1024;

/**
 * The local receiver of a listen session: reads each delivery's raw bytes,
 * verifies them, stores them, forwards them to the targets, and answers the
 * sender with the target's own answer. Nothing on this path parses and
 * re-serializes a body.
 */
export class Relay {
  private server: Server | null = null;
  private readonly gate: VerificationGate;
  private readonly forwarder: Forwarder;
  /** Every known platform's handshake is answered, whatever the session's provider: a GET says which it is. With the providers that use it. */
  private readonly handshakes: Array<{ handshake: Handshake; providers: string[] }>;
  private readonly inFlight = new Set<Promise<void>>();
  private draining = false;
  /** The tunnel is being restarted: deliveries are refused until it carries traffic again. */
  private paused = false;
  /** The session's subscriptions, each of one provider. */
  private subscriptions: ReadonlyArray<{ id: string; provider: string }> = [];
  private readonly plan: ForwardPlan;
  /** The URL senders use (the tunnel's): the app's X-Forwarded-Host and -Proto. */
  private publicUrl: string | undefined;
  private readonly signed: ReadonlySet<string>;
  /** Nonces of the health probes in flight: only those are answered. */
  private readonly probes = new Set<string>();
  /** Large bodies in all are read at this rate past a burst: see IngressBudget. */
  private readonly ingress = new IngressBudget(LARGE_BODY_BYTES_PER_S, 32 * 1024 * 1024, 256 * 1024);
  private readonly health: StoreHealth;
  /** Cuts off the forwards still in flight when a stop's grace is over. */
  private readonly stopForwards = new AbortController();

  constructor(private readonly opts: RelayOptions) {
    this.health = new StoreHealth(opts.store.file, opts.emit);
    const profiles = [...opts.custom, ...PROVIDERS];
    this.handshakes = [...new Set(profiles.flatMap((p) => (p.handshake ? [p.handshake] : [])))].map((handshake) => ({ handshake, providers: profiles.filter((p) => p.handshake === handshake).map((p) => p.id) }));
    this.plan = { forwards: opts.forwards, routes: opts.routes, providerRoutes: opts.providerRoutes ?? [] };
    this.signed = signedHeaders([...opts.custom, ...PROVIDERS]);
    this.gate = new VerificationGate({ provider: opts.provider, custom: opts.custom, forwardInvalid: opts.forwardInvalid, forwardUnverified: Boolean(opts.forwardUnverified) });
    this.forwarder = new Forwarder({ timeoutMs: opts.timeoutMs, insecure: opts.insecure, signed: this.signed });
  }

  /**
   * The session's secrets, by provider: a delivery is checked with the secret
   * of the provider it is read as (see VerificationGate).
   */
  setSecrets(secrets: SecretSource): void {
    this.gate.setSecrets(secrets);
  }

  /** Whether deliveries that cannot be verified reach the app (marked unverified) rather than get 401. */
  get forwardsUnverified(): boolean {
    return this.gate.forwardsUnverified;
  }

  /** The session's subscriptions, each of one provider: a verified delivery is stored with the one it came through (catch-up starts after the newest). */
  setSubscriptions(subscriptions: ReadonlyArray<{ id: string; provider: string }>): void {
    this.subscriptions = subscriptions;
  }

  /**
   * The subscription a delivery came through, only for a verified one: the
   * one its headers or body name (the session's when they name it), else the
   * session's subscription of the provider it is signed as; else unknown.
   * Never the session's just because it has one.
   */
  private subscriptionOf(profile: ProviderProfile | null, verdict: Verdict, named: string | null): string | null {
    if (verdict !== 'verified' || !profile) return null;
    const own = this.subscriptions.find((s) => s.provider === profile.id)?.id ?? null;
    if (named !== null) return own !== null && profile.subscriptionRef?.nameOf(own) === named ? own : named;
    return own;
  }

  /** The public URL senders reach this relay by; it changes when a quick tunnel restarts. */
  setPublicUrl(url: string): void {
    this.publicUrl = url;
  }

  /** A health probe with this nonce is on its way through the public URL. */
  expectProbe(nonce: string): void {
    this.probes.add(nonce);
  }

  forgetProbe(nonce: string): void {
    this.probes.delete(nonce);
  }

  /** While the tunnel restarts, deliveries are answered 503 with Retry-After, never accepted and lost. */
  setPaused(paused: boolean): void {
    this.paused = paused;
  }

  /** Listens on 127.0.0.1:`port` (0: any free port; a named tunnel routes to a fixed one). */
  async start(port = 0): Promise<string> {
    const limits = { ...defaultLimits(this.opts.maxBodyBytes), ...this.opts.limits };
    this.server = createGuardedServer((req, res) => {
      const task = this.handle(req, res).catch((err: NodeJS.ErrnoException) => {
        // A sender that hung up mid-body never got an answer and will send again: nothing to report.
        if (err.code === 'ECONNRESET') return;
        this.opts.emit({ type: 'listen.warning', message: `request ${req.method} ${req.url} failed: ${err.message}` });
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"internal","message":"hooks listen failed on this request"}}');
      });
      this.inFlight.add(task);
      void task.finally(() => this.inFlight.delete(task));
    }, limits);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new UsageError(`port ${port} on 127.0.0.1 is taken`, 'stop what listens there, or pass another --port (the tunnel must route to the same one)', 'port_in_use') : err),
      );
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Stops taking deliveries (503, so the platform redelivers them later) and
   * gives those in flight `graceMs` to finish; then cuts off the forwards
   * still waiting for an app, which are stored as interrupted and answered
   * 503 (the sender sends them again), and waits for those records. WebSub
   * GETs are still answered, so the session subscription can be unsubscribed.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true;
    const settled = () => Promise.allSettled([...this.inFlight]);
    await Promise.race([settled(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    if (this.inFlight.size === 0) return;
    this.stopForwards.abort();
    // Recording them takes a commit; a sender still sending its body is not waited for (it was never answered).
    await Promise.race([settled(), new Promise((r) => setTimeout(r, RECORD_GRACE_MS).unref())]);
  }

  async close(): Promise<void> {
    if (this.server) {
      const closed = new Promise<void>((r) => this.server!.close(() => r()));
      this.server.closeAllConnections();
      await closed;
    }
    await this.forwarder.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' || req.method === 'HEAD') return this.handleGet(req, res);
    if (this.draining) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5', connection: 'close' }).end('{"error":{"code":"shutting_down","message":"hooks listen is stopping; deliver again later"}}');
      return;
    }
    if (this.paused) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '5' }).end('{"error":{"code":"tunnel_restarting","message":"hooks listen is restarting its tunnel; deliver again later"}}');
      return;
    }
    // A store removed under the session takes nothing again: refused before anything is forwarded.
    if (this.health.failing?.failure === 'gone') return this.refuseUnstored(res, this.health.failing);
    const body = await readBody(req, this.opts.maxBodyBytes, this.ingress);
    if (!body) {
      this.opts.emit({ type: 'delivery.rejected', id: null, provider: null, event_type: null, event_id: null, notes: [], verdict: 'unverified', status: 413, reason: 'too_large', message: `body over --max-body (${this.opts.maxBodyBytes} bytes)`, hints: [], secret: null });
      tooLarge(req, res, this.opts.maxBodyBytes, `{"error":{"code":"payload_too_large","message":"over ${this.opts.maxBodyBytes} bytes (hooks listen --max-body)"}}`);
      return;
    }
    const pairs = headerPairs(req.rawHeaders);
    const bag = HeaderBag.from(pairs);
    const judged = this.gate.judge(body, bag);
    const provider = judged.provider?.id ?? null;
    const verdict = judged.verdict;
    const rejected = judged.refused;
    // A forgery's body is not worth checking: what matters about it is its signature.
    const info = readDelivery(body, bag, judged.provider, [...this.opts.custom, ...PROVIDERS], !rejected);
    const facts = { provider, event_type: info.type, event_id: info.id, verdict, notes: info.notes };
    const targets = targetsOf(this.plan, provider, info.type);
    // Only provider routes, none of them this delivery's: answered as a refusal, saying how to route it.
    const nowhere = !rejected && targets.length === 0 ? noTarget(this.plan, provider, info.type) : null;
    const id = EventStore.newId();
    // A rejected delivery keeps its size, digest and first 64 KB: enough to study a forgery, not enough to fill the disk.
    const truncated = rejected && body.length > REJECTED_BODY_BYTES;
    const delivery = {
      id,
      received_at: Date.now(),
      method: req.method ?? 'POST',
      path: req.url ?? '/',
      headers: pairs,
      body: truncated ? body.subarray(0, REJECTED_BODY_BYTES) : body,
      body_size: body.length,
      body_sha256: rejected ? createHash('sha256').update(body).digest('hex') : null,
      body_truncated: truncated,
      provider,
      event_id: info.id,
      event_type: info.type,
      verdict,
      reason: judged.reason,
      reason_message: judged.message,
      checked_with: judged.secret ? maskSecret(judged.secret) : null,
      hints: judged.hints,
      targets: targets.map((t) => t.href),
      session: this.opts.session,
      subscription_id: this.subscriptionOf(judged.provider, verdict, info.subscription),
      last_status: rejected ? 401 : nowhere ? 404 : null,
      last_outcome: rejected || nowhere ? ('rejected' as const) : null,
      notes: info.notes,
    };
    this.opts.emit({ type: 'delivery.received', id, provider, event_type: info.type, event_id: info.id, notes: info.notes, method: delivery.method, path: delivery.path, bytes: body.length });
    this.opts.emit({ type: 'delivery.verified', id, provider, verdict, reason: judged.reason, message: judged.message, hints: judged.hints });

    if (rejected) {
      const code = verdict === 'invalid' ? 'invalid_signature' : 'unverifiable';
      const answer = Buffer.from(JSON.stringify({ error: { code, reason: judged.reason, message: judged.message, hints: judged.hints } }));
      // The 401 the sender got is the delivery's one attempt: the inspector and events show list it with the rest.
      const refusal = { delivery_id: id, kind: 'refusal' as const, target: 'sender', started_at: delivery.received_at, status: 401, duration_ms: Date.now() - delivery.received_at, error: `${judged.reason}: ${judged.message}`, response_excerpt: answer, response_headers: { 'content-type': 'application/json' }, resigned: false };
      // Refused whether or not the store can keep it: a forgery gets its 401 either way.
      await this.health.write(() => this.opts.store.saveDelivery(delivery, [refusal]));
      this.opts.emit({ type: 'delivery.rejected', id, ...facts, status: 401, reason: judged.reason!, message: judged.message!, hints: judged.hints, secret: delivery.checked_with });
      res.writeHead(401, { 'content-type': 'application/json' }).end(answer);
      return;
    }

    if (nowhere) {
      const answer = Buffer.from(JSON.stringify({ error: { code: 'no_target', message: nowhere } }));
      const refusal = { delivery_id: id, kind: 'refusal' as const, target: 'sender', started_at: delivery.received_at, status: 404, duration_ms: Date.now() - delivery.received_at, error: `no_target: ${nowhere}`, response_excerpt: answer, response_headers: { 'content-type': 'application/json' }, resigned: false };
      const failure = await this.health.write(() => this.opts.store.saveDelivery(delivery, [refusal]));
      if (failure) return this.refuseUnstored(res, failure);
      this.opts.emit({ type: 'delivery.rejected', id, ...facts, status: 404, reason: 'no_target', message: nowhere, hints: [], secret: null });
      res.writeHead(404, { 'content-type': 'application/json' }).end(answer);
      return;
    }

    const kept = [...connectionNamed(pairs)].filter((h) => this.signed.has(h));
    if (kept.length > 0) this.opts.emit({ type: 'listen.warning', message: `delivery ${id}: its Connection header names ${kept.join(', ')}, which a signature scheme signs or reads; forwarded with them anyway` });
    const incoming: IncomingDelivery = { method: req.method ?? 'POST', url: req.url ?? '/', headers: pairs, body, remoteAddress: req.socket.remoteAddress, publicUrl: this.publicUrl };
    const forward = () => Promise.all(targets.map((t) => this.forwarder.forward(t, incoming, this.stopForwards.signal)));
    const started = Date.now();
    let results: ForwardResult[];
    // A synchronous hook's answer (the one the sender gets) is read as its platform reads it: noted, never changed.
    let contract: ReturnType<typeof checkHookAnswer> = null;
    const records = (rs: ForwardResult[]) => {
      contract = rs[0] ? checkHookAnswer(body, bag, rs[0], (p) => this.gate.secretOf(p)) : null;
      const noted = contract && contract.violations.length > 0 ? contract : null;
      return rs.map((r, i) => ({ ...attemptRecord(id, 'forward', r, started), ...(i === 0 && noted ? { error: noteLine(noted) } : {}) }));
    };
    if (this.health.failing) {
      // The store failed lately: the delivery is stored first, so the app never gets one the store then refuses.
      const failure = await this.health.write(() => this.opts.store.saveDelivery(delivery));
      if (failure) return this.refuseUnstored(res, failure);
      results = await forward();
      for (const a of records(results)) await this.health.write(() => this.opts.store.saveAttempt(a));
    } else {
      results = await forward();
      // One write for the delivery and its forwards, committed before the line is printed and the sender answered.
      const failure = await this.health.write(() => this.opts.store.saveDelivery(delivery, records(results)));
      // The app has it, and gets it again when the sender retries: said in docs/when-things-go-wrong.md.
      if (failure) return this.refuseUnstored(res, failure);
    }
    for (const r of results) {
      if (r.status !== null) this.opts.emit({ type: 'delivery.forwarded', id, ...facts, target: r.target, status: r.status, latency_ms: r.durationMs, ...(cut(r) ? { answer_bytes: r.answerBytes } : {}), ...(r === results[0] && contract ? { contract } : {}) });
      else this.opts.emit({ type: 'delivery.failed', id, ...facts, target: r.target, status: failedStatus(r), error: r.error!, latency_ms: r.durationMs });
    }
    answer(res, results[0]!);
  }

  /** A delivery the store could not keep: 503 with Retry-After, so the platform sends it again once the store works. */
  private refuseUnstored(res: ServerResponse, failure: EnvironmentError): void {
    this.health.countRefused();
    const body = JSON.stringify({ error: { code: `store_${failure.failure}`, message: `hooks listen cannot store deliveries now (${failure.failure.replace('_', ' ')}); deliver again later` } });
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(STORE_RETRY_AFTER_S) }).end(body);
  }

  private async handleGet(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req.url);
    const nonce = probeNonce(url.pathname);
    if (nonce !== null) {
      // The session's own health probe: answered, never stored or forwarded. An unknown nonce proves nothing.
      if (this.probes.has(nonce)) res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(nonce);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such probe\n');
      return;
    }
    const pairs = headerPairs(req.rawHeaders);
    const headers = HeaderBag.from(pairs);
    for (const { handshake, providers } of this.handshakes) {
      const ours = handshake.answer(url, headers);
      if (!ours) continue;
      // The app of the provider whose handshake it is answers it, where that provider has a route of its own.
      const target = [...providers.map((p) => targetsOf(this.plan, p, null)[0]), targetsOf(this.plan, null, null)[0]].find(Boolean);
      if (target && handshake.judgeAppAnswer) {
        // The app answers its own handshake when it can; listen steps in only when that answer would fail it.
        const r = await this.forwarder.forward(target, { method: 'GET', url: req.url ?? '/', headers: pairs, body: Buffer.alloc(0), remoteAddress: req.socket.remoteAddress, publicUrl: this.publicUrl });
        const judged = handshake.judgeAppAnswer(headers, { status: r.status, body: Buffer.from(r.body) });
        this.opts.emit(judged.event);
        if (judged.accepted) return answer(res, r);
      } else this.opts.emit(ours.event);
      res.writeHead(ours.status, { 'content-type': ours.contentType }).end(ours.body);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hooks listen is running: POST webhooks here\n');
  }

}

/** Why a delivery has no target (a session of routes only, none of them its), and how to give it one. */
function noTarget(plan: ForwardPlan, provider: string | null, type: string | null): string {
  const what = `${provider ? `read as ${provider}` : 'of no known provider'}${type ? ` (${type})` : ''}`;
  const by = [plan.providerRoutes.length > 0 ? 'its provider (--forward PROVIDER=TARGET)' : '', plan.routes.length > 0 ? 'its event type (--route PATTERN=TARGET)' : ''].filter(Boolean).join(' or ');
  const own = provider && plan.providerRoutes.length > 0 ? `add --forward ${provider}=TARGET (hooks.json: listen.providers.${provider}.forward), or ` : '';
  return `no target for a delivery ${what}: this session forwards only by ${by}, and none is its; ${own}add a plain --forward for every delivery without a route of its own`;
}

/** The target's status, body and content type; 502 when it is down, 504 when it timed out, 503 when a stop cut it off. */
function answer(res: ServerResponse, r: ForwardResult): void {
  if (r.status === null) {
    const status = failedStatus(r);
    const code = status === 504 ? 'target_timeout' : status === 503 ? 'interrupted' : 'target_unreachable';
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '5', connection: 'close' } : {}) }).end(JSON.stringify({ error: { code, message: `${r.target}: ${r.error}` } }));
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'retry-after', 'location']) {
    const v = r.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  res.writeHead(r.status, headers).end(r.body);
}

/** What the sender gets for a forward that brought back no answer. */
function failedStatus(r: ForwardResult): 502 | 503 | 504 {
  return r.interrupted ? 503 : r.timedOut ? 504 : 502;
}

/** The answer was longer than the 10 MB passed on. */
const cut = (r: ForwardResult): boolean => r.answerBytes !== undefined && r.answerBytes > r.body.length;


function headerPairs(raw: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

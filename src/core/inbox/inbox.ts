import { existsSync } from 'node:fs';
import { dataDir as defaultDataDir } from '../config/paths.js';
import { ExitCode, OperationError, UsageError } from '../errors.js';
import { comparable, lineDiff, type DiffLine } from '../export/diff.js';
import { toHar, type Har } from '../export/har.js';
import { maskSecret } from '../providers/mask.js';
import { redactHeaders } from '../providers/secret-headers.js';
import { Forwarder } from '../relay/forwarder.js';
import { curlFor, previewEdit, type EditPreview } from '../replay/preview.js';
import { replay, type ReplayResult } from '../replay/replayer.js';
import { openEventStore, type EventStore, type ReceivedDelivery } from '../store/event-store.js';
import { storeFile } from '../store/schema.js';
import { checkDataDir } from '../store/sqlite.js';
import { inboxFilter, type FilterInput } from './filter.js';
import { attemptView, deliveryView, rowView } from './delivery-view.js';
import { UNTRUSTED_NOTE, type AttemptView, type BodyBound, type DeliveryView, type DiffView, type Listing, type RowView } from './views.js';

export interface InboxOptions {
  /** The secret that signs for a provider here (a listen session's, `inspect --secret`, the stored session secrets); null when none is known. */
  secretFor?(provider: string | null): string | null;
  /** How long a replay's target may take to answer. */
  timeoutMs?: number;
  /** Accept self-signed certificates on https replay targets. */
  insecure?: boolean;
  /** The running session's forward targets, besides each delivery's own: a replay there keeps the headers that hold a secret. */
  sessionTargets?: readonly URL[];
  /** How the face that asks says where ids come from, and how to give a secret, in its errors; and how it sets a replay's target (`--to`), in a hint's example. */
  hints?: { list?: string; sign?: string; target?: string };
}

/** A replay of one stored delivery: where, and whether it is signed again. */
export interface ReplayRequest {
  /** Instead of where the session forwarded it. */
  to?: URL;
  /** Sign again with a fresh timestamp. */
  resign?: boolean;
  /** The secret to sign with; default: the inbox's for the delivery's provider. */
  secret?: string;
  /** These bytes instead of the stored ones (an edited replay): always signed again. */
  body?: Buffer;
  /** Send the headers that hold a secret (Okta's Authorization) to a target the delivery was never forwarded to. */
  sendSecretHeaders?: boolean;
}

export interface ReplayManyRequest extends Omit<ReplayRequest, 'body'> {
  /** These deliveries, or with `all` every one the filter matches (oldest first). */
  ids: string[];
  all: boolean;
  filter: FilterInput;
  /** At most this many with `all`. */
  limit: number;
}

/** What a replay run reports as it goes; the CLI draws each as a line, or a JSON line. */
export type ReplayEvent =
  | { type: 'replay.sent'; delivery: RowView; result: ReplayResult }
  | { type: 'replay.skipped'; id: string; reason: string }
  /** Some of the deliveries failed verification when received: sent as they came, they fail again at a receiver that verifies. */
  | { type: 'replay.invalid'; count: number; of: number };

export interface ReplayBatch {
  matched: number;
  sent: number;
  failed: number;
  /** 1 when any replay failed or any id was not replayable. */
  exitCode: ExitCode;
}

/** How often a live list and a wait look for new deliveries (the store is shared with other processes: it is read, not told). */
const POLL_MS = 250;

/**
 * What listen received, for every face: the list with its filters, one
 * delivery, the next one to arrive, replay (target and secret chosen here),
 * an edit's preview, curl, HAR and diff. Redaction (headers that hold a
 * secret), bounds (bodies, diffs) and the split between what hooks decided
 * and what a sender or a receiver wrote (`untrusted`) are applied here,
 * once; the CLI, the inspector and MCP only render what it answers.
 */
export class Inbox {
  private forwarder: Forwarder | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly opts: InboxOptions,
    /** Whether closing the inbox closes the store (it opened it). */
    private readonly ownsStore: boolean,
  ) {}

  get file(): string {
    return this.store.file;
  }

  latestSeq(): number {
    return this.store.latestSeq();
  }

  /** The secret that signs for a provider here, masked (`ith_whsec_c8bc…`); null when none is known. */
  secretMask(provider: string | null): string | null {
    const secret = this.secretFor(provider);
    return secret ? maskSecret(secret) : null;
  }

  /** A page, newest stored first, and the cursor of the next (`before`): what the inspector and MCP list. */
  async page(input: FilterInput, limit: number): Promise<{ rows: RowView[]; next: number | null }> {
    const filter = inboxFilter(input);
    if (filter.search) await this.store.prepareSearch();
    const page = this.store.page({ ...filter, limit });
    return { rows: page.rows.map(rowView), next: page.next };
  }

  /** The newest received first, at most `limit`: `hooks events list`. */
  async list(input: FilterInput, limit: number): Promise<RowView[]> {
    return (await this.deliveries(input, limit)).map(rowView);
  }

  /** One delivery, its body bounded as the face asks. */
  get(id: string, bound: BodyBound): DeliveryView {
    const d = this.load(id);
    return deliveryView(d, this.store.attempts(id), bound, this.secretFor(d.provider) !== null);
  }

  /** The body as stored; unless `part` is asked for, refused when a refused delivery's body was kept only in part. */
  body(id: string, part = false): Buffer {
    const d = this.load(id);
    if (d.body_truncated && !part) {
      throw new OperationError(`only the first ${d.body.length} of the ${d.body_size} bytes of ${id} were kept (rejected deliveries are stored truncated)`, `hooks events show ${id} shows the kept part and the sha256 of the whole body`, 'truncated');
    }
    return d.body;
  }

  /**
   * Calls `onRows` with the deliveries stored after `after` that match, oldest
   * first, as they land (in this process or another); returns the stop.
   */
  watch(input: FilterInput, after: number, onRows: (rows: RowView[]) => void, onError: (err: Error) => void = () => undefined): () => void {
    const filter = inboxFilter(input);
    let last = after;
    let busy = false;
    let stopped = false;
    const look = async () => {
      const top = this.store.latestSeq();
      if (top <= last) return;
      if (filter.search) await this.store.prepareSearch();
      if (stopped) return;
      // Bounded by the newest row now, so rows the filter skips are not scanned again next time.
      const { rows } = this.store.page({ ...filter, after: last, before: top + 1, limit: 500 });
      last = top;
      if (rows.length > 0) onRows(rows.reverse().map(rowView));
    };
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      look()
        .catch((err: Error) => {
          stop();
          onError(err);
        })
        .finally(() => (busy = false));
    }, POLL_MS);
    const stop = () => {
      stopped = true;
      clearInterval(timer);
    };
    return stop;
  }

  /** The first delivery that matches stored after `after`, or null after `timeoutMs`. */
  async waitFor(input: FilterInput, after: number, timeoutMs: number, bound: BodyBound): Promise<DeliveryView | null> {
    const filter = inboxFilter(input);
    if (filter.search) await this.store.prepareSearch();
    const [already] = this.store.page({ ...filter, after, limit: 500 }).rows.reverse();
    if (already) return this.get(already.id, bound);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        resolve(null);
      }, timeoutMs);
      const stop = this.watch(
        input,
        after,
        (rows) => {
          stop();
          clearTimeout(timer);
          resolve(this.get(rows[0]!.id, bound));
        },
        (err) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  /**
   * Sends one stored delivery again, to where it was forwarded or to `to`,
   * recorded as a replay attempt. Signed again (with the secret given, else
   * the inbox's for its provider) when asked or when the body was edited. A
   * target it was never forwarded to gets no header that holds a secret,
   * unless `sendSecretHeaders`.
   */
  async replay(id: string, req: ReplayRequest): Promise<{ results: ReplayResult[]; attempts: AttemptView[] }> {
    const d = this.load(id);
    const targets = req.to ? [req.to] : d.targets.map((t) => new URL(t));
    if (targets.length === 0) throw new UsageError(`${d.id} was never forwarded anywhere`, 'give a target to send it to', 'no_target');
    const results = await this.send(d, targets, req);
    return { results, attempts: this.store.attempts(d.id).map(attemptView) };
  }

  /** `hooks events replay`: several, one after another, reported as they go. */
  async replayMany(req: ReplayManyRequest, emit: (e: ReplayEvent) => void): Promise<ReplayBatch> {
    if (req.ids.length === 0 && !req.all) throw new UsageError('which deliveries?', 'pass ids, or --all with --type/--since/--status');
    if (req.ids.length > 0 && req.all) throw new UsageError('ids and --all together', 'pick one');
    if (req.resign && req.secret === undefined && !this.opts.secretFor) throw this.noSecret(null);
    const batch: ReplayBatch = { matched: 0, sent: 0, failed: 0, exitCode: ExitCode.ok };
    const rows: Array<ReceivedDelivery | string> = req.all ? (await this.deliveries(req.filter, req.limit)).reverse() : req.ids.map((id) => this.store.get(id) ?? id);
    batch.matched = rows.length;
    const invalid = rows.filter((r) => typeof r !== 'string' && r.verdict === 'invalid').length;
    if (invalid > 0 && !req.resign) emit({ type: 'replay.invalid', count: invalid, of: rows.length });
    for (const row of rows) {
      if (typeof row === 'string') {
        batch.failed++;
        emit({ type: 'replay.skipped', id: row, reason: this.missing(row).message });
        continue;
      }
      const targets = req.to ? [req.to] : row.targets.map((t) => new URL(t));
      if (targets.length === 0) {
        batch.failed++;
        emit({ type: 'replay.skipped', id: row.id, reason: 'it was never forwarded anywhere: pass --to' });
        continue;
      }
      for (const result of await this.send(row, targets, req)) {
        batch.sent++;
        if (!result.ok) batch.failed++;
        emit({ type: 'replay.sent', delivery: rowView(row), result });
      }
    }
    batch.exitCode = batch.failed > 0 ? ExitCode.failed : ExitCode.ok;
    return batch;
  }

  /** What an edited replay would send: the body's diff and the headers, signed anew (secret headers withheld). */
  preview(id: string, body: Buffer): EditPreview {
    const d = this.load(id);
    return previewEdit(d, body, this.signingSecret(d));
  }

  /** The delivery as a curl command for `to` (default: where it was forwarded), signed now when a secret is known. */
  curl(id: string, to?: URL): { command: string; signed: boolean; env: string[] } {
    const d = this.load(id);
    const target = to ?? (d.targets[0] ? new URL(d.targets[0]) : null);
    if (!target) throw new UsageError(`${d.id} was never forwarded anywhere`, 'give a target', 'no_target');
    return curlFor(d, target, this.secretFor(d.provider));
  }

  /** HAR 1.2 of these deliveries, secret headers withheld. */
  har(ids: string[], version: string): Har {
    return toHar(
      ids.map((id) => {
        const d = this.load(id);
        return { delivery: { ...d, headers: redactHeaders(d.headers).headers }, attempts: this.store.attempts(id) };
      }),
      version,
    );
  }

  /** Two deliveries' headers (secret ones withheld) and bodies, line by line, within `maxBytes` of text in all. */
  diff(a: string, b: string, maxBytes: number): DiffView {
    const [x, y] = [this.load(a), this.load(b)];
    const headerText = (d: ReceivedDelivery) => redactHeaders(d.headers).headers.map(([k, v]) => `${k}: ${v}`).join('\n');
    let cut = false;
    // A body is compared on its first maxBytes: pretty-printed when it is JSON of a size that is cheap to parse.
    const bodyText = (d: ReceivedDelivery) => {
      const text = d.body.length <= 4 * maxBytes ? comparable(d.body) : d.body.subarray(0, maxBytes).toString('utf8');
      if (text.length > maxBytes || d.body.length > 4 * maxBytes) cut = true;
      return text.slice(0, maxBytes);
    };
    let budget = maxBytes;
    const within = (lines: DiffLine[] | null): DiffLine[] | null => {
      if (!lines) return null;
      const kept: DiffLine[] = [];
      for (const line of lines) {
        budget -= line.text.length + 2;
        if (budget < 0) {
          cut = true;
          break;
        }
        kept.push(line);
      }
      return kept;
    };
    const [hx, hy] = [headerText(x), headerText(y)];
    const headers = within(lineDiff(hx, hy));
    const body = within(lineDiff(bodyText(x), bodyText(y)));
    return { a, b, headers_differ: hx !== hy, bodies_differ: !x.body.equals(y.body), untrusted: { note: UNTRUSTED_NOTE, headers, body, cut } };
  }

  /** Exit 1 when some of the ids were not stored. */
  async remove(ids: string[]): Promise<{ deleted: number; requested: number; exitCode: ExitCode }> {
    const deleted = await this.store.remove(ids);
    return { deleted, requested: ids.length, exitCode: deleted === ids.length ? ExitCode.ok : ExitCode.failed };
  }

  async prune(olderThanMs: number): Promise<{ deleted: number; older_than_ms: number }> {
    return { deleted: await this.store.prune(Date.now() - olderThanMs), older_than_ms: olderThanMs };
  }

  async close(): Promise<void> {
    await this.forwarder?.close();
    this.forwarder = null;
    if (this.ownsStore) await this.store.close();
  }

  private async deliveries(input: FilterInput, limit: number): Promise<ReceivedDelivery[]> {
    const filter = inboxFilter(input);
    if (filter.search) await this.store.prepareSearch();
    return this.store.list({ ...filter, limit });
  }

  private async send(d: ReceivedDelivery, targets: URL[], req: ReplayRequest): Promise<ReplayResult[]> {
    const edited = req.body !== undefined && !req.body.equals(d.body);
    const sign = req.resign || edited;
    if (sign && req.secret === '') throw new UsageError('the secret to sign with is empty (an empty HOOKS_SECRET counts)', this.opts.hints?.sign ?? 'give the secret it is signed with', 'invalid_secret');
    const resignWith = sign ? (req.secret ?? this.signingSecret(d)) : undefined;
    // Where it went, and where this session sends: the app's own. Anywhere else is someone else's.
    const own = new Set([...d.targets.map((t) => new URL(t).origin), ...(this.opts.sessionTargets ?? []).map((t) => t.origin)]);
    this.forwarder ??= new Forwarder({ timeoutMs: this.opts.timeoutMs ?? 30_000, insecure: Boolean(this.opts.insecure) });
    return replay(this.store, this.forwarder, d, { targets, resignWith, body: req.body, withholdFrom: (t) => !req.sendSecretHeaders && !own.has(t.origin), targetFlag: this.opts.hints?.target ?? null });
  }

  private secretFor(provider: string | null): string | null {
    return this.opts.secretFor?.(provider) ?? null;
  }

  private signingSecret(d: ReceivedDelivery): string {
    const secret = this.secretFor(d.provider);
    if (!secret) throw this.noSecret(d.provider);
    return secret;
  }

  private noSecret(provider: string | null): UsageError {
    return new UsageError(`no secret is known${provider ? ` for ${provider}` : ''} to sign it again`, this.opts.hints?.sign ?? 'give the secret it is signed with, or replay it as it was', 'no_secret');
  }

  private load(id: string): ReceivedDelivery {
    const d = this.store.get(id);
    if (!d) throw this.missing(id);
    return d;
  }

  private missing(id: string): OperationError {
    return new OperationError(`no stored delivery ${id}`, this.opts.hints?.list ?? 'hooks events list shows the ids', 'not_found');
  }
}

/**
 * The inbox of a data dir (default: the user data dir, where listen stores),
 * opened here; closing it closes the store. `read`: a reader, which needs no
 * write to open the store (a read-only disk is fine) and never creates one:
 * where there is no store it says so.
 */
export async function openInbox(dir: string | undefined, opts: InboxOptions = {}, access: 'read' | 'write' = 'write'): Promise<Inbox> {
  const home = dir ?? defaultDataDir();
  // A reader trusts what it reads only from a directory no one else can write, as a writer does.
  if (existsSync(home)) checkDataDir(home);
  if (access === 'read' && !existsSync(storeFile(home))) {
    throw new OperationError(`there is no store at ${storeFile(home)}: nothing was stored there`, 'hooks listen stores deliveries there; --data-dir names another place', 'not_found');
  }
  return new Inbox(await openEventStore(home, { access }), opts, true);
}

/** The inbox over a store its owner keeps open (a listen session's): closing it leaves the store open. */
export function inboxOver(store: EventStore, opts: InboxOptions = {}): Inbox {
  return new Inbox(store, opts, false);
}

/** Opens the inbox of `dir`, runs `fn`, and always closes it: one command's call. */
export async function withInbox<T>(dir: string | undefined, opts: InboxOptions, fn: (inbox: Inbox) => T | Promise<T>, access: 'read' | 'write' = 'write'): Promise<T> {
  const inbox = await openInbox(dir, opts, access);
  try {
    return await fn(inbox);
  } finally {
    await inbox.close();
  }
}

/** `hooks events list`: the newest first, read without writing; no store at all is said, not made. */
export async function listStored(dir: string | undefined, input: FilterInput, limit: number): Promise<Listing> {
  const home = dir ?? defaultDataDir();
  if (existsSync(home)) checkDataDir(home);
  const file = storeFile(home);
  if (!existsSync(file)) return { rows: [], file, missing: true };
  return { rows: await withInbox(dir, {}, (i) => i.list(input, limit), 'read'), file, missing: false };
}

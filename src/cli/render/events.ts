import type { ReplayBatch, ReplayEvent } from '../../core/replay/replay-many.js';
import type { RelayAttempt, ReceivedDelivery } from '../../core/store/event-store.js';
import { printJson, printJsonLine } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { duration } from './units.js';
import { visible, visibleDeep, visibleLines } from './visible.js';

const write = (s: string) => process.stdout.write(`${s}\n`);
const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const verdict = (v: string) => (v === 'verified' ? style.ok('verified') : v === 'invalid' ? style.bad('invalid') : style.warn('unverified'));

function summary(d: ReceivedDelivery) {
  const { body, headers, ...rest } = d;
  return { ...rest, bytes: d.body_size, received_at: new Date(d.received_at).toISOString() };
}

export function printList(rows: ReceivedDelivery[], json: boolean): void {
  if (json) return printJson(rows.map(summary));
  rows = rows.map(visibleDeep);
  if (rows.length === 0) {
    write('Nothing stored yet (or nothing matches). hooks listen --forward localhost:3000 stores every delivery it receives.');
    return;
  }
  write(
    renderTable(
      ['ID', 'TIME', 'PROVIDER', 'TYPE', 'SIGNATURE', 'LAST FORWARD'],
      rows.map((d) => [d.id, when(d.received_at), d.provider ?? '-', d.event_type ?? '-', verdict(d.verdict), d.last_outcome ? `${d.last_outcome} ${d.last_status ?? ''}`.trim() : '-']),
      { keep: ['ID'] },
    ),
  );
}

export function printOne(d: ReceivedDelivery, attempts: RelayAttempt[], json: boolean): void {
  if (json) {
    const text = new TextDecoder('utf-8', { fatal: true });
    let bodyText: string | null = null;
    try {
      bodyText = text.decode(d.body);
    } catch {
      bodyText = null;
    }
    return printJson({
      ...summary(d),
      headers: d.headers,
      body_base64: d.body.toString('base64'),
      body_text: bodyText,
      attempts: attempts.map((a) => ({ ...a, started_at: new Date(a.started_at).toISOString(), response_excerpt: a.response_excerpt?.toString('utf8') ?? null })),
    });
  }
  d = visibleDeep(d);
  attempts = attempts.map(visibleDeep);
  const lines = [
    `${style.bold(d.id)}  received ${when(d.received_at)}  ${d.method} ${d.path}`,
    `  provider   ${d.provider ?? '-'}   event ${d.event_type ?? '-'} ${style.dim(d.event_id ?? '')}`,
    `  signature  ${verdict(d.verdict)}${d.reason ? ` (${d.reason})` : ''}`,
    ...d.hints.map((h) => `             likely cause [${h.code}]: ${h.message}`),
    '  headers',
    ...d.headers.map(([k, v]) => `    ${k}: ${v}`),
    d.body_truncated
      ? `  body (${d.body_size} bytes received; rejected, so only the first ${d.body.length} were kept) sha256 ${d.body_sha256}`
      : `  body (${d.body.length} bytes)`,
    indent(displayBody(d.body)),
    '  attempts',
    ...(attempts.length === 0 ? ['    none'] : attempts.map((a) => `    ${when(a.started_at)} ${a.kind.padEnd(7)} → ${a.target} ${a.status !== null && a.status < 300 ? style.ok(String(a.status)) : style.bad(String(a.status))} ${a.duration_ms} ms${a.resigned ? ' (re-signed)' : ''}${a.error ? ` ${style.dim(a.error)}` : ''}`)),
  ];
  write(lines.join('\n'));
}

/** Pretty JSON for a person at a terminal; otherwise the text as it is. Never used for what is sent. */
function displayBody(body: Buffer): string {
  const text = body.toString('utf8');
  if (process.stdout.isTTY) {
    try {
      return visibleLines(JSON.stringify(JSON.parse(text), null, 2));
    } catch {
      return visibleLines(text);
    }
  }
  return visibleLines(text);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** The body as received, byte for byte, and nothing else. */
export function printRaw(body: Buffer): void {
  process.stdout.write(body);
}

/** Draws a replay run as it goes: a line (or a JSON line) per replay. */
export class ReplayRenderer {
  constructor(private readonly json: boolean) {}

  render(e: ReplayEvent): void {
    if (e.type === 'replay.invalid') {
      // On stderr in both modes: --json keeps one line per replay on stdout.
      const which = e.count === e.of ? (e.of === 1 ? 'this delivery' : `all ${e.of} of these deliveries`) : `${e.count} of these ${e.of} deliveries`;
      process.stderr.write(`${style.warn('warning')} ${which} failed signature verification when received (verdict invalid): they are sent as they came, so a receiver that verifies refuses them again; --resign --secret S signs them anew\n`);
      return;
    }
    if (e.type === 'replay.skipped') {
      if (this.json) return printJsonLine({ id: e.id, ok: false, error: e.reason });
      write(`${style.bad('✗')} ${visible(e.id)}: ${e.reason}`);
      return;
    }
    const { delivery, result: r } = e;
    if (this.json) return printJsonLine({ id: r.id, event_type: delivery.event_type, target: r.target, status: r.status, ok: r.ok, latency_ms: r.latencyMs, error: r.error, resigned: r.resigned, warning: r.stale });
    const d = visibleDeep(delivery);
    const v = visibleDeep(r);
    const mark = v.ok ? style.ok('✓') : style.bad('✗');
    write(`${mark} ${v.id} ${d.provider ?? '?'} ${d.event_type ?? '-'} → ${v.target} ${v.status ?? 'no answer'} ${v.latencyMs} ms${v.resigned ? ' (re-signed)' : ''}${v.error && !v.ok ? ` ${style.dim(v.error)}` : ''}`);
    if (v.stale) process.stderr.write(`  ${style.warn('warning')} ${v.stale}\n`);
  }

  done(batch: ReplayBatch): void {
    if (batch.matched === 0) process.stderr.write('nothing matches: hooks events list shows what is stored\n');
  }
}

export function printDeleted(result: { deleted: number; requested: number }, json: boolean): void {
  if (json) return printJson({ deleted: result.deleted });
  write(`deleted ${result.deleted} of ${result.requested}`);
}

export function printPruned(result: { deleted: number; older_than_ms: number }, json: boolean): void {
  if (json) return printJson({ deleted: result.deleted });
  write(`deleted ${result.deleted} deliveries received more than ${duration(result.older_than_ms)} ago`);
}

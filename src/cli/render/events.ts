import type { ReplayResult } from '../../core/replay/replayer.js';
import type { RelayAttempt, ReceivedDelivery } from '../../core/store/event-store.js';
import { printJson, printJsonLine } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
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

export function printReplay(d: ReceivedDelivery, r: ReplayResult, json: boolean): void {
  if (json) return printJsonLine({ id: r.id, event_type: d.event_type, target: r.target, status: r.status, ok: r.ok, latency_ms: r.latencyMs, error: r.error, resigned: r.resigned, warning: r.stale });
  d = visibleDeep(d);
  r = visibleDeep(r);
  const mark = r.ok ? style.ok('✓') : style.bad('✗');
  write(`${mark} ${r.id} ${d.provider ?? '?'} ${d.event_type ?? '-'} → ${r.target} ${r.status ?? 'no answer'} ${r.latencyMs} ms${r.resigned ? ' (re-signed)' : ''}${r.error && !r.ok ? ` ${style.dim(r.error)}` : ''}`);
  if (r.stale) process.stderr.write(`  ${style.warn('warning')} ${r.stale}\n`);
}

export function printReplayMissing(id: string, json: boolean, why = 'no such stored delivery'): void {
  if (json) return printJsonLine({ id, ok: false, error: why });
  write(`${style.bad('✗')} ${visible(id)}: ${why}`);
}

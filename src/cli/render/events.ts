import type { ReplayBatch, ReplayEvent } from '../../core/inbox/inbox.js';
import type { AttemptView, DeliveryView, Listing } from '../../core/inbox/views.js';
import type { SalvageResult } from '../../core/store/salvage.js';
import { hintLine } from '../../core/signing/hint.js';
import { visible, visibleDeep, visibleLines } from '../../core/visible.js';
import { fitNote } from './fit-note.js';
import { printJson, printJsonLine } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { duration } from './units.js';

const write = (s: string) => process.stdout.write(`${s}\n`);
const when = (iso: string) => iso.replace('T', ' ').slice(0, 19);
const verdict = (v: string) => (v === 'verified' ? style.ok('verified') : v === 'invalid' ? style.bad('invalid') : style.warn('unverified'));

/** The inbox's view as `--json` prints it: one flat object per delivery (the untrusted part beside the rest), as scripts read it. */
function flat<T extends { untrusted: object }>({ untrusted, ...rest }: T): Omit<T, 'untrusted'> & T['untrusted'] {
  const { note: _note, ...fields } = untrusted as { note?: string };
  return { ...rest, ...fields } as Omit<T, 'untrusted'> & T['untrusted'];
}

export function printList(listing: Listing, json: boolean): void {
  if (json) return printJson(listing.rows.map(flat));
  if (listing.missing) {
    write(`No store at ${visible(listing.file)}: nothing was stored there. hooks listen --forward localhost:3000 stores every delivery it receives (--data-dir names another place).`);
    return;
  }
  if (listing.rows.length === 0) {
    write('Nothing stored yet (or nothing matches). hooks listen --forward localhost:3000 stores every delivery it receives.');
    return;
  }
  const rows = listing.rows.map(visibleDeep);
  write(
    renderTable(
      ['ID', 'TIME', 'PROVIDER', 'TYPE', 'SIGNATURE', 'LAST FORWARD'],
      rows.map((d) => [d.id, when(d.received_at), d.provider ?? '-', d.untrusted.event_type ?? '-', verdict(d.verdict), d.last_outcome ? `${d.last_outcome} ${d.last_status ?? ''}`.trim() : '-']),
      { keep: ['ID'] },
    ),
  );
}

export function printOne(v: DeliveryView, json: boolean): void {
  if (json) return printJson({ ...flat(v), attempts: v.attempts.map(flat) });
  const d = visibleDeep(v);
  const u = d.untrusted;
  const attempt = (a: AttemptView) =>
    `    ${when(a.started_at)} ${a.kind.padEnd(7)} → ${a.target} ${a.status !== null && a.status < 300 ? style.ok(String(a.status)) : style.bad(String(a.status))} ${a.duration_ms} ms${a.resigned ? ' (re-signed)' : ''}${a.untrusted.error ? ` ${style.dim(a.untrusted.error)}` : ''}${a.response_bytes ? ` ${style.warn(`the answer was ${a.response_bytes} bytes: the sender got its first 10 MB`)}` : ''}`;
  const lines = [
    `${style.bold(d.id)}  received ${when(d.received_at)}  ${u.method} ${u.path}`,
    `  provider   ${d.provider ?? '-'}   event ${u.event_type ?? '-'} ${style.dim(u.event_id ?? '')}`,
    `  signature  ${verdict(d.verdict)}${d.reason ? ` (${d.reason})${u.reason_message ? `: ${u.reason_message}` : ''}` : ''}${d.checked_with ? `, checked with ${d.checked_with}` : ''}`,
    ...u.hints.map((h) => `             ${hintLine(h)}`),
    ...(u.notes.length ? [`  ${style.warn(`note: ${fitNote({ provider: d.provider, event_type: u.event_type, notes: u.notes })}`)}`] : []),
    `  headers${d.withheld_headers.length ? style.dim(` (${d.withheld_headers.join(', ')}: the secret itself, withheld)`) : ''}`,
    ...u.headers.map(([k, val]) => `    ${k}: ${val}`),
    d.body_truncated
      ? `  body (${d.body_size} bytes received; rejected, so only the first ${u.body_shown} were kept) sha256 ${d.body_sha256}`
      : `  body (${d.body_size} bytes${u.body_text === null ? ', not UTF-8: base64' : ''})`,
    // The view's strings went through visibleDeep, which escapes line breaks: the body is drawn from the original, lines kept.
    indent(v.untrusted.body_text !== null ? displayBody(v.untrusted.body_text) : (v.untrusted.body_base64 ?? '')),
    '  attempts',
    ...(d.attempts.length === 0 ? ['    none'] : d.attempts.map(attempt)),
  ];
  write(lines.join('\n'));
}

/** Pretty JSON for a person at a terminal; otherwise the text as it is. Never used for what is sent. */
function displayBody(text: string): string {
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
    if (this.json) return printJsonLine({ id: r.id, event_type: delivery.untrusted.event_type, target: r.target, status: r.status, ok: r.ok, latency_ms: r.latencyMs, error: r.error, resigned: r.resigned, warning: r.stale, withheld: r.withheld, hint: r.hint });
    const d = visibleDeep(delivery);
    const v = visibleDeep(r);
    const mark = v.ok ? style.ok('✓') : style.bad('✗');
    write(`${mark} ${v.id} ${d.provider ?? '?'} ${d.untrusted.event_type ?? '-'} → ${v.target} ${v.status ?? 'no answer'} ${v.latencyMs} ms${v.resigned ? ' (re-signed)' : ''}${v.error && !v.ok ? ` ${style.dim(v.error)}` : ''}`);
    if (v.hint) write(`  ${style.warn(v.hint.finding)}: ${v.hint.advice}`);
    if (v.stale) process.stderr.write(`  ${style.warn('warning')} ${v.stale}\n`);
    if (v.withheld.length) process.stderr.write(`  ${style.warn('note')} not sent: ${v.withheld.join(', ')} (it holds the secret, and ${v.target} is not where the delivery was forwarded); --send-secret-headers sends it\n`);
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

export function printSalvaged(r: SalvageResult, json: boolean): void {
  if (json) return printJson(r);
  write(`brought ${r.deliveries} deliveries (and ${r.attempts} attempts) back from ${visible(r.from)} into ${visible(r.into)}`);
  if (r.already) write(`${r.already} were there already`);
  if (r.unreadable) write(style.warn(`${r.unreadable} could not be read: they sat on the damaged pages`));
}

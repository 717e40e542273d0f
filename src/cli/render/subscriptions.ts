import { activationAdvice, type AttemptReport } from '../../core/api/subscriptions.js';
import type { Attempt, Delivery, Subscription } from '../../core/api/types.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { visible, visibleDeep } from './visible.js';

const write = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 19) : '-');

function lastDelivery(s: Subscription): string {
  if (!s.last_delivery) return style.dim('none yet');
  const { status, status_code } = s.last_delivery;
  const text = `${status}${status_code !== null ? ` (${status_code})` : ''}`;
  return status === 'succeeded' ? style.ok(text) : status === 'failed' ? style.bad(text) : style.warn(text);
}

function details(s: Subscription): string[] {
  const lines = [
    `  url          ${s.url}`,
    `  events       ${s.events.join(', ')}`,
    `  provider     ${s.provider}`,
    `  active       ${s.active ? style.ok('yes') : style.warn('no')}${s.disabled_reason ? style.dim(` (${s.disabled_reason})`) : ''}`,
  ];
  const advice = activationAdvice(s);
  if (advice) lines.push(`  to activate  ${advice}`);
  if (s.description) lines.push(`  description  ${s.description}`);
  if (s.verification) {
    const v = s.verification;
    lines.push(`  verification ${v.status === 'failed' ? style.bad(v.status) : style.ok(v.status)} (${v.mode}, ${v.topics.length} topic(s))${v.error ? `: ${v.error}` : ''}`);
  }
  lines.push(`  last         ${lastDelivery(s)}`);
  if (s.previous_secret_expires_at) lines.push(`  old secret   still signs until ${when(s.previous_secret_expires_at)}`);
  for (const w of s.warnings ?? []) lines.push(`  ${style.warn('warning')}      ${w}`);
  return lines;
}

function secretLines(secret: string | undefined): string[] {
  if (!secret) return [];
  return [`  secret       ${style.bold(secret)}`, style.warn('  This secret will not be shown again: store it now (rotate-secret makes a new one).')];
}

export function printCreated(s: Subscription, json: boolean): void {
  if (json) return printJson(s);
  s = visibleDeep(s);
  write([`${style.ok('✓')} Created ${style.bold(s.id)} "${s.name}"`, ...details(s), ...secretLines(s.signing_secret)].join('\n'));
}

export function printRotated(s: Subscription, json: boolean): void {
  if (json) return printJson(s);
  s = visibleDeep(s);
  write([`${style.ok('✓')} New signing secret for ${style.bold(s.id)} "${s.name}"`, ...secretLines(s.signing_secret), ...(s.previous_secret_expires_at ? [`  the old secret also signs until ${when(s.previous_secret_expires_at)}`] : [])].join('\n'));
}

export function printOne(s: Subscription, json: boolean, verb?: string): void {
  if (json) return printJson(s);
  s = visibleDeep(s);
  write([`${verb ? `${style.ok('✓')} ${verb} ` : ''}${style.bold(s.id)} "${s.name}"`, ...details(s), `  created      ${when(s.created_at)}`].join('\n'));
}

export function printList(subs: Subscription[], json: boolean): void {
  if (json) return printJson(subs);
  subs = subs.map(visibleDeep);
  if (subs.length === 0) {
    write(`No subscriptions yet. Create one:\n  hooks subscriptions create --url http://127.0.0.1:3000/webhooks --events '*' --name dev`);
    return;
  }
  write(
    renderTable(
      ['ID', 'NAME', 'URL', 'EVENTS', 'PROVIDER', 'ACTIVE', 'LAST DELIVERY'],
      subs.map((s) => [s.id, s.name, s.url, s.events.join(','), s.provider, s.active ? 'yes' : 'no', lastDelivery(s)]),
      { keep: ['ID'], cutFirst: ['LAST DELIVERY', 'EVENTS', 'NAME'] },
    ),
  );
}

export function printDeleted(result: { id: string; deleted: true }, json: boolean): void {
  if (json) return printJson(result);
  write(`${style.ok('✓')} Deleted ${visible(result.id)}`);
}

/** ECONNREFUSED, timeout…: what a column has room for when no status came back. */
function failureCode(error: string | null): string {
  if (error?.startsWith('no answer within')) return 'timeout';
  return error?.match(/\(([A-Z][A-Z_]+)\)/)?.[1] ?? 'error';
}

function attemptLine(a: Attempt): string {
  const status = a.status_code === null ? failureCode(a.error) : String(a.status_code);
  const text = `${a.success ? style.ok('✓') : style.bad('✗')} attempt ${a.number}: ${a.success ? style.ok(status) : style.bad(status)} in ${a.duration_ms} ms`;
  const why = a.success ? '' : `\n    ${a.error ?? ''}${a.response_excerpt ? `\n    response: ${a.response_excerpt.slice(0, 300)}` : ''}`;
  return text + why + (a.next_retry_at ? style.warn(`\n    next retry ${when(a.next_retry_at)}`) : '');
}

/** A delivery's newest attempt, as test and retry report it. */
export function printAttempt(report: AttemptReport, json: boolean): void {
  if (json) return printJson(report.answer);
  const d = visibleDeep(report.delivery);
  const last = d.attempts.at(-1);
  if (!last) {
    write(`${style.warn('…')} ${d.event_type} ${d.id}: no attempt finished yet (status ${d.status}); see hooks subs deliveries ${d.subscription_id}`);
    return;
  }
  write(`${d.event_type} ${style.dim(d.event_id)} → ${d.subscription_id} (${d.id})\n  ${attemptLine(last)}`);
}

export function printDeliveries(deliveries: Delivery[], json: boolean): void {
  if (json) return printJson(deliveries);
  deliveries = deliveries.map(visibleDeep);
  if (deliveries.length === 0) {
    write('No deliveries yet. Send one: hooks subscriptions test ID');
    return;
  }
  const rows: Array<Array<string | number>> = [];
  for (const d of deliveries) {
    if (d.attempts.length === 0) rows.push(['-', d.event_type, '-', style.warn(d.status), '-', when(d.next_attempt_at), d.id]);
    for (const a of [...d.attempts].reverse()) {
      const status = a.status_code === null ? failureCode(a.error) : String(a.status_code);
      rows.push([when(a.started_at), d.event_type, a.number, a.success ? style.ok(status) : style.bad(status), `${a.duration_ms} ms`, when(a.next_retry_at), d.id]);
    }
  }
  write(renderTable(['TIME', 'EVENT', 'ATTEMPT', 'STATUS', 'DURATION', 'NEXT RETRY', 'DELIVERY'], rows, { keep: ['DELIVERY', 'STATUS'] }));
}

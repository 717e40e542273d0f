import { activationAdvice, inactiveMatches } from '../../core/api/subscriptions.js';
import type { ApiEvent, Subscription } from '../../core/api/types.js';
import type { DirectResult } from '../../core/trigger/direct.js';
import type { EventTypeRow, TriggerResult } from '../../core/trigger/trigger.js';
import type { LoadSummary } from '../../core/trigger/load.js';
import { fitNote } from './fit-note.js';
import { printJson } from './output.js';
import { printSyncHooks, printSyncOutcome } from './sync-hook.js';
import type { SyncHookRow } from '../../core/providers/sync/registry.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { visibleDeep } from '../../core/visible.js';

const write = (s: string) => process.stdout.write(`${s}\n`);

export function printTypes(rows: EventTypeRow[], hooks: SyncHookRow[], json: boolean): void {
  // JSON: one list; a synchronous hook's row says so (kind "sync"), beside its deadline and failure mode.
  if (json) return printJson([...rows, ...hooks.map((h) => ({ ...h, kind: 'sync' }))]);
  if (rows.length > 0) write(renderTable(['PROVIDER', 'EVENT TYPE', 'DESCRIPTION'], rows.map((t) => [t.provider, t.type, t.description])));
  printSyncHooks(hooks);
}

export function printTrigger(result: TriggerResult, json: boolean): void {
  const notes = json ? { notes: result.notes } : {};
  if (result.mode === 'api') printEvent(result.event, result.existing, json, notes);
  else if (result.mode === 'direct') printDirect(result.result, result.url, result.provider, result.type, json, notes);
  else if (result.mode === 'sync') printSyncOutcome(result.outcome, json);
  else printSummary(result.summary, json, notes);
  // On stderr: stdout stays the event (or its JSON) alone.
  if (!json) for (const n of visibleDeep(result.notes)) process.stderr.write(`${style.warn('note:')} ${fitNote({ provider: n.provider, event_type: n.type, notes: n.notes })}\n`);
}

/** The event, then a line per delivery: subscription, provider, first attempt's status and latency. */
function printEvent(event: ApiEvent, existing: Subscription[] | null, json: boolean, extra: object): void {
  if (json) return printJson({ ...event, ...(existing ? { existing_subscriptions: existing.map(briefly) } : {}), ...extra });
  event = visibleDeep(event);
  const deliveries = event.deliveries ?? [];
  write(`${style.bold(event.type)} ${style.dim(event.id)}${event.provider ? ` (${event.provider})` : ''} → ${deliveries.length} subscription(s)`);
  for (const d of deliveries) {
    const a = d.attempts[0];
    const who = `${d.subscription_id} ${d.provider.padEnd(11)}`;
    if (!a) write(`  ${style.warn('…')} ${who} no attempt finished within --wait (status ${d.status})`);
    else if (a.success) write(`  ${style.ok('✓')} ${who} ${style.ok(String(a.status_code))} in ${a.duration_ms} ms`);
    else write(`  ${style.bad('✗')} ${who} ${style.bad(String(a.status_code ?? 'no answer'))} in ${a.duration_ms} ms: ${a.error ?? ''}${a.response_excerpt ? `\n    response: ${a.response_excerpt.slice(0, 300)}` : ''}`);
  }
  if (existing) printNoMatch(event, visibleDeep(existing));
}

/** Why nothing was delivered: what exists, and how to make something that matches. */
function printNoMatch(event: ApiEvent, existing: Subscription[]): void {
  const scope = event.provider ? `${event.provider} subscription` : 'subscription';
  const lines = [`${style.bad('✗')} no active ${scope} matches ${event.type}: nothing was delivered`];
  if (existing.length === 0) lines.push('  there are no subscriptions yet');
  for (const s of existing.slice(0, 10)) lines.push(`  ${s.id} (${s.provider}, ${s.events.join(',')}${s.active ? '' : '; inactive'})`);
  if (existing.length > 10) lines.push(`  … and ${existing.length - 10} more (hooks subs list)`);
  const inactive = inactiveMatches(existing, event.type).filter((s) => !event.provider || s.provider === event.provider);
  if (inactive.length > 0) {
    // One exists and would match: activating it is the fix, not creating another.
    for (const s of inactive.slice(0, 3)) lines.push(`  ${s.id} matches but is inactive: ${activationAdvice(s) ?? `hooks subs enable ${s.id}`}`);
  } else {
    lines.push(`  create one: hooks subs create --url http://127.0.0.1:3000/webhooks --events '${event.type}' --name dev${event.provider ? ` --provider ${event.provider}` : ''}`);
    lines.push('  or run a session that subscribes for you: hooks listen --forward 3000 --tunnel none');
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}

function briefly(s: Subscription) {
  return { id: s.id, provider: s.provider, events: s.events, active: s.active };
}

function printDirect(r: DirectResult, url: URL, provider: string, type: string, json: boolean, extra: object): void {
  if (json) return printJson({ event_id: r.eventId, provider, type, url: url.href, status: r.status, ok: r.ok, latency_ms: r.latencyMs, error: r.error, response_excerpt: r.excerpt, ...extra });
  r = visibleDeep(r);
  const mark = r.ok ? style.ok('✓') : style.bad('✗');
  write(`${mark} ${provider} ${style.bold(type)} ${style.dim(r.eventId)} → ${url.href} ${r.status ?? 'no answer'} in ${r.latencyMs} ms`);
  if (!r.ok && r.error) write(`  ${r.error}`);
  if (r.excerpt) write(`  response: ${r.excerpt.slice(0, 500)}`);
}

function printSummary(s: LoadSummary, json: boolean, extra: object): void {
  if (json) return printJson({ ...s, ...extra });
  s = visibleDeep(s);
  const failures = Object.entries(s.by_status).map(([k, v]) => `${k}: ${v}`).join(', ');
  write(
    [
      `sent ${s.sent}, ${style.ok(`succeeded ${s.succeeded}`)}, ${s.failed ? style.bad(`failed ${s.failed}`) : 'failed 0'}${failures ? ` (${failures})` : ''}`,
      ...Object.entries(s.errors).map(([e, n]) => `  ${n} × ${e}`),
      `throughput ${Math.round(s.throughput_per_s)}/s over ${s.duration_s} s`,
      `latency p50 ${s.latency_ms.p50} ms, p90 ${s.latency_ms.p90} ms, p99 ${s.latency_ms.p99} ms, max ${s.latency_ms.max} ms`,
    ].join('\n'),
  );
}

/** A one-line progress bar on stderr, redrawn at most ten times a second; none off a terminal or with --json. */
export function progressBar(json: boolean) {
  if (json || !process.stderr.isTTY) return undefined;
  let last = 0;
  const draw = (done: number, total: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, total);
    },
    done() {
      process.stderr.write('\n');
    },
  };
}

import type { ApiEvent } from '../../core/api/types.js';
import type { DirectResult } from '../../core/trigger/direct.js';
import type { EventTypeRow, TriggerResult } from '../../core/trigger/trigger.js';
import type { LoadSummary } from '../../core/trigger/load.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { visibleDeep } from './visible.js';

const write = (s: string) => process.stdout.write(`${s}\n`);

export function printTypes(rows: EventTypeRow[], json: boolean): void {
  if (json) return printJson(rows);
  write(renderTable(['PROVIDER', 'EVENT TYPE', 'DESCRIPTION'], rows.map((t) => [t.provider, t.type, t.description])));
}

export function printTrigger(result: TriggerResult, json: boolean): void {
  if (result.mode === 'api') printEvent(result.event, json);
  else if (result.mode === 'direct') printDirect(result.result, result.url, result.provider, result.type, json);
  else printSummary(result.summary, json);
}

/** The event and each first attempt. */
function printEvent(event: ApiEvent, json: boolean): void {
  if (json) return printJson(event);
  event = visibleDeep(event);
  const deliveries = event.deliveries ?? [];
  write(`${style.bold(event.type)} ${style.dim(event.id)} (${event.provider}) → ${deliveries.length} subscription(s)`);
  if (deliveries.length === 0) {
    process.stderr.write(`${style.warn('warning')} no active ${event.provider} subscription matches ${event.type}: nothing was delivered (hooks subs create, or hooks listen)\n`);
  }
  for (const d of deliveries) {
    const a = d.attempts[0];
    if (!a) write(`  ${style.warn('…')} ${d.subscription_id}: no attempt finished within --wait (status ${d.status})`);
    else if (a.success) write(`  ${style.ok('✓')} ${d.subscription_id} ${style.ok(String(a.status_code))} in ${a.duration_ms} ms`);
    else write(`  ${style.bad('✗')} ${d.subscription_id} ${style.bad(String(a.status_code ?? 'no answer'))} in ${a.duration_ms} ms: ${a.error ?? ''}${a.response_excerpt ? `\n    response: ${a.response_excerpt.slice(0, 300)}` : ''}`);
  }
}

function printDirect(r: DirectResult, url: URL, provider: string, type: string, json: boolean): void {
  if (json) return printJson({ event_id: r.eventId, provider, type, url: url.href, status: r.status, ok: r.ok, latency_ms: r.latencyMs, error: r.error, response_excerpt: r.excerpt });
  r = visibleDeep(r);
  const mark = r.ok ? style.ok('✓') : style.bad('✗');
  write(`${mark} ${provider} ${style.bold(type)} ${style.dim(r.eventId)} → ${url.href} ${r.status ?? 'no answer'} in ${r.latencyMs} ms`);
  if (!r.ok && r.error) write(`  ${r.error}`);
  if (r.excerpt) write(`  response: ${r.excerpt.slice(0, 500)}`);
}

function printSummary(s: LoadSummary, json: boolean): void {
  if (json) return printJson(s);
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

import type { SyncHookRow } from '../../core/providers/sync/registry.js';
import type { SyncOutcome } from '../../core/sync/run.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { visible, visibleDeep, visibleLines } from '../../core/visible.js';

const write = (s: string) => process.stdout.write(`${s}\n`);

/** `trigger --list`: the synchronous hooks, after the event types and apart from them. */
export function printSyncHooks(rows: SyncHookRow[]): void {
  if (rows.length === 0) return;
  write('');
  write(style.bold('SYNCHRONOUS HOOKS') + style.dim(' (the platform waits for the answer: hooks trigger TYPE --to URL; docs/synchronous-hooks.md)'));
  write(renderTable(['PROVIDER', 'HOOK TYPE', 'WAITS', 'FAILS', 'DESCRIPTION'], rows.map((r) => [r.provider, r.type, `${r.deadline_ms / 1000} s`, r.fails, r.description])));
}

/**
 * One hook call: the answer, what the platform does with it, the violations
 * by name, and the contract it was judged by.
 */
export function printSyncOutcome(o: SyncOutcome, json: boolean): void {
  if (json) return printJson({ ...o, ok: o.verdict.violations.length === 0 });
  o = visibleDeep(o);
  const v = o.verdict;
  const last = o.attempts.at(-1);
  const answer = last ? (last.status !== null ? `${last.status} in ${last.latency_ms} ms` : last.late ? 'no answer in time' : 'no answer') : 'not called';
  write(`${v.violations.length === 0 ? style.ok('✓') : style.bad('✗')} ${o.provider} ${style.bold(o.type)} → ${o.url} ${answer}`);
  if (o.attempts.length > 1) write(style.dim(`  ${o.attempts.map((a) => `attempt ${a.attempt}: ${a.status ?? (a.late ? 'late' : 'no answer')}`).join(', ')}`));
  for (const x of v.violations) write(`  ${style.bad(`violation [${x.code}]`)} ${x.message}`);
  const path = v.path === 'answer' ? '' : style.warn(` (fails ${v.path}: ${o.contract.on_failure})`);
  write(`  ${v.proceeds ? style.ok('→') : style.bad('→')} ${v.summary}${path}`);
  if (v.reason) write(`  ${style.dim('the user or client sees:')} ${v.reason}`);
  if (Object.keys(v.result).length > 0) write(visibleLines(indent(JSON.stringify(v.result, null, 2), '  ')));
  if (last && last.status !== null && v.violations.length > 0 && last.response_excerpt) write(`  ${style.dim('answer:')} ${visible(last.response_excerpt.slice(0, 300))}`);
  write(style.dim(`  contract: answer within ${o.contract.deadline_ms / 1000} s${o.contract.deadline_per === 'call' ? ' for the whole call' : ''}; retries: ${o.contract.retry}; fails ${o.contract.fails}${o.contract.configurable ? ` (${o.contract.configurable})` : ''}`));
}

const indent = (text: string, pad: string) => text.split('\n').map((l) => pad + l).join('\n');

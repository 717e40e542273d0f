import type { SyncPlatform } from '../../core/sync/contract.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';

/** `providers list`: the platforms' synchronous hooks, after the event webhook providers. */
export function printSyncPlatformList(platforms: readonly SyncPlatform[]): void {
  const rows = platforms.map((p) => [p.id, p.name, p.hooks.map((h) => h.type).join(', ')]);
  process.stdout.write(`\n${style.bold('SYNCHRONOUS HOOKS')}\n${renderTable(['ID', 'NAME', 'HOOKS'], rows, { keep: ['ID'], cutFirst: ['NAME'] })}\n`);
}

/** The contracts of one platform's hooks: the JSON of `providers show` (beside the event profile when there is one), or a section of its text. */
export function describeSyncPlatform(p: SyncPlatform) {
  return {
    name: p.name,
    source: p.source,
    auth: p.auth.description,
    secret: p.auth.secretFormat,
    hooks: p.hooks.map((h) => ({
      type: h.type,
      aliases: h.aliases ?? [],
      name: h.name,
      description: h.description,
      flow: h.flow,
      request: h.request.description,
      answer: h.answer.description,
      deadline_ms: h.deadline.ms,
      deadline_per: h.deadline.per,
      retry: h.retry.description,
      fails: h.failure.mode,
      on_failure: h.failure.what,
      configurable: h.failure.configurable ?? null,
      sources: h.sources,
    })),
  };
}

export function printSyncPlatform(p: SyncPlatform, json: boolean, alone: boolean): void {
  if (json) return printJson(alone ? { id: p.id, ...describeSyncPlatform(p) } : describeSyncPlatform(p));
  const lines = [
    `${alone ? '' : '\n'}${style.bold(p.name)} ${style.dim(`(${p.id}, from ${p.source})`)}`,
    '',
    `  auth        ${p.auth.description}`,
    `  secret      ${p.auth.secretFormat}`,
    '',
    renderTable(
      ['HOOK TYPE', 'WAITS', 'RETRIES', 'WHEN THE ANSWER IS WRONG OR LATE'],
      p.hooks.map((h) => [h.type, `${h.deadline.ms / 1000} s${h.deadline.per === 'call' ? ' in all' : ''}`, String(h.retry.attempts - 1), `fails ${h.failure.mode}: ${h.failure.what}${h.failure.configurable ? ` (${h.failure.configurable})` : ''}`]),
    ),
    style.dim('  Call one: hooks trigger TYPE --to URL; grade a receiver: hooks audit URL --type TYPE (docs/synchronous-hooks.md)'),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

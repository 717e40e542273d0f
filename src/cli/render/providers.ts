import type { ProviderProfile } from '../../core/providers/profile.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { duration } from './units.js';

export function printProviderList(profiles: readonly ProviderProfile[], json: boolean): void {
  if (json) return printJson(profiles.map((p) => ({ id: p.id, name: p.name, source: p.source, headers: p.scheme.headers, events: p.catalog.types.map((t) => t.type) })));
  const rows = profiles.map((p) => [p.id, p.name, p.scheme.headers.join(', '), p.catalog.types.length, p.source]);
  process.stdout.write(`${renderTable(['ID', 'NAME', 'HEADERS', 'EVENTS', 'SOURCE'], rows)}\n${style.dim('Details: hooks providers show <id>')}\n`);
}

export function printProfile(profile: ProviderProfile, json: boolean): void {
  if (json) return printJson(describeProfile(profile));
  process.stdout.write(renderProfile(profile));
}

/** The headers a platform sends beside its signature (IntelliAuth's X-IntelliAuth-Event-Id, …), by name. */
function deliveryHeaderNames(p: ProviderProfile): string[] {
  return Object.keys(p.deliveryHeaders?.({ id: 'x', type: 'x', attempt: 1, timestamp: 0 }) ?? {});
}

/** The JSON form of `providers show`. */
function describeProfile(p: ProviderProfile) {
  const about = p.about?.();
  return {
    id: p.id,
    name: p.name,
    source: p.source,
    scheme: p.scheme.description,
    headers: p.scheme.headers,
    delivery_headers: deliveryHeaderNames(p),
    tolerance_seconds: p.scheme.tolerance ?? null,
    handshake: p.handshake?.kind ?? null,
    starts_inactive: Boolean(p.startsInactive),
    delivery: {
      timeout_ms: p.delivery.timeoutMs,
      success: p.delivery.successRule,
      attempts: 1 + p.delivery.retryDelaysMs.length,
      retry_delays_ms: p.delivery.retryDelaysMs,
      note: p.delivery.note ?? null,
    },
    sources: about?.sources ?? [],
    notes: about?.notes ?? [],
    events: p.catalog.types.map((t) => ({
      type: t.type,
      category: t.category,
      description: t.description,
      ...(t.uri ? { uri: t.uri } : {}),
      ...(t.source ? { source: t.source } : {}),
      ...(t.status ? { data: t.status } : {}),
      ...(t.note ? { note: t.note } : {}),
      ...(t.test ? { test: true } : {}),
    })),
  };
}

function renderProfile(p: ProviderProfile): string {
  const d = p.delivery;
  const about = p.about?.();
  const statuses = p.catalog.types.some((t) => t.status && t.status !== 'documented');
  const retries = d.retryDelaysMs.length === 0 ? 'none' : `immediately, then ${d.retryDelaysMs.map(duration).join(', ')}`;
  const lines = [
    `${style.bold(p.name)} ${style.dim(`(${p.id}, from ${p.source})`)}`,
    '',
    `  scheme      ${p.scheme.description}`,
    `  headers     ${p.scheme.headers.join(', ')}`,
    ...(deliveryHeaderNames(p).length > 0 ? [`  also sends  ${deliveryHeaderNames(p).join(', ')}`] : []),
    ...(p.scheme.tolerance ? [`  tolerance   ${p.scheme.tolerance} s`] : []),
    `  success     ${d.successRule} within ${duration(d.timeoutMs)}`,
    `  attempts    ${1 + d.retryDelaysMs.length}: ${retries}`,
    ...(d.note ? [`  note        ${d.note}`] : []),
    ...(p.handshake ? [`  handshake   ${p.handshake.description}`] : []),
    ...(about?.sources ?? []).map((s, i) => `  ${i === 0 ? 'sources ' : '        '}    ${s.name}${s.url ? ` ${style.dim(s.url)}` : ''}`),
    ...(about?.notes ?? []).map((n) => `  ${style.dim('•')} ${n}`),
    '',
    renderTable(
      ['EVENT TYPE', 'DESCRIPTION', ...(statuses ? ['DATA'] : []), ...(p.catalog.types.some((t) => t.uri) ? ['EVENT URI'] : [])],
      p.catalog.types.map((t) => [t.type, t.test ? `${t.description} (test event)` : t.description, ...(statuses ? [t.status ?? ''] : []), ...(t.uri ? [t.uri] : [])]),
    ),
    ...(statuses ? [style.dim('DATA: documented as the sources show it; partial: part of it (see --json notes); unavailable: documented, but not in what hooks could read; undocumented: no source names a field. The last two are sent as {}.')] : []),
  ];
  return `${lines.join('\n')}\n`;
}

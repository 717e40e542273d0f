import type { ProviderProfile } from '../../core/providers/profile.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { duration } from './units.js';

export function printProviderList(profiles: readonly ProviderProfile[], json: boolean): void {
  if (json) return printJson(profiles.map((p) => ({ id: p.id, name: p.name, source: p.source, headers: p.scheme.headers, events: p.catalog.types.map((t) => t.type) })));
  const rows = profiles.map((p) => [p.id, p.name, p.scheme.headers.join(', '), p.catalog.types.length, p.source]);
  process.stdout.write(`${renderTable(['ID', 'NAME', 'HEADERS', 'EVENTS', 'SOURCE'], rows, { keep: ['ID'], cutFirst: ['NAME'] })}\n${style.dim('Details: hooks providers show <id>')}\n`);
}

export function printProfile(profile: ProviderProfile, json: boolean): void {
  if (json) return printJson(describeProfile(profile));
  process.stdout.write(renderProfile(profile));
}

/** The JSON form of `providers show`. */
export function describeProfile(p: ProviderProfile) {
  return {
    id: p.id,
    name: p.name,
    source: p.source,
    scheme: p.scheme.description,
    headers: p.scheme.headers,
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
    events: p.catalog.types.map((t) => ({ type: t.type, category: t.category, description: t.description, ...(t.uri ? { uri: t.uri } : {}) })),
  };
}

function renderProfile(p: ProviderProfile): string {
  const d = p.delivery;
  const retries = d.retryDelaysMs.length === 0 ? 'none' : `immediately, then ${d.retryDelaysMs.map(duration).join(', ')}`;
  const lines = [
    `${style.bold(p.name)} ${style.dim(`(${p.id}, from ${p.source})`)}`,
    '',
    `  scheme      ${p.scheme.description}`,
    `  headers     ${p.scheme.headers.join(', ')}`,
    ...(p.scheme.tolerance ? [`  tolerance   ${p.scheme.tolerance} s`] : []),
    `  success     ${d.successRule} within ${duration(d.timeoutMs)}`,
    `  attempts    ${1 + d.retryDelaysMs.length}: ${retries}`,
    ...(d.note ? [`  note        ${d.note}`] : []),
    ...(p.handshake ? [`  handshake   ${p.handshake.description}`] : []),
    '',
    renderTable(
      ['EVENT TYPE', 'DESCRIPTION', ...(p.catalog.types.some((t) => t.uri) ? ['EVENT URI'] : [])],
      p.catalog.types.map((t) => [t.type, t.description, ...(t.uri ? [t.uri] : [])]),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

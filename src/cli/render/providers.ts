import type { CatalogSource } from '../../core/fixtures/catalog.js';
import type { ProviderProfile } from '../../core/providers/profile.js';
import type { EventSchema } from '../../core/schemas/event-schema.js';
import { printJson } from './output.js';
import { style } from './style.js';
import { renderTable } from './table.js';
import { duration } from './units.js';

/** How many types a catalog has and where they come from; a catalog that names no source is the profile's. */
function coverage(p: ProviderProfile): { types: number; sources: CatalogSource[] } {
  const sources = p.catalog.sources.length > 0 ? [...p.catalog.sources] : [{ name: p.source, url: p.source.startsWith('https://') ? p.source : '', gives: 'the event types' }];
  return { types: p.catalog.types.length, sources };
}

export function printProviderList(profiles: readonly ProviderProfile[], json: boolean): void {
  if (json) return printJson(profiles.map((p) => ({ id: p.id, name: p.name, source: p.source, headers: p.scheme.headers, events: p.catalog.types.map((t) => t.type), coverage: coverage(p) })));
  const rows = profiles.map((p) => {
    const c = coverage(p);
    return [p.id, p.name, p.scheme.headers.join(', '), c.types, c.sources.map((s) => s.name).join(', ')];
  });
  process.stdout.write(`${renderTable(['ID', 'NAME', 'HEADERS', 'EVENTS', 'EVENTS FROM'], rows, { keep: ['ID'], cutFirst: ['NAME'] })}\n${style.dim('Details: hooks providers show <id>')}\n`);
}

/** `hooks providers schema`: the JSON Schema as a document, or the TypeScript, or both as --json. */
export function printEventSchema(s: EventSchema, json: boolean): void {
  if (json) return printJson(s);
  process.stdout.write(s.typescript !== undefined ? `// ${s.provider} ${s.type}${s.source ? `, from ${s.source}` : ''}\n${s.typescript}` : `${JSON.stringify(s.schema, null, 2)}\n`);
}

export function printProfile(profile: ProviderProfile, json: boolean): void {
  if (json) return printJson(describeProfile(profile));
  process.stdout.write(renderProfile(profile));
}

/** The headers a platform sends beside its signature (IntelliAuth's X-IntelliAuth-Event-Id, …), by name. */
function deliveryHeaderNames(p: ProviderProfile): string[] {
  return Object.keys(p.deliveryHeaders?.({ id: 'x', type: 'x', attempt: 1, timestamp: 0 }, Buffer.from('{}')) ?? {});
}

/** The JSON form of `providers show`. */
export function describeProfile(p: ProviderProfile) {
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
    coverage: coverage(p),
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
  const c = coverage(p);
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
    `  events      ${c.types} types${p.catalog.testType ? `; ${p.catalog.testType} is its test event` : ''}${p.catalog.schema(p.catalog.representative) ? ` (each one's schema: hooks providers schema ${p.id} <type> [--typescript])` : ''}`,
    ...c.sources.map((s, i) => `  ${i === 0 ? 'from' : '    '}        ${s.name}: ${s.gives}${s.url && s.url !== s.name ? style.dim(` ${s.url}`) : ''}`),
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

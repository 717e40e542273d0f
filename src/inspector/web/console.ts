import type { AuditReport } from '../../core/audit/report.js';
import type { Attempt, Delivery, Page, Subscription } from '../../core/api/types.js';
import { $, api, badge, eventStream, h, setRelink, statusBadge, ms, time, toast, urlView } from './dom.js';

setRelink('hooks server --console-link');

const API = '/api/v1';
const form = $('#emit') as HTMLFormElement;
let open: string | null = null;
/** Names of the subscriptions as last listed, for the emit result. */
const names = new Map<string, string>();

const deliveryBadge = (status: string) => badge(status, status === 'succeeded' ? 'ok' : status === 'failed' ? 'bad' : 'warn');

async function subscriptions(): Promise<void> {
  const page = await api<Page<Subscription>>('GET', `${API}/webhooks/subscriptions?limit=100`);
  for (const s of page.data) names.set(s.id, s.name);
  const tbody = $('#subscriptions tbody');
  tbody.replaceChildren(
    ...page.data.map((s) =>
      h(
        'tr',
        { 'data-id': s.id, class: s.id === open ? 'open' : undefined, onclick: () => void feed(s.id) },
        h('td', { title: s.name }, s.name),
        h('td', {}, s.provider),
        h('td', { class: 'mono', title: s.url }, urlView(s.url)),
        h('td', { title: s.events.join(', ') }, s.events.join(', ')),
        h('td', {}, s.active ? badge('active', 'ok') : badge(s.disabled_reason ? 'disabled' : 'inactive', 'warn')),
        h('td', {}, s.last_delivery ? deliveryBadge(s.last_delivery.status) : h('span', { class: 'muted' }, 'none yet')),
      ),
    ),
  );
  $('#none').hidden = page.data.length > 0;
}

function attemptLine(a: Attempt): HTMLElement {
  return h(
    'li',
    {},
    h('div', {}, `#${a.number} `, statusBadge(a.status_code), ` ${ms(a.duration_ms)}`, h('span', { class: 'muted' }, a.started_at ? ` ${time(a.started_at)}` : ''), a.next_retry_at ? h('span', { class: 'warn' }, ` next retry ${time(a.next_retry_at)}`) : null),
    a.error ? h('div', { class: 'bad' }, a.error) : null,
    a.response_excerpt ? h('details', {}, h('summary', {}, 'Response body'), h('pre', {}, a.response_excerpt)) : null,
  );
}

/** A subscription's delivery feed, each delivery with its attempts and a retry button. */
async function feed(id: string): Promise<void> {
  open = id;
  for (const tr of $('#subscriptions tbody').children) tr.classList.toggle('open', (tr as HTMLElement).dataset.id === id);
  const [sub, page] = await Promise.all([api<Subscription>('GET', `${API}/webhooks/subscriptions/${id}`), api<Page<Delivery>>('GET', `${API}/webhooks/subscriptions/${id}/deliveries?limit=50`)]);
  const act = (label: string, path: string, done: (d: Delivery) => string) =>
    h('button', {
      type: 'button',
      onclick: async () => {
        try {
          const r = await api<{ delivery?: Delivery } & Delivery>('POST', path);
          const d = r.delivery ?? r;
          const last = d.attempts.at(-1);
          toast(`${done(d)}: ${last ? `the receiver answered ${last.status_code ?? 'nothing'}` : d.status}${last?.success ? '' : last?.error ? ` (${last.error})` : ''}`, last?.success ? 'ok' : 'bad');
        } catch (err) {
          toast((err as Error).message, 'bad');
        }
        await Promise.all([feed(id), subscriptions()]);
      },
    }, label);
  $('#detail').replaceChildren(
    h('h2', {}, sub.name, ' ', h('span', { class: 'muted mono' }, sub.id)),
    h('p', { class: 'mono' }, `${sub.provider} → ${sub.url}`),
    h('div', { class: 'actions' }, act('Send test event', `${API}/webhooks/subscriptions/${id}/test`, (d) => `${d.event_type} sent`), auditButton(id)),
    h('div', { id: 'audit' }),
    page.data.length === 0
      ? h('p', { class: 'muted' }, 'No deliveries yet.')
      : h(
          'ol',
          { class: 'feed' },
          ...page.data.map((d) =>
            h(
              'li',
              { 'data-delivery': d.id },
              h('div', {}, deliveryBadge(d.status), ` ${d.event_type} `, h('span', { class: 'muted mono' }, d.id), ' ', act('Retry', `${API}/webhooks/deliveries/${d.id}/retry`, () => 'retried')),
              h('ol', { class: 'attempts' }, ...d.attempts.map(attemptLine)),
            ),
          ),
        ),
  );
}

/** "Audit this receiver": the server runs `hooks audit` with the secret it holds and the page shows each verdict. */
function auditButton(id: string): HTMLElement {
  const button = h('button', {
    type: 'button',
    onclick: async () => {
      button.setAttribute('disabled', '');
      $('#audit').replaceChildren(h('p', { class: 'muted' }, 'Auditing: about 30 signed deliveries, one at a time…'));
      try {
        showAudit(await api<AuditReport>('POST', `${API}/webhooks/subscriptions/${id}/audit`, {}));
      } catch (err) {
        $('#audit').replaceChildren(h('p', { class: 'bad' }, (err as Error).message));
      } finally {
        button.removeAttribute('disabled');
      }
    },
  }, 'Audit this receiver');
  return button;
}

function showAudit(report: AuditReport): void {
  const kind = { pass: 'ok', fail: 'bad', warn: 'warn', skip: 'muted' } as const;
  $('#audit').replaceChildren(
    h('h3', {}, `Audit: ${report.passed} passed, ${report.failed} failed, ${report.warned} warned, ${report.skipped} skipped`),
    h(
      'ul',
      { class: 'audit' },
      ...report.checks.map((c) =>
        h('li', { 'data-check': c.id }, badge(c.status, kind[c.status]), ' ', h('strong', { class: 'mono' }, c.id), ' ', c.detail, c.hint ? h('div', { class: 'warn' }, `→ ${c.hint}`) : null),
      ),
    ),
  );
}

async function sample(): Promise<void> {
  const data = form.elements.namedItem('provider') as HTMLSelectElement;
  const type = (form.elements.namedItem('type') as HTMLSelectElement).value;
  if (!type) return;
  const t = await api<{ sample: unknown }>('GET', `${API}/webhooks/event-types/${encodeURIComponent(type)}${data.value ? `?provider=${data.value}` : ''}`);
  (form.elements.namedItem('data') as HTMLTextAreaElement).value = JSON.stringify(t.sample, null, 2);
}

async function types(): Promise<void> {
  const provider = (form.elements.namedItem('provider') as HTMLSelectElement).value;
  const catalog = await api<{ data: Array<{ type: string; description: string }> }>('GET', `${API}/webhooks/event-types${provider ? `?provider=${provider}` : ''}`);
  const select = form.elements.namedItem('type') as HTMLSelectElement;
  // The type picked stays picked when the other catalog has it too.
  const picked = select.value;
  select.replaceChildren(...catalog.data.map((t) => h('option', { value: t.type }, `${t.type}: ${t.description}`)));
  if (catalog.data.some((t) => t.type === picked)) select.value = picked;
  await sample();
}

async function emit(e: Event): Promise<void> {
  e.preventDefault();
  const values = new FormData(form);
  let data: unknown;
  try {
    data = JSON.parse(String(values.get('data')));
  } catch (err) {
    return toast(`the data is not JSON: ${(err as Error).message}`, 'bad');
  }
  try {
    const provider = values.get('provider');
    const type = String(values.get('type'));
    const event = await api<{ id: string; deliveries: Delivery[] }>('POST', `${API}/events?wait=10000`, { type, ...(provider ? { provider } : {}), data });
    const n = event.deliveries.length;
    const ok = event.deliveries.filter((d) => d.status === 'succeeded').length;
    const summary = n === 0 ? `${type} (${event.id}) reached no subscription: none subscribes to it${provider ? ` among ${provider}'s` : ''}.` : `${type} (${event.id}) reached ${n} subscription${n === 1 ? '' : 's'}: ${ok} succeeded${n - ok ? `, ${n - ok} not yet or failed` : ''}.`;
    $('#emitted').replaceChildren(
      h('p', { class: n === 0 ? 'warn' : undefined }, summary),
      h(
        'ul',
        {},
        ...event.deliveries.map((d) => h('li', { 'data-subscription': d.subscription_id }, deliveryBadge(d.status), ' ', statusBadge(d.attempts.at(-1)?.status_code ?? null), ` ${names.get(d.subscription_id) ?? d.subscription_id} `, h('span', { class: 'muted' }, `${d.provider} · ${d.id}`))),
      ),
    );
    toast(summary, n > 0 && ok === n ? 'ok' : 'bad');
    $('#emitted').scrollIntoView({ block: 'nearest' });
    await subscriptions();
    if (open) await feed(open);
  } catch (err) {
    toast((err as Error).message, 'bad');
  }
}

async function start(): Promise<void> {
  $('#where').textContent = location.host;
  // The API's default provider first, then every other it speaks.
  const catalog = await api<{ provider: string; providers: string[] }>('GET', `${API}/webhooks/event-types`);
  const select = form.elements.namedItem('provider') as HTMLSelectElement;
  // Without a provider the event goes to every matching subscription, each in its own dialect (the data as edited).
  select.replaceChildren(
    h('option', { value: '' }, `any: every matching subscription (${catalog.provider} catalog)`),
    ...[catalog.provider, ...catalog.providers.filter((p) => p !== catalog.provider)].map((p) => h('option', {}, p)),
  );
  select.addEventListener('change', () => void types());
  (form.elements.namedItem('type') as HTMLSelectElement).addEventListener('change', () => void sample());
  form.addEventListener('submit', (e) => void emit(e));
  await Promise.all([subscriptions(), types()]);
}

/**
 * Attempts as they are recorded, by this server or any other instance on the
 * same database: the table and the open feed follow, at most once a second.
 * Hook runs go to the synchronous hooks section (console-hooks.ts).
 */
function live(): void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  eventStream(() => '/console/live', {
    open() {},
    error() {},
    event(name, data) {
      if (name === 'hook-run') window.dispatchEvent(new CustomEvent('hook-run', { detail: JSON.parse(data) }));
      if (name !== 'attempted' || pending) return;
      pending = setTimeout(() => {
        pending = null;
        void Promise.all([subscriptions(), open ? feed(open) : null]).catch(() => undefined);
      }, 1000);
    },
  });
}

start()
  .then(live)
  .catch((err: Error) => toast(err.message, 'bad'));

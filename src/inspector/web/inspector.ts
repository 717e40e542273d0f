import type { AttemptView, DeliveryView, DiffView, RowView } from '../../core/inbox/views.js';
import { $, api, ApiFailure, badge, call, diffView, eventStream, fromBase64, h, hexDump, ms, setRelink, statusBadge, time, toast, toBase64 } from './dom.js';

setRelink('hooks inspect --link');

type Row = RowView;
type Attempt = AttemptView;
type Detail = DeliveryView;

const tbody = $('#deliveries tbody') as HTMLTableSectionElement;
const filters = $('#filters') as HTMLFormElement;
const selected = new Set<string>();
let next: number | null = null;
let stream: { close(): void } | null = null;
let openId: string | null = null;

const verdictBadge = (v: string) => badge(v, v === 'verified' ? 'ok' : v === 'invalid' ? 'bad' : 'warn');

function query(extra: Record<string, string> = {}): string {
  const form = new FormData(filters);
  const params = new URLSearchParams();
  for (const [key, name] of [['provider', 'provider'], ['type', 'type'], ['search', 'search']]) {
    const value = String(form.get(name!) ?? '').trim();
    if (value) params.set(key!, value);
  }
  for (const key of ['verdict', 'outcome']) {
    const value = String(form.get(key) ?? '');
    if (value) params.set(key, value);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

function rowFor(d: Row): HTMLTableRowElement {
  const box = h('input', { type: 'checkbox', 'aria-label': `select ${d.id}`, onchange: (e) => toggle(d.id, (e.target as HTMLInputElement).checked) });
  if (selected.has(d.id)) box.checked = true;
  return h(
    'tr',
    { 'data-id': d.id, class: d.id === openId ? 'open' : undefined, onclick: (e) => (e.target as HTMLElement).tagName !== 'INPUT' && void show(d.id) },
    h('td', {}, box),
    h('td', {}, time(d.received_at)),
    h('td', { class: 'provider', title: d.provider ?? undefined }, d.provider ?? '?'),
    // The type whole on its own line, the event id below it: side by side, each got half the room and both were cut.
    h(
      'td',
      {},
      h('div', { class: 'type', title: [d.untrusted.event_type ?? '(unknown)', ...d.untrusted.notes.map((n) => `note: ${n}`)].join('\n') }, d.untrusted.notes.length ? h('span', { class: 'warn note-mark' }, '! ') : null, d.untrusted.event_type ?? '(unknown)'),
      h('div', { class: 'event-id mono muted', title: d.untrusted.event_id ?? undefined }, d.untrusted.event_id ?? '—'),
    ),
    h('td', {}, verdictBadge(d.verdict)),
    h('td', {}, statusBadge(d.last_status)),
    h('td', { class: 'muted' }, d.last_latency_ms === null ? '—' : ms(d.last_latency_ms)),
  );
}

function toggle(id: string, on: boolean): void {
  if (on) selected.add(id);
  else selected.delete(id);
  ($('#har') as HTMLButtonElement).disabled = selected.size === 0;
  ($('#diff') as HTMLButtonElement).disabled = selected.size !== 2;
}

async function load(reset: boolean): Promise<void> {
  if (reset) {
    tbody.replaceChildren();
    next = null;
  }
  const page = await api<{ rows: Row[]; next: number | null }>('GET', `/api/deliveries?${query(next !== null && !reset ? { before: String(next) } : {})}`);
  tbody.append(...page.rows.map(rowFor));
  next = page.next;
  $('#more').hidden = next === null;
  $('#empty').hidden = tbody.children.length > 0;
  const filtered = query() !== '';
  $('#empty-none').hidden = filtered;
  $('#empty-command').hidden = filtered;
  $('#empty-filtered').hidden = !filtered;
  if (reset) listen(page.rows[0]?.seq ?? 0);
}

/** New deliveries arrive by server-sent events, newest on top. */
function listen(after: number): void {
  stream?.close();
  let newest = after;
  stream = eventStream(() => `/api/stream?${query({ after: String(newest) })}`, {
    open: () => $('#live').classList.remove('off'),
    error: () => $('#live').classList.add('off'),
    event: (name, data) => {
      if (name !== 'delivery') return;
      const d = JSON.parse(data) as Row;
      newest = Math.max(newest, d.seq ?? 0);
      const row = rowFor(d);
      row.classList.add('new');
      tbody.prepend(row);
      $('#empty').hidden = true;
    },
  });
}

function section(title: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'block' }, h('h3', {}, title), ...children);
}

function bodyView(d: Detail): HTMLElement {
  const u = d.untrusted;
  const bytes = u.body_base64 !== null ? fromBase64(u.body_base64) : new TextEncoder().encode(u.body_text ?? '');
  const views: Record<string, string> = {
    ...(u.body_pretty !== null ? { Pretty: u.body_pretty } : {}),
    ...(u.body_text !== null ? { Raw: u.body_text } : {}),
    Hex: hexDump(bytes),
  };
  const out = h('pre', { class: 'body', 'data-view': '' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const pick = (name: string) => {
    out.textContent = views[name]!;
    out.dataset.view = name;
    for (const t of tabs.children) t.classList.toggle('on', t.textContent === name);
  };
  for (const name of Object.keys(views)) tabs.append(h('button', { type: 'button', role: 'tab', onclick: () => pick(name) }, name));
  pick(Object.keys(views)[0]!);
  const note = d.body_truncated
    ? h('p', { class: 'warn' }, `Rejected: only the first ${bytes.length} of ${d.body_size} bytes were kept (sha256 ${d.body_sha256}).`)
    : u.body_shown < d.body_size
      ? h('p', { class: 'muted', id: 'preview-note' }, `Showing the first ${Math.round(u.body_shown / 1024)} KB of ${(d.body_size / 1024 / 1024).toFixed(1)} MB: Download body for all of it.`)
      : null;
  return section(`Body, ${d.body_size} bytes${u.body_text === null ? ' (not UTF-8)' : ''}`, note, tabs, out);
}

function attemptView(a: Attempt): HTMLElement {
  const u = a.untrusted;
  const excerpt = u.response_text ?? (u.response_base64 ? hexDump(fromBase64(u.response_base64)) : '');
  return h(
    'li',
    {},
    h('div', {}, badge(a.kind, a.kind === 'refusal' ? 'bad' : 'muted'), ' ', statusBadge(a.status), a.kind === 'refusal' ? ' hooks listen answered the sender; nothing was forwarded' : ` ${ms(a.duration_ms)} → `, a.kind === 'refusal' ? null : h('span', { class: 'mono' }, a.target), a.resigned ? badge('re-signed', 'muted') : null, a.edited ? badge('edited', 'warn') : null, h('span', { class: 'muted' }, ` ${time(a.started_at)}`)),
    u.error ? h('div', { class: 'bad' }, u.error) : null,
    u.response_headers ? h('details', {}, h('summary', {}, 'Response headers'), h('pre', {}, Object.entries(u.response_headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`).join('\n'))) : null,
    excerpt ? h('details', {}, h('summary', {}, 'Response body (first 2 KB)'), h('pre', {}, excerpt)) : null,
  );
}

/** A replay's result as the route answers it (core/replay/replayer.ts's ReplayResult, the fields drawn here). */
interface Replayed {
  target: string;
  status: number | null;
  ok: boolean;
  error: string | null;
  withheld: string[];
  /** What the app's answer likely means, worded by core (the same words as listen's log). */
  hint: { finding: string; advice: string } | null;
}

/** What one replay got: the receiver's status, the start of its answer and what it likely means. */
function replayAnswer(res: Replayed, attempt: Attempt | undefined): HTMLElement {
  const u = attempt?.untrusted;
  const excerpt = u ? (u.response_text ?? (u.response_base64 ? hexDump(fromBase64(u.response_base64)) : '')) : '';
  const withheld = res.withheld.length ? h('p', { class: 'muted' }, `${res.withheld.join(', ')} not sent: it holds the secret (check "send secret headers" to send it)`) : null;
  return h(
    'div',
    { class: 'replay-answer' },
    h('p', {}, h('strong', { class: res.ok ? 'ok' : 'bad' }, res.ok ? 'Replayed' : 'Replay failed'), ' → ', h('span', { class: 'mono' }, res.target), ' ', res.status === null ? h('span', { class: 'bad' }, res.error ?? 'no answer') : statusBadge(res.status), attempt ? h('span', { class: 'muted' }, ` ${ms(attempt.duration_ms)}`) : null),
    res.hint ? h('p', { class: 'hint' }, h('strong', { class: 'warn' }, res.hint.finding), `: ${res.hint.advice}`) : null,
    !res.ok && excerpt ? h('div', {}, h('h4', {}, 'The receiver answered'), h('pre', { class: 'answer' }, excerpt)) : null,
    withheld,
  );
}

async function show(id: string): Promise<void> {
  openId = id;
  for (const tr of tbody.children) tr.classList.toggle('open', (tr as HTMLElement).dataset.id === id);
  const d = await api<Detail>('GET', `/api/deliveries/${encodeURIComponent(id)}`);
  const u = d.untrusted;
  const target = h('input', { name: 'target', placeholder: d.targets[0] ?? 'a target: 3000/webhooks', size: 32 });
  const sendSecrets = h('input', { type: 'checkbox', name: 'send-secret-headers' });
  const status = h('div', { class: 'actions-out' });
  const attempts = h('section', { class: 'block' });
  const listAttempts = (list: Attempt[]) =>
    attempts.replaceChildren(h('h3', {}, `Attempts (${list.length})`), list.length ? h('ol', { class: 'attempts' }, ...list.map(attemptView)) : h('p', { class: 'muted' }, 'Never forwarded.'));
  listAttempts(d.attempts);
  // The detail stays as it is (an edit in the box, a target typed): the answer goes below the actions, the attempt into the list.
  const replay = async (body?: Uint8Array, resign = false) => {
    try {
      const r = await api<{ results: Replayed[]; attempts: Attempt[] }>('POST', `/api/deliveries/${id}/replay`, {
        target: target.value.trim() || undefined,
        ...(body ? { body_base64: toBase64(body) } : {}),
        resign,
        send_secret_headers: sendSecrets.checked,
      });
      const made = r.attempts.slice(-r.results.length);
      status.replaceChildren(h('div', { id: 'replay-answer' }, ...r.results.map((res, i) => replayAnswer(res, made[i]))));
      listAttempts(r.attempts);
    } catch (err) {
      status.replaceChildren(h('p', { class: 'bad', id: 'replay-answer' }, (err as Error).message));
    }
    status.scrollIntoView({ block: 'nearest' });
  };
  const editor = h('textarea', { class: 'editor', rows: 12, spellcheck: false, 'aria-label': 'edited body' });
  // Indented when it is JSON: what is sent (and re-signed) is exactly what the box holds.
  editor.value = u.body_pretty ?? u.body_text ?? '';
  const preview = h('div', { class: 'preview' });
  const editBox = h(
    'div',
    { class: 'edit', hidden: true },
    editor,
    h('div', {}, h('button', { type: 'button', id: 'preview', onclick: () => void previewEdit() }, 'Preview diff'), ' ', h('button', { type: 'button', id: 'send-edited', onclick: () => void replay(new TextEncoder().encode(editor.value), true) }, 'Send edited, re-signed')),
    preview,
  );
  const previewEdit = async () => {
    try {
      const p = await api<{ diff: Array<{ op: string; text: string }> | null; headers: Array<[string, string]> }>('POST', `/api/deliveries/${id}/preview`, { body_base64: toBase64(new TextEncoder().encode(editor.value)) });
      preview.replaceChildren(h('h4', {}, 'Body, against the stored one'), diffView(p.diff), h('h4', {}, 'Headers to be sent'), h('pre', {}, p.headers.map(([k, v]) => `${k}: ${v}`).join('\n')));
    } catch (err) {
      preview.replaceChildren(h('p', { class: 'bad' }, (err as ApiFailure).message));
    }
  };
  const curl = async () => {
    const r = await api<{ command: string; signed: boolean; env: string[] }>('POST', `/api/deliveries/${id}/curl`, { target: target.value.trim() || undefined });
    const box = h('textarea', { class: 'curl', rows: 8, readonly: true, 'aria-label': 'curl command' });
    box.value = r.command;
    const reads = r.env.length ? ` It reads ${r.env.join(', ')} for the header that is the secret itself: set it first.` : '';
    status.replaceChildren(h('p', { class: 'muted' }, `${r.signed ? 'Signed now: run it within the provider\'s tolerance.' : 'No secret known: the stored signature is kept.'}${reads}`), box);
    try {
      await navigator.clipboard.writeText(r.command);
      toast('curl command copied');
    } catch {
      box.select();
    }
  };
  $('#detail').replaceChildren(
    h('h2', { class: 'mono' }, d.id),
    h('p', { class: 'mono' }, `${u.method} ${u.path}`, h('span', { class: 'muted' }, `  received ${new Date(d.received_at).toLocaleString()}`)),
    section(
      'Signature',
      h('p', {}, verdictBadge(d.verdict), ` ${d.provider ?? 'unknown provider'}`, d.reason ? h('span', { class: 'mono' }, ` ${d.reason}`) : null),
      d.reason && u.reason_message ? h('p', { id: 'reason-message' }, u.reason_message) : null,
      d.checked_with ? h('p', { class: 'muted' }, 'checked with ', h('span', { class: 'mono' }, d.checked_with)) : null,
      u.hints.length ? h('ul', { class: 'hints' }, ...u.hints.map((x) => h('li', {}, h('strong', {}, x.code), ` ${x.message}`))) : null,
    ),
    ...(u.notes.length
      ? [section(
          'Schema',
          h('p', { class: 'warn', id: 'fit-note' }, `note: ${d.provider ?? '?'} ${u.event_type ?? '(unknown type)'} ${u.notes.join('; ')}`),
          h('p', { class: 'muted' }, 'Forwarded all the same. ', h('span', { class: 'mono' }, `hooks providers schema ${d.provider ?? 'PROVIDER'} ${u.event_type ?? 'TYPE'}`), ' prints what the platform documents.'),
        )]
      : []),
    section('Actions',
      h('div', { class: 'actions' },
        h('label', {}, 'Target ', target),
        h('label', { title: "Okta's and Auth0's Authorization is the secret itself: sent to another target only when this is checked" }, sendSecrets, ' send secret headers'),
        h('button', { type: 'button', id: 'replay', onclick: () => void replay() }, 'Replay'),
        h('button', { type: 'button', id: 'replay-resigned', disabled: !d.can_sign, title: d.can_sign ? 'with a fresh timestamp' : 'no secret known', onclick: () => void replay(undefined, true) }, 'Replay re-signed'),
        h('button', { type: 'button', id: 'edit', disabled: !d.can_sign || u.body_text === null || u.body_shown < d.body_size, title: u.body_shown < d.body_size ? 'too large to edit here' : undefined, onclick: () => (editBox.hidden = !editBox.hidden) }, 'Edit & replay'),
        h('button', { type: 'button', id: 'curl', onclick: () => void curl().catch((e: Error) => toast(e.message, 'bad')) }, 'Copy as curl'),
        h('button', { type: 'button', id: 'download', onclick: () => void download(`/api/deliveries/${encodeURIComponent(id)}/body`, {}, `${id}.body`) }, 'Download body'),
      ),
      editBox,
      status,
    ),
    section('Headers, as received', h('table', { class: 'headers' }, ...u.headers.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', { class: 'mono' }, v))))),
    bodyView(d),
    attempts,
  );
}

/** Saves an answer as a file: fetched with the tab's session (a plain link would carry none). */
async function download(path: string, init: RequestInit, name: string): Promise<void> {
  const res = await call(path, init);
  if (!res.ok) return toast(`${name}: ${res.status}`, 'bad');
  const url = URL.createObjectURL(await res.blob());
  h('a', { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function exportHar(): Promise<void> {
  await download('/api/export/har', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [...selected] }) }, 'hooks.har');
}

async function diffTwo(): Promise<void> {
  const [a, b] = [...selected];
  const d = await api<DiffView>('GET', `/api/diff?a=${encodeURIComponent(a!)}&b=${encodeURIComponent(b!)}`);
  openId = null;
  const cut = d.untrusted.cut ? [h('p', { class: 'muted' }, 'Cut: the lines past 256 KB are left out.')] : [];
  $('#detail').replaceChildren(h('h2', {}, 'Diff'), h('p', { class: 'mono' }, `- ${a}\n+ ${b}`), ...cut, section('Headers', diffView(d.untrusted.headers)), section('Body', diffView(d.untrusted.body)));
}

async function start(): Promise<void> {
  const meta = await api<{ mode: string; public_url: string | null; provider: string | null; secret: string | null; providers: string[]; store: string }>('GET', '/api/meta');
  $('#mode').textContent = meta.mode;
  $('#where').textContent = [meta.public_url, meta.provider, meta.secret ? `secret ${meta.secret}` : null, meta.store].filter(Boolean).join(' · ');
  const select = filters.elements.namedItem('provider') as HTMLSelectElement;
  for (const p of meta.providers) select.append(h('option', {}, p));
  let timer: ReturnType<typeof setTimeout> | undefined;
  filters.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(true), 250);
  });
  filters.addEventListener('submit', (e) => e.preventDefault());
  $('#more').addEventListener('click', () => void load(false));
  $('#har').addEventListener('click', () => void exportHar());
  $('#diff').addEventListener('click', () => void diffTwo().catch((e: Error) => toast(e.message, 'bad')));
  await load(true);
}

start().catch((err: Error) => toast(err.message, 'bad'));

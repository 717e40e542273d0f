import { $, api, badge, h, statusBadge, time, toast, urlView } from './dom.js';

/**
 * The console's synchronous hooks: register a hook type at a receiver, then
 * sign in or register a user through it and see what the platform would do
 * with the answer (the token after the hook, allowed or denied and why, the
 * open or closed path a late or wrong answer takes). All through the API.
 */
const API = '/api/v1';

interface HookType {
  provider: string;
  type: string;
  name: string;
  flow: string;
  deadline_ms: number;
  fails: 'open' | 'closed';
  configurable: string | null;
  needs_secret: boolean;
  secret_format: string;
}
interface Hook {
  id: string;
  name: string;
  provider: string;
  type: string;
  url: string;
  fail_open: boolean;
  secret?: string | null;
}
interface Run {
  id: string;
  provider: string;
  type: string;
  flow: string;
  email: string | null;
  started_at: string;
  proceeds: boolean;
  signed_in?: boolean;
  registered?: boolean;
  token?: unknown;
  path: 'answer' | 'open' | 'closed';
  summary: string;
  reason: string | null;
  result: Record<string, unknown>;
  violations: Array<{ code: string; message: string }>;
  attempts: Array<{ status: number | null; latency_ms: number; late: boolean; response_excerpt: string }>;
  request: { headers: Record<string, string>; payload: unknown };
}

const registerForm = $('#hook-form') as HTMLFormElement;
const flowForm = $('#flow-form') as HTMLFormElement;
let types: HookType[] = [];

const pathBadge = (r: Run) => (r.path === 'answer' ? badge(r.proceeds ? 'allowed' : 'denied', r.proceeds ? 'ok' : 'bad') : badge(`fails ${r.path}`, 'warn'));

async function list(): Promise<void> {
  const hooks = await api<{ data: Hook[] }>('GET', `${API}/hooks`);
  $('#hooks tbody').replaceChildren(
    ...hooks.data.map((k) => {
      const t = types.find((x) => x.type === k.type);
      return h(
        'tr',
        { 'data-id': k.id, onclick: () => void runs(k) },
        h('td', {}, k.provider),
        h('td', { class: 'mono', title: k.type }, k.type),
        h('td', { class: 'mono', title: k.url }, urlView(k.url)),
        h('td', {}, k.fail_open ? badge('open (set)', 'warn') : t ? badge(t.fails, t.fails === 'open' ? 'warn' : 'muted') : ''),
      );
    }),
  );
  $('#no-hooks').hidden = hooks.data.length > 0;
}

function runView(r: Run): HTMLElement {
  const last = r.attempts.at(-1);
  return h(
    'li',
    { class: 'run' },
    h('div', {}, pathBadge(r), ' ', statusBadge(last?.status ?? null), ` ${r.provider} ${r.type} `, h('span', { class: 'muted' }, `${r.flow}${r.email ? ` as ${r.email}` : ''} · ${time(r.started_at)}`)),
    h('div', {}, r.summary),
    r.reason ? h('div', { class: 'bad' }, `The user sees: ${r.reason}`) : null,
    ...r.violations.map((v) => h('div', { class: 'bad' }, `violation [${v.code}] ${v.message}`)),
    r.token ? h('details', { open: true }, h('summary', {}, 'Token issued'), h('pre', {}, JSON.stringify(r.token, null, 2))) : Object.keys(r.result).length ? h('details', {}, h('summary', {}, 'What comes out'), h('pre', {}, JSON.stringify(r.result, null, 2))) : null,
    h('details', {}, h('summary', {}, 'Request sent'), h('pre', {}, JSON.stringify(r.request, null, 2))),
    last?.response_excerpt ? h('details', {}, h('summary', {}, 'Answer received'), h('pre', {}, last.response_excerpt)) : null,
  );
}

/** The hook whose runs the detail pane shows. */
let shown: Hook | null = null;

/** A hook's runs in the detail pane, newest first. */
async function runs(k: Hook): Promise<void> {
  shown = k;
  const page = await api<{ data: Run[] }>('GET', `${API}/hooks/${k.id}/runs?limit=50`);
  $('#detail').replaceChildren(
    h('h2', {}, `${k.name} `, h('span', { class: 'muted' }, `${k.provider} · ${k.id}`)),
    h('p', { class: 'mono' }, k.url),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => void remove(k) }, 'Remove')),
    h('h3', {}, 'Runs'),
    page.data.length ? h('ol', { class: 'feed', id: 'hook-runs' }, ...page.data.map(runView)) : h('p', { class: 'muted' }, 'No run yet: sign in or register a user with the form.'),
  );
}

async function remove(k: Hook): Promise<void> {
  await api('DELETE', `${API}/hooks/${k.id}`);
  shown = null;
  $('#detail').replaceChildren(h('p', { class: 'muted' }, 'Hook removed.'));
  await list();
}

async function register(e: Event): Promise<void> {
  e.preventDefault();
  const values = new FormData(registerForm);
  const [provider, type] = String(values.get('type')).split(' ');
  const secret = String(values.get('secret') ?? '').trim();
  try {
    const hook = await api<Hook>('POST', `${API}/hooks`, { provider, type, url: String(values.get('url')), ...(secret ? { secret } : {}), ...(values.get('fail_open') ? { fail_open: true } : {}) });
    toast(hook.secret ? `Registered ${hook.type}. Its secret (shown once): ${hook.secret}` : `Registered ${hook.type}.`);
    await list();
  } catch (err) {
    toast((err as Error).message, 'bad');
  }
}

async function flow(name: 'sign-in' | 'register'): Promise<void> {
  const email = String(new FormData(flowForm).get('email') ?? '').trim();
  try {
    const r = await api<Run>('POST', `${API}/flows/${name}`, email ? { email } : {});
    $('#flow-result').replaceChildren(h('ol', { class: 'feed' }, runView(r)));
    toast(r.summary, r.violations.length === 0 ? 'ok' : 'bad');
  } catch (err) {
    toast((err as Error).message, 'bad');
  }
}

async function start(): Promise<void> {
  types = (await api<{ data: HookType[] }>('GET', `${API}/hook-types`)).data;
  const select = registerForm.elements.namedItem('type') as HTMLSelectElement;
  select.replaceChildren(...types.map((t) => h('option', { value: `${t.provider} ${t.type}` }, `${t.provider}: ${t.name} (${t.type}; waits ${t.deadline_ms / 1000} s, fails ${t.fails})`)));
  const showSecret = () => {
    const t = types.find((x) => `${x.provider} ${x.type}` === select.value);
    const secret = registerForm.elements.namedItem('secret') as HTMLInputElement;
    secret.disabled = !t?.needs_secret;
    secret.placeholder = t?.needs_secret ? `${t.secret_format} (generated when empty)` : 'none: this platform signs nothing';
    (registerForm.elements.namedItem('fail_open') as HTMLInputElement).disabled = !t?.configurable;
  };
  select.addEventListener('change', showSecret);
  showSecret();
  registerForm.addEventListener('submit', (e) => void register(e));
  flowForm.addEventListener('submit', (e) => e.preventDefault());
  $('#sign-in').addEventListener('click', () => void flow('sign-in'));
  $('#register').addEventListener('click', () => void flow('register'));
  // A run by this server or any other instance on the same database (the live stream, console.ts):
  // the open hook's runs follow, and the list, for a hook registered on another instance.
  window.addEventListener('hook-run', (e) => {
    const { hook_id } = (e as CustomEvent<{ hook_id: string }>).detail;
    if (shown?.id === hook_id && document.querySelector('#detail h2')) void runs(shown).catch(() => undefined);
    if (!document.querySelector(`#hooks tr[data-id="${CSS.escape(hook_id)}"]`)) void list().catch(() => undefined);
  });
  await list();
}

start().catch((err: Error) => toast(err.message, 'bad'));

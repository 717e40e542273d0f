import { appAnswerHint } from '../../core/relay/app-answer-hint.js';
import type { RelayEvent } from '../../core/relay/events.js';
import { hintLine } from '../../core/signing/hint.js';
import { fitNote } from './fit-note.js';
import type { ContractNote } from '../../core/sync/listen-check.js';
import { ListenStatus } from './listen-status.js';
import { flushLines, printTimedJsonLine } from './output.js';
import { style } from './style.js';
import { bytes, duration } from './units.js';
import { cut, shownLength, terminalWidth } from './width.js';
import { visibleDeep } from '../../core/visible.js';

/** The target cut (in its middle) so that the whole line fits the terminal; as it is when no width is known. */
function fitted(target: string, head: string, tail: string): string {
  const width = terminalWidth();
  return width === null ? target : cut(target, Math.max(12, width - shownLength(head) - shownLength(tail)));
}

/** What an app's refusal of a forwarded delivery likely means, on the line below its line. */
function appAnswerLines(e: Extract<RelayEvent, { type: 'delivery.forwarded' }>): string[] {
  const hint = appAnswerHint({ status: e.status, target: e.target, provider: e.provider, signed: e.verdict === 'verified' ? 'verified' : null }, '--forward');
  return hint ? [`         ${style.warn(hint.finding)}: ${hint.advice}`] : [];
}

type Ready = Extract<RelayEvent, { type: 'listen.ready' }>;

/** Where each provider's and each event type's deliveries go, under the Ready line. */
function routeLines(e: Ready): string[] {
  const routes = [...e.provider_routes.map((r) => `${r.provider} → ${r.targets.join(', ')}`), ...e.routes.map((r) => `${r.pattern} → ${r.target}`)];
  if (e.provider_routes.length > 0 && e.targets.length === 0) routes.push(style.dim('any other delivery → none: 404 (a plain --forward takes them)'));
  return routes.map((r, i) => `  ${i === 0 ? 'routes        ' : '              '}${r}`);
}

/**
 * What the session verifies with, one line a provider: the secret masked and
 * where it comes from (a flag, a variable, hooks.json, or the session's own
 * secret with the command that prints it); then what every other provider
 * meets.
 */
function secretLines(e: Ready): string[] {
  if (e.secrets.length === 0 && e.other_secrets === 'none') return [`  secrets       ${style.warn('none: deliveries are forwarded unverified (pass --secret to verify)')}`];
  const label = (p: string) => (p === '*' ? 'every provider' : p);
  const rows: Array<[string, string, string]> = e.secrets.map((s) => [label(s.provider), style.bold(s.secret), s.print_secret ? style.dim(`session secret: ${s.print_secret} prints it`) : `from ${s.source}`]);
  const bare = e.secrets.some((s) => s.provider === '*');
  if (e.other_secrets === 'session') rows.push(['others', '', style.dim(`each its own session secret (hooks listen --print-secret --provider P)${bare ? ' where --secret does not fit its scheme' : ''}`)]);
  else if (!bare) rows.push(['others', '', style.dim('none: a delivery read as another provider cannot be verified (--secret P=S gives one)')]);
  const width = Math.max(...rows.map(([l]) => l.length));
  const masks = Math.max(...rows.map(([, m]) => shownLength(m)));
  return rows.map(([l, m, from], i) => `  ${i === 0 ? 'secrets       ' : '              '}${l.padEnd(width)}  ${m}${' '.repeat(masks - shownLength(m))}  ${from}`);
}

/** Erases the status line so a log line can take its place. */
const CLEAR_LINE = '\r\x1b[2K';

/**
 * Renders a listen session: one line a delivery for a person, or every
 * engine event as JSON. On a terminal, a status line stays below the log,
 * redrawn each second.
 */
export class ListenRenderer {
  private readonly status = new ListenStatus();
  private statusShown = false;
  private redraw = false;
  private ticker: NodeJS.Timeout | null = null;
  private tunnel: string | null = null;
  /** How many subscriptions the session made or borrowed (the stop line says "subscriptions" for several). */
  private subscriptions = 0;

  constructor(
    private readonly json: boolean,
    private readonly tty = Boolean(process.stdout.isTTY),
  ) {}

  /**
   * `--print-secret`: the secret alone (or as JSON), for `$(…)`; when a
   * secret is given for that provider too, stderr says a session verifies
   * with that one instead.
   */
  printSecret(result: { provider: string; secret: string }, given: { source: string } | null = null): void {
    process.stdout.write(this.json ? `${JSON.stringify(result)}\n` : `${result.secret}\n`);
    if (given) process.stderr.write(`${style.warn('note')} this is ${result.provider}'s session secret; with ${given.source} given, a session verifies ${result.provider} deliveries with that one instead (and subscribes with it)\n`);
  }

  /** A warning written out at once: the process exits right after (a second Ctrl-C). */
  lastWords(message: string): void {
    this.render({ type: 'listen.warning', message });
    flushLines();
  }

  render(e: RelayEvent): void {
    if (this.json) return printTimedJsonLine(e);
    this.status.observe(e, Date.now());
    if (e.type === 'tunnel.url' && !e.restarted) this.tunnel = e.tunnel;
    if (e.type === 'listen.ready') this.subscriptions = e.subscriptions.length;
    const line = this.line(visibleDeep(e));
    if (line !== null) {
      this.hideStatus();
      (e.type === 'listen.warning' || e.type === 'store.failed' || e.type === 'store.damaged' ? process.stderr : process.stdout).write(`${line}\n`);
    }
    if (!this.tty) return;
    if (e.type === 'listen.ready') {
      this.ticker = setInterval(() => this.showStatus(), 1000);
      this.ticker.unref();
    }
    if (e.type === 'listen.stopping' && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
      this.hideStatus();
    }
    // Redrawn once per turn of the event loop, not once per line: a burst of deliveries writes it once.
    if (this.ticker && !this.statusShown && !this.redraw) {
      this.redraw = true;
      setImmediate(() => {
        this.redraw = false;
        if (this.ticker) this.showStatus();
      });
    }
  }

  private showStatus(): void {
    const text = this.status.text(Date.now());
    if (text === null) return;
    process.stdout.write(`${CLEAR_LINE}${this.status.unhealthy ? style.warn(text) : style.dim(text)}`);
    this.statusShown = true;
  }

  private hideStatus(): void {
    if (!this.statusShown) return;
    process.stdout.write(CLEAR_LINE);
    this.statusShown = false;
  }

  private line(e: RelayEvent): string | null {
    const time = style.dim(new Date().toTimeString().slice(0, 8));
    const what = (x: { provider: string | null; event_type: string | null; event_id: string | null }) =>
      `${x.provider ?? '?'} ${style.bold(x.event_type ?? '(unknown type)')} ${style.dim(x.event_id ?? '-')}`;
    const verdict = (v: string) => (v === 'verified' ? style.ok('✓ verified') : v === 'invalid' ? style.bad('✗ invalid') : style.warn('? unverified'));
    // Said, never refused: what the body lacks against its platform's schema.
    const note = (x: { provider: string | null; event_type: string | null; notes: string[] }) => (x.notes.length > 0 ? `  ${style.warn(`note: ${fitNote(x)}`)}` : '');
    switch (e.type) {
      case 'listen.ready': {
        const holds = e.secrets.length > 0 || e.other_secrets === 'session';
        const plain = e.targets.join(', ') || (e.provider_routes.length > 0 ? '(by provider, below)' : '(routes only, below)');
        return [
          `${style.ok('Ready!')} ${style.code(e.public_url)} → ${plain}`,
          ...routeLines(e),
          ...(e.subscriptions.length > 0
            ? e.subscriptions.map((s, i, all) => `  ${i === 0 ? 'subscription  ' : '              '}${s.id} (${s.provider})${i < all.length - 1 ? '' : e.restore_url ? `: URL restored to ${e.restore_url} on exit` : all.length > 1 ? ': each deleted when this session ends' : ': deleted when this session ends'}`)
            : ['  subscription  none (--no-subscribe): send deliveries to the URL above']),
          ...secretLines(e),
          ...(holds && e.forward_invalid ? [`  unchecked     ${style.warn('forwarded too: invalid signatures (marked invalid) and deliveries that cannot be verified (--forward-invalid)')}`] : []),
          ...(holds && !e.forward_invalid && e.forward_unverified ? [`  unchecked     ${style.warn('deliveries that cannot be verified (no signature, or a provider without a secret) are forwarded, marked unverified (--forward-unverified); invalid signatures get 401')}`] : []),
          ...(holds && !e.forward_unverified ? [`  unchecked     ${style.dim('a delivery that does not verify gets 401: a bad signature, no signature, or a provider without a secret (--secret P=S)')}`] : []),
          `  local         ${e.local_url}`,
          ...(this.tunnel ? [`  tunnel        ${this.tunnel}  ${style.dim('(probed through its public URL; restarted when it stops carrying traffic)')}`] : []),
          ...(e.inspect_url ? [`  Inspect       ${style.code(e.inspect_url)}  ${style.dim('(one tab, once; hooks inspect --link prints another)')}`] : []),
          ...(e.project_file ? [`  project       ${e.project_file} (flags override it)`] : []),
          `  store         ${e.store.file}  ${style.dim(`${bytes(e.store.bytes)} of ${bytes(e.store.max_bytes)}; deliveries older than ${duration(e.store.max_age_ms)} are removed${e.store.removed ? `; removed ${e.store.removed} now` : ''}`)}`,
          style.dim('Ctrl-C to stop.'),
        ].join('\n');
      }
      case 'tunnel.url':
        return e.restarted ? `${time} ${style.warn('new public URL:')} ${style.code(e.url)}` : null;
      case 'tunnel.probe':
        return e.ok ? null : `${time} ${style.warn(`probe through the tunnel failed (${e.reason.replace('_', ' ')}): ${e.error}`)}`;
      case 'tunnel.unhealthy':
        return `${time} ${style.bad(`tunnel unhealthy: ${e.reason}`)}`;
      case 'tunnel.restarting':
        return `${time} ${style.warn(`restarting the tunnel in ${e.delay_ms / 1000} s (attempt ${e.attempt}); deliveries meanwhile get 503 and are sent again`)}`;
      case 'tunnel.restored':
        return `${time} ${style.ok('tunnel restored')} after ${(e.down_ms / 1000).toFixed(1)} s${e.url_changed ? ` at ${style.code(e.url)}` : ''}`;
      case 'catchup.done': {
        if (e.after === 'restored' && e.found === 0) return null;
        const more = [
          e.failed ? `${e.failed} still failing` : '',
          e.skipped ? `${e.skipped} older ones left to the platform's retries` : '',
          ...e.errors.slice(0, 3),
        ].filter(Boolean);
        return `${time} caught up ${e.retried} deliver${e.retried === 1 ? 'y' : 'ies'} of ${e.subscription_id}${e.since ? ` missed since ${e.since}` : ''}${more.length ? style.warn(`; ${more.join('; ')}`) : ''}`;
      }
      case 'subscription.updated':
        return `${time} subscription ${e.subscription_id} now points at ${e.url}`;
      case 'delivery.received':
      case 'delivery.verified':
        // Shown in the delivery's one line once it is forwarded or refused.
        return null;
      case 'delivery.forwarded': {
        const status = e.status < 300 ? style.ok(String(e.status)) : e.status < 500 ? style.warn(String(e.status)) : style.bad(String(e.status));
        const mark = e.status < 300 ? style.ok('✓') : e.status < 500 ? style.warn('!') : style.bad('✗');
        const head = `${time} ${mark} ${what(e)} ${verdict(e.verdict)} → `;
        const tail = ` ${status} ${style.dim(`${e.latency_ms} ms`)}`;
        // An answer over 10 MB reached the sender cut: said below its line, as it is stored.
        const over = e.answer_bytes !== undefined ? [`         ${style.warn(`the app's answer was ${bytes(e.answer_bytes)}: the sender got its first 10 MB only`)}`] : [];
        return [`${head}${fitted(e.target, head, tail)}${tail}${note(e)}${hookNote(e.contract)}`, ...over, ...appAnswerLines(e)].join('\n');
      }
      case 'delivery.failed':
        // The forward's failure leads the line: a verified delivery that never reached the app is a failure.
        return `${time} ${style.bad(`✗ ${e.status} ${e.error}`)} ${what(e)} ${verdict(e.verdict)} → ${e.target} ${style.dim(`${e.latency_ms} ms`)}${note(e)}\n         ${style.bad('not delivered to your app')}: ${e.status === 504 ? 'it did not answer in time (--timeout)' : e.status === 503 ? 'listen stopped before it answered' : `is it running on ${new URL(e.target).host}?`} The sender got ${e.status} and will retry; hooks events replay ${e.id} sends it again.`;
      case 'delivery.rejected': {
        if (e.status === 413) return `${time} ${style.bad(`413 ${e.message}`)}`;
        if (e.status === 404) return `${style.bad(`${time} ${what(e)} ✗ ${e.reason} → 404, not forwarded`)}${note(e)}\n         ${e.message}`;
        const hints = e.hints.map((h) => `\n         ${hintLine(h)}`).join('');
        const checked = style.dim(`(read as ${e.provider ?? 'no known provider'}${e.secret ? `, checked with ${e.secret}` : ''})`);
        const flag = e.verdict === 'invalid' ? '--forward-invalid' : '--forward-unverified';
        return `${style.bad(`${time} ${what(e)} ✗ ${e.reason}: ${e.message} → 401, not forwarded (${flag} forwards it)`)} ${checked}${note(e)}${hints}`;
      }
      case 'websub.challenge':
        return `${time} WebSub ${e.mode} verification for ${e.topic ?? '(no topic)'}: challenge echoed`;
      case 'websub.denied':
        return `${time} ${style.warn(`WebSub subscription denied for ${e.topic ?? '(no topic)'}${e.reason ? `: ${e.reason}` : ''}`)}`;
      case 'okta.verification':
        return e.answered_by === 'app'
          ? `${time} Okta verification request: answered by your app`
          : `${time} Okta verification request: ${style.warn(`answered by hooks listen`)} ${style.dim(e.app_status === null ? '(no app to ask)' : `(your app answered ${e.app_status} without the verification value)`)}`;
      case 'listen.warning':
        return `${style.warn('warning')} ${e.message}`;
      case 'store.damaged':
        return `${time} ${style.bad(`the store ${e.file} is damaged (${e.reason})`)}: moved it to ${e.moved_to}; deliveries go on in a fresh store. Bring back what can be read: ${style.code(e.salvage)}`;
      case 'store.failed':
        return `${time} ${style.bad(`cannot store deliveries: ${e.message}`)}; they get 503 with Retry-After (the platform sends them again) until it is fixed${e.hint ? `\n         fix: ${e.hint}` : ''}`;
      case 'store.recovered':
        return `${time} ${style.ok('storing deliveries again')} after ${(e.down_ms / 1000).toFixed(1)} s; ${e.refused} were refused with 503 meanwhile`;
      case 'listen.stopping':
        return `${time} stopping${e.in_flight ? `: finishing ${e.in_flight} forward(s) in flight` : ''}…`;
      case 'store.pruned':
        return `${time} ${style.dim(`store: removed the ${e.removed} oldest deliveries to stay under ${bytes(e.max_bytes)} and ${duration(e.max_age_ms)}`)}`;
      case 'listen.stopped':
        return `${time} stopped${e.subscription === 'deleted' ? `; session subscription${this.subscriptions > 1 ? 's' : ''} deleted` : e.subscription === 'restored' ? '; subscription URL restored' : ''}`;
    }
  }
}

/**
 * A synchronous hook's answer as its platform reads it: which hook it was,
 * and on a second line each contract violation and what the platform would
 * do (the app's answer went back unchanged).
 */
function hookNote(c: ContractNote | undefined): string {
  if (!c) return '';
  if (c.violations.length === 0) return style.dim(`  (${c.provider} ${c.type}: answer fits the contract)`);
  const lines = c.violations.map((v) => `\n         ${style.bad(`✗ contract [${v.code}]`)} ${c.provider} ${c.type}: ${v.message}`);
  return `${lines.join('')}\n         ${style.dim(`${c.provider} would: ${c.summary}${c.path === 'answer' ? '' : ` (fails ${c.path})`}; your app's answer was returned as it was`)}`;
}


import type { ServerEvent } from '../../server/events.js';
import { printTimedJsonLine } from './output.js';
import { style } from './style.js';
import { visibleDeep } from '../../core/visible.js';

/** Renders the emulator's events: a line a person reads, or one JSON object a line. */
export class ServerRenderer {
  constructor(private readonly json: boolean) {}

  render(e: ServerEvent): void {
    if (this.json) return printTimedJsonLine(e);
    const line = this.line(visibleDeep(e));
    if (line) (e.type === 'server.warning' || e.type === 'storage.failed' ? process.stderr : process.stdout).write(`${line}\n`);
  }

  private line(e: ServerEvent): string | null {
    const time = style.dim(new Date().toTimeString().slice(0, 8));
    switch (e.type) {
      case 'server.ready':
        return [
          `${style.bold('hooks server')}  ${style.code(e.url)}  ${style.dim(`default provider ${e.provider}, time scale ${e.time_scale}${e.strict_urls ? ', strict URLs' : ''}`)}`,
          `  database  ${e.database}`,
          e.token_file ? `  token     ${e.token_created ? 'created and ' : ''}stored in ${e.token_file} (0600); the hooks CLI on this machine uses it` : null,
          e.resumed > 0 ? `  resumed   ${e.resumed} pending deliveries` : null,
          `  API       ${e.url}/api/v1  (schema: ${e.url}/api/v1/openapi.json)`,
          e.console_url ? `  Console   ${style.code(e.console_url)}  ${style.dim('(one tab, once; hooks server --console-link prints another)')}` : null,
          style.ok('Ready.') + style.dim(' Ctrl-C to stop.'),
        ]
          .filter(Boolean)
          .join('\n');
      case 'delivery.attempted': {
        const mark = e.success ? style.ok('✓') : style.bad('✗');
        const status = e.status_code === null ? style.bad('---') : e.success ? style.ok(String(e.status_code)) : style.bad(String(e.status_code));
        const next = e.next_retry_at ? style.warn(` retry at ${e.next_retry_at.slice(11, 19)}`) : !e.success ? style.bad(' gave up') : '';
        const why = !e.success && e.error ? style.dim(` ${e.error}`) : '';
        return `${time} ${mark} ${status} ${e.provider} ${e.event_type} ${style.dim(e.event_id)} → ${e.url} ${style.dim(`#${e.attempt} ${e.duration_ms} ms`)}${next}${why}`;
      }
      case 'event.created':
        return e.deliveries === 0 ? `${time} ${style.dim(`event ${e.event_type} ${e.event_id}: no active ${e.provider ? `${e.provider} ` : ''}subscription matches`)}` : null;
      case 'hook.called': {
        const mark = e.violations.length > 0 ? style.bad('✗') : e.proceeds ? style.ok('✓') : style.warn('!');
        const status = e.status_code === null ? style.bad('---') : String(e.status_code);
        const path = e.path === 'answer' ? '' : style.warn(` fails ${e.path}`);
        return `${time} ${mark} ${status} ${e.provider} ${e.hook_type} ${style.dim(`${e.flow} ${e.run_id}`)} → ${e.url} ${style.dim(`${e.duration_ms} ms`)}${path}${e.violations.length ? style.bad(` [${e.violations.join(', ')}]`) : ''}\n         ${style.dim(e.summary)}`;
      }
      case 'subscription.disabled':
        return `${time} ${style.warn(`subscription ${e.subscription_id} disabled: ${e.reason}`)}`;
      case 'websub.verification':
        return `${time} ${e.ok ? style.ok('✓') : style.bad('✗')} ${e.handshake === 'websub' ? 'WebSub' : 'Okta verification'} ${e.mode} ${e.subscription_id} ${style.dim(e.topics.join(', '))}${e.error ? ` ${style.bad(e.error)}` : ''}`;
      case 'server.warning':
        return `${style.warn('warning')} ${e.message}`;
      case 'storage.failed':
        return `${time} ${style.bad('store')} ${e.message}${e.hint ? style.dim(`: ${e.hint}`) : ''}; the API answers 503 meanwhile`;
      case 'storage.recovered':
        return `${time} ${style.ok('store')} works again after ${Math.round(e.after_ms / 1000)} s`;
      case 'server.error':
        return `${time} ${style.bad('error')} ${e.message}`;
      case 'server.stopping':
        return `${time} stopping${e.in_flight ? `: waiting for ${e.in_flight} attempt(s) in flight` : ''}…`;
      case 'server.stopped':
        return `${time} stopped; database closed`;
    }
  }
}

/** A fresh console link: the URL alone (for scripts), or {"console_url"}. */
export function printConsoleLink(url: string, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify({ console_url: url })}\n` : `${url}\n`);
}

import { PROVIDER_ID_WIDTH } from '../../core/providers/registry.js';
import type { DemoEvent } from '../../demo/demo.js';
import { printJsonLine } from './output.js';
import { style } from './style.js';
import { visibleDeep } from '../../core/visible.js';

const NEXT = `
What to run next (with a real app on port 3000):
  hooks server                                        # the emulator, in its own terminal
  hooks listen --forward localhost:3000/webhooks --tunnel none --provider ithbat
  hooks trigger user.created                          # to every subscription that asked for it
  hooks events list                                   # what listen stored
  hooks events replay <id>                            # send one again
  hooks verify --secret "$SECRET" --header 'X-Ithbat-Signature: …' --body-file body.json
  hooks trigger user.created --to 3000/webhooks --secret "$SECRET" --provider ithbat
  hooks doctor                                        # if something does not work
`;

export class DemoRenderer {
  constructor(private readonly json: boolean) {}

  render(e: DemoEvent): void {
    if (this.json) return printJsonLine(e);
    e = visibleDeep(e);
    const mark = (ok: boolean) => (ok ? style.ok('✓') : style.bad('✗'));
    switch (e.type) {
      case 'step':
        process.stdout.write(`${mark(e.ok)} ${style.bold(e.name.padEnd(20))} ${e.detail}\n`);
        if (e.name === 'listen') process.stdout.write(`\n${style.bold('One event for each provider')}: hooks server signs and delivers, hooks listen verifies, stores and forwards, the app verifies again\n`);
        break;
      case 'activation':
        process.stdout.write(`${mark(e.ok)} ${e.provider.padEnd(PROVIDER_ID_WIDTH)} ${'subscribe'.padEnd(34)} ${e.ok ? '' : style.bad('failed: ')}${e.detail}\n`);
        break;
      case 'delivery':
        process.stdout.write(`${mark(e.ok)} ${e.provider.padEnd(PROVIDER_ID_WIDTH)} ${e.event_type.padEnd(34)} ${String(e.status ?? '---').padEnd(4)} listen: ${colour(e.relay)}  app: ${colour(e.app)}${e.latency_ms !== null ? style.dim(`  ${e.latency_ms} ms`) : ''}\n`);
        break;
      case 'replay':
        process.stdout.write(`\n${mark(e.ok)} ${style.bold('replay'.padEnd(20))} stored delivery ${e.id} (${e.provider} ${e.event_type}) sent again: ${e.status ?? 'no answer'}\n`);
        break;
      case 'done':
        if (e.ok) process.stdout.write(`\n${style.ok('All steps succeeded.')} Everything was stopped and the temporary data removed.\n${NEXT}`);
        else process.stdout.write(`\n${style.bad('Some steps failed:')}\n${e.failures.map((f) => `  - ${f}`).join('\n')}\n`);
    }
  }
}

function colour(verdict: string): string {
  return verdict === 'verified' ? style.ok(verdict) : style.bad(verdict);
}

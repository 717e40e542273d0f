import { checkbox, confirm, input, select } from '@inquirer/prompts';
import type { ConnectionFlags } from '../../core/api/connection.js';
import { subscriptions } from '../../core/api/subscriptions.js';
import { OperationError, UsageError } from '../../core/errors.js';
import { parseTarget } from '../../core/http/target.js';
import { PROVIDER_ID_WIDTH, PROVIDERS } from '../../core/providers/registry.js';

interface Given {
  url?: string;
  events?: string[];
  name?: string;
  provider?: string;
}

/** Asks for what `subscriptions create` was not given; the event list comes from the API's catalog. */
export async function askSubscription(flags: ConnectionFlags, given: Given): Promise<{ url: string; events: string[]; name: string; provider?: string }> {
  const url =
    given.url ??
    parseTarget(
      await input({
        message: 'Receiver URL',
        default: 'http://127.0.0.1:3000/webhooks',
        validate: (value) => {
          try {
            parseTarget(value, 'the URL');
            return true;
          } catch {
            return 'not a URL: a port (3000), host:port/path, or http(s)://… such as http://127.0.0.1:3000/webhooks';
          }
        },
      }),
      'the URL',
    ).href;
  const provider =
    given.provider ??
    (given.events
      ? undefined
      : await select({
          message: 'Provider (signature scheme and envelope)',
          choices: PROVIDERS.map((p) => ({ value: p.id, name: `${p.id.padEnd(PROVIDER_ID_WIDTH)} ${p.name}` })),
        }));
  let events = given.events;
  if (!events?.length) {
    const catalog = await subscriptions.eventTypes(flags, provider);
    events = await checkbox({
      message: 'Events (space to pick, enter to confirm)',
      choices: [
        { value: '*', name: '* (every event)' },
        ...catalog.patterns.filter((p) => p !== '*').map((p) => ({ value: p, name: `${p} (the whole category)` })),
        ...catalog.data.map((t) => ({ value: t.type, name: `${t.type}  ${t.description}` })),
      ],
      required: true,
      pageSize: 12,
    });
  }
  const name = given.name ?? (await input({ message: 'Name', default: 'dev', validate: (v) => (v.trim() ? true : 'a name is required') }));
  return { url, events, name, ...(provider ? { provider } : {}) };
}

/** Asks before `subscriptions delete` on a terminal; refuses in scripts without --yes. */
export async function confirmDelete(flags: ConnectionFlags, id: string, interactive: boolean): Promise<void> {
  if (!interactive) throw new UsageError(`refusing to delete ${id} without --yes`, 'nothing is asked when not at a terminal: add --yes');
  const sub = await subscriptions.get(flags, id);
  if (!(await confirm({ message: `Delete ${sub.id} "${sub.name}" (${sub.url}) and its delivery history?`, default: false }))) {
    throw new OperationError(`not deleted: ${sub.id} is kept`, 'answer yes, or pass --yes', 'not_confirmed');
  }
}

import { checkbox, input, select } from '@inquirer/prompts';
import type { ApiClient } from '../../core/api/client.js';
import { PROVIDERS } from '../../core/providers/registry.js';

interface Partial {
  url?: string;
  events?: string[];
  name?: string;
  provider?: string;
}

/** Asks for what `subscriptions create` was not given; the event list comes from the API's catalog. */
export async function askSubscription(client: ApiClient, given: Partial): Promise<Required<Omit<Partial, 'provider'>> & { provider?: string }> {
  const url =
    given.url ??
    (await input({
      message: 'Receiver URL',
      default: 'http://127.0.0.1:3000/webhooks',
      validate: (value) => {
        try {
          const u = new URL(value);
          return u.protocol === 'http:' || u.protocol === 'https:' ? true : 'use an http:// or https:// URL';
        } catch {
          return 'not a URL: e.g. http://127.0.0.1:3000/webhooks';
        }
      },
    }));
  const provider =
    given.provider ??
    (given.events
      ? undefined
      : await select({
          message: 'Provider (signature scheme and envelope)',
          choices: PROVIDERS.map((p) => ({ value: p.id, name: `${p.id.padEnd(12)} ${p.name}` })),
        }));
  let events = given.events;
  if (!events?.length) {
    const catalog = await client.eventTypes(provider);
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
  return { url, events, name, provider };
}

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launch } from '../helpers/browser.js';
import { startHooksServer, type HooksServer } from '../helpers/hooks-server.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { oktaReceiver, replyJson } from '../helpers/sync-receivers.js';

const chromium = findChromium();

describe.skipIf(!chromium)("the console's synchronous hooks, in Chromium", () => {
  let browser: Browser;
  let server: HooksServer;
  let app: Receiver;
  const SECRET = 'okta-console-secret';

  beforeAll(async () => {
    app = await startReceiver(oktaReceiver(SECRET, (p) => (p.eventType === 'com.okta.oauth2.tokens.transform' ? replyJson({ commands: [{ type: 'com.okta.access.patch', value: [{ op: 'add', path: '/claims/plan', value: 'pro' }] }] }) : { status: 204 })));
    server = await startHooksServer();
    browser = await launch(chromium!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill9();
    await app?.close();
  });

  it('registers a token hook, signs a user in through it, and shows the token and the run', async () => {
    const link = ((await (await fetch(`${server.url}/console/link`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } })).json()) as { console_url: string }).console_url;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(link);
    await page.waitForSelector('#hook-form select[name=type] option', { state: 'attached' });
    await page.selectOption('#hook-form select[name=type]', 'okta com.okta.oauth2.tokens.transform');
    await page.fill('#hook-form input[name=url]', `${app.url}/token`);
    await page.fill('#hook-form input[name=secret]', SECRET);
    await page.click('#hook-form button[type=submit]');
    await page.waitForSelector('#hooks tbody tr');
    expect(await page.textContent('#hooks tbody tr')).toContain('com.okta.oauth2.tokens.transform');
    await page.fill('#flow-form input[name=email]', 'ada@example.com');
    await page.click('#sign-in');
    await page.waitForSelector('#flow-result li.run');
    const run = await page.textContent('#flow-result li.run');
    expect(run).toContain('allowed');
    expect(run).toContain('"plan": "pro"');
    await page.click('#hooks tbody tr');
    await page.waitForSelector('#hook-runs li.run');
    expect(await page.textContent('#hook-runs li.run')).toContain('as ada@example.com');
    // A run made elsewhere (the API here; another instance on a shared database alike) shows up in the open pane by itself.
    await server.api('POST', '/flows/sign-in', { provider: 'okta', email: 'lin@example.com' });
    await page.waitForFunction(() => document.querySelectorAll('#hook-runs li.run').length === 2);
    expect(await page.textContent('#hook-runs li.run')).toContain('as lin@example.com');
    // The secret never reaches the page after it was typed: the list and the runs mask it.
    expect(await page.content()).not.toContain(`"authorization": "${SECRET}"`);
  });
});

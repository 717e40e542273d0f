import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { getProvider } from '../../src/core/providers/registry.js';
import { HeaderBag } from '../../src/core/signing/headers.js';
import { findChromium, launch } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { startHooksProcess, tempDir } from '../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../helpers/hooks-listen.js';
import { rawPost } from '../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

const chromium = findChromium();

/**
 * At each size: no pane scrolls sideways (its content is no wider than it)
 * and the column `status` names is inside the viewport.
 */
async function assertFits(page: Page, status: string): Promise<void> {
  for (const [width, height] of [[1280, 800], [1024, 768]] as const) {
    await page.setViewportSize({ width, height });
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('header, form, main, section, .list, .detail, table')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`),
    );
    expect(wide, `${width}x${height}`).toEqual([]);
    const box = await page.locator(`th:text-is("${status}")`).first().boundingBox();
    expect(box, `${width}x${height}`).not.toBeNull();
    expect(box!.x + box!.width, `${width}x${height}: the ${status} column`).toBeLessThanOrEqual(width);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}
const SECRET = 'whsec_YnJvd3NlcnRlc3RzZWNyZXRicm93c2VydGVzdA==';
const sign = (body: Buffer) => Object.entries(getProvider('standard').scheme.sign(body, SECRET, { id: `msg_${body.length}`, timestamp: Math.floor(Date.now() / 1000) }));
/** The pictures of docs/commands/inspect.md: refreshed by HOOKS_UPDATE_SCREENSHOTS=1 npm test, else taken into a temp dir. */
const shots = process.env.HOOKS_UPDATE_SCREENSHOTS ? join(import.meta.dirname, '../../docs') : tempDir('screenshots');

describe.skipIf(!chromium)('the web inspector, in Chromium', () => {
  let browser: Browser;
  let app: Receiver;
  let listen: HooksListen;
  let page: Page;

  /** A Standard Webhooks delivery as the catalog builds it (so it fits its schema), about amira@example.com. */
  const deliver = async (type: string, extra: Record<string, unknown> = {}) => {
    const catalog = getProvider('standard').catalog;
    const data = (catalog.has(type) ? catalog.sample(type) : { user: { id: 'usr_1' } }) as { user?: { email?: string } };
    if (data.user) data.user.email = 'amira@example.com';
    await send({ type, timestamp: new Date().toISOString(), data: { ...data, ...extra } });
  };
  const send = async (payload: unknown) => {
    const body = Buffer.from(JSON.stringify(payload));
    expect((await rawPost(`${listen.localUrl}/webhooks`, body, [['content-type', 'application/json'], ...sign(body)])).status).toBe(200);
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await startReceiver(() => ({ status: 200, body: '{"received":true}', headers: { 'content-type': 'application/json' } }));
    listen = await startListen(['--forward', app.url, '--tunnel', 'none', '--no-subscribe', '--provider', 'standard', '--secret', SECRET, '--inspect-port', '0'], { HOOKS_CONFIG_DIR: tempDir('config') });
    await deliver('user.created');
    await deliver('user.deleted');
    browser = await launch(chromium!);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(listen.ready.inspect_url);
    await page.waitForSelector('#deliveries tbody tr');
  });
  afterAll(async () => {
    await browser?.close();
    await listen?.kill9();
    await app?.close();
  });

  it('shows a delivery as it arrives, newest first', async () => {
    await expect.poll(() => page.locator('#live:not(.off)').count()).toBe(1);
    await deliver('session.created');
    await page.waitForSelector('#deliveries tbody tr:first-child td .type:text-is("session.created")');
    expect(await page.locator('#deliveries tbody tr td .type').allTextContents()).toEqual(['session.created', 'user.deleted', 'user.created']);
    await page.screenshot({ path: join(shots, 'inspector-list.png') });
  });

  it('fits at 1280x800 and 1024x768 with long types and ids: every column visible, long values cut with the whole on hover', async () => {
    await deliver('organization.membership.permissions.updated', { id_pad: 'x'.repeat(60) });
    await page.waitForSelector('#deliveries tbody tr:first-child td .type:text-is("organization.membership.permissions.updated")');
    await page.click('#deliveries tbody tr:first-child');
    await page.waitForSelector('pre.body');
    await assertFits(page, 'Status');
    expect(await page.getAttribute('#deliveries tbody tr:first-child td .type', 'title')).toBe('organization.membership.permissions.updated');
  });

  it('filters by type pattern and finds text in bodies', async () => {
    await page.fill('input[name=type]', 'user.*');
    await expect.poll(() => page.locator('#deliveries tbody tr').count()).toBe(2);
    await page.fill('input[name=type]', '');
    await page.fill('input[name=search]', 'needle-in-body');
    await expect.poll(() => page.locator('#deliveries tbody tr').count()).toBe(0);
    await deliver('user.updated', { note: 'needle-in-body' });
    await page.fill('input[name=search]', 'needle-in-bod');
    await expect.poll(() => page.locator('#deliveries tbody tr td .type').allTextContents()).toEqual(['user.updated']);
    await page.fill('input[name=search]', '');
    await expect.poll(() => page.locator('#deliveries tbody tr').count()).toBe(5);
  });

  it('shows a non-UTF-8 body as hex', async () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x80]);
    expect((await rawPost(`${listen.localUrl}/binary`, body, [['content-type', 'application/octet-stream'], ...sign(body)])).status).toBe(200);
    await page.waitForSelector('#deliveries tbody tr:first-child td .type:text-is("(unknown)")');
    await page.click('#deliveries tbody tr:first-child td .type');
    await page.waitForSelector('pre.body[data-view=Hex]');
    expect(await page.textContent('pre.body')).toContain('00000000  ff fe 00 01 7b 80');
    expect(await page.locator('.tabs button').allTextContents()).toEqual(['Hex']);
  });

  it('edits a body, shows the diff, and replays it re-signed to the app', async () => {
    await page.click('#deliveries tbody tr:has(td .type:text-is("user.created")) td .type');
    await page.waitForSelector('#edit:not([disabled])');
    await page.screenshot({ path: join(shots, 'inspector-detail.png') });
    await page.click('#edit');
    const edited = (await page.inputValue('textarea.editor')).replace('amira@example.com', 'edited@example.com');
    await page.fill('textarea.editor', edited);
    await page.click('#preview');
    await page.waitForSelector('.preview .diff .add');
    expect(await page.textContent('.preview .diff .add')).toContain('edited@example.com');
    const before = app.requests.length;
    await page.click('#send-edited');
    await expect.poll(() => app.requests.length).toBe(before + 1);
    const got = app.requests.at(-1)!;
    expect(got.body.toString()).toBe(edited);
    expect(getProvider('standard').scheme.verify(got.body, HeaderBag.from(got.headers as Record<string, string>), SECRET).valid).toBe(true);
    await page.waitForSelector('ol.attempts .badge.warn:text-is("edited")');
  });

  it('marks a delivery whose body does not fit its schema, and says in the detail what it lacks', async () => {
    await send({ type: 'user.created', timestamp: new Date().toISOString(), data: { user: { id: 'usr_9' } } });
    await expect.poll(async () => (await page.locator('#deliveries tbody tr td .type').allTextContents())[0]).toBe('! user.created');
    expect(await page.locator('#deliveries tbody tr:first-child td .type .note-mark').count()).toBe(1);
    expect(await page.getAttribute('#deliveries tbody tr:first-child td .type', 'title')).toContain('note: lacks data.organization_id');
    await page.click('#deliveries tbody tr:first-child td .type');
    await page.waitForSelector('#fit-note');
    expect(await page.textContent('#fit-note')).toBe('note: standard user.created lacks data.organization_id; lacks data.user.email; lacks data.user.name; and 1 more');
  });
});

/** A fresh one-time console link, as hooks server --console-link gets it. */
async function consoleLink(server: HooksServer): Promise<string> {
  const r = await fetch(`${server.url}/console/link`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } });
  return ((await r.json()) as { console_url: string }).console_url;
}

describe.skipIf(!chromium)("the emulator's console, in Chromium", () => {
  let browser: Browser;
  let server: HooksServer;
  let app: Receiver;

  beforeAll(async () => {
    // The first attempt fails, everything after succeeds: the retry button must make the second.
    app = await startReceiver((_req, i) => ({ status: i === 0 ? 500 : 200 }));
    server = await startHooksServer({ args: ['--time-scale', '1'] });
    browser = await launch(chromium!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill9();
    await app?.close();
  });

  it('retries a delivery with its button, which makes a new attempt', async () => {
    const sub = (await server.api('POST', '/webhooks/subscriptions', { name: 'flaky receiver', url: app.url, events: ['box.*'], provider: 'lmif' })).json;
    const event = (await server.api('POST', '/events?wait=5000', { type: 'box.created', provider: 'lmif' })).json;
    expect(event.deliveries[0].attempts[0].status_code).toBe(500);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(await consoleLink(server));
    await page.click(`#subscriptions tr[data-id="${sub.id}"]`);
    await page.waitForSelector(`li[data-delivery="${event.deliveries[0].id}"] button:text-is("Retry")`);
    await page.click(`li[data-delivery="${event.deliveries[0].id}"] button:text-is("Retry")`);
    await page.waitForSelector(`li[data-delivery="${event.deliveries[0].id}"] .badge.ok:text-is("succeeded")`);
    const feed = (await server.api('GET', `/webhooks/subscriptions/${sub.id}/deliveries`)).json.data[0];
    expect(feed.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 200]);
    expect(app.requests).toHaveLength(2);
    await page.screenshot({ path: join(shots, 'console.png') });
    await assertFits(page, 'Active');
  });

  it('audits a subscription\'s receiver from its page and shows each verdict', async () => {
    // Accepts everything: the audit must say it does not check signatures.
    const lax = await startReceiver(() => ({ status: 200 }));
    onTestFinished(() => lax.close());
    const sub = (await server.api('POST', '/webhooks/subscriptions', { name: 'accepts anything', url: `${lax.url}/any`, events: ['box.*'], provider: 'lmif' })).json;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(await consoleLink(server));
    await page.click(`#subscriptions tr[data-id="${sub.id}"]`);
    await page.click('button:text-is("Audit this receiver")');
    await page.waitForSelector('#audit li[data-check="rejects_wrong_secret"] .badge.bad:text-is("fail")', { timeout: 20_000 });
    expect(await page.textContent('#audit h3')).toMatch(/^Audit: \d+ passed, [1-9]\d* failed/);
    expect(await page.textContent('#audit li[data-check="accepts_valid"]')).toContain('pass');
    await page.screenshot({ path: join(shots, 'console-audit.png') });
  });

  it('says what Emit reached (how many subscriptions, each one\'s status) and what a test event got back', async () => {
    const ok = await startReceiver(() => ({ status: 200 }));
    onTestFinished(() => ok.close());
    const sub = (await server.api('POST', '/webhooks/subscriptions', { name: 'emit target', url: `${ok.url}/e`, events: ['user.deleted'], provider: 'standard' })).json;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    onTestFinished(() => page.close());
    await page.goto(await consoleLink(server));
    await page.waitForSelector(`#subscriptions tr[data-id="${sub.id}"]`);
    await page.selectOption('#emit select[name=provider]', 'standard');
    await page.selectOption('#emit select[name=type]', 'user.deleted');
    await page.click('#emit button[type=submit]');
    await page.waitForSelector('#emitted p');
    expect(await page.textContent('#emitted p')).toMatch(/^user\.deleted \(\w+\) reached 1 subscription: 1 succeeded\.$/);
    expect(await page.textContent(`#emitted li[data-subscription="${sub.id}"]`)).toContain('emit target');
    await page.click(`#subscriptions tr[data-id="${sub.id}"]`);
    await page.click('button:text-is("Send test event")');
    // Standard Webhooks names no test event: the console sends a sample of the first type the subscription receives.
    await page.waitForSelector('.toast:text-matches("^user.deleted sent")');
    expect(await page.textContent('.toast:text-matches("^user.deleted sent")')).toBe('user.deleted sent: the receiver answered 200');
  });
});

describe.skipIf(!chromium)('UI credentials, in Chromium', () => {
  let browser: Browser;
  let server: HooksServer;
  let neighbour: Receiver;
  const configDir = tempDir('ui-config');

  beforeAll(async () => {
    neighbour = await startReceiver(() => ({ status: 200, body: 'another local app', headers: { 'content-type': 'text/plain' } }));
    server = await startHooksServer({ configDir });
    browser = await launch(chromium!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill9();
    await neighbour?.close();
  });

  it('sends nothing of ours to another server on 127.0.0.1, and the console and inspectors never log each other out', async () => {
    const inspect = await startHooksProcess(['inspect', '--json', '--no-open', '--port', '0', '--data-dir', tempDir('ui-data')], { HOOKS_CONFIG_DIR: configDir }, 'inspect.ready');
    const other = await startHooksProcess(['inspect', '--json', '--no-open', '--port', '0', '--data-dir', tempDir('ui-data-2')], { HOOKS_CONFIG_DIR: tempDir('ui-config-2') }, 'inspect.ready');
    onTestFinished(async () => {
      await inspect.kill9();
      await other.kill9();
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tabs = await Promise.all([context.newPage(), context.newPage(), context.newPage()]);
    await tabs[0]!.goto(await consoleLink(server));
    await tabs[1]!.goto(inspect.ready.url as string);
    await tabs[2]!.goto(other.ready.url as string);
    await tabs[0]!.waitForSelector('#subscriptions');
    for (const tab of tabs.slice(1)) await tab.waitForSelector('#live:not(.off)');
    // An empty store names the command that sends a first delivery.
    await tabs[2]!.waitForSelector('#empty:not([hidden]) #empty-command');
    expect(await tabs[2]!.textContent('#empty-command')).toBe('hooks trigger user.created');
    // Every UI reloaded after the others opened: each still has its own session.
    for (const tab of tabs) await tab.reload();
    await tabs[0]!.waitForSelector('#subscriptions');
    for (const tab of tabs.slice(1)) await tab.waitForSelector('#live:not(.off)');
    expect(await tabs[0]!.locator('body.refused').count()).toBe(0);
    expect(await context.cookies()).toEqual([]);
    // The link's token left the address bar.
    expect(tabs[1]!.url()).not.toContain('token=');

    const probe = await context.newPage();
    await probe.goto(`${neighbour.url}/peek`);
    const seen = neighbour.requests.at(-1)!;
    expect(seen.headers.cookie).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toMatch(/hooks|session/i);
    await context.close();
  });

  it('shows a styled page naming the command for a new link: for a used link, and for a tab reloaded after a restart', async () => {
    const dataDir = tempDir('ui-restart');
    const first = await startHooksProcess(['inspect', '--json', '--no-open', '--port', '0', '--data-dir', dataDir], { HOOKS_CONFIG_DIR: configDir }, 'inspect.ready');
    const port = new URL(first.ready.url as string).port;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    onTestFinished(() => page.close());
    await page.goto(first.ready.url as string);
    await page.waitForSelector('#live:not(.off)');

    const used = await browser.newPage();
    onTestFinished(() => used.close());
    await used.goto(first.ready.url as string);
    expect(await used.textContent('h1')).toBe('This link has been used or has expired');
    expect(await used.textContent('pre.command')).toBe('hooks inspect --link');
    expect(await used.evaluate(() => getComputedStyle(document.body).display)).toBe('flex');

    await first.kill9();
    const second = await startHooksProcess(['inspect', '--json', '--no-open', '--port', port, '--data-dir', dataDir], { HOOKS_CONFIG_DIR: configDir }, 'inspect.ready');
    onTestFinished(() => second.kill9());
    expect(new URL(second.ready.url as string).port).toBe(port);
    await page.reload();
    await page.waitForSelector('body.refused h1');
    expect(await page.textContent('h1')).toBe('This tab has no session');
    expect(await page.textContent('pre.command')).toBe('hooks inspect --link');

    // The command gives a link that works.
    const r = await runCli(['inspect', '--link', '--json'], { env: { HOOKS_CONFIG_DIR: configDir } });
    expect(r.code, r.stderr).toBe(0);
    const links = JSON.parse(r.stdout).links as Array<{ url: string }>;
    expect(links.map((l) => new URL(l.url).port)).toEqual([port]);
    await page.goto(links[0]!.url);
    await page.waitForSelector('#live:not(.off)');
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/core/providers/mask.js';
import { getProvider } from '../../src/core/providers/registry.js';
import { verifyDelivery } from '../../src/core/providers/verification.js';
import { findChromium, launch } from '../helpers/browser.js';
import { tempDir } from '../helpers/hooks-process.js';
import { startHooksServer, type HooksServer } from '../helpers/hooks-server.js';
import { startListen, type HooksListen } from '../helpers/hooks-listen.js';
import { rawPost } from '../helpers/raw-http.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';

// Issue 33 ("Smaller"): what the pages show at 1280x800 is whole where it tells
// deliveries and subscriptions apart, an invalid delivery says why and with
// which secret, and a failed edited replay keeps the edit and says what the
// receiver answered and what that likely means.

const chromium = findChromium();
const shots = tempDir('readable-pages');

/**
 * The part of an element's text that is painted: each character whose box
 * lies inside every box that clips it (the element and its descendants with
 * overflow other than visible). A box that overflows draws an ellipsis over
 * its last em, so the characters there count as hidden.
 */
async function shownText(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (elements) =>
    elements.map((root) => {
      const clipsOf = (node: Node): DOMRect[] => {
        const rects: DOMRect[] = [];
        for (let e = node.parentElement; e; e = e.parentElement) {
          const style = getComputedStyle(e);
          if (style.overflowX !== 'visible') {
            const r = e.getBoundingClientRect();
            const ellipsis = e.scrollWidth > e.clientWidth + 1 && style.textOverflow === 'ellipsis' ? parseFloat(style.fontSize) : 0;
            rects.push(new DOMRect(r.left, r.top, r.width - ellipsis, r.height));
          }
          if (e === root) break;
        }
        return rects;
      };
      let shown = '';
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const clips = clipsOf(node);
        const text = node.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const range = document.createRange();
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const c = range.getBoundingClientRect();
          if (clips.every((r) => c.left >= r.left - 0.5 && c.right <= r.right + 0.5)) shown += text[i];
        }
      }
      return shown;
    }),
  );
}

/** The cells of the column `header` names, in every row of `table`. */
async function column(page: Page, table: string, header: string): Promise<string> {
  const index = await page.$$eval(`${table} thead th`, (ths, name) => ths.findIndex((th) => th.textContent === name), header);
  expect(index, `${table} has a ${header} column`).toBeGreaterThanOrEqual(0);
  return `${table} tbody td:nth-child(${index + 1})`;
}

/** A column of the deliveries whose every cell shows its whole text: the texts. */
async function wholeColumn(page: Page, header: string): Promise<string[]> {
  const cells = await column(page, '#deliveries', header);
  const texts = await page.locator(cells).allTextContents();
  expect(await shownText(page, cells), header).toEqual(texts);
  expect(await page.$$eval(cells, (tds) => tds.filter((td) => td.scrollWidth > td.clientWidth).map((td) => td.textContent)), header).toEqual([]);
  return texts;
}

/** What the latency column says: short, never a raw float (`4.883291 ms`). */
const LATENCY = /^(\d{1,3}(\.\d)? ms|\d+(\.\d)? s)$/;

describe.skipIf(!chromium)('the inspector at 1280x800, in Chromium', () => {
  const secrets = Object.fromEntries(['ithbat', 'intelliauth', 'asgardeo', 'scalekit', 'lmif'].map((p) => [p, getProvider(p).newSecret()]));
  let browser: Browser;
  let app: Receiver;
  let listen: HooksListen;
  let page: Page;
  /** How the app answers /webhooks: 200 until a test makes it refuse. Any other path is 404. */
  let refuse = false;

  const signed = (provider: string, type: string, secret = secrets[provider]!) => {
    const p = getProvider(provider);
    const event = p.catalog.build(type);
    const headers: Array<[string, string]> = [['content-type', 'application/json'], ...Object.entries(p.scheme.sign(event.body, secret, { id: event.id, timestamp: Math.floor(Date.now() / 1000) }))];
    return { body: event.body, headers };
  };
  const deliver = async (provider: string, type: string) => {
    const { body, headers } = signed(provider, type);
    expect((await rawPost(`${listen.localUrl}/`, body, headers)).status).toBe(200);
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await startReceiver((req) =>
      !req.url.startsWith('/webhooks')
        ? { status: 404, body: 'Cannot POST /nope', headers: { 'content-type': 'text/plain' } }
        : refuse
          ? { status: 401, body: '{"error":"invalid signature: the HMAC of the body does not match"}', headers: { 'content-type': 'application/json' } }
          : { status: 200, body: '{"received":true}', headers: { 'content-type': 'application/json' } },
    );
    const secretFlags = Object.entries(secrets).flatMap(([p, s]) => ['--secret', `${p}=${s}`]);
    listen = await startListen(['--forward', `${app.url}/webhooks`, '--tunnel', 'none', '--no-subscribe', ...secretFlags, '--inspect-port', '0'], { HOOKS_CONFIG_DIR: tempDir('config') });
    await deliver('ithbat', 'user.mfa_enabled');
    await deliver('scalekit', 'user.authentication_failed');
    await deliver('lmif', 'detection.scan_complete');
    await deliver('intelliauth', 'user.sign_in_failed');
    await deliver('asgardeo', 'registration.registrationSuccess');
    await deliver('asgardeo', 'login.loginSuccess');
    browser = await launch(chromium!);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(listen.ready.inspect_url);
    await page.waitForSelector('#deliveries tbody tr:nth-child(6)');
  });
  afterAll(async () => {
    await browser?.close();
    await listen?.kill9();
    await app?.close();
  });

  it("shows each row's provider, type and latency whole", async () => {
    await page.screenshot({ path: join(shots, 'inspector-list.png') });
    expect(await wholeColumn(page, 'Provider')).toEqual(['asgardeo', 'asgardeo', 'intelliauth', 'lmif', 'scalekit', 'ithbat']);
    for (const latency of await wholeColumn(page, 'Latency')) expect(latency).toMatch(LATENCY);
    // The type cell may hold more (the event id), but the type is there whole.
    const types = await shownText(page, await column(page, '#deliveries', 'Type'));
    const sent = ['login.loginSuccess', 'registration.registrationSuccess', 'user.sign_in_failed', 'detection.scan_complete', 'user.authentication_failed', 'user.mfa_enabled'];
    expect(types).toHaveLength(6);
    types.forEach((shown, i) => expect(shown, sent[i]).toContain(sent[i]));
  });

  it('says why an invalid delivery failed and which secret it was checked with (masked)', async () => {
    const { body, headers } = signed('ithbat', 'user.created', getProvider('ithbat').newSecret());
    expect((await rawPost(`${listen.localUrl}/`, body, headers)).status).toBe(401);
    const expected = verifyDelivery({ provider: 'ithbat', body, headers, secret: secrets.ithbat! });
    expect(expected.reason).toBe('signature_mismatch');
    await page.waitForSelector('#deliveries tbody tr:first-child .badge.bad:text-is("invalid")');
    // Its latency (listen's own 401) is whole too.
    for (const latency of await wholeColumn(page, 'Latency')) expect(latency).toMatch(LATENCY);
    await page.click('#deliveries tbody tr:first-child');
    const signature = '#detail section:has(h3:text-is("Signature"))';
    await page.waitForSelector(signature);
    const text = await page.innerText(signature);
    expect(text).toContain('signature_mismatch');
    expect(text).toContain(expected.message);
    expect(text).toContain(`checked with ${maskSecret(secrets.ithbat!)}`);
    expect(maskSecret(secrets.ithbat!)).toMatch(/^ith_whsec_[0-9a-f]{4}…$/);
    expect(text).not.toContain(secrets.ithbat!.slice(10, 15));
    await page.screenshot({ path: join(shots, 'inspector-invalid.png') });
  });

  it("keeps the edit after a failed edited replay, with the receiver's answer and its likely cause", async () => {
    await page.click('#deliveries tbody tr:has-text("user.mfa_enabled")');
    await page.waitForSelector('#edit:not([disabled])');
    await page.click('#edit');
    const edited = (await page.inputValue('textarea.editor')).replace('"user.mfa_enabled"', '"user.mfa_enabled" ');
    await page.fill('textarea.editor', edited);
    refuse = true;
    try {
      await page.click('#send-edited');
      await page.waitForSelector('ol.attempts .badge:text-is("401")');
    } finally {
      refuse = false;
    }
    await page.screenshot({ path: join(shots, 'inspector-replay-failed.png') });
    expect(await page.isVisible('textarea.editor')).toBe(true);
    expect(await page.inputValue('textarea.editor')).toBe(edited);
    // What a person sees (a closed <details> shows nothing).
    const answer = await page.innerText('#detail section:has(h3:text-is("Actions"))');
    expect(answer).toContain('401');
    expect(answer).toContain('invalid signature: the HMAC of the body does not match');
    expect(answer).toContain('your app refused a delivery hooks signed');
    expect(answer).toContain('re-serialized');
    expect(answer).toContain(`hooks audit ${app.url}/webhooks --provider ithbat`);
    // The attempt is listed all the same.
    expect(await page.locator('ol.attempts li:has(.badge:text-is("401")) .badge.warn:text-is("edited")').count()).toBe(1);

    // A path the app does not serve: the answer names the path.
    await page.fill('input[name=target]', `${app.url}/nope`);
    await page.click('#send-edited');
    await page.waitForSelector('ol.attempts .badge:text-is("404")');
    const notFound = await page.innerText('#detail section:has(h3:text-is("Actions"))');
    expect(notFound).toContain('Cannot POST /nope');
    expect(notFound).toContain('nothing at /nope on your app');
    expect(await page.inputValue('textarea.editor')).toBe(edited);
    expect(await page.inputValue('input[name=target]')).toBe(`${app.url}/nope`);
  });
});

describe.skipIf(!chromium)("the console's subscriptions at 1280x800, in Chromium", () => {
  let browser: Browser;
  let server: HooksServer;

  beforeAll(async () => {
    server = await startHooksServer();
    browser = await launch(chromium!);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill9();
  });

  it('shows the path that tells subscriptions apart, the whole URL in the title', async () => {
    const urls = ['ithbat', 'intelliauth', 'lmif'].map((p) => [p, `http://localhost:23100/webhooks/${p}`] as const);
    for (const [provider, url] of urls) await server.api('POST', '/webhooks/subscriptions', { name: `hooks listen on vm (pid 10617) for ${provider}`, url, events: ['*'], provider });
    const link = ((await (await fetch(`${server.url}/console/link`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } })).json()) as { console_url: string }).console_url;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(link);
    await page.waitForSelector('#subscriptions tbody tr:nth-child(3)');
    await page.screenshot({ path: join(shots, 'console.png') });
    const cells = await column(page, '#subscriptions', 'URL');
    const shown = await shownText(page, cells);
    const titles = await page.$$eval(cells, (tds) => tds.map((td) => td.getAttribute('title')));
    expect(titles.sort()).toEqual(urls.map(([, url]) => url).sort());
    for (const [provider] of urls) expect(shown.filter((s) => s.includes(`/webhooks/${provider}`)), provider).toHaveLength(1);
  });
});

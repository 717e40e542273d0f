import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** A Chromium on this machine (CHROMIUM_PATH, or Debian's and the usual places); null when there is none. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((p): p is string => Boolean(p) && existsSync(p!)) ?? null;
}

/** Headless, offline: the flags that keep Chromium from reaching for the network on its own. */
export async function launch(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

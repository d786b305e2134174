/**
 * Headless Debian Chromium for e2e tests (playwright-core, never a downloaded browser), and the
 * demo pages served from http://127.0.0.1 (a secure context for getUserMedia).
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, VENDOR_MOUNTS, type StaticServer } from '../../scripts/demo/static.js';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

const PUBLIC_DIR = fileURLToPath(new URL('../../scripts/demo/public/', import.meta.url));

export interface PageState {
  connectionState: string;
  codec: string;
  framesDecoded: number;
  framesEncoded: number;
  videoWidth: number;
}

/** The demo pages' test API (window.canopy). */
type CanopyWindow = { canopy?: { start(): Promise<void>; stop(): Promise<void>; state(): Promise<unknown> } };

export async function launchBrowser(): Promise<{ browser: Browser; pages: StaticServer }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const pages = await serveStatic({ host: '127.0.0.1', port: 0, root: PUBLIC_DIR, mounts: VENDOR_MOUNTS });
  return { browser, pages };
}

/** Opens a demo page (publish.html, watch.html) with query parameters and waits for its API. */
export async function openPage(context: BrowserContext, pages: StaticServer, file: string, params: Record<string, string>): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${pages.url}/${file}?${new URLSearchParams(params)}`);
  await page.waitForFunction(() => (window as unknown as CanopyWindow).canopy !== undefined);
  return page;
}

export function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => (window as unknown as CanopyWindow).canopy!.state()) as Promise<PageState>;
}

/** Stops the page's session (DELETE and close). */
export async function stopPage(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as CanopyWindow).canopy!.stop());
}

// Issue 18: the watch page's restart and status details, and the end of a broadcast as the
// viewer sees it (a status, not a red "connection failed"; the same session plays on).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../scripts/demo/static.js';
import { launchBrowser, openPage } from '../support/browser.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { startTree } from '../support/tree.js';

interface ViewerState {
  connectionState: string;
  framesDecoded: number;
  broadcastPaused: string;
}

let browser: Browser;
let pages: StaticServer;
beforeAll(async () => {
  ({ browser, pages } = await launchBrowser());
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

const state = (page: Page) => page.evaluate(() => (window as unknown as { canopy: { state(): Promise<ViewerState> } }).canopy.state());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ms: number, page: Page, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}: status "${await page.locator('#status').textContent()}", error "${await page.locator('#error').textContent()}", ${JSON.stringify(await state(page))}`,
      );
    await sleep(250);
  }
}
async function playing(page: Page, what: string): Promise<void> {
  let prev = -1;
  await until(what, 30_000, page, async () => {
    const s = await state(page);
    const rising = prev > 0 && s.framesDecoded > prev;
    prev = s.framesDecoded;
    return rising;
  });
}

describe('the watch page', () => {
  it('restarts with Watch while watching, keeps "recorded N s ago" current, and shows the end of a broadcast as a status, playing on when it resumes', async () => {
    const tree = await startTree({ level1: 1, level2PerLevel1: 0 });
    let pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    const context = await browser.newContext();
    try {
      await pub.start();
      const relay = tree.relays[0]!;
      const page = await openPage(context, pages, 'watch.html', { relay: relay.url, stream: 'cam' });
      await page.click('#start');
      await playing(page, 'live video');
      expect(await page.locator('#start').isEnabled()).toBe(true);

      // Another "Watch from", then Watch (no Stop): a time-shifted session replaces the live one.
      await page.selectOption('#from', 'at');
      await page.evaluate(() => {
        const t = Date.now() - 3000;
        (document.getElementById('at') as HTMLInputElement).value = new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
      });
      await page.click('#start');
      await playing(page, 'time-shifted video after Watch while watching');
      const age = async () => Number(/recorded (\d+) s ago/.exec((await page.locator('#status').textContent()) ?? '')?.[1]);
      const first = await age();
      expect(first).toBeGreaterThanOrEqual(2);
      await until('"recorded N s ago" to grow', 5000, page, async () => (await age()) >= first + 2);
      expect(relay.node.viewers.size).toBe(1);

      // Live again, then the broadcaster stops (DELETE).
      await page.selectOption('#from', '');
      await page.click('#start');
      await playing(page, 'live video again');
      await pub.close();
      await until('the page to say the broadcast ended', 10_000, page, async () =>
        /^the broadcast ended/.test((await page.locator('#status').textContent()) ?? ''),
      );
      expect(await page.locator('#error').isHidden()).toBe(true);
      expect((await state(page)).broadcastPaused).toBe('the broadcaster ended the broadcast');

      // It starts again within the grace: the same session plays on.
      const sessions = [...relay.node.viewers.keys()];
      pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
      await pub.start();
      await playing(page, 'video after the broadcast resumed');
      await until('the status to say watching', 5000, page, async () => /^watching cam \(live\)/.test((await page.locator('#status').textContent()) ?? ''));
      expect([...relay.node.viewers.keys()]).toEqual(sessions);
      expect(await page.locator('#error').isHidden()).toBe(true);
      await page.click('#stop');
    } finally {
      await context.close();
      await pub.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 120_000);
});

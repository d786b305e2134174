// Issue 18: time-shifted playback froze on a restart in the same page (Stop → change "Watch
// from" → Watch): the origin's archive replay stalled for good when a keyframe request came in
// during a disk read. Every restart here must play again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticServer } from '../../scripts/demo/static.js';
import { launchBrowser, openPage } from '../support/browser.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { startTree } from '../support/tree.js';

// 12 restarts in the suite (about 35 s); the 50 with CANOPY_TIMESHIFT_RESTARTS=50.
const RESTARTS = Number(process.env.CANOPY_TIMESHIFT_RESTARTS ?? 12);

interface ViewerState {
  connectionState: string;
  framesDecoded: number;
  kbps: number;
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

describe('time-shift restarts in one watch page', () => {
  it(
    `play every time (${RESTARTS} restarts: Stop, another "Watch from", Watch), from the origin's archive`,
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'canopy-ts-restart-'));
      // No memory buffers (window B): every time-shifted start reads the origin's archive.
      const tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--cache-window', '0'], originFlags: ['--data-dir', dataDir] });
      const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
      const context = await browser.newContext();
      try {
        await pub.start();
        await sleep(12_000); // more than "10 s ago" recorded
        const relay = tree.relays[0]!;
        const page = await openPage(context, pages, 'watch.html', { relay: relay.url, stream: 'cam' });
        const failures: string[] = [];
        const firstFrameMs: number[] = [];
        for (let i = 0; i < RESTARTS; i++) {
          await page.click('#stop').catch(() => {});
          await page.evaluate(() => (window as unknown as { canopy: { stop(): Promise<void> } }).canopy.stop()).catch(() => {});
          await page.selectOption('#from', i % 2 === 0 ? '10' : '60');
          const clicked = Date.now();
          await page.click('#start');
          // Playing: frames decoded keep rising across three samples, within 20 s.
          const seen: number[] = [];
          let playing = false;
          while (Date.now() - clicked < 20_000) {
            const s = await state(page);
            if (s.connectionState === 'connected') seen.push(s.framesDecoded);
            if (seen.length >= 3 && seen.at(-1)! > seen.at(-2)! && seen.at(-2)! > seen.at(-3)! && seen.at(-3)! > 0) {
              playing = true;
              break;
            }
            await sleep(300);
          }
          if (playing) firstFrameMs.push(Date.now() - clicked);
          else
            failures.push(
              `restart ${i + 1}: frames decoded ${seen.join(',')}; page: ${await page.locator('#status').textContent()} / ${await page.locator('#error').textContent()}`,
            );
        }
        console.log(
          `time-shift restarts: ${RESTARTS - failures.length}/${RESTARTS} played; playing after ${Math.min(...firstFrameMs)}..${Math.max(...firstFrameMs)} ms`,
        );
        expect(failures).toEqual([]);
        expect(tree.origin.node.counters.timeshiftStalls.get({ action: 'end' })).toBe(0);
        await page.evaluate(() => (window as unknown as { canopy: { stop(): Promise<void> } }).canopy.stop());
      } finally {
        await context.close();
        await pub.close();
        await tree.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
      await tree.assertEmpty();
    },
    (RESTARTS * 25 + 60) * 1000,
  );
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOriginConfig } from '../../origin/config.js';
import { OriginServer } from '../../origin/OriginServer.js';
import { loadRelayConfig } from '../../relay/config.js';
import { RelayServer } from '../../relay/RelayServer.js';
import type { StaticServer } from '../../scripts/demo/static.js';
import { silentLogger } from '../../src/log.js';
import { launchBrowser, openPage, pageState, stopPage } from '../support/browser.js';
import { NodeProcess, stopAllProcesses } from '../support/procs.js';
import { waitFor } from '../support/webrtc.js';
import { sleep } from '../support/wait.js';

const SECRET = ['--cluster-secret', 'e2e-failover-secret-0123'];
const BASE = ['--listen', '127.0.0.1:0', '--ice-address', '127.0.0.1', '--max-new-sessions-per-ip', '0', ...SECRET];
let browser: Browser;
let pages: StaticServer;

beforeAll(async () => {
  ({ browser, pages } = await launchBrowser());
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

describe('a browser viewer', () => {
  it('keeps playing when the relay above its relay is killed, on the same PeerConnection', async () => {
    const origin = new OriginServer(loadOriginConfig(['--id', 'origin', ...BASE], {}), silentLogger());
    await origin.listen();
    const relays: RelayServer[] = [];
    const context = await browser.newContext();
    try {
      const a = await NodeProcess.start('relay', ['--id', 'relay-a', '--parent', origin.linkUrl, ...SECRET]);
      const b = new RelayServer(loadRelayConfig(['--id', 'relay-b', '--parent', origin.linkUrl, ...BASE], {}), silentLogger());
      relays.push(b);
      await b.listen();
      await b.whenLinked();
      const leaf = new RelayServer(loadRelayConfig(['--id', 'relay-x', '--parent', a.linkUrl, '--parent', b.linkUrl, ...BASE], {}), silentLogger());
      relays.push(leaf);
      await leaf.listen();
      await waitFor(() => leaf.parents.current?.url === a.linkUrl, 10_000, 20, 'relay-x on its preferred parent');

      const publisher = await openPage(context, pages, 'publish.html', {
        origin: origin.url,
        stream: 'e2e-failover',
        codec: 'VP8',
        source: 'pattern',
        audio: '0',
      });
      await publisher.click('#start');
      await waitFor(async () => (await pageState(publisher)).framesEncoded > 0, 20_000, 200, 'the publisher sending');
      const viewer = await openPage(context, pages, 'watch.html', { relay: leaf.url, stream: 'e2e-failover' });
      await viewer.click('#start');
      await waitFor(async () => (await pageState(viewer)).framesDecoded > 30, 30_000, 200, 'the viewer decoding');
      expect(leaf.node.hub.get('e2e-failover')?.source?.peer).toBe('relay-a');
      const session = [...leaf.node.viewers.keys()];

      await a.kill9();
      const killed = Date.now();
      // Sample the decoder: the longest stretch without a new frame is the freeze.
      let last = (await pageState(viewer)).framesDecoded;
      let lastAt = killed;
      let longest = 0;
      while (Date.now() - killed < 6000) {
        await sleep(50);
        const s = await pageState(viewer);
        if (s.framesDecoded > last) {
          longest = Math.max(longest, Date.now() - lastAt);
          last = s.framesDecoded;
          lastAt = Date.now();
        }
      }
      const s = await pageState(viewer);
      console.info(`browser failover: longest freeze ${longest} ms; ${s.framesDecoded} frames decoded`);
      expect(s.connectionState).toBe('connected');
      expect(Date.now() - lastAt).toBeLessThan(1000);
      expect(longest).toBeLessThan(2000);
      expect(leaf.node.hub.get('e2e-failover')?.source?.peer).toBe('relay-b');
      expect([...leaf.node.viewers.keys()]).toEqual(session);
      await stopPage(viewer);
      await stopPage(publisher);
    } finally {
      await context.close();
      for (const r of relays.reverse()) await r.close('test done');
      await stopAllProcesses();
      await origin.close('test done');
    }
  }, 90_000);
});

describe('a browser publisher', () => {
  it('hears within seconds that a crashed and restarted origin forgot its session: its ICE fails instead of running on in silence', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'canopy-ledger-'));
    const origin = await NodeProcess.start('origin', ['--id', 'origin', '--data-dir', dataDir, ...SECRET]);
    const context = await browser.newContext();
    try {
      const publisher = await openPage(context, pages, 'publish.html', {
        origin: origin.url,
        stream: 'e2e-forgotten',
        codec: 'VP8',
        source: 'pattern',
        audio: '0',
      });
      await publisher.click('#start');
      await waitFor(async () => (await pageState(publisher)).framesEncoded > 0, 20_000, 200, 'the publisher sending');
      await origin.kill9();
      await origin.restart();
      const restarted = Date.now();
      await waitFor(async () => (await pageState(publisher)).connectionState === 'failed', 15_000, 100, 'the publisher to see its session fail');
      console.info(`forgotten WHIP session: the browser's connection failed ${Date.now() - restarted} ms after the origin came back`);
      expect(Date.now() - restarted).toBeLessThan(10_000);
    } finally {
      await context.close();
      await stopAllProcesses();
    }
  }, 90_000);
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { CHROMIUM_ARGS } from '../support/browser.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

/** Where the screenshot goes (looked at by whoever changes the dashboard; CI keeps test-results/). */
const SHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

let browser: Browser;
let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

async function view(url: string): Promise<NodeViewer> {
  const v = new NodeViewer({ url });
  clients.push(v);
  expect((await v.start()).status).toBe(201);
  await v.waitFor(() => v.video.keyframes > 0, 15_000, `a keyframe at ${url}`);
  return v;
}

/** What the picture shows of one node (data attributes the page sets; see src/dashboard/dashboard.js). */
function nodeOnPicture(page: Page, id: string): Promise<{ level: string; state: string; viewers: string } | null> {
  return page.evaluate((nodeId) => {
    const g = [...document.querySelectorAll('svg g[data-node]')].find((e) => e.getAttribute('data-node') === nodeId);
    return g ? { level: g.getAttribute('data-level')!, state: g.getAttribute('data-state')!, viewers: g.getAttribute('data-viewers')! } : null;
  }, id);
}

async function untilPicture(page: Page, what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  try {
    await waitFor(check, ms, 200);
  } catch {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'dashboard-failed.png'), fullPage: true });
    const edges = await page
      .locator('#picture path.flow')
      .evaluateAll((ps) =>
        ps.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')} ${p.getAttribute('data-kind')} ${p.getAttribute('data-streams')}`),
      );
    throw new Error(`timed out waiting for ${what}; the page shows: ${await page.locator('#summary').textContent()}; edges: ${edges.join('; ')}`);
  }
}

describe("the origin's live tree dashboard", () => {
  it('draws every node with its level and viewers, the flows with stream and kind, and marks a draining and a failed relay live', async () => {
    // origin -> relay-a -> relay-a1, origin -> relay-b
    tree = await startTree({ level1: 2, level2PerLevel1: [1, 0] });
    const [relayA, relayA1, relayB] = ['relay-a', 'relay-a1', 'relay-b'].map((id) => tree!.relays.find((r) => r.config.id === id)!);
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    await view(`${relayA1!.url}/whep/cam`);
    await view(`${relayA1!.url}/whep/cam`);
    await view(`${relayB!.url}/whep/cam`);
    // A time-shifted session: a distinct copy of the stream, drawn as such (not a second live row).
    await view(`${relayB!.url}/whep/cam?start=${Date.now() - 3000}`);

    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      // Any node serves it; the origin's shows the whole tree. Loopback: no admin token needed.
      await page.goto(`${tree.origin.url}/dashboard`);
      expect(new URL(page.url()).pathname).toBe('/dashboard/');
      await untilPicture(page, 'four nodes with two viewers on relay-a1', async () => {
        const a1 = await nodeOnPicture(page, 'relay-a1');
        return (await page.locator('#picture g[data-node]').count()) === 4 && a1?.viewers === '2' && (await nodeOnPicture(page, 'relay-b'))?.viewers === '2';
      });
      expect(await nodeOnPicture(page, 'origin')).toMatchObject({ level: '0', state: 'up', viewers: '0' });
      expect(await nodeOnPicture(page, 'relay-a')).toMatchObject({ level: '1', state: 'up', viewers: '0' });
      expect(await nodeOnPicture(page, 'relay-b')).toMatchObject({ level: '1', state: 'up' });
      expect(await nodeOnPicture(page, 'relay-a1')).toMatchObject({ level: '2', state: 'up' });
      // The stream flows publisher -> origin -> relay-a -> relay-a1; relay-b takes it from its
      // parent or from its sibling relay-a (--siblings is on by default), one live copy either way.
      const flow = (sel: string) => page.locator(`#picture path.flow${sel}`);
      await untilPicture(page, 'the live edges', async () => (await flow('[data-streams="cam"]:not([data-kind="timeshift"])').count()) === 4);
      expect(await flow('[data-kind="publisher"][data-from="publisher"][data-to="origin"]').count()).toBe(1);
      expect(await flow('[data-kind="parent"][data-from="origin"][data-to="relay-a"]').count()).toBe(1);
      expect(await flow('[data-kind="parent"][data-from="relay-a"][data-to="relay-a1"]').count()).toBe(1);
      const intoB = await flow('[data-to="relay-b"]:not([data-kind="timeshift"])').evaluateAll((ps) =>
        ps.map((p) => `${p.getAttribute('data-from')} ${p.getAttribute('data-kind')}`),
      );
      expect(intoB).toHaveLength(1);
      expect(['origin parent', 'relay-a sibling']).toContain(intoB[0]);
      // The time-shifted session at relay-b: an edge of its own kind into relay-b (or a badge on
      // the node, should relay-b play it from its own buffer); never a second live copy.
      await untilPicture(page, 'the time-shifted session', async () => {
        const edge = await flow('[data-kind="timeshift"][data-to="relay-b"]').count();
        const badge = await page.locator('#picture g[data-node="relay-b"] text.state').textContent();
        return edge === 1 || /time-shift/.test(badge ?? '');
      });
      expect(await page.locator('#picture text.flow-label').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringMatching(/^cam · \d+(\.\d)? (k|M)b\/s$/), expect.stringMatching(/^cam ⟲ from \d\d:\d\d:\d\d/)]),
      );
      const legend = await page.locator('#legend').textContent();
      for (const word of ['draining', 'failed', 'sibling', 'time-shifted', 'publisher']) expect(legend).toContain(word);

      // Drain relay-b: it keeps its viewers and shows as draining, live.
      void relayB!.drain(20_000);
      await untilPicture(page, 'relay-b marked draining', async () => (await nodeOnPicture(page, 'relay-b'))?.state === 'draining');
      // relay-a1 goes away: its link drops and its reports stop; it stays on the picture, failed.
      await relayA1!.close('test: relay fails');
      await untilPicture(page, 'relay-a1 marked failed', async () => (await nodeOnPicture(page, 'relay-a1'))?.state === 'failed');
      expect(await page.locator('#picture g[data-node="relay-a1"] text.state').textContent()).toMatch(/^FAILED/);
      expect(await nodeOnPicture(page, 'relay-a')).toMatchObject({ state: 'up' });

      mkdirSync(SHOTS, { recursive: true });
      const shot = join(SHOTS, 'dashboard.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(errors).toEqual([]);
      expect(relayA!.node.dashboard.clients.size).toBe(0);
      expect(tree.origin.node.dashboard.clients.size).toBe(1);
    } finally {
      await page.close();
    }
    // The page's event stream ends with the page: the origin's registry empties.
    await waitFor(() => tree!.origin.node.dashboard.clients.size === 0, 5000);
  }, 120_000);

  it("asks for the admin token when the node has one, and takes it from the URL's fragment without keeping it there", async () => {
    const token = 'dashboard-e2e-admin-token-0123456789';
    tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--admin-token', token] });
    const relayA = tree.relays.find((r) => r.config.id === 'relay-a')!;
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    await view(`${tree.relays.find((r) => r.config.id === 'relay-a1')!.url}/whep/cam`);
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    try {
      // No token: the page loads, the data is refused, and the page asks.
      const asking = await context.newPage();
      await asking.goto(`${relayA.url}/dashboard/`);
      await asking.locator('#login').waitFor({ state: 'visible', timeout: 10_000 });
      expect(await asking.locator('#status').textContent()).toBe('this node needs its admin token');
      expect(await asking.content()).not.toContain(token);
      await asking.fill('#token', token);
      await asking.click('button[type="submit"]');
      await untilPicture(asking, "relay-a's subtree after the token was given", async () => (await asking.locator('#picture g[data-node]').count()) === 2);
      await asking.close();

      // From the fragment: the relay's own dashboard shows itself, its child, and its parent as a stub.
      const page = await context.newPage();
      await page.goto(`${relayA.url}/dashboard#token=${token}`);
      await untilPicture(
        page,
        "relay-a's subtree with the cam flow",
        async () => (await page.locator('#picture path.flow[data-from="relay-a"][data-to="relay-a1"][data-streams="cam"]').count()) === 1,
      );
      expect(page.url()).toBe(`${relayA.url}/dashboard/`);
      expect(await nodeOnPicture(page, 'relay-a')).toMatchObject({ level: '1', state: 'up' });
      expect(await nodeOnPicture(page, 'relay-a1')).toMatchObject({ level: '2', state: 'up', viewers: '1' });
      expect(await page.locator('#picture g[data-pseudo="upstream"]').textContent()).toContain('origin');
      expect(await page.locator('#picture path.flow[data-from="origin"][data-to="relay-a"]').count()).toBe(1);
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, 'dashboard-relay.png'), fullPage: true });
      expect(relayA.node.dashboard.clients.size).toBe(1);
    } finally {
      await context.close();
    }
    await waitFor(() => relayA.node.dashboard.clients.size === 0, 5000);
  }, 90_000);
});

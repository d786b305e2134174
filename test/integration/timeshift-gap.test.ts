// Issue 18: a start between two broadcasts answered Canopy-Start with the time asked for and
// no notice, and "only N recorded so far" counted the gap as recorded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';

const BROADCAST_MS = 4000;
const GAP_MS = 6000;
let tree: Tree;
let dataDir: string;
let secondStartedAt = 0;
let firstEndedAt = 0;
const clients: Array<{ close(): Promise<void> }> = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'canopy-gap-'));
  // No memory buffers: the archive answers every time-shifted start.
  tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--cache-window', '0'], originFlags: ['--data-dir', dataDir] });
  const first = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
  await first.start();
  await sleep(BROADCAST_MS);
  await first.close();
  firstEndedAt = Date.now();
  // The broadcaster comes back within the reconnect grace: the same feed, the same archive writer.
  await sleep(GAP_MS);
  const second = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
  clients.push(second);
  secondStartedAt = Date.now();
  await second.start();
  await sleep(BROADCAST_MS);
}, 60_000);

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree.close();
  await tree.assertEmpty();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The answer's Canopy-Start and Canopy-Notice for a start (a bare POST, then DELETE), and a viewer playing from there. */
async function watch(start: number): Promise<{ viewer: NodeViewer; startMs: number; notice: string | null }> {
  const url = `${tree.relays[0]!.url}/whep/cam?start=${start}`;
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: await makeOffer({ direction: 'RecvOnly' }) });
  expect(res.status).toBe(201);
  await fetch(new URL(res.headers.get('location')!, url), { method: 'DELETE' });
  const viewer = new NodeViewer({ url });
  clients.push(viewer);
  expect((await viewer.start()).status).toBe(201);
  return { viewer, startMs: Number(res.headers.get('canopy-start')), notice: res.headers.get('canopy-notice') };
}

describe('time-shift across a gap in the recording', () => {
  it('answers a start in the gap with where playback really starts, and says it skipped the gap', async () => {
    const asked = firstEndedAt + GAP_MS / 2;
    const { viewer, startMs, notice } = await watch(asked);
    expect(startMs).toBeGreaterThan(firstEndedAt + GAP_MS - 1500);
    expect(startMs).toBeLessThan(secondStartedAt + 3000);
    expect(notice).toMatch(/^skipped a \d+ s gap in the recording \(nothing from \d\d:\d\d:\d\d UTC to \d\d:\d\d:\d\d UTC\); playing from where it continues$/);
    await viewer.waitFor(() => viewer.video.keyframes >= 1 && viewer.video.packets >= 30, 15_000, 'video after the gap');
    await viewer.close();
  });

  it('does not count the gap as recorded in "only N recorded so far"', async () => {
    const { viewer, notice } = await watch(Date.now() - 3_600_000);
    const m = /^only (\d+) s recorded so far; playing from the start$/.exec(notice ?? '');
    expect(m, String(notice)).not.toBeNull();
    // About two 4 s broadcasts; the range from the first packet to now is 14 s and more.
    expect(Number(m![1])).toBeLessThanOrEqual((2 * BROADCAST_MS) / 1000 + 3);
    await viewer.close();
  });
});

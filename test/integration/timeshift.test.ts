import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { sleep } from '../support/wait.js';

// One 12 s publish shared by the tests below: relays keep B = 5 s; the origin keeps 3 s in
// memory and archives the rest, so a request for 9 s ago must be played from disk. (It was a
// 20 s publish and 15 s ago: 12 s still leaves 3 s of recording before the oldest start asked,
// well over the fixture's 1 s keyframe interval, and saves 8 s on each engine.)
const PUBLISH_MS = 12_000;
const KEYFRAME_INTERVAL_MS = 1000; // the fixture's
let tree: Tree;
let dataDir: string;
const clients: Array<{ close(): Promise<void> }> = [];

type StreamEntry = {
  name: string;
  start: number | null;
  bypass?: boolean;
  servedFrom?: string;
  upstream: { kind: string; peer: string } | null;
  viewers: number;
  firstCaptureMs?: number | null;
};
const streams = async (url: string): Promise<StreamEntry[]> => ((await (await fetch(`${url}/api/state`)).json()) as { streams: StreamEntry[] }).streams;
const l2 = () => tree.relays[1]!;
const l1 = () => tree.relays[0]!;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'canopy-archive-'));
  tree = await startTree({ level1: 1, level2PerLevel1: 1, relayFlags: ['--cache-window', '5s'], originFlags: ['--data-dir', dataDir, '--cache-window', '3s'] });
  const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
  clients.push(pub);
  await pub.start();
  // A live viewer keeps the stream (and so each relay's buffer) flowing through the tree.
  const live = new NodeViewer({ url: `${l2().url}/whep/cam` });
  clients.push(live);
  expect((await live.start()).status).toBe(201);
  // The stream must exist for this long before the time-shift requests into it: a recording window.
  await sleep(PUBLISH_MS);
}, PUBLISH_MS + 30_000);

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree.close();
  await tree.assertEmpty();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('time-shift', () => {
  it('sends a request older than window B straight up the chain to the origin archive, starting at the keyframe before T', async () => {
    const start = Date.now() - 9_000;
    const viewer = new NodeViewer({ url: `${l2().url}/whep/cam?start=${start}` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 60 && viewer.video.keyframes >= 1, 15_000, 'time-shifted video');

    // Every link of this tree runs the default --link-media auto: the time-shifted subscription
    // came down UDP pipes like the live one.
    expect(l2().parents.current!.link.mediaPath).toBe('udp');
    expect(l1().parents.current!.link.mediaPath).toBe('udp');
    const at2 = (await streams(l2().url)).find((s) => s.start !== null)!;
    expect(at2).toMatchObject({ name: 'cam', start, bypass: true, viewers: 1, upstream: { kind: 'parent', peer: l1().config.id } });
    const at1 = (await streams(l1().url)).find((s) => s.start !== null)!;
    expect(at1).toMatchObject({ start, bypass: true, upstream: { kind: 'origin', peer: 'origin' } });
    const at0 = (await streams(tree.origin.url)).find((s) => s.start !== null)!;
    expect(at0).toMatchObject({ start, bypass: true, servedFrom: 'archive', upstream: null });
    expect(at2.firstCaptureMs).toBeLessThanOrEqual(start);
    expect(at2.firstCaptureMs).toBeGreaterThan(start - KEYFRAME_INTERVAL_MS - 100);
    // Rewritten for the viewer: one SSRC, continuous sequence numbers.
    expect(viewer.video.ssrcs.size).toBe(1);
    await viewer.close();
  });

  it('serves a request within window B from the level-2 relay’s own buffer', async () => {
    const originFeeds = tree.origin.node.hub.feeds.size;
    const start = Date.now() - 2000;
    const viewer = new NodeViewer({ url: `${l2().url}/whep/cam?start=${new Date(start).toISOString()}` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 60, 15_000, 'video from the buffer');
    const at2 = (await streams(l2().url)).find((s) => s.start !== null && Math.abs(s.start - start) < 5)!;
    expect(at2).toMatchObject({ bypass: false, servedFrom: 'buffer', upstream: null });
    expect(at2.firstCaptureMs).toBeLessThanOrEqual(start);
    expect(tree.origin.node.hub.feeds.size).toBe(originFeeds);
    expect((await streams(l1().url)).filter((s) => s.start !== null && Math.abs(s.start - start) < 5)).toEqual([]);
    await viewer.close();
  });

  it('shares one subscription between two viewers asking the same start within a second', async () => {
    const start = Date.now() - 8_000;
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const post = () => fetch(`${l2().url}/whep/cam?start=${start}`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const shifted = (await streams(l2().url)).filter((s) => s.start === start);
    expect(shifted).toHaveLength(1);
    expect(shifted[0]!.viewers).toBe(2);
    for (const r of [a, b]) await fetch(new URL(r.headers.get('location')!, l2().url), { method: 'DELETE' });
  });

  it('answers a start in the future with a 400 stating the recorded range in ISO time, and a malformed one with a 400', async () => {
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const future = await fetch(`${l2().url}/whep/cam?start=${Date.now() + 60_000}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: offer,
    });
    expect(future.status).toBe(400);
    expect(await future.text()).toMatch(
      /^start \d{4}-\d\d-\d\dT[\d:.]+Z is in the future: cam is recorded from \d{4}-\d\d-\d\dT[\d:.]+Z to \d{4}-\d\d-\d\dT[\d:.]+Z \(epoch ms \d+\.\.\d+\)/,
    );
    const garbage = await fetch(`${l2().url}/whep/cam?start=yesterday`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    expect(garbage.status).toBe(400);
  });

  it('plays a start before the recording from its beginning, saying so in plain words', async () => {
    // An hour ago, in a stream that began seconds ago: the origin's archive names its range,
    // and the level-2 relay asks again from the recording's first moment.
    const asked = Date.now() - 3_600_000;
    const viewer = new NodeViewer({ url: `${l2().url}/whep/cam?start=${asked}` });
    clients.push(viewer);
    const { status } = await viewer.start();
    expect(status).toBe(201);
    const archived = tree.origin.archive!.range('cam')!;
    const res = await fetch(`${l2().url}/whep/cam?start=${asked}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp' },
      body: await makeOffer({ direction: 'RecvOnly' }),
    });
    expect(res.status).toBe(201);
    expect(Number(res.headers.get('canopy-start'))).toBeLessThanOrEqual(archived.startMs);
    expect(res.headers.get('canopy-notice')).toMatch(/^only \d+ s recorded so far; playing from the start$/);
    await fetch(new URL(res.headers.get('location')!, l2().url), { method: 'DELETE' });
    await viewer.waitFor(() => viewer.video.packets >= 30 && viewer.video.keyframes >= 1, 15_000, 'video from the start of the recording');
    const entry = (await streams(l2().url)).find((s) => s.start !== null && s.viewers > 0)!;
    expect(entry.start).toBeLessThanOrEqual(archived.startMs);
    expect(entry.firstCaptureMs).toBeLessThan(archived.startMs + 2 * KEYFRAME_INTERVAL_MS);
    await viewer.close();
  });
});

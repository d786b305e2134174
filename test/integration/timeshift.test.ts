import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';

// One 20 s publish shared by the tests below: relays keep B = 5 s; the origin keeps 3 s in
// memory and archives the rest, so a request for 15 s ago must be played from disk.
const PUBLISH_MS = 20_000;
const KEYFRAME_INTERVAL_MS = 1000; // the fixture's
let tree: Tree;
let dataDir: string;
const clients: Array<{ close(): Promise<void> }> = [];

type StreamEntry = { name: string; start: number | null; bypass?: boolean; servedFrom?: string; upstream: { kind: string; peer: string } | null; viewers: number; firstCaptureMs?: number | null };
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
  await new Promise((r) => setTimeout(r, PUBLISH_MS));
}, PUBLISH_MS + 30_000);

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree.close();
  await tree.assertEmpty();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('time-shift', () => {
  it('sends a request older than window B straight up the chain to the origin archive, starting at the keyframe before T', async () => {
    const start = Date.now() - 15_000;
    const viewer = new NodeViewer({ url: `${l2().url}/whep/cam?start=${start}` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets >= 60 && viewer.video.keyframes >= 1, 15_000, 'time-shifted video');

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
    const start = Date.now() - 12_000;
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const post = () => fetch(`${l2().url}/whep/cam?start=${start}`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const shifted = (await streams(l2().url)).filter((s) => s.start === start);
    expect(shifted).toHaveLength(1);
    expect(shifted[0]!.viewers).toBe(2);
    for (const r of [a, b]) await fetch(new URL(r.headers.get('location')!, l2().url), { method: 'DELETE' });
  });

  it('answers a start in the future or older than the archive with a 4xx that gives the available range', async () => {
    const offer = await makeOffer({ direction: 'RecvOnly' });
    const future = await fetch(`${l2().url}/whep/cam?start=${Date.now() + 60_000}`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    expect(future.status).toBe(400);
    expect(await future.text()).toMatch(/in the future; this node holds \d+\.\.\d+/);
    const ancient = await fetch(`${l2().url}/whep/cam?start=${Date.now() - 3_600_000}`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    expect(ancient.status).toBe(400);
    expect(await ancient.text()).toMatch(/outside the available range \d+\.\.\d+/);
    const garbage = await fetch(`${l2().url}/whep/cam?start=yesterday`, { method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: offer });
    expect(garbage.status).toBe(400);
  });
});

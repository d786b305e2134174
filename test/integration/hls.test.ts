import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE, fixturePath } from '../support/fixture.js';
import { parseM3u8 } from '../support/m3u8.js';
import { startTree, type Tree } from '../support/tree.js';
import { HLS_TIMING } from '../../src/hls/HlsPackager.js';

const H264_FIXTURE = fixturePath('h264-opus-400k.rtp');
let tree: Tree;
const clients: Array<{ close(): Promise<void> }> = [];
const relay = () => tree.relays[0]!;

beforeAll(async () => {
  tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--hls-lease', '2s', '--idle-close-after', '0'] });
  const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: H264_FIXTURE });
  clients.push(pub);
  await pub.start();
  const vp8 = new NodePublisher({ url: `${tree.origin.url}/whip/vp8`, fixture: DEFAULT_FIXTURE });
  clients.push(vp8);
  await vp8.start();
}, 30_000);

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree.close();
  await tree.assertEmpty();
});

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }> {
  const r = await fetch(url, { headers });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, text: bytes.toString('utf8'), bytes };
}

const feeds = (): number => [...relay().node.hub.feeds.values()].filter((f) => !f.closed).length;

describe('LL-HLS', () => {
  it('pulls the stream on the first request, serves valid LL-HLS playlists with CDN headers, and stops after the lease', async () => {
    expect(feeds()).toBe(0);
    const base = `${relay().url}/hls/cam`;
    const index = await get(`${base}/index.m3u8`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(index.headers.get('access-control-allow-origin')).toBe('*');
    expect(relay().node.hls.sessions.size).toBe(1);
    expect(feeds()).toBe(1);
    const mv = parseM3u8(index.text);
    expect(mv.warnings).toEqual([]);
    expect(mv.manifest.playlists).toHaveLength(1);
    const variant = mv.manifest.playlists![0]!;
    expect(variant.attributes['CODECS']).toMatch(/^avc1\.42..1f,opus$/);
    expect(Number(variant.attributes['BANDWIDTH'])).toBeGreaterThan(100_000);
    const mediaUrl = new URL(variant.uri, `${base}/index.m3u8`).href;

    // Wait for two complete segments, then check the playlist's LL-HLS structure.
    let media = parseM3u8((await get(mediaUrl)).text);
    // The first playlist already lists a complete segment: hls.js rejects one of parts alone
    // (levelEmptyError) and gives up after its retries.
    expect(media.manifest.segments.length).toBeGreaterThanOrEqual(1);
    const until = Date.now() + 15_000;
    while (media.manifest.segments.length < 2 && Date.now() < until) {
      // The next part: of the segment in progress (m3u8-parser's preloadSegment), or the first of the next.
      const msn = (media.manifest.mediaSequence ?? 0) + media.manifest.segments.length;
      const r = await get(`${mediaUrl}?_HLS_msn=${msn}&_HLS_part=${media.manifest.preloadSegment?.parts?.length ?? 0}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('public, max-age=6');
      media = parseM3u8(r.text);
    }
    const m = media.manifest;
    expect(media.warnings).toEqual([]);
    expect(m.targetDuration).toBe(3);
    expect(m.partTargetDuration).toBeCloseTo(HLS_TIMING.partTargetS);
    // RFC 8216bis §4.4.3.8: PART-HOLD-BACK at least 3 × PART-TARGET (SHOULD; MUST be ≥ 2×).
    expect(m.serverControl).toMatchObject({ canBlockReload: true });
    expect(m.serverControl!.partHoldBack).toBeGreaterThanOrEqual(3 * m.partTargetDuration! - 1e-6);
    const full = m.segments;
    expect(full.length).toBeGreaterThanOrEqual(2);
    for (const s of full) {
      // Cut at keyframes about 2 s apart (the fixture has one a second; a segment is ≥ 1.5 s).
      expect(s.duration).toBeGreaterThanOrEqual(1.5);
      expect(s.duration).toBeLessThanOrEqual(3);
      expect(s.dateTimeString).toBeTruthy();
      const parts = s.parts ?? [];
      expect(parts.length).toBeGreaterThanOrEqual(3);
      expect(parts[0]!.independent).toBe(true);
      for (const p of parts) expect(p.duration).toBeLessThanOrEqual(HLS_TIMING.partTargetS + 1e-6);
      expect(parts.reduce((a, p) => a + p.duration, 0)).toBeCloseTo(s.duration!, 2);
    }
    const hint = (m.preloadSegment ?? m.segments.at(-1)!).preloadHints;
    expect(hint?.[0]?.type).toBe('PART');

    // Init, segment and part: immutable, with ETags; a repeat with If-None-Match is a 304.
    const init = await get(new URL(m.segments[0]!.map!.uri, mediaUrl).href);
    expect(init.status).toBe(200);
    expect(init.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const segUrl = new URL(full[0]!.uri!, mediaUrl).href;
    const seg = await get(segUrl);
    expect(seg.status).toBe(200);
    expect(seg.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = seg.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await get(segUrl, { 'If-None-Match': etag })).status).toBe(304);
    const part = await get(new URL(full[1]!.parts![1]!.uri, mediaUrl).href);
    expect(part.status).toBe(200);
    expect(part.headers.get('cache-control')).toContain('immutable');
    const plain = await get(mediaUrl);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=1');

    // init + one segment decode as H.264 and Opus of the segment's length (ffprobe).
    const dir = mkdtempSync(join(tmpdir(), 'canopy-hls-'));
    try {
      writeFileSync(join(dir, 'seg.mp4'), Buffer.concat([init.bytes, seg.bytes]));
      const probe = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', join(dir, 'seg.mp4')], { encoding: 'utf8' });
      expect(probe.stdout.trim().split('\n').sort()).toEqual(['h264', 'opus']);
      const dec = spawnSync('ffmpeg', ['-v', 'error', '-i', join(dir, 'seg.mp4'), '-f', 'null', '-'], { encoding: 'utf8' });
      expect(dec.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Nobody fetches: after the lease (2 s here) the packager stops and the relay's pull ends.
    const stopAt = Date.now() + 10_000;
    while ((relay().node.hls.sessions.size > 0 || feeds() > 0) && Date.now() < stopAt) await new Promise((r) => setTimeout(r, 100));
    expect(relay().node.hls.sessions.size).toBe(0);
    expect(feeds()).toBe(0);
    expect((await get(mediaUrl)).status).toBe(404);
  }, 40_000);

  it('answers a blocking reload past the next two segments with 400, and VP8 with 406', async () => {
    const base = `${relay().url}/hls/cam`;
    const mv = parseM3u8((await get(`${base}/index.m3u8`)).text);
    const mediaUrl = new URL(mv.manifest.playlists![0]!.uri, `${base}/index.m3u8`).href;
    const bad = await get(`${mediaUrl}?_HLS_msn=99999`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('cache-control')).toBe('no-store');
    expect((await get(`${mediaUrl}?_HLS_part=1`)).status).toBe(400);
    const vp8 = await get(`${relay().url}/hls/vp8/index.m3u8`);
    expect(vp8.status).toBe(406);
    expect(vp8.text).toMatch(/VP8.*HLS cannot carry/);
  }, 20_000);

  it('shares one upstream pull among HLS requests and WebRTC viewers', async () => {
    const base = `${relay().url}/hls/cam`;
    const viewer = new NodeViewer({ url: `${relay().url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await Promise.all([1, 2, 3].map(() => get(`${base}/index.m3u8`)));
    expect(relay().node.hls.sessions.size).toBe(1);
    // At the relay: one feed, the WebRTC viewer and the packager its consumers; one pull at the origin.
    const at = relay()
      .node.state()
      .streams.find((s) => s.name === 'cam' && s.start === null)!;
    expect(at.viewers).toBe(2);
    const origin = tree.origin.node.state().streams.find((s) => s.name === 'cam' && s.start === null)!;
    expect(origin.children).toBe(1);
    await viewer.close();
  }, 20_000);
});

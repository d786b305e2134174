import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { fixturePath } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';

const PUBLISH_MS = 12_000;
let tree: Tree;
let dataDir: string;
let workDir: string;
let t0 = 0;
const clients: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'canopy-export-'));
  workDir = mkdtempSync(join(tmpdir(), 'canopy-export-out-'));
  tree = await startTree({ level1: 1, level2PerLevel1: 1, originFlags: ['--data-dir', dataDir] });
  const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: fixturePath('h264-opus-400k.rtp') });
  clients.push(pub);
  t0 = Date.now();
  await pub.start();
  await new Promise((r) => setTimeout(r, PUBLISH_MS));
}, PUBLISH_MS + 30_000);

afterAll(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree.close();
  await tree.assertEmpty();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

interface Probe {
  format: { duration: string };
  streams: Array<{ codec_name: string; codec_type: string; duration?: string }>;
}

function probe(bytes: Buffer, name: string): Probe {
  const file = join(workDir, name);
  writeFileSync(file, bytes);
  const r = spawnSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const dec = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
  expect(dec.stderr).toBe('');
  return JSON.parse(r.stdout) as Probe;
}

async function get(url: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const r = await fetch(url);
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

describe('MP4 export', () => {
  it('gives the keyframe-aligned range as one MP4 with audio and video, at the origin and through two relays', async () => {
    const start = t0 + 4300;
    for (const base of [tree.origin.url, tree.relays[1]!.url]) {
      const r = await get(`${base}/archive/cam.mp4?start=${start}&duration=5`);
      expect(r.status, r.bytes.toString().slice(0, 200)).toBe(200);
      expect(r.headers.get('content-type')).toBe('video/mp4');
      const k = Number(r.headers.get('canopy-start'));
      // The fixture has a keyframe every second: the export starts at the one at or before T.
      expect(k).toBeLessThanOrEqual(start);
      expect(start - k).toBeLessThan(1100);
      const p = probe(r.bytes, `range-${base.split(':').at(-1)}.mp4`);
      expect(p.streams.map((s) => s.codec_name).sort()).toEqual(['h264', 'opus']);
      const want = (start + 5000 - k) / 1000;
      expect(Math.abs(Number(p.format.duration) - want)).toBeLessThanOrEqual(0.1);
      // Audio and video cover the same span (in sync within a frame or two).
      const [a, v] = ['audio', 'video'].map((t) => Number(p.streams.find((s) => s.codec_type === t)!.duration));
      expect(Math.abs(a! - v!)).toBeLessThan(0.1);
    }
  }, 30_000);

  it('takes ISO 8601 starts, and answers 404 outside the archive, 416 for an empty range, 400 for bad parameters', async () => {
    const iso = new Date(t0 + 3000).toISOString();
    const r = await get(`${tree.origin.url}/archive/cam.mp4?start=${encodeURIComponent(iso)}&duration=1`);
    expect(r.status).toBe(200);
    expect(Number(probe(r.bytes, 'iso.mp4').format.duration)).toBeGreaterThan(1);
    const o = tree.origin.url;
    expect((await get(`${o}/archive/cam.mp4?start=${t0 - 3_600_000}&duration=10`)).status).toBe(404);
    expect((await get(`${o}/archive/cam.mp4?start=${Date.now() + 60_000}&duration=10`)).status).toBe(404);
    expect((await get(`${o}/archive/other.mp4?start=${t0}&duration=10`)).status).toBe(404);
    expect((await get(`${o}/archive/cam.mp4?start=${t0 + 3000}&duration=0`)).status).toBe(416);
    expect((await get(`${o}/archive/cam.mp4?start=${t0 + 3000}&duration=-1`)).status).toBe(400);
    expect((await get(`${o}/archive/cam.mp4?duration=5`)).status).toBe(400);
    expect((await get(`${tree.relays[0]!.url}/archive/cam.mp4?start=${t0 - 3_600_000}&duration=10`)).status).toBe(404);
  }, 30_000);
});

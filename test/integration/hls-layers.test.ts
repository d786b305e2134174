import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeH264, H264_LAYER_SIZES, hasLibx264 } from '../support/h264Layers.js';
import { parseM3u8, type ParsedPlaylist } from '../support/m3u8.js';
import { publishSimulcast } from '../support/simulcastPublisher.js';
import { originLink, originLinkSent, startTree } from '../support/tree.js';
import { waitFor } from '../support/wait.js';

// LL-HLS with a rendition per simulcast layer (docs/hls.md): the multivariant playlist lists
// each layer with what it carries, each layer is packaged from its own RTP, and a layer is
// pulled through the tree only while its rendition is fetched.

async function get(url: string): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }> {
  const r = await fetch(url);
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, text: bytes.toString('utf8'), bytes };
}

/** ffprobe's codec,width,height of init + media bytes (not spawnSync: the nodes run in this process). */
async function probe(init: Buffer, media: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'canopy-hls-layers-'));
  try {
    writeFileSync(join(dir, 'x.mp4'), Buffer.concat([init, media]));
    const r = await promisify(execFile)('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', join(dir, 'x.mp4')], {
      encoding: 'utf8',
    });
    return r.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasLibx264())('LL-HLS renditions per simulcast layer', () => {
  it('lists each layer with its size, packages each from its own RTP, and pulls only the fetched layer', async () => {
    const layers = H264_LAYER_SIZES.map(([w, h]) => encodeH264(w, h));
    const tree = await startTree({ level1: 1, level2PerLevel1: 1, flags: ['--hls-lease', '3s', '--idle-close-after', '300ms'] });
    const pub = await publishSimulcast(`${tree.origin.node.url}/whip/sim`, 30, layers);
    let fetching = true;
    let loop: Promise<void> = Promise.resolve();
    try {
      const l2 = tree.relays.find((r) => r.config.id === 'relay-a1')!;
      const hls = l2.node.hls;
      await waitFor(() => (tree.origin.node.hub.get('sim')?.info?.tracks.length ?? 0) === 3, 5000, 20, 'three layer tracks at the origin');
      const base = `${l2.node.url}/hls/sim`;

      // The multivariant playlist: one rendition per layer, best first, with its own size and codec.
      const index = await get(`${base}/index.m3u8`);
      expect(index.status, index.text).toBe(200);
      // The first index ran each layer's packager to read what it carries.
      expect([...hls.sessions.values()].map((s) => s.layer?.quality).sort()).toEqual(['high', 'low', 'mid']);
      const mv = parseM3u8(index.text);
      expect(mv.warnings).toEqual([]);
      const variants = mv.manifest.playlists ?? [];
      expect(variants.map((v) => v.uri)).toEqual(['high.m3u8', 'mid.m3u8', 'low.m3u8']);
      const sizes = [...H264_LAYER_SIZES].reverse();
      variants.forEach((v, i) => {
        expect(v.attributes['CODECS']).toMatch(/^avc1\.42..[0-9a-f]{2}$/);
        expect(v.attributes['RESOLUTION']).toEqual({ width: sizes[i]![0], height: sizes[i]![1] });
        expect(Number(v.attributes['BANDWIDTH'])).toBeGreaterThan(1000);
      });
      const bw = variants.map((v) => Number(v.attributes['BANDWIDTH']));
      expect(bw[0]).toBeGreaterThan(bw[2]!);

      // Each rendition: a valid LL-HLS playlist, and its fMP4 is that layer's pictures (ffprobe).
      for (const [i, v] of variants.entries()) {
        const url = new URL(v.uri, `${base}/index.m3u8`).href;
        const r = await get(url);
        expect(r.status).toBe(200);
        const m = parseM3u8(r.text);
        expect(m.warnings).toEqual([]);
        const pl = m.manifest;
        expect(pl.serverControl).toMatchObject({ canBlockReload: true });
        expect(pl.segments.length).toBeGreaterThanOrEqual(1);
        const seg = pl.segments[0]!;
        const init = await get(new URL(seg.map!.uri, url).href);
        expect(init.status).toBe(200);
        const s = await get(new URL(seg.uri!, url).href);
        expect(s.status).toBe(200);
        expect(s.headers.get('cache-control')).toContain('immutable');
        const lastParts = (pl.preloadSegment?.parts?.length ? pl.preloadSegment : pl.segments.at(-1))!.parts!;
        const part = await get(new URL(lastParts[0]!.uri, url).href);
        expect(part.status, `${lastParts[0]!.uri} ${part.text}\n${r.text}`).toBe(200);
        expect(part.headers.get('content-type')).toBe('video/mp4');
        // Last: ffprobe may take longer than the lease on a loaded machine.
        expect(await probe(init.bytes, s.bytes)).toBe(`h264,${sizes[i]![0]},${sizes[i]![1]}`);
      }

      // Only the low rendition is fetched from now on (blocking reloads, shared by two clients).
      const lowUrl = new URL('low.m3u8', `${base}/index.m3u8`).href;
      const follow = async (): Promise<void> => {
        let pl: ParsedPlaylist = parseM3u8((await get(lowUrl)).text).manifest;
        while (fetching) {
          const msn = (pl.mediaSequence ?? 0) + pl.segments.length;
          const part = pl.preloadSegment?.parts?.length ?? 0;
          const r = await get(`${lowUrl}?_HLS_msn=${msn}&_HLS_part=${part}`);
          if (r.status !== 200) {
            await new Promise((res) => setTimeout(res, 100));
            pl = parseM3u8((await get(lowUrl)).text).manifest;
          } else pl = parseM3u8(r.text).manifest;
        }
      };
      loop = Promise.all([follow(), follow()]).then(() => undefined);
      // The other runs stop after the lease (3 s), their layers after the linger (300 ms).
      await waitFor(() => hls.sessions.size === 1, 10_000, 50, 'only the low run left');
      expect([...hls.sessions.values()][0]!.layer?.quality).toBe('low');
      await waitFor(() => originLink(tree)?.layers.join() === 'low', 5000, 20, 'origin link carries only low');
      const sent = await originLinkSent(tree, 1000);
      expect(sent.low).toBeGreaterThan(15);
      expect(sent.high).toBe(0);
      expect(sent.mid).toBe(0);
      // A later index starts nothing: it lists every layer from what the runs found.
      const again = parseM3u8((await get(`${base}/index.m3u8`)).text).manifest.playlists ?? [];
      expect(again.map((v) => v.attributes['RESOLUTION'])).toEqual(variants.map((v) => v.attributes['RESOLUTION']));
      expect(hls.sessions.size).toBe(1);

      // The clients leave: the lease ends, the packager stops and the relay's pull ends.
      fetching = false;
      await loop;
      await waitFor(() => hls.sessions.size === 0, 10_000, 50, 'the low run stops');
      await waitFor(() => [...l2.node.hub.feeds.values()].every((f) => f.closed), 10_000, 50, 'the relay releases the stream');
      expect((await get(lowUrl)).status).toBe(200); // a new request starts a new run
    } finally {
      fetching = false;
      await loop.catch(() => undefined);
      await pub.close();
      await tree.close();
    }
    await tree.assertEmpty();
  }, 90_000);
});

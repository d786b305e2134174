/**
 * H.265 from a real WebRTC publisher (GStreamer webrtcbin: x265enc + rtph265pay, RFC 7798) over
 * WHIP: the answer keeps H265, and a relay packages it as LL-HLS in fMP4 (hvc1) that ffmpeg
 * decodes. Chromium's headless software encoders cannot send H.265, hence GStreamer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseM3u8 } from '../support/m3u8.js';
import { startTree, type Tree } from '../support/tree.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/interop/gst_whip_h265.py', import.meta.url));
const haveGst = ['webrtcbin', 'x265enc', 'rtph265pay'].every((e) => spawnSync('gst-inspect-1.0', [e], { stdio: 'ignore' }).status === 0);

let tree: Tree;
let pub: ChildProcess | null = null;
let out = '';
let err = '';

beforeAll(async () => {
  if (!haveGst) return;
  tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--hls-lease', '2s'] });
}, 60_000);

afterAll(async () => {
  if (pub && pub.exitCode === null) pub.kill('SIGTERM');
  await tree?.close();
  await tree?.assertEmpty();
});

async function get(url: string): Promise<{ status: number; text: string; bytes: Buffer }> {
  const r = await fetch(url);
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, text: bytes.toString('utf8'), bytes };
}

describe.skipIf(!haveGst)('H.265 over WHIP into LL-HLS', () => {
  it('negotiates H265 with a GStreamer publisher and serves it from a relay as hvc1 fMP4', async () => {
    pub = spawn('/usr/bin/python3', [SCRIPT, `${tree.origin.url}/whip/cam`, '--seconds', '15'], { stdio: ['ignore', 'pipe', 'pipe'] });
    pub.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    pub.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const until = Date.now() + 20_000;
    while (!tree.origin.node.state().streams.some((s) => s.name === 'cam') && Date.now() < until && pub.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    expect(
      tree.origin.node.state().streams.some((s) => s.name === 'cam'),
      `${out}\n${err}`,
    ).toBe(true);
    const base = `${tree.relays[0]!.url}/hls/cam`;
    const index = await get(`${base}/index.m3u8`);
    expect(index.status, `${index.text}\n${out}\n${err}`).toBe(200);
    const mv = parseM3u8(index.text);
    const variant = mv.manifest.playlists![0]!;
    // hvc1.{profile}.{compat}.{tier}{level}.{constraints} (ISO/IEC 14496-15 E.3): Main, level 3.x at 640x360.
    expect(variant.attributes['CODECS']).toMatch(/^hvc1\.1\.[0-9A-F]+\.L\d+/i);
    const mediaUrl = new URL(variant.uri, `${base}/index.m3u8`).href;
    const m = parseM3u8((await get(mediaUrl)).text).manifest;
    expect(m.segments.length).toBeGreaterThanOrEqual(1);
    const init = await get(new URL(m.segments[0]!.map!.uri, mediaUrl).href);
    const seg = await get(new URL(m.segments[0]!.uri!, mediaUrl).href);
    expect(seg.status).toBe(200);
    const dir = mkdtempSync(join(tmpdir(), 'canopy-h265-'));
    try {
      writeFileSync(join(dir, 'seg.mp4'), Buffer.concat([init.bytes, seg.bytes]));
      const probe = spawnSync(
        'ffprobe',
        ['-v', 'error', '-show_entries', 'stream=codec_name,codec_tag_string,width,height', '-of', 'csv=p=0', join(dir, 'seg.mp4')],
        { encoding: 'utf8' },
      );
      expect(probe.stdout.trim()).toBe('hevc,hvc1,640,360');
      const dec = spawnSync('ffmpeg', ['-v', 'error', '-i', join(dir, 'seg.mp4'), '-f', 'null', '-'], { encoding: 'utf8' });
      expect(dec.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const code = await new Promise<number | null>((r) => (pub!.exitCode !== null ? r(pub!.exitCode) : pub!.once('exit', r)));
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as {
      answer_h265: boolean;
      offer_fmtp: string[];
      answer_fmtp: string[];
      connected: boolean;
      rtp: number;
    };
    expect(code, err).toBe(0);
    expect(result.answer_h265).toBe(true);
    // The answer carries the offer's H265 parameters as offered (RFC 7798 §7.2.2), and none
    // when the offer had none (then profile-id 1, tier 0 and level 93 are the defaults, §7.1).
    expect(result.answer_fmtp, JSON.stringify(result)).toEqual(
      result.offer_fmtp.filter((l) => result.answer_fmtp.some((a) => a.split(' ')[0] === l.split(' ')[0])),
    );
    expect(result.answer_fmtp.length).toBe(result.offer_fmtp.length);
    expect(result.connected).toBe(true);
  }, 60_000);
});

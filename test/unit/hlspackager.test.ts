/**
 * HlsPackager on the recorded H.264 + Opus fixture, fed directly (no network), so the order of
 * arrival is the test's choice: the cases that made hls.js stall in Chromium are replayed
 * deterministically, and the fMP4 it makes is checked box by box (ISO/IEC 14496-12).
 */
import { describe, expect, it } from 'vitest';
import { HLS_TIMING, HlsPackager } from '../../src/hls/HlsPackager.js';
import { silentLogger } from '../../src/log.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import type { StreamInfo } from '../../src/media/types.js';
import { fixturePath, readFixture } from '../support/fixture.js';

const fixture = readFixture(fixturePath('h264-opus-400k.rtp'));
const vTrack = fixture.tracks.find((t) => t.kind === 'video')!;
const aTrack = fixture.tracks.find((t) => t.kind === 'audio')!;
const info: StreamInfo = {
  name: 'cam',
  createdMs: 0,
  tracks: [vTrack, aTrack].map((t) => ({
    id: t.id,
    kind: t.kind,
    codec: t.codec,
    payloadType: t.payloadType,
    clockRate: t.clockRate,
    channels: t.channels ?? 1,
    fmtp: t.fmtp ?? '',
  })),
};

interface Box {
  type: string;
  start: number;
  end: number;
  body: Uint8Array;
}

function boxes(b: Uint8Array, start = 0, end = b.length): Box[] {
  const out: Box[] = [];
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let off = start; off + 8 <= end;) {
    const size = v.getUint32(off);
    const type = String.fromCharCode(...b.subarray(off + 4, off + 8));
    if (size < 8) break;
    out.push({ type, start: off, end: off + size, body: b.subarray(off + 8, off + size) });
    off += size;
  }
  return out;
}

const child = (b: Box, type: string): Box[] => boxes(b.body).filter((x) => x.type === type);
const u32 = (b: Uint8Array, off: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off);

/** Track ids in the init segment's moov (tkhd), with each track's timescale (mdhd). */
function initTracks(init: Uint8Array): Map<number, number> {
  const moov = boxes(init).find((x) => x.type === 'moov')!;
  const out = new Map<number, number>();
  for (const trak of child(moov, 'trak')) {
    const tkhd = child(trak, 'tkhd')[0]!.body;
    const id = tkhd[0] === 1 ? u32(tkhd, 20) : u32(tkhd, 12);
    const mdhd = child(child(trak, 'mdia')[0]!, 'mdhd')[0]!.body;
    out.set(id, mdhd[0] === 1 ? u32(mdhd, 20) : u32(mdhd, 12));
  }
  return out;
}

/** Per traf of a part: track id, baseMediaDecodeTime, and the sum of its sample durations. */
function trafs(part: Uint8Array): Array<{ id: number; tfdt: number; duration: number }> {
  const out: Array<{ id: number; tfdt: number; duration: number }> = [];
  for (const moof of boxes(part).filter((x) => x.type === 'moof')) {
    for (const traf of child(moof, 'traf')) {
      const tfhd = child(traf, 'tfhd')[0]!.body;
      const flags = u32(tfhd, 0) & 0xffffff;
      const id = u32(tfhd, 4);
      let off = 8;
      if (flags & 1) off += 8;
      if (flags & 2) off += 4;
      const defaultDuration = flags & 8 ? u32(tfhd, off) : 0;
      const tfdtBody = child(traf, 'tfdt')[0]!.body;
      const tfdt = tfdtBody[0] === 1 ? u32(tfdtBody, 4) * 2 ** 32 + u32(tfdtBody, 8) : u32(tfdtBody, 4);
      let duration = 0;
      for (const trun of child(traf, 'trun')) {
        const tf = u32(trun.body, 0) & 0xffffff;
        const n = u32(trun.body, 4);
        let p = 8 + (tf & 1 ? 4 : 0) + (tf & 4 ? 4 : 0);
        for (let i = 0; i < n; i++) {
          duration += tf & 0x100 ? u32(trun.body, p) : defaultDuration;
          p += (tf & 0x100 ? 4 : 0) + (tf & 0x200 ? 4 : 0) + (tf & 0x400 ? 4 : 0) + (tf & 0x800 ? 4 : 0);
        }
      }
      out.push({ id, tfdt, duration });
    }
  }
  return out;
}

/** Feeds the fixture's first `seconds` (capture time = recorded time), in an order the test picks. */
async function run(order: 'recorded' | 'video-first', seconds: number, timing = HLS_TIMING): Promise<HlsPackager> {
  const p = new HlsPackager(info, { timing, firstMsn: 0, event: false, logger: silentLogger() });
  const base = 1_700_000_000_000;
  let pkts = fixture.packets.filter((x) => x.time < seconds * 1e6);
  if (order === 'video-first') {
    // Audio reaches the packager late (a relay's keyframe burst of video, audio behind it):
    // the first 1.2 s of video arrives before any audio.
    const early = pkts.filter((x) => x.trackId === vTrack.id && x.time < 1.2e6);
    pkts = [...early, ...pkts.filter((x) => !early.includes(x))];
  }
  for (const x of pkts) {
    p.onPacket(mediaPacket(x.trackId, x.data, base + x.time / 1000, false));
    // Let the muxing chain run as packets come (it is asynchronous).
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 50));
  return p;
}

function allParts(p: HlsPackager): Uint8Array[] {
  return [...p.segments, ...(p.current ? [p.current] : [])].flatMap((s) => s.parts.map((x) => x.bytes!));
}

describe('HlsPackager', () => {
  for (const order of ['recorded', 'video-first'] as const) {
    it(`writes an init segment with every track its parts use, with continuous decode times (${order})`, async () => {
      const p = await run(order, 7);
      try {
        expect(p.codecs).toMatch(/^avc1\.[0-9a-f]{6},opus$/);
        const tracks = initTracks(p.init!);
        expect([...tracks.keys()].length).toBe(2);
        const parts = allParts(p);
        expect(parts.length).toBeGreaterThan(10);
        const next = new Map<number, number>();
        const seen = new Set<number>();
        for (const part of parts) {
          for (const t of trafs(part)) {
            // Every traf's track is in the moov: a traf for a track the init lacks is what
            // Chromium's MSE rejected ("video SourceBuffer error") while hls.js never played.
            expect(tracks.has(t.id)).toBe(true);
            seen.add(t.id);
            // Decode times continue from part to part within a track (±1 tick).
            const want = next.get(t.id);
            if (want !== undefined) expect(Math.abs(t.tfdt - want)).toBeLessThanOrEqual(1);
            next.set(t.id, t.tfdt + t.duration);
          }
        }
        expect(seen.size).toBe(2);
        expect(
          trafs(parts[0]!)
            .map((t) => t.id)
            .sort(),
        ).toEqual([...tracks.keys()].sort());
      } finally {
        p.close();
      }
    });
  }

  it('cuts parts within PART-TARGET, segments at keyframes, and a part as soon as the frame that ends it arrives', async () => {
    const p = await run('recorded', 7);
    try {
      expect(p.segments.length).toBeGreaterThanOrEqual(2);
      for (const s of p.segments) {
        expect(s.parts[0]!.independent).toBe(true);
        for (const x of s.parts) expect(x.durationS).toBeLessThanOrEqual(HLS_TIMING.partTargetS + 1e-9);
      }
      // The fixture is 30 fps: a part is partMinS rounded up to whole frames.
      const inner = p.segments.flatMap((s) => s.parts.slice(0, -1));
      for (const x of inner) expect(x.durationS).toBeGreaterThanOrEqual(HLS_TIMING.partMinS - 1e-6);
    } finally {
      p.close();
    }
    // A part is cut when the frame that ends it arrives, not a frame later: after some video
    // frame's last packet, the newest listed part ends exactly at that frame's time.
    const q = new HlsPackager(info, { timing: HLS_TIMING, firstMsn: 0, event: false, logger: silentLogger() });
    try {
      const base = 1_700_000_000_000;
      let anchor: { ms: number; ts: number } | null = null;
      let cutOnArrival = 0;
      for (const x of fixture.packets.filter((y) => y.time < 3e6)) {
        const capture = base + x.time / 1000;
        q.onPacket(mediaPacket(x.trackId, x.data, capture, false));
        if (x.trackId !== vTrack.id || (x.data[1]! & 0x80) === 0) continue; // a frame ends with its marker bit
        const ts = new DataView(x.data.buffer, x.data.byteOffset).getUint32(4);
        anchor ??= { ms: capture, ts };
        const frameMs = anchor.ms + ((ts - anchor.ts) / vTrack.clockRate) * 1000;
        await new Promise((r) => setTimeout(r, 2));
        const seg = q.current && q.current.parts.length > 0 ? q.current : q.segments.at(-1);
        if (!seg) continue;
        const endMs = seg.dateMs + seg.parts.reduce((a, y) => a + y.durationS, 0) * 1000;
        if (Math.abs(endMs - frameMs) < 1) cutOnArrival++;
      }
      expect(cutOnArrival).toBeGreaterThanOrEqual(5);
    } finally {
      q.close();
    }
  });

  it('says which segments are gone for good (their 404 may be cached), and not those still to come', async () => {
    // Short segments and a one-segment window, so 7 s of the fixture leaves some behind.
    const p = await run('recorded', 7, { ...HLS_TIMING, segmentMinS: 0.5, targetDurationS: 1, windowSegments: 1, partSegments: 1 });
    try {
      const first = p.segments[0]!.msn;
      expect(first).toBeGreaterThan(0);
      expect(p.gone(0)).toBe(true);
      expect(p.gone(first - 1)).toBe(true);
      expect(p.gone(first)).toBe(false);
      expect(p.gone(p.nextSegmentMsn)).toBe(false);
      expect(p.gone(p.nextSegmentMsn + 1)).toBe(false);
    } finally {
      p.close();
    }
  });
});

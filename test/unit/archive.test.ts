import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { decodeRecord, decodeSegmentHeader, softCrc32, streamDirName } from '../../src/media/archiveFormat.js';
import type { ArchivedPacket, ArchiveReader } from '../../src/media/ArchiveReader.js';
import { ArchiveStore, type ArchiveStoreOptions } from '../../src/media/ArchiveStore.js';
import type { StreamInfo } from '../../src/media/types.js';

const T0 = 1_700_000_000_000;

const AV: StreamInfo = {
  name: 'cam',
  createdMs: T0,
  tracks: [
    { id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' },
    { id: 1, kind: 'audio', codec: 'opus', payloadType: 111, clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
  ],
};
const AUDIO: StreamInfo = { name: 'cam', createdMs: T0, tracks: [AV.tracks[1]!] };

interface Pkt {
  track: number;
  rtp: Buffer;
  captureMs: number;
  keyframe: boolean;
}

function rtp(seq: number, ts: number, payload: number[], size: number): Buffer {
  const b = Buffer.alloc(12 + size, seq & 0xff);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(0xabcd, 8);
  Buffer.from(payload).copy(b, 12);
  return b;
}

/** 20 fps video on track 0 (two packets a frame, keyframe every gopMs) and 20 ms audio on track 1, over [fromMs, toMs). */
function synth(fromMs: number, toMs: number, opts: { gopMs?: number; video?: boolean } = {}): Pkt[] {
  const gop = opts.gopMs ?? 500;
  const out: Pkt[] = [];
  if (opts.video !== false) {
    for (let t = Math.ceil(fromMs / 50) * 50; t < toMs; t += 50) {
      const key = t % gop === 0;
      const seq = (t / 50) * 2;
      out.push({ track: 0, rtp: rtp(seq, t * 90, key ? [0x10, 0x00, 0x9d] : [0x10, 0x01], 300), captureMs: T0 + t, keyframe: key });
      out.push({ track: 0, rtp: rtp(seq + 1, t * 90, [0x00, 0x01], 300), captureMs: T0 + t, keyframe: false });
    }
  }
  for (let t = Math.ceil(fromMs / 20) * 20; t < toMs; t += 20)
    out.push({ track: 1, rtp: rtp(t / 20, t * 48, [0xfc], 60), captureMs: T0 + t + 1, keyframe: false });
  return out.sort((a, b) => a.captureMs - b.captureMs);
}

const key = (p: { track: number; rtp: Uint8Array }) => `${p.track}:${(p.rtp[2]! << 8) | p.rtp[3]!}`;

async function readAll(r: ArchiveReader): Promise<ArchivedPacket[]> {
  const out: ArchivedPacket[] = [];
  for (let p = await r.next(); p; p = await r.next()) out.push(p);
  return out;
}

let root: string;
let dir: string;
let clock: number;
const stores: ArchiveStore[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'canopy-archive-'));
  dir = join(root, 'archive');
  clock = T0 + 10_000;
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

async function openStore(over: Partial<ArchiveStoreOptions> = {}): Promise<ArchiveStore> {
  const s = new ArchiveStore({ dir, windowMs: 3_600_000, maxBytes: 1e12, logger: silentLogger(), segmentMs: 1000, now: () => clock, ...over });
  stores.push(s);
  await s.open();
  return s;
}

async function record(s: ArchiveStore, stream: string, pkts: Pkt[], info: StreamInfo = AV): Promise<void> {
  const w = s.writer(stream, info);
  for (const p of pkts) w.write(p);
  await w.close();
}

async function reopen(s: ArchiveStore, over: Partial<ArchiveStoreOptions> = {}): Promise<ArchiveStore> {
  await s.close();
  return openStore(over);
}

function segmentFiles(stream = 'cam'): string[] {
  const d = join(dir, streamDirName(stream));
  return readdirSync(d)
    .filter((n) => n.endsWith('.seg'))
    .sort()
    .map((n) => join(d, n));
}

/** Records of a segment file: offset, key, keyframe. */
function recordsOf(path: string): Array<{ offset: number; key: string; keyframe: boolean; track: number; length: number }> {
  const buf = readFileSync(path);
  const out = [];
  for (let off = decodeSegmentHeader(buf)!.length; off < buf.length;) {
    const r = decodeRecord(buf, off);
    if (r === null || r === 'short') break;
    out.push({ offset: off, key: key({ track: r.track, rtp: buf.subarray(r.rtpStart, r.rtpEnd) }), keyframe: r.keyframe, track: r.track, length: r.length });
    off += r.length;
  }
  return out;
}

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) }), lines };
}

describe('ArchiveStore writing and reading', () => {
  it('reads back every packet written, in order and byte for byte', async () => {
    const s = await openStore();
    const pkts = synth(0, 3000);
    await record(s, 'cam', pkts);
    const got = await readAll(s.openReader('cam', T0)!);
    expect(got).toEqual(pkts);
    expect(s.range('cam')).toEqual({ startMs: T0, endMs: pkts[pkts.length - 1]!.captureMs });
    const files = segmentFiles();
    expect(s.stats()).toEqual({
      bytes: files.reduce((n, f) => n + statSync(f).size, 0),
      segments: files.length,
      streams: 1,
      writeErrors: 0,
      droppedPackets: 0,
    });
    const again = await reopen(s);
    expect(await readAll(again.openReader('cam', T0)!)).toEqual(pkts);
    expect(again.stats().bytes).toBe(s.stats().bytes);
  });

  it('starts a reader at the keyframe at or before T, or at T on an exact hit', async () => {
    const s = await openStore();
    const pkts = synth(0, 5000);
    await record(s, 'cam', pkts);
    const first = async (t: number) => (await s.openReader('cam', t)!.next())!;
    expect(await first(T0 + 2300)).toMatchObject({ captureMs: T0 + 2000, keyframe: true, track: 0 });
    expect(await first(T0 + 2499)).toMatchObject({ captureMs: T0 + 2000, keyframe: true });
    expect(await first(T0 + 2500)).toMatchObject({ captureMs: T0 + 2500, keyframe: true });
    expect(await first(T0 + 999)).toMatchObject({ captureMs: T0 + 500, keyframe: true });
    const tail = await readAll(s.openReader('cam', T0 + 4000)!);
    expect(tail).toEqual(pkts.filter((p) => p.captureMs >= T0 + 4000));
    expect(s.openReader('cam', T0 - 1)).toBeNull();
    expect(s.openReader('cam', s.range('cam')!.endMs + 1)).toBeNull();
    expect(s.openReader('other', T0)).toBeNull();
  });

  it('rolls segments at the first keyframe after segmentMs and reads across their boundaries', async () => {
    const s = await openStore({ segmentMs: 1000 });
    const pkts = synth(0, 5000, { gopMs: 400 });
    await record(s, 'cam', pkts);
    const files = segmentFiles();
    expect(files.length).toBe(5);
    for (const f of files) {
      const recs = recordsOf(f);
      expect(recs[0]!.keyframe).toBe(true);
      expect(recs[0]!.track).toBe(0);
    }
    expect(await readAll(s.openReader('cam', T0 + 1500)!)).toEqual(pkts.filter((p) => p.captureMs >= T0 + 1200));
  });

  it('returns null at the end of what is written, then the packets written since', async () => {
    const s = await openStore();
    const pkts = synth(0, 4000);
    const w = s.writer('cam', AV);
    const cut = pkts.findIndex((p) => p.captureMs >= T0 + 1300);
    for (const p of pkts.slice(0, cut)) w.write(p);
    await w.flush();
    const r = s.openReader('cam', T0)!;
    const got = await readAll(r);
    expect(got).toEqual(pkts.slice(0, cut));
    expect(await r.next()).toBeNull();
    for (const p of pkts.slice(cut)) w.write(p);
    await w.flush();
    got.push(...(await readAll(r)));
    await w.close();
    got.push(...(await readAll(r)));
    expect(got).toEqual(pkts);
    expect(r.skipped).toBe(false);
    r.close();
    r.close();
    expect(await r.next()).toBeNull();
  });

  it('seeks an audio-only stream to T itself', async () => {
    const s = await openStore();
    const pkts = synth(0, 5000, { video: false });
    await record(s, 'radio', pkts, AUDIO);
    expect(s.range('radio')!.startMs).toBe(T0 + 1);
    const got = await readAll(s.openReader('radio', T0 + 2345)!);
    expect(got[0]!.captureMs).toBe(T0 + 2361);
    expect(got).toEqual(pkts.filter((p) => p.captureMs >= T0 + 2345));
  });

  it('starts a segment at a gap in one writer (a publisher back within the grace), opens a start in the gap where the recording continues, and counts no gap as recorded', async () => {
    const s = await openStore({ segmentMs: 60_000 });
    // 0–2 s, then nothing for 5 s, then 7–9 s (the second part's first packet is not a keyframe).
    const pkts = [...synth(0, 2000), ...synth(7100, 9000)];
    await record(s, 'cam', pkts);
    expect(segmentFiles().length).toBe(2);
    const first = await s.openReader('cam', T0 + 4000)!.next();
    expect(first).toMatchObject({ captureMs: T0 + 7500, keyframe: true, track: 0 });
    // Inside a broadcast: the keyframe at or before T, as ever.
    expect(await s.openReader('cam', T0 + 1700)!.next()).toMatchObject({ captureMs: T0 + 1500, keyframe: true });
    expect(await s.openReader('cam', T0 + 8200)!.next()).toMatchObject({ captureMs: T0 + 8000, keyframe: true });
    // Recorded: 0–1.95 s and 7.1–8.95 s, not the range's 9 s.
    expect(s.range('cam')).toMatchObject({ startMs: T0 });
    expect(s.recordedMs('cam')).toBeGreaterThan(3500);
    expect(s.recordedMs('cam')).toBeLessThan(4000);
  });

  it('keeps the StreamInfo of each publish, so a republish with other tracks is told apart', async () => {
    const s = await openStore();
    const first = synth(0, 2000);
    const second = synth(3000, 5000, { video: false });
    await record(s, 'cam', first, AV);
    await record(s, 'cam', second, AUDIO);
    expect(s.info('cam')).toEqual(AUDIO);
    expect(s.info('cam', T0 + 1000)).toEqual(AV);
    expect(s.info('cam', T0 + 4000)).toEqual(AUDIO);
    const r = s.openReader('cam', T0 + 1000)!;
    expect(r.info).toEqual(AV);
    const got = await readAll(r);
    expect(r.info).toEqual(AUDIO);
    expect(got).toEqual([...first, ...second].filter((p) => p.captureMs >= T0 + 1000));
  });

  it('keeps stream directory names inside the archive whatever the stream is called', async () => {
    const s = await openStore();
    const names = ['..', 'a/b', '.hidden', 'caf\u00e9 x%'];
    for (const n of names) await record(s, n, synth(0, 1000));
    expect(readdirSync(dir).sort()).toEqual(names.map(streamDirName).sort());
    const again = await reopen(s);
    expect(again.streamNames().sort()).toEqual([...names].sort());
    for (const n of names) expect((await readAll(again.openReader(n, T0)!)).length).toBe(synth(0, 1000).length);
  });
});

describe('ArchiveStore retention', () => {
  it('deletes whole segments older than the window', async () => {
    const s = await openStore({ windowMs: 5000 });
    const pkts = synth(0, 10_000);
    await record(s, 'cam', pkts);
    expect(segmentFiles()).toHaveLength(10);
    const before = s.stats().bytes;
    clock = T0 + 10_000;
    await s.enforceRetention();
    expect(segmentFiles()).toHaveLength(5);
    expect(s.range('cam')!.startMs).toBe(T0 + 5000);
    expect(s.stats().bytes).toBeLessThan(before);
    expect(s.stats().bytes).toBe(segmentFiles().reduce((n, f) => n + statSync(f).size, 0));
    expect(await readAll(s.openReader('cam', T0 + 5000)!)).toEqual(pkts.filter((p) => p.captureMs >= T0 + 5000));
    clock = T0 + 100_000;
    await s.enforceRetention();
    expect(s.range('cam')).toBeNull();
    expect(s.stats()).toMatchObject({ bytes: 0, segments: 0, streams: 0 });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never deletes the segment a writer is still appending to', async () => {
    const s = await openStore({ windowMs: 1000 });
    const w = s.writer('cam', AV);
    for (const p of synth(0, 2500)) w.write(p);
    await w.flush();
    clock = T0 + 100_000;
    await s.enforceRetention();
    expect(s.range('cam')!.startMs).toBe(T0 + 2000);
    expect(segmentFiles()).toHaveLength(1);
    await w.close();
  });

  it('deletes the oldest segments across streams first when over the size cap', async () => {
    const s = await openStore();
    await record(s, 'a', synth(0, 6000));
    await record(s, 'b', synth(3000, 9000));
    const total = s.stats().bytes;
    const before = [...segmentFiles('a'), ...segmentFiles('b')];
    const capped = await reopen(s, { maxBytes: Math.floor(total / 2) });
    const after = [...segmentFiles('a'), ...segmentFiles('b')];
    expect(capped.stats().bytes).toBeLessThanOrEqual(total / 2);
    expect(capped.stats().bytes).toBeGreaterThan(total / 2 - 2 * (total / 12));
    const startOf = (f: string) => Number(/(\d+)\.seg$/.exec(f)![1]);
    const deleted = before.filter((f) => !after.includes(f)).map(startOf);
    const kept = after.map(startOf);
    expect(deleted.length).toBeGreaterThan(0);
    expect(Math.max(...deleted)).toBeLessThanOrEqual(Math.min(...kept));
    expect(capped.range('b')!.endMs).toBe(T0 + 8981);
  });
});

describe('ArchiveStore recovery', () => {
  it('reads back everything before a truncated tail and cuts the damage off', async () => {
    const s = await openStore();
    const pkts = synth(0, 5000);
    await record(s, 'cam', pkts);
    const last = segmentFiles().at(-1)!;
    const size = statSync(last).size;
    const lastRecord = recordsOf(last).at(-1)!;
    truncateSync(last, size - 10);
    const again = await reopen(s);
    expect(await readAll(again.openReader('cam', T0)!)).toEqual(pkts.slice(0, -1));
    expect(statSync(last).size).toBe(lastRecord.offset);
    expect(again.range('cam')!.endMs).toBe(pkts.at(-2)!.captureMs);
  });

  it('recovers a segment that was cut inside its header or has garbage appended', async () => {
    const s = await openStore();
    const pkts = synth(0, 3000);
    await record(s, 'cam', pkts);
    const files = segmentFiles();
    const lastSize = statSync(files.at(-1)!).size;
    appendFileSync(files.at(-1)!, randomBytes(5000));
    appendFileSync(files[0]!, Buffer.alloc(300, 0xff));
    writeFileSync(join(dir, streamDirName('cam'), '9999999999999.seg'), Buffer.from('CNPYSEG1\x00\x01'));
    const again = await reopen(s);
    expect(await readAll(again.openReader('cam', T0)!)).toEqual(pkts);
    expect(statSync(files.at(-1)!).size).toBe(lastSize);
  });

  it('skips a corrupt record in the middle to the next keyframe', async () => {
    const s = await openStore();
    const pkts = synth(0, 5000);
    await record(s, 'cam', pkts);
    const seg = segmentFiles()[2]!;
    const recs = recordsOf(seg);
    const bad = 10;
    const nextKey = recs.findIndex((r, i) => i > bad && r.keyframe && r.track === 0);
    const lost = new Set(recs.slice(bad, nextKey).map((r) => r.key));
    const buf = readFileSync(seg);
    buf[recs[bad]!.offset + 40] ^= 0xff;
    writeFileSync(seg, buf);
    const again = await reopen(s);
    const r = again.openReader('cam', T0)!;
    const got = await readAll(r);
    expect(got.map(key)).toEqual(pkts.filter((p) => !lost.has(key(p))).map(key));
    expect(r.skipped).toBe(true);
    expect(statSync(seg).size).toBe(buf.length);
  });

  it('rebuilds a missing or corrupt sidecar index by scanning, resynchronising after corrupt records', async () => {
    const s = await openStore();
    const pkts = synth(0, 5000);
    await record(s, 'cam', pkts);
    const range = s.range('cam');
    const files = segmentFiles();
    const seg = files[1]!;
    const recs = recordsOf(seg);
    const buf = readFileSync(seg);
    buf.writeUInt32BE(0xffffff, recs[5]!.offset);
    writeFileSync(seg, buf);
    for (const f of files) unlinkSync(`${f}.idx`);
    writeFileSync(`${files[3]}.idx`, randomBytes(100));
    const again = await reopen(s);
    expect(again.range('cam')).toEqual(range);
    expect(statSync(seg).size).toBe(buf.length);
    const nextKey = recs.findIndex((r, i) => i > 5 && r.keyframe && r.track === 0);
    const lost = new Set(recs.slice(5, nextKey).map((r) => r.key));
    const got = await readAll(again.openReader('cam', T0)!);
    expect(got.map(key)).toEqual(pkts.filter((p) => !lost.has(key(p))).map(key));
    // A keyframe after the damage is still a seek point.
    const after = recs[nextKey]!;
    const first = await again.openReader('cam', pkts.find((p) => key(p) === after.key)!.captureMs)!.next();
    expect(key(first!)).toBe(after.key);
  });

  it('skips a segment file whose header is corrupt without failing', async () => {
    const { logger, lines } = capture();
    const s = await openStore();
    const pkts = synth(0, 5000);
    await record(s, 'cam', pkts);
    const seg = segmentFiles()[2]!;
    const lost = new Set(recordsOf(seg).map((r) => r.key));
    const buf = readFileSync(seg);
    buf[20] ^= 0xff;
    writeFileSync(seg, buf);
    const again = await reopen(s, { logger });
    expect(lines.some((l) => l.includes('no valid header'))).toBe(true);
    const r = again.openReader('cam', T0)!;
    const got = await readAll(r);
    expect(got.map(key)).toEqual(pkts.filter((p) => !lost.has(key(p))).map(key));
    expect(r.skipped).toBe(true);
    await expect(again.openReader('cam', T0 + 2200)!.next()).resolves.toMatchObject({ captureMs: T0 + 1500 });
    // The unreadable file goes by its modification time.
    clock = Date.now() + 1e10;
    await again.enforceRetention();
    expect(again.stats().segments).toBe(0);
  });
});

describe('ArchiveStore on a failing or slow disk', () => {
  it('counts write failures without throwing, logs them once, and resumes at a keyframe once the disk works', async () => {
    const { logger, lines } = capture();
    const s = await openStore({ logger });
    const blocker = join(dir, streamDirName('cam'));
    writeFileSync(blocker, 'not a directory');
    const w = s.writer('cam', AV);
    for (const p of synth(0, 3000)) expect(() => w.write(p)).not.toThrow();
    await w.flush();
    const failed = s.stats();
    expect(failed.writeErrors).toBeGreaterThan(1);
    expect(failed.droppedPackets).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('archive write failed'))).toHaveLength(1);
    expect(s.range('cam')).toBeNull();
    unlinkSync(blocker);
    const later = synth(3100, 6000);
    for (const p of later) w.write(p);
    await w.close();
    expect(s.stats().writeErrors).toBe(failed.writeErrors);
    const got = await readAll(s.openReader('cam', s.range('cam')!.startMs)!);
    expect(got[0]).toMatchObject({ captureMs: T0 + 3500, keyframe: true });
    expect(got).toEqual(later.filter((p) => p.captureMs >= T0 + 3500));
  });

  it('drops and counts packets when its queue is over the cap, resuming at a keyframe', async () => {
    const s = await openStore({ maxQueueBytes: 25_000 });
    const w = s.writer('cam', AV);
    const burst = synth(0, 2000);
    for (const p of burst) w.write(p);
    const dropped = s.stats().droppedPackets;
    expect(dropped).toBeGreaterThan(0);
    await w.flush();
    const later = synth(2100, 3000);
    for (const p of later) {
      w.write(p);
      await w.flush();
    }
    await w.close();
    expect(s.stats().droppedPackets).toBeGreaterThan(dropped);
    const got = await readAll(s.openReader('cam', T0)!);
    const stored = burst.length - dropped;
    expect(got.slice(0, stored)).toEqual(burst.slice(0, stored));
    expect(got.slice(stored)).toEqual(later.filter((p) => p.captureMs >= T0 + 2500));
  });

  it('caps what all writers queue together, not each writer', async () => {
    // One writer's burst fits under the cap alone; a second stream's burst at the same time
    // does not: the node's queue, not each stream's, is bounded.
    const one = synth(0, 1000);
    const bytes = one.reduce((n, p) => n + p.rtp.length, 0);
    // Room for one burst and its records' framing, not for two.
    const s = await openStore({ maxQueueBytes: Math.round(bytes * 1.5) });
    const a = s.writer('cam', AV);
    for (const p of one) a.write(p);
    expect(s.stats().droppedPackets).toBe(0);
    const b = s.writer('cam2', { ...AV, name: 'cam2' });
    for (const p of one) b.write(p);
    expect(s.stats().droppedPackets).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });

  it('rejects open() with a CONFIG error when the directory cannot be created', async () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    const s = new ArchiveStore({ dir: join(file, 'archive'), windowMs: 1000, maxBytes: 1000, logger: silentLogger() });
    stores.push(s);
    await expect(s.open()).rejects.toSatisfy((e: unknown) => e instanceof CanopyError && e.code === ErrorCode.CONFIG);
  });
});

describe('archive format', () => {
  it('computes the same CRC-32 as zlib without it', () => {
    for (const n of [0, 1, 7, 1000]) {
      const data = randomBytes(n);
      expect(softCrc32(data)).toBe(zlib.crc32(data));
      expect(softCrc32(data.subarray(n >> 1), softCrc32(data.subarray(0, n >> 1)))).toBe(zlib.crc32(data));
    }
  });
});

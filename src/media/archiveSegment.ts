import { open, readFile, rename, truncate, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../log.js';
import {
  decodeIndex,
  decodeRecord,
  decodeSegmentHeader,
  encodeIndex,
  findRecord,
  MAX_RECORD,
  segmentHeaderLength,
  type SegmentIndex,
} from './archiveFormat.js';
import type { StreamInfo } from './types.js';

/** One segment file as the archive knows it in memory. */
/**
 * A silence longer than this in a stream's capture times is a gap between broadcasts (a
 * publisher that came back within the reconnect grace): the writer starts a new segment there,
 * readers opened in it start where the recording continues, and it is not recorded time.
 */
export const RECORDING_GAP_MS = 2000;

export interface Segment {
  /** Breaks ties between segments that start in the same millisecond. */
  readonly id: number;
  readonly stream: string;
  readonly path: string;
  /** null for a file whose header is unreadable: kept only so retention deletes it. */
  readonly info: StreamInfo | null;
  dataStart: number;
  startMs: number;
  endMs: number;
  /** Records in [dataStart, end) are whole and written. */
  end: number;
  /** Bytes on disk. */
  size: number;
  records: number;
  /** Seek points (keyframes; about one a second without video), ascending. */
  seekMs: number[];
  seekOffsets: number[];
  /** Nothing more will be appended. */
  sealed: boolean;
}

/** What ArchiveWriter and ArchiveReader need of their ArchiveStore. */
export interface ArchiveHost {
  readonly log: Logger;
  readonly segmentMs: number;
  /** Records waiting for the disk, all writers together, are dropped beyond this. */
  readonly maxQueueBytes: number;
  /** Bytes all writers have queued for the disk now (changed through queued()). */
  readonly queuedBytes: number;
  /** A writer queued (delta > 0) or wrote or dropped (delta < 0) records. */
  queued(delta: number): void;
  nextId(): number;
  streamDir(stream: string): string;
  /** A path for a new segment of the stream that no other segment has. */
  reservePath(stream: string, startMs: number): string;
  releasePath(path: string): void;
  /** The segment's file exists with its header: readers may find it. */
  addSegment(seg: Segment): void;
  /** Forgets the segment and deletes its files. */
  removeSegment(seg: Segment): Promise<void>;
  grew(bytes: number): void;
  writeFailed(): void;
  dropped(packets: number): void;
  writerClosed(writer: object): void;
  readerClosed(reader: object): void;
  /** The segment after seg in the stream's order, also when seg itself was deleted. */
  segmentAfter(seg: Segment): Segment | null;
}

export function compareSegments(a: Segment, b: Segment): number {
  return a.startMs - b.startMs || a.id - b.id;
}

/** Index of the last seek point at or before ms, or -1. */
export function seekBefore(seg: Segment, ms: number): number {
  let lo = 0;
  let hi = seg.seekMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seg.seekMs[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first seek point after offset, or -1. */
export function seekAfterOffset(seg: Segment, offset: number): number {
  let lo = 0;
  let hi = seg.seekOffsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seg.seekOffsets[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < seg.seekOffsets.length ? lo : -1;
}

/** Buffered reads of a file: one syscall per chunk, not per record. */
export class FileWindow {
  private buf: Buffer = Buffer.alloc(0);
  private base = 0;

  constructor(
    readonly fh: FileHandle,
    private readonly chunk: number,
  ) {}

  /** Bytes [pos, pos+n) as a view (valid until nothing refers to it), or null past limit or EOF. */
  async view(pos: number, n: number, limit: number): Promise<Buffer | null> {
    if (pos + n > limit) return null;
    const rel = pos - this.base;
    if (rel >= 0 && rel + n <= this.buf.length) return this.buf.subarray(rel, rel + n);
    const want = Math.min(Math.max(n, this.chunk), limit - pos);
    // A fresh buffer per read: views handed out earlier stay valid.
    const buf = Buffer.allocUnsafeSlow(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.fh.read(buf, got, want - got, pos + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.buf = buf.subarray(0, got);
    this.base = pos;
    return got >= n ? this.buf.subarray(0, n) : null;
  }
}

export function videoTrackOf(info: StreamInfo): number | null {
  return info.tracks.find((t) => t.kind === 'video')?.id ?? null;
}

export async function writeSidecar(seg: Segment): Promise<void> {
  const idx: SegmentIndex = {
    end: seg.end,
    dataStart: seg.dataStart,
    records: seg.records,
    startMs: seg.startMs,
    endMs: seg.endMs,
    seekMs: seg.seekMs,
    seekOffsets: seg.seekOffsets,
  };
  const tmp = `${seg.path}.idx.tmp`;
  await writeFile(tmp, encodeIndex(idx));
  await rename(tmp, `${seg.path}.idx`);
}

export async function removeSegmentFiles(path: string): Promise<void> {
  for (const p of [path, `${path}.idx`]) {
    try {
      await unlink(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

const SCAN_CHUNK = 1 << 20;

/**
 * Loads a segment found on disk. Trusts its sidecar index when that is intact and matches the
 * file's size; otherwise scans every record, skipping corrupt ones, and cuts a damaged tail.
 * Never throws: an unreadable header gives a segment with info null; null when the file vanished.
 */
export async function loadSegment(id: number, stream: string, path: string, nameMs: number | null, log: Logger): Promise<Segment | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err, path }, 'archive segment unreadable');
    return null;
  }
  const seg: Segment = {
    id,
    stream,
    path,
    info: null,
    dataStart: 0,
    startMs: nameMs ?? 0,
    endMs: nameMs ?? 0,
    end: 0,
    size: 0,
    records: 0,
    seekMs: [],
    seekOffsets: [],
    sealed: true,
  };
  try {
    const { size, mtimeMs } = await fh.stat();
    // Unless the header says otherwise: retention deletes an unreadable file by its age.
    seg.size = size;
    seg.startMs = nameMs ?? mtimeMs;
    seg.endMs = mtimeMs;
    const win = new FileWindow(fh, SCAN_CHUNK);
    const head = (await win.view(0, Math.min(size, 14), size)) ?? Buffer.alloc(0);
    const need = segmentHeaderLength(head);
    const header = need > 0 ? decodeSegmentHeader((await win.view(0, need, size)) ?? Buffer.alloc(0)) : null;
    if (!header || header.stream !== stream) {
      log.warn({ path }, 'archive segment has no valid header; skipped');
      return seg;
    }
    const withInfo: Segment = { ...seg, info: header.info, dataStart: header.length, end: header.length, startMs: nameMs ?? 0, endMs: nameMs ?? 0 };
    const idx = await readSidecar(path);
    if (idx && idx.end === size && idx.dataStart === header.length && idx.seekMs.length === idx.seekOffsets.length) {
      Object.assign(withInfo, { end: size, records: idx.records, startMs: idx.startMs, endMs: idx.endMs, seekMs: idx.seekMs, seekOffsets: idx.seekOffsets });
      return withInfo;
    }
    await scan(withInfo, win, size, log);
    if (withInfo.end < size) {
      log.warn({ path, kept: withInfo.end, dropped: size - withInfo.end }, 'archive segment has a damaged tail; truncated');
      try {
        await truncate(path, withInfo.end);
        withInfo.size = withInfo.end;
      } catch (err) {
        log.warn({ err, path }, 'cannot truncate archive segment');
      }
    }
    if (withInfo.records > 0) await writeSidecar(withInfo).catch((err: unknown) => log.debug({ err, path }, 'cannot write archive index'));
    return withInfo;
  } catch (err) {
    log.warn({ err, path }, 'archive segment unreadable; skipped');
    return seg;
  } finally {
    await fh.close().catch(() => undefined);
  }
}

async function readSidecar(path: string): Promise<SegmentIndex | null> {
  try {
    return decodeIndex(await readFile(`${path}.idx`));
  } catch {
    return null;
  }
}

/** Reads every record from dataStart, resynchronising after corrupt ones; sets end to the last whole record. */
async function scan(seg: Segment, win: FileWindow, size: number, log: Logger): Promise<void> {
  const video = videoTrackOf(seg.info!);
  let pos = seg.dataStart;
  let lastSeekTs = -1;
  let lastSeekMs = -Infinity;
  let first = true;
  while (pos < size) {
    const buf = await win.view(pos, Math.min(MAX_RECORD, size - pos), size);
    const r = buf ? decodeRecord(buf, 0) : null;
    if (r === null || r === 'short') {
      const next = await resync(win, pos + 1, size);
      if (next < 0) return;
      log.warn({ path: seg.path, offset: pos, skipped: next - pos }, 'corrupt archive record skipped');
      pos = next;
      continue;
    }
    let seek: boolean;
    if (video === null) seek = r.captureMs >= lastSeekMs + 1000;
    else {
      const ts = r.keyframe && r.track === video && r.rtpEnd - r.rtpStart >= 8 ? buf!.readUInt32BE(r.rtpStart + 4) : -1;
      seek = ts >= 0 && ts !== lastSeekTs;
      if (seek) lastSeekTs = ts;
    }
    if (seek) {
      lastSeekMs = r.captureMs;
      seg.seekMs.push(r.captureMs);
      seg.seekOffsets.push(pos);
    }
    if (first) seg.startMs = r.captureMs;
    first = false;
    seg.endMs = r.captureMs;
    seg.records++;
    pos += r.length;
    seg.end = pos;
  }
}

async function resync(win: FileWindow, from: number, size: number): Promise<number> {
  let pos = from;
  while (pos < size) {
    const n = Math.min(SCAN_CHUNK, size - pos);
    const buf = (await win.view(pos, n, size))!;
    const atEof = pos + n >= size;
    // Windows overlap by a record so none is missed at a chunk edge.
    const to = atEof ? n : n - MAX_RECORD;
    const at = findRecord(buf, 0, to);
    if (at >= 0) return pos + at;
    if (atEof) return -1;
    pos += to;
  }
  return -1;
}

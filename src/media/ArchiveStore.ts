import { mkdir, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CanopyError, ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { segmentFileName, segmentNameMs, streamDirName } from './archiveFormat.js';
import { ArchiveReader } from './ArchiveReader.js';
import {
  compareSegments,
  videoTrackOf,
  loadSegment,
  RECORDING_GAP_MS,
  removeSegmentFiles,
  seekBefore,
  type ArchiveHost,
  type Segment,
} from './archiveSegment.js';
import { ArchiveWriter } from './ArchiveWriter.js';
import type { StreamInfo } from './types.js';

/** The default cap on records waiting for the disk at a node: ~8 s of 20 streams at 1 Mbit/s. */
export const DEFAULT_ARCHIVE_QUEUE_BYTES = 16 * 1024 * 1024;

export interface ArchiveStoreOptions {
  dir: string;
  /** Keep segments whose last packet is newer than now - windowMs (--archive-window). */
  windowMs: number;
  /** Delete the oldest segments, across streams, above this total (--archive-max-bytes). */
  maxBytes: number;
  logger: Logger;
  /** Segment length; a segment rolls at the first keyframe after it. */
  segmentMs?: number;
  now?: () => number;
  /**
   * Records waiting for the disk, all writers together, beyond which packets are dropped. Node-wide,
   * not per writer: with a cap per writer an origin with 20 streams on a stalled disk held 20 x
   * 8 MiB (the 20-stream memory soak: 36 "archive queue full" warnings, 229 MiB of ArrayBuffers).
   */
  maxQueueBytes?: number;
}

export interface ArchiveStats {
  bytes: number;
  segments: number;
  streams: number;
  writeErrors: number;
  droppedPackets: number;
}

const MAX_DIR_NAME = 200;

/**
 * The origin's disk archive of published streams (patent claim 5): one directory per stream,
 * append-only segment files of CRC-checked records, a keyframe index in memory. Survives
 * crashes: open() recovers what is intact and cuts damaged tails. Deletes whole segments past
 * windowMs or beyond maxBytes.
 */
export class ArchiveStore {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  private opened = false;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly segmentMs: number;
  /** Each stream's segments in time order. */
  private readonly streams = new Map<string, Segment[]>();
  private readonly writers = new Map<string, ArchiveWriter>();
  private readonly readers = new Set<ArchiveReader>();
  private readonly paths = new Set<string>();
  private bytes = 0;
  private segments = 0;
  private writeErrors = 0;
  private droppedPackets = 0;
  private ids = 0;
  private timer: NodeJS.Timeout | null = null;
  private retaining: Promise<void> | null = null;
  private opening: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private readonly host: ArchiveHost;

  constructor(private readonly opts: ArchiveStoreOptions) {
    this.log = opts.logger.child({ component: 'archive' });
    this.now = opts.now ?? Date.now;
    this.segmentMs = opts.segmentMs ?? 60_000;
    let queued = 0;
    this.host = {
      log: this.log,
      segmentMs: this.segmentMs,
      maxQueueBytes: opts.maxQueueBytes ?? DEFAULT_ARCHIVE_QUEUE_BYTES,
      get queuedBytes() {
        return queued;
      },
      queued: (delta) => {
        queued += delta;
      },
      nextId: () => ++this.ids,
      streamDir: (stream) => this.streamDir(stream),
      reservePath: (stream, startMs) => {
        for (let n = 0; ; n++) {
          const path = join(this.streamDir(stream), segmentFileName(startMs, n));
          if (this.paths.has(path)) continue;
          this.paths.add(path);
          return path;
        }
      },
      releasePath: (path) => this.paths.delete(path),
      addSegment: (seg) => this.add(seg),
      removeSegment: (seg) => this.remove(seg),
      grew: (bytes) => {
        this.bytes += bytes;
      },
      writeFailed: () => {
        this.writeErrors++;
      },
      dropped: (packets) => {
        this.droppedPackets += packets;
      },
      writerClosed: (w) => {
        const writer = w as ArchiveWriter;
        if (this.writers.get(writer.stream) === writer) this.writers.delete(writer.stream);
      },
      readerClosed: (r) => this.readers.delete(r as ArchiveReader),
      segmentAfter: (seg) => {
        const list = this.streams.get(seg.stream);
        if (!list) return null;
        return list[this.firstAfter(list, seg)] ?? null;
      },
    };
  }

  /** Creates the directory and recovers every stream found in it. Rejects only when the directory is unusable. */
  open(): Promise<void> {
    this.opening ??= this.load();
    return this.opening;
  }

  private async load(): Promise<void> {
    if (this.closed) return;
    let entries;
    try {
      await mkdir(this.opts.dir, { recursive: true });
      entries = await readdir(this.opts.dir, { withFileTypes: true });
    } catch (err) {
      throw new CanopyError(ErrorCode.CONFIG, `archive directory ${this.opts.dir} is unusable: ${(err as Error).message}`, { cause: err });
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      let stream: string;
      try {
        stream = decodeURIComponent(e.name);
      } catch {
        stream = '';
      }
      if (streamDirName(stream) !== e.name) {
        this.log.warn({ dir: e.name }, 'not an archive stream directory; ignored');
        continue;
      }
      await this.recover(stream);
    }
    this.opened = true;
    this.log.info({ streams: this.streams.size, segments: this.segments, bytes: this.bytes }, 'archive open');
    await this.enforceRetention();
    if (this.closed) return;
    this.timer = setInterval(() => void this.enforceRetention(), Math.max(1000, Math.min(this.segmentMs, 60_000)));
    this.timer.unref();
  }

  private async recover(stream: string): Promise<void> {
    const dir = this.streamDir(stream);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      this.log.warn({ err, dir }, 'archive stream directory unreadable; skipped');
      return;
    }
    const present = new Set(names);
    for (const name of names.sort()) {
      const path = join(dir, name);
      const leftover = name.endsWith('.tmp') || (name.endsWith('.idx') && !present.has(name.slice(0, -4)));
      if (leftover) await unlink(path).catch(() => undefined);
      if (!name.endsWith('.seg')) continue;
      const seg = await loadSegment(++this.ids, stream, path, segmentNameMs(name), this.log);
      if (!seg) continue;
      if (seg.info && seg.records === 0) {
        // Created just before a crash, before any record made it.
        await removeSegmentFiles(path).catch(() => undefined);
        continue;
      }
      this.paths.add(path);
      this.add(seg);
    }
  }

  private streamDir(stream: string): string {
    return join(this.opts.dir, streamDirName(stream));
  }

  private add(seg: Segment): void {
    let list = this.streams.get(seg.stream);
    if (!list) this.streams.set(seg.stream, (list = []));
    list.splice(this.firstAfter(list, seg), 0, seg);
    this.bytes += seg.size;
    this.segments++;
  }

  private async remove(seg: Segment): Promise<void> {
    const list = this.streams.get(seg.stream);
    const i = list ? list.indexOf(seg) : -1;
    if (i >= 0) {
      list!.splice(i, 1);
      this.bytes -= seg.size;
      this.segments--;
    }
    this.paths.delete(seg.path);
    await removeSegmentFiles(seg.path);
    if (list?.length === 0 && !this.writers.has(seg.stream)) {
      this.streams.delete(seg.stream);
      await rmdir(this.streamDir(seg.stream)).catch(() => undefined);
    }
  }

  /** Index of the first segment of list ordered after seg. */
  private firstAfter(list: Segment[], seg: Segment): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareSegments(list[mid]!, seg) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Starts archiving a publish of stream; an earlier writer of the same stream is closed. */
  writer(stream: string, info: StreamInfo): ArchiveWriter {
    if (this.closed) throw new CanopyError(ErrorCode.SHUTDOWN, 'archive closed');
    if (!this.opened) throw new CanopyError(ErrorCode.UNAVAILABLE, 'archive not open');
    if (stream === '' || streamDirName(stream).length > MAX_DIR_NAME) throw new CanopyError(ErrorCode.BAD_REQUEST, 'stream name unusable for the archive');
    const old = this.writers.get(stream);
    if (old) {
      this.log.warn({ stream }, 'stream archived again while its writer was open; closing the older writer');
      void old.close();
    }
    const w = new ArchiveWriter(stream, info, this.host);
    this.writers.set(stream, w);
    return w;
  }

  /** Names of the streams with anything archived. */
  streamNames(): string[] {
    return [...this.streams.keys()];
  }

  /**
   * How much of range(stream) holds media: the gaps between broadcasts (a silence longer
   * than RECORDING_GAP_MS between one segment's end and the next one's start) do not count.
   */
  recordedMs(stream: string): number {
    const list = (this.streams.get(stream) ?? []).filter((s) => s.records > 0 && s.seekMs.length > 0);
    let total = 0;
    for (const [i, seg] of list.entries()) {
      const from = i === 0 ? seg.seekMs[0]! : seg.startMs;
      total += Math.max(0, seg.endMs - from);
      const prev = list[i - 1];
      if (prev && seg.startMs - prev.endMs <= RECORDING_GAP_MS) total += Math.max(0, seg.startMs - prev.endMs);
    }
    return total;
  }

  /** From the earliest seek point (keyframe) to the last written packet; null when nothing is playable. */
  range(stream: string): { startMs: number; endMs: number } | null {
    const list = this.streams.get(stream);
    const first = list?.find((s) => s.seekMs.length > 0);
    if (!list || !first) return null;
    let endMs = -Infinity;
    for (let i = list.length - 1; i >= 0 && endMs === -Infinity; i--) if (list[i]!.records > 0) endMs = list[i]!.endMs;
    return { startMs: first.seekMs[0]!, endMs };
  }

  /** The stream's description at atMs (default: the latest); it changes when republished with other tracks. */
  info(stream: string, atMs?: number): StreamInfo | null {
    const list = (this.streams.get(stream) ?? []).filter((s) => s.info !== null && s.records > 0);
    if (list.length === 0) return null;
    if (atMs === undefined) return list[list.length - 1]!.info;
    let found = list[0]!;
    for (const s of list) if (s.startMs <= atMs) found = s;
    return found.info;
  }

  /**
   * A reader at the keyframe at or before startMs (without video: at startMs); null when
   * startMs is outside range(stream).
   */
  openReader(stream: string, startMs: number): ArchiveReader | null {
    if (this.closed) return null;
    const r = this.range(stream);
    if (!r || !(startMs >= r.startMs && startMs <= r.endMs)) return null;
    const list = this.streams.get(stream)!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.startMs <= startMs) lo = mid + 1;
      else hi = mid;
    }
    // Usually the segment that starts last at or before startMs; an earlier one when that has no keyframe yet.
    for (let i = lo - 1; i >= 0; i--) {
      const seg = list[i]!;
      const k = seg.info ? seekBefore(seg, startMs) : -1;
      if (k < 0) continue;
      // A start in a gap between two broadcasts plays from where the recording continues, not
      // from the last keyframe before the gap (a second of the earlier broadcast, then a jump).
      const next = startMs - seg.endMs > RECORDING_GAP_MS ? list.slice(i + 1).find((s) => s.info && s.seekMs.length > 0 && s.records > 0) : undefined;
      if (next && next.startMs - seg.endMs > RECORDING_GAP_MS) {
        const reader = new ArchiveReader(this.host, next, next.seekOffsets[0]!, -Infinity);
        this.readers.add(reader);
        return reader;
      }
      const reader = new ArchiveReader(this.host, seg, seg.seekOffsets[k]!, videoTrackOf(seg.info!) === null ? startMs : -Infinity);
      this.readers.add(reader);
      return reader;
    }
    return null;
  }

  stats(): ArchiveStats {
    return {
      bytes: this.bytes,
      segments: this.segments,
      streams: this.streams.size,
      writeErrors: this.writeErrors,
      droppedPackets: this.droppedPackets,
    };
  }

  /** Deletes sealed segments older than the window, then the oldest ones while over maxBytes. Never rejects. */
  enforceRetention(): Promise<void> {
    this.retaining ??= this.retain().finally(() => {
      this.retaining = null;
    });
    return this.retaining;
  }

  private async retain(): Promise<void> {
    const cutoff = this.now() - this.opts.windowMs;
    const all = [...this.streams.values()].flat().filter((s) => s.sealed);
    const victims = all.filter((s) => s.endMs < cutoff);
    let kept = this.bytes - victims.reduce((n, s) => n + s.size, 0);
    if (kept > this.opts.maxBytes) {
      const old = new Set(victims);
      for (const s of all.filter((x) => !old.has(x)).sort(compareSegments)) {
        if (kept <= this.opts.maxBytes) break;
        victims.push(s);
        kept -= s.size;
      }
    }
    if (victims.length === 0) return;
    for (const s of victims) {
      await this.remove(s).catch((err: unknown) => this.log.warn({ err, path: s.path }, 'cannot delete archive segment'));
    }
    this.log.debug({ deleted: victims.length, bytes: this.bytes }, 'archive retention');
  }

  /** Stops retention, closes readers, and writes out and seals every writer's queue. Never rejects. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.#closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const r of [...this.readers]) r.close();
    this.closing = (async () => {
      await Promise.all([...this.writers.values()].map((w) => w.close()));
      await this.retaining;
      this.log.info('archive closed');
    })();
    return this.closing;
  }
}

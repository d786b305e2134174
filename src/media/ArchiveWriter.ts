import { mkdir, open, truncate, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { parseRtpHeader } from '../rtp.js';
import { encodeRecord, encodeSegmentHeader, MAX_RTP, MIN_RTP } from './archiveFormat.js';
import { RECORDING_GAP_MS, videoTrackOf, writeSidecar, type ArchiveHost, type Segment } from './archiveSegment.js';
import type { MediaPacket } from './MediaPacket.js';
import type { StreamConsumer, StreamInfo } from './types.js';

interface Queued {
  seg: Segment;
  record: Buffer;
  captureMs: number;
  seek: boolean;
}

/** Without video, a seek point about every second. */
const AUDIO_SEEK_MS = 1000;

/**
 * Appends one publish of a stream to the archive. write() never blocks or throws: records
 * queue in memory and a single loop appends them. When the queue is over its cap (slow or
 * failing disk) packets are dropped until it drains and a keyframe comes; a failed write
 * abandons the segment and the writer starts a new one at a later keyframe.
 */
export class ArchiveWriter implements StreamConsumer {
  readonly kind = 'recorder';
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  private readonly log: Logger;
  private readonly video: number | null;
  private queue: Queued[] = [];
  private queuedBytes = 0;
  private pumping: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  /** The segment new records go to; null until a segment may start. */
  private cur: Segment | null = null;
  private waitingSinceMs: number | null = null;
  private file: { seg: Segment; fh: FileHandle } | null = null;
  private lastSeekTs = -1;
  private lastSeekMs = -Infinity;
  private overflow = false;
  /** Capture time of the last packet taken (a jump past RECORDING_GAP_MS starts a segment). */
  private lastCaptureMs = -Infinity;
  private failing = false;

  constructor(
    readonly stream: string,
    readonly info: StreamInfo,
    private readonly host: ArchiveHost,
  ) {
    this.log = host.log.child({ stream });
    this.video = videoTrackOf(info);
  }

  /** A consumer of the stream it records (attached as a store: Feed.attach). */
  onPacket(p: MediaPacket): void {
    this.write(p);
  }

  /** The stream ended: what is queued is written and the segment sealed. */
  onEnded(): void {
    void this.close();
  }

  get label(): string {
    return this.stream;
  }

  write(p: MediaPacket): void {
    if (this.closed) return;
    const { track, rtp, captureMs } = p;
    if (
      rtp.length < MIN_RTP ||
      rtp.length > MAX_RTP ||
      !Number.isInteger(track) ||
      track < 0 ||
      track > 0xffff ||
      !Number.isFinite(captureMs) ||
      captureMs < 0
    ) {
      this.host.dropped(1);
      return;
    }
    if (this.cur?.sealed) this.cur = null;
    const startable = this.startsGop(p);
    const gap = this.cur !== null && captureMs - this.lastCaptureMs > RECORDING_GAP_MS;
    this.lastCaptureMs = Math.max(this.lastCaptureMs, captureMs);
    if (gap || this.startSegment(captureMs, startable)) {
      this.cur = this.newSegment(captureMs);
      this.lastSeekTs = -1;
      this.lastSeekMs = -Infinity;
    }
    if (!this.cur) return;
    const seek = this.isSeek(p);
    // After an overflow, resume only at a seek point so no GOP is stored with a hole.
    if (this.overflow) {
      if (!seek || this.host.queuedBytes > this.host.maxQueueBytes / 2) {
        this.host.dropped(1);
        return;
      }
      this.overflow = false;
    }
    const record = encodeRecord(p);
    if (this.host.queuedBytes + record.length > this.host.maxQueueBytes) {
      this.log.warn({ queuedBytes: this.queuedBytes, nodeQueuedBytes: this.host.queuedBytes }, 'archive queue full; dropping packets until it drains');
      this.overflow = true;
      this.host.dropped(1);
      return;
    }
    this.queue.push({ seg: this.cur, record, captureMs, seek });
    this.queuedBytes += record.length;
    this.host.queued(record.length);
    this.pumping ??= this.pump();
  }

  /** Whether this packet may begin a segment, without changing seek state. */
  private startsGop({ track, rtp, captureMs, keyframe }: MediaPacket): boolean {
    if (this.video === null) return captureMs >= this.lastSeekMs + AUDIO_SEEK_MS;
    if (!keyframe || track !== this.video) return false;
    return (parseRtpHeader(rtp)?.timestamp ?? -1) !== this.lastSeekTs;
  }

  private isSeek({ track, rtp, captureMs, keyframe }: MediaPacket): boolean {
    if (this.video === null) {
      if (captureMs < this.lastSeekMs + AUDIO_SEEK_MS) return false;
      this.lastSeekMs = captureMs;
      return true;
    }
    if (!keyframe || track !== this.video) return false;
    // One H.264 key frame may be several keyframe packets (SPS/PPS, IDR): seek to the first.
    const ts = parseRtpHeader(rtp)?.timestamp ?? -1;
    if (ts === this.lastSeekTs) return false;
    this.lastSeekTs = ts;
    return true;
  }

  /** Segments start at a seek point, after segmentMs; a stream without keyframes rolls at 2 x segmentMs. */
  private startSegment(captureMs: number, seek: boolean): boolean {
    const segmentMs = this.host.segmentMs;
    if (!this.cur) {
      this.waitingSinceMs ??= captureMs;
      return seek || captureMs - this.waitingSinceMs >= segmentMs;
    }
    const elapsed = captureMs - this.cur.startMs;
    return elapsed >= segmentMs && (seek || elapsed >= 2 * segmentMs);
  }

  private newSegment(startMs: number): Segment {
    this.waitingSinceMs = null;
    return {
      id: this.host.nextId(),
      stream: this.stream,
      path: this.host.reservePath(this.stream, startMs),
      info: this.info,
      dataStart: 0,
      startMs,
      endMs: startMs,
      end: 0,
      size: 0,
      records: 0,
      seekMs: [],
      seekOffsets: [],
      sealed: false,
    };
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue;
      this.queue = [];
      for (let i = 0; i < items.length;) {
        const seg = items[i]!.seg;
        let j = i;
        let bytes = 0;
        while (j < items.length && items[j]!.seg === seg) bytes += items[j++]!.record.length;
        try {
          await this.append(seg, items.slice(i, j), bytes);
        } catch (err) {
          this.log.error({ err }, 'archive append failed unexpectedly');
          this.host.dropped(j - i);
        }
        this.queuedBytes -= bytes;
        this.host.queued(-bytes);
        i = j;
      }
    }
    this.pumping = null;
  }

  /** Writes one run of records of one segment. */
  private async append(seg: Segment, items: Queued[], bytes: number): Promise<void> {
    if (seg.sealed || (this.file?.seg !== seg && !(await this.openSegment(seg)))) {
      this.host.dropped(items.length);
      return;
    }
    const fh = this.file!.fh;
    const data =
      items.length === 1
        ? items[0]!.record
        : Buffer.concat(
            items.map((q) => q.record),
            bytes,
          );
    try {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await fh.write(data, done, data.length - done);
        if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        done += bytesWritten;
      }
    } catch (err) {
      this.host.dropped(items.length);
      await this.fail(seg, err);
      return;
    }
    let off = seg.end;
    for (const q of items) {
      if (q.seek) {
        seg.seekMs.push(q.captureMs);
        seg.seekOffsets.push(off);
      }
      seg.endMs = Math.max(seg.endMs, q.captureMs);
      seg.records++;
      off += q.record.length;
    }
    seg.end = off;
    seg.size = off;
    this.host.grew(bytes);
    if (this.failing) {
      this.failing = false;
      this.log.info('archive writes recovered');
    }
  }

  private async openSegment(seg: Segment): Promise<boolean> {
    if (this.file) await this.seal(this.file.seg, false);
    let fh: FileHandle | null = null;
    try {
      await mkdir(this.host.streamDir(this.stream), { recursive: true });
      fh = await open(seg.path, 'wx');
      const header = encodeSegmentHeader(this.stream, this.info);
      const { bytesWritten } = await fh.write(header);
      if (bytesWritten !== header.length) throw Object.assign(new Error('short header write'), { code: 'EIO' });
      seg.dataStart = seg.end = seg.size = header.length;
    } catch (err) {
      seg.sealed = true;
      if (fh) {
        await fh.close().catch(() => undefined);
        await this.host.removeSegment(seg).catch(() => undefined);
      } else {
        this.host.releasePath(seg.path);
      }
      this.noteFailure(seg, err);
      return false;
    }
    this.file = { seg, fh };
    this.host.addSegment(seg);
    return true;
  }

  private async fail(seg: Segment, err: unknown): Promise<void> {
    this.noteFailure(seg, err);
    await this.seal(seg, true);
  }

  private noteFailure(seg: Segment, err: unknown): void {
    this.host.writeFailed();
    if (this.cur === seg) this.cur = null;
    // Once per burst: a dead disk fails every segment the writer tries.
    if (this.failing) return;
    this.failing = true;
    this.log.warn({ err, path: seg.path }, 'archive write failed; retrying with a new segment at a later keyframe');
  }

  /** Closes the segment's file for good; a failed one is cut back to its last whole record. */
  private async seal(seg: Segment, failed: boolean): Promise<void> {
    if (this.file?.seg !== seg) return;
    const { fh } = this.file;
    this.file = null;
    seg.sealed = true;
    await fh.close().catch(() => undefined);
    if (seg.records === 0) {
      await this.host.removeSegment(seg).catch((err: unknown) => this.log.warn({ err, path: seg.path }, 'cannot delete empty archive segment'));
      return;
    }
    if (failed) await truncate(seg.path, seg.end).catch(() => undefined);
    await writeSidecar(seg).catch((err: unknown) => this.log.debug({ err, path: seg.path }, 'cannot write archive index'));
  }

  /** Resolves when everything written so far has reached the file (or was dropped). */
  async flush(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /** Stops accepting packets, writes what is queued and seals the last segment. Never rejects. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.#closed = true;
    this.closing = (async () => {
      await this.flush();
      if (this.file) await this.seal(this.file.seg, false);
      this.cur = null;
      this.host.writerClosed(this);
    })();
    return this.closing;
  }
}

import { open } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { decodeRecord, recordLength } from './archiveFormat.js';
import { FileWindow, seekAfterOffset, type ArchiveHost, type Segment } from './archiveSegment.js';
import type { MediaPacket } from './MediaPacket.js';
import type { StreamInfo } from './types.js';

export type ArchivedPacket = MediaPacket;

const READ_CHUNK = 256 * 1024;

/**
 * Reads one stream's archive forward from a seek point, across segments. At the end of what
 * is written next() gives null; called later it continues with what was written since.
 * Damaged records are skipped up to the next keyframe (skipped is set).
 */
export class ArchiveReader {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  /** Set when the reader jumped over damaged or deleted data. */
  skipped = false;
  private win: FileWindow | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    private readonly host: ArchiveHost,
    private seg: Segment,
    private pos: number,
    /** Without video the reader starts at the seek point before the time asked for: skip up to it. */
    private skipBeforeMs: number,
  ) {
    this.log = host.log.child({ stream: seg.stream });
  }

  /** The description of the stream in the segment being read; changes when the stream was republished. */
  get info(): StreamInfo {
    return this.seg.info!;
  }

  /** The next packet, or null at the current end of the archive. Never rejects; calls are served in order. */
  next(): Promise<ArchivedPacket | null> {
    const p = this.chain.then(() => this.read());
    this.chain = p.catch(() => null);
    return p;
  }

  private async read(): Promise<ArchivedPacket | null> {
    while (!this.closed) {
      const seg = this.seg;
      if (this.pos < seg.end) {
        const p = await this.readRecord(seg);
        if (p === 'wait') return null;
        if (p === 'skip' || p.captureMs < this.skipBeforeMs) continue;
        this.skipBeforeMs = -Infinity;
        return p;
      }
      if (!seg.sealed) return null;
      let next = this.host.segmentAfter(seg);
      while (next && next.info === null) {
        this.skipped = true;
        next = this.host.segmentAfter(next);
      }
      if (!next) return null;
      await this.release();
      this.seg = next;
      this.pos = next.dataStart;
    }
    return null;
  }

  private async readRecord(seg: Segment): Promise<ArchivedPacket | 'skip' | 'wait'> {
    if (!this.win) {
      try {
        this.win = new FileWindow(await open(seg.path, 'r'), READ_CHUNK);
      } catch (err) {
        // Deleted by retention before the reader got to it.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn({ err, path: seg.path }, 'cannot open archive segment; skipped');
        this.skipped = true;
        if (!seg.sealed) return 'wait';
        this.pos = seg.end;
        return 'skip';
      }
    }
    try {
      const head = await this.win.view(this.pos, 4, seg.end);
      const length = head ? recordLength(head, 0) : 0;
      const buf = length > 0 ? await this.win.view(this.pos, length, seg.end) : null;
      const r = buf ? decodeRecord(buf, 0) : null;
      if (r !== null && r !== 'short') {
        this.pos += r.length;
        const rtp = Buffer.allocUnsafeSlow(r.rtpEnd - r.rtpStart);
        buf!.copy(rtp, 0, r.rtpStart, r.rtpEnd);
        return { track: r.track, rtp, captureMs: r.captureMs, keyframe: r.keyframe };
      }
      this.log.warn({ path: seg.path, offset: this.pos }, 'corrupt archive record; skipping to the next keyframe');
    } catch (err) {
      this.log.warn({ err, path: seg.path, offset: this.pos }, 'archive read failed; skipping to the next keyframe');
    }
    this.skipped = true;
    const k = seekAfterOffset(seg, this.pos);
    if (k >= 0) this.pos = seg.seekOffsets[k]!;
    else if (seg.sealed) this.pos = seg.end;
    else return 'wait';
    return 'skip';
  }

  private async release(): Promise<void> {
    const win = this.win;
    this.win = null;
    await win?.fh.close().catch(() => undefined);
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    this.chain = this.chain.then(() => this.release());
    this.host.readerClosed(this);
  }
}

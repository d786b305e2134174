import { CanopyError, ErrorCode } from '../src/errors.js';
import type { ArchiveReader } from '../src/media/ArchiveReader.js';
import type { ArchiveStore } from '../src/media/ArchiveStore.js';
import { fromBuffer } from '../src/media/bufferUpstream.js';
import type { Feed, Upstream } from '../src/media/Feed.js';
import { ReplaySource } from '../src/media/ReplaySource.js';
import type { StreamHub } from '../src/media/StreamHub.js';
import type { UpstreamPlanner } from '../src/media/UpstreamPlanner.js';
import { outOfRange } from '../src/media/timeshiftStart.js';

export interface OriginPlannerOptions {
  nodeId: string;
  hub: () => StreamHub;
  archive: ArchiveStore | null;
  /** When this process started: during the start-up grace, unknown streams are "not yet". */
  startedAt: number;
  startupGraceMs: number;
}

/**
 * Where the origin gets a stream (patent [0043]): live streams only from their publisher
 * (StreamHub.publish); time-shifted ones from its memory buffer, then from its archive
 * (window A, claims 5 and 9).
 */
export class OriginPlanner implements UpstreamPlanner {
  constructor(private readonly opts: OriginPlannerOptions) {}

  async open(feed: Feed): Promise<Upstream> {
    return feed.live ? this.live(feed) : this.timeshift(feed);
  }

  /**
   * A live stream with no publisher feed. Right after a restart the broadcaster may not have
   * republished yet: relays hear "not yet" and keep their viewers, rather than "not found".
   */
  private live(feed: Feed): never {
    const up = Date.now() - this.opts.startedAt;
    if (up < this.opts.startupGraceMs) {
      throw new CanopyError(ErrorCode.NOT_YET, `stream ${feed.name} is not published yet (origin started ${Math.round(up / 1000)} s ago)`);
    }
    throw new CanopyError(ErrorCode.NOT_FOUND, `stream ${feed.name} not found`);
  }

  /** Claim 5: the origin plays from memory when its buffer covers the start, else from the archive. */
  private timeshift(feed: Feed): Upstream {
    return fromBuffer(this.opts.hub(), feed, this.opts.nodeId) ?? this.fromArchive(feed);
  }

  private fromArchive(feed: Feed): Upstream {
    const startMs = feed.resumeFromMs;
    const archive = this.opts.archive;
    const reader = archive?.openReader(feed.name, startMs) ?? null;
    if (!archive || !reader) {
      const ranges = [archive?.range(feed.name), this.opts.hub().get(feed.name)?.buffer?.range()].filter((r) => r);
      const range = ranges.length ? { startMs: Math.min(...ranges.map((r) => r!.startMs)), endMs: Math.max(...ranges.map((r) => r!.endMs)) } : null;
      // Recorded time without the gaps between broadcasts (the buffer is the latest broadcast,
      // already in the archive when there is one).
      const archived = archive?.range(feed.name);
      if (range && archive && archived) Object.assign(range, { recordedMs: archive.recordedMs(feed.name) + Math.max(0, range.endMs - archived.endMs) });
      throw outOfRange(feed.name, startMs, range);
    }
    const info = reader.info;
    let first: ArchiveReader | null = reader;
    const replay = new ReplaySource({
      kind: 'archive',
      peer: this.opts.nodeId,
      startMs,
      // The first iterator is the reader opened above; rewinds open new ones.
      seek: (t) => {
        const r = first ?? archive.openReader(feed.name, t);
        first = null;
        return r;
      },
      logger: feed.log,
      stalls: feed.counters.timeshiftStalls,
      clockRate: (track) => info.tracks.find((t) => t.id === track)?.clockRate ?? 90_000,
    });
    replay.start(feed);
    return { source: replay, info };
  }
}

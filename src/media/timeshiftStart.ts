import { CanopyError, ErrorCode } from '../errors.js';
import type { Feed } from './Feed.js';
import type { Lease, StreamHub } from './StreamHub.js';

export interface TimeRange {
  startMs: number;
  endMs: number;
  /** Media time within the range, without the gaps between broadcasts (default: all of it). */
  recordedMs?: number;
}

// An OUT_OF_RANGE error's message states the range for people (ISO 8601) and, in this exact
// form, for nodes: a relay that asked upstream for a start before the recording learns where
// the recording begins from the message alone (SubscribeError carries a code and a reason).
const RANGE_TAG = /\(epoch ms (\d+)\.\.(\d+)(?:; recorded ms (\d+))?\)/;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The 400 for a time-shift start that is not recorded, naming what is. */
export function outOfRange(stream: string, startMs: number, range: TimeRange | null, why?: string): CanopyError {
  const at = `start ${Number.isFinite(startMs) ? iso(startMs) : String(startMs)}`;
  if (!range) return new CanopyError(ErrorCode.OUT_OF_RANGE, `${at}${why ? ` ${why}` : ''}: nothing of ${stream} is recorded here`);
  return new CanopyError(
    ErrorCode.OUT_OF_RANGE,
    `${at} ${why ?? 'is outside the recorded range'}: ${stream} is recorded from ${iso(range.startMs)} to ${iso(range.endMs)} (epoch ms ${range.startMs}..${range.endMs}${range.recordedMs !== undefined ? `; recorded ms ${Math.round(range.recordedMs)}` : ''})`,
  );
}

/** The recorded range an OUT_OF_RANGE error reports, if it reports one. */
export function rangeOf(err: unknown): TimeRange | null {
  if (!(err instanceof CanopyError) || err.code !== ErrorCode.OUT_OF_RANGE) return null;
  const m = RANGE_TAG.exec(err.message);
  return m ? { startMs: Number(m[1]), endMs: Number(m[2]), ...(m[3] !== undefined ? { recordedMs: Number(m[3]) } : {}) } : null;
}

/** "39 s", "4 min 5 s", "2 h 10 min". */
export function spoken(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.floor(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

export interface TimeshiftStart {
  lease: Lease;
  /** Where playback starts (epoch ms): the time asked for, or the start of the recording. */
  startMs: number;
  /** Set when the start was clamped: a plain-words note for the viewer. */
  notice: string | null;
}

/** A recording still growing ends within this of now; then it is "so far". */
const LIVE_EDGE_MS = 10_000;
/**
 * Playback that begins this much after the time asked for skipped a gap in the recording (the
 * archive opens a start between two broadcasts at the next one). More than any keyframe
 * interval: an ordinary start begins at the keyframe at or before the time asked for.
 */
const GAP_NOTICE_MS = 2000;
/** How long the answer waits for the first packet, to say where playback really starts. */
const FIRST_MEDIA_WAIT_MS = 2000;

/** The capture time of the feed's first packet, or null when none comes within waitMs. */
export function firstMediaMs(feed: Feed, waitMs = FIRST_MEDIA_WAIT_MS): Promise<number | null> {
  if (feed.firstCaptureMs !== null) return Promise.resolve(feed.firstCaptureMs);
  if (feed.closed) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (ms: number | null): void => {
      clearTimeout(timer);
      feed.off('first-media', onMedia);
      feed.off('close', onClose);
      resolve(ms);
    };
    const onMedia = (ms: number): void => done(ms);
    const onClose = (): void => done(null);
    const timer = setTimeout(() => done(null), waitMs);
    feed.on('first-media', onMedia);
    feed.on('close', onClose);
  });
}

function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/**
 * Acquires a time-shifted stream. A start before the recording (a "1 min ago" link opened in
 * the stream's first minute) plays from the recording's first moment, with a notice saying so,
 * instead of failing: wherever the range is known (the origin's archive, or a buffer), its
 * OUT_OF_RANGE error names it, and the request is made again from there. A start after the
 * recording stays an error.
 */
export async function acquireTimeshift(
  hub: StreamHub,
  stream: string,
  askedMs: number,
  bypassAt: (startMs: number) => boolean,
  /**
   * Called with the lease as soon as it is acquired, before the wait for its first packet: a
   * consumer that needs the replay's first packets (the HLS packager: the keyframe at or before
   * the start) attaches here. One attached after the wait misses what came during it (a viewer
   * over WebRTC asks for a keyframe instead; a packager asking would get the next one).
   */
  onLease?: (lease: Lease) => void,
): Promise<TimeshiftStart> {
  const start = await acquireAt(hub, stream, askedMs, bypassAt);
  onLease?.(start.lease);
  // A start in a gap between two broadcasts plays from where the recording continues: say
  // where that is (Canopy-Start) and that a gap was skipped, instead of the time asked for.
  const first = await firstMediaMs(start.lease.feed);
  if (first === null || first - start.startMs <= GAP_NOTICE_MS) return start;
  const skipped = `skipped a ${spoken(first - start.startMs)} gap in the recording (nothing from ${clock(start.startMs)} to ${clock(first)}); playing from where it continues`;
  return { lease: start.lease, startMs: first, notice: start.notice ? `${start.notice}; ${skipped}` : skipped };
}

async function acquireAt(hub: StreamHub, stream: string, askedMs: number, bypassAt: (startMs: number) => boolean): Promise<TimeshiftStart> {
  try {
    return { lease: await hub.acquire(stream, { startMs: askedMs, bypass: bypassAt(askedMs) }), startMs: askedMs, notice: null };
  } catch (err) {
    const range = rangeOf(err);
    if (!range || askedMs >= range.startMs) throw err;
    const lease = await hub.acquire(stream, { startMs: range.startMs, bypass: bypassAt(range.startMs) });
    const now = Date.now();
    // The gaps between broadcasts are not recorded time (ArchiveStore.recordedMs).
    const recorded = range.recordedMs ?? now - range.startMs;
    const notice =
      now - range.endMs <= LIVE_EDGE_MS
        ? `only ${spoken(recorded)} recorded so far; playing from the start`
        : `the recording starts ${spoken(range.startMs - askedMs)} after the time asked for; playing from its start`;
    return { lease, startMs: range.startMs, notice };
  }
}

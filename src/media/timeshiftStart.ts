import { CanopyError, ErrorCode } from '../errors.js';
import type { Lease, StreamHub } from './StreamHub.js';

export interface TimeRange {
  startMs: number;
  endMs: number;
}

// An OUT_OF_RANGE error's message states the range for people (ISO 8601) and, in this exact
// form, for nodes: a relay that asked upstream for a start before the recording learns where
// the recording begins from the message alone (SubscribeError carries a code and a reason).
const RANGE_TAG = /\(epoch ms (\d+)\.\.(\d+)\)/;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The 400 for a time-shift start that is not recorded, naming what is. */
export function outOfRange(stream: string, startMs: number, range: TimeRange | null, why?: string): CanopyError {
  const at = `start ${Number.isFinite(startMs) ? iso(startMs) : String(startMs)}`;
  if (!range) return new CanopyError(ErrorCode.OUT_OF_RANGE, `${at}${why ? ` ${why}` : ''}: nothing of ${stream} is recorded here`);
  return new CanopyError(
    ErrorCode.OUT_OF_RANGE,
    `${at} ${why ?? 'is outside the recorded range'}: ${stream} is recorded from ${iso(range.startMs)} to ${iso(range.endMs)} (epoch ms ${range.startMs}..${range.endMs})`,
  );
}

/** The recorded range an OUT_OF_RANGE error reports, if it reports one. */
export function rangeOf(err: unknown): TimeRange | null {
  if (!(err instanceof CanopyError) || err.code !== ErrorCode.OUT_OF_RANGE) return null;
  const m = RANGE_TAG.exec(err.message);
  return m ? { startMs: Number(m[1]), endMs: Number(m[2]) } : null;
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
 * Acquires a time-shifted stream. A start before the recording (a "1 min ago" link opened in
 * the stream's first minute) plays from the recording's first moment, with a notice saying so,
 * instead of failing: wherever the range is known (the origin's archive, or a buffer), its
 * OUT_OF_RANGE error names it, and the request is made again from there. A start after the
 * recording stays an error.
 */
export async function acquireTimeshift(hub: StreamHub, stream: string, askedMs: number, bypassAt: (startMs: number) => boolean): Promise<TimeshiftStart> {
  try {
    return { lease: await hub.acquire(stream, { startMs: askedMs, bypass: bypassAt(askedMs) }), startMs: askedMs, notice: null };
  } catch (err) {
    const range = rangeOf(err);
    if (!range || askedMs >= range.startMs) throw err;
    const lease = await hub.acquire(stream, { startMs: range.startMs, bypass: bypassAt(range.startMs) });
    const now = Date.now();
    const notice =
      now - range.endMs <= LIVE_EDGE_MS
        ? `only ${spoken(now - range.startMs)} recorded so far; playing from the start`
        : `the recording starts ${spoken(range.startMs - askedMs)} after the time asked for; playing from its start`;
    return { lease, startMs: range.startMs, notice };
  }
}

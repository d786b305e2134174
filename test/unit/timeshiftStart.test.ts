import { describe, expect, it } from 'vitest';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import { outOfRange, rangeOf, spoken } from '../../src/media/timeshiftStart.js';

describe('time-shift range errors', () => {
  it('state the recorded range in ISO time for people and in epoch ms for nodes', () => {
    const err = outOfRange('cam', Date.UTC(2026, 0, 1, 12, 0, 0), { startMs: Date.UTC(2026, 0, 1, 12, 0, 21), endMs: Date.UTC(2026, 0, 1, 12, 1, 0) });
    expect(err).toMatchObject({ code: ErrorCode.OUT_OF_RANGE, status: 400 });
    expect(err.message).toBe(
      'start 2026-01-01T12:00:00.000Z is outside the recorded range: cam is recorded from 2026-01-01T12:00:21.000Z to 2026-01-01T12:01:00.000Z (epoch ms 1767268821000..1767268860000)',
    );
    // Carried across a relay link as a reason string, the range still reads back.
    expect(rangeOf(new CanopyError(ErrorCode.OUT_OF_RANGE, err.message))).toEqual({ startMs: 1767268821000, endMs: 1767268860000 });
    expect(rangeOf(new CanopyError(ErrorCode.BAD_REQUEST, err.message))).toBeNull();
    expect(rangeOf(outOfRange('cam', 5, null))).toBeNull();
    expect(outOfRange('cam', 5, null).message).toBe('start 1970-01-01T00:00:00.005Z: nothing of cam is recorded here');
  });

  it('speak durations in plain words', () => {
    expect(spoken(39_400)).toBe('39 s');
    expect(spoken(60_000)).toBe('1 min');
    expect(spoken(245_000)).toBe('4 min 5 s');
    expect(spoken(7_800_000)).toBe('2 h 10 min');
    expect(spoken(-5)).toBe('0 s');
  });
});

import { describe, expect, it } from 'vitest';
import { ReplaySource, type ReplayIterator, type ReplayPacket } from '../../src/media/ReplaySource.js';
import { Counter } from '../../src/metrics.js';
import { silentLogger } from '../../src/log.js';
import type { FeedSink } from '../../src/media/types.js';
import { ErrorCode } from '../../src/errors.js';

const FRAME_MS = 20;

/**
 * An archive-like recording: next() answers after `readMs` (a disk read), one packet per
 * FRAME_MS of capture time from `fromMs`, a keyframe every 10th; `hang` makes reads never answer.
 */
function recording(opts: { readMs: number; hang?: () => boolean; onRead?: () => void }) {
  let opened = 0;
  const seek = (fromMs: number): ReplayIterator => {
    opened++;
    let n = Math.floor(fromMs / FRAME_MS / 10) * 10;
    let closed = false;
    return {
      next: () =>
        new Promise<ReplayPacket | null>((resolve) => {
          opts.onRead?.();
          if (opts.hang?.()) return;
          setTimeout(() => {
            if (closed) return resolve(null);
            const i = n++;
            resolve({ track: 1, rtp: new Uint8Array([i & 0xff]), captureMs: i * FRAME_MS, keyframe: i % 10 === 0 });
          }, opts.readMs);
        }),
      close: () => {
        closed = true;
      },
    };
  };
  return { seek, opened: () => opened };
}

function sink() {
  const delivered: number[] = [];
  const ended: Array<{ code: number; reason: string }> = [];
  const s: FeedSink = {
    deliver: (p) => {
      delivered.push(p.captureMs);
    },
    end: (code, reason) => ended.push({ code, reason }),
    sourceLost: () => {},
  };
  return { s, delivered, ended };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ms: number, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('ReplaySource', () => {
  it('keeps playing when a keyframe request rewinds it while an archive read is in flight', async () => {
    let reads = 0;
    // The 6th read is in flight when a viewer's keyframe request comes (once).
    const rec = recording({ readMs: 5, onRead: () => ++reads === 6 && queueMicrotask(() => replay.requestKeyframe()) });
    const { s, delivered } = sink();
    const replay = new ReplaySource({ kind: 'archive', peer: 'o', seek: rec.seek, startMs: 0, logger: silentLogger(), stallAfterMs: 60_000 });
    try {
      replay.start(s);
      await until('packets after the rewind', 3000, () => delivered.length >= 20);
      expect(rec.opened()).toBe(2);
    } finally {
      replay.close();
    }
  });

  it('rewinds once when it stalls, and ends the feed with a reason when it stalls again, counting both', async () => {
    let hang = false;
    const rec = recording({ readMs: 2, hang: () => hang });
    const { s, delivered, ended } = sink();
    const stalls = new Counter('timeshift_stalls_total', '', ['action']);
    const replay = new ReplaySource({ kind: 'archive', peer: 'o', seek: rec.seek, startMs: 0, logger: silentLogger(), stallAfterMs: 200, stalls });
    try {
      replay.start(s);
      await until('the first packets', 2000, () => delivered.length >= 3);
      hang = true; // a read that never answers (a stuck disk, or a lost wake-up)
      await until('the stall to be noticed', 3000, () => stalls.get({ action: 'rewind' }) === 1);
      expect(ended).toEqual([]);
      await until('the feed to end', 3000, () => ended.length === 1);
      expect(ended[0]).toEqual({ code: ErrorCode.STREAM_ENDED, reason: expect.stringMatching(/^time-shifted playback stalled/) });
      expect(stalls.get({ action: 'end' })).toBe(1);
      expect(replay.closed).toBe(true);
    } finally {
      replay.close();
    }
  });

  it('a replay that recovers after its rewind plays on', async () => {
    let hang = false;
    const rec = recording({ readMs: 2, hang: () => hang });
    const { s, delivered, ended } = sink();
    const stalls = new Counter('timeshift_stalls_total', '', ['action']);
    const replay = new ReplaySource({ kind: 'archive', peer: 'o', seek: rec.seek, startMs: 0, logger: silentLogger(), stallAfterMs: 200, stalls });
    try {
      replay.start(s);
      await until('the first packets', 2000, () => delivered.length >= 3);
      hang = true;
      await sleep(50);
      hang = false; // the rewind's fresh reader answers
      await until('the rewind', 3000, () => stalls.get({ action: 'rewind' }) === 1);
      const after = delivered.length;
      await until('packets after the rewind', 2000, () => delivered.length >= after + 10);
      await sleep(300);
      expect(ended).toEqual([]);
      expect(stalls.get({ action: 'end' })).toBe(0);
    } finally {
      replay.close();
    }
  });
});

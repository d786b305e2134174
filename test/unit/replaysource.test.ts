import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { ReplaySource, type ReplayIterator, type ReplayPacket } from '../../src/media/ReplaySource.js';

/** An archive-like iterator: every next() resolves later (a disk read). */
function slowIterator(from: number): ReplayIterator {
  let i = from;
  return {
    next: () =>
      new Promise<ReplayPacket | null>((resolve) =>
        setTimeout(() => resolve(i < 20 ? { track: 0, rtp: new Uint8Array(12), captureMs: 1000 + i++ * 5, keyframe: i === 1 } : null), 5),
      ),
    close: () => undefined,
  };
}

describe('ReplaySource', () => {
  it('keeps playing when a keyframe request rewinds it while a read is in flight', async () => {
    const got: number[] = [];
    let ended = false;
    const replay = new ReplaySource({ kind: 'archive', peer: 'test', startMs: 1000, seek: () => slowIterator(0), logger: silentLogger(), endAfterIdleMs: 50 });
    replay.start({
      deliver: (p) => {
        got.push(p.captureMs);
      },
      end: () => {
        ended = true;
      },
      sourceLost: () => undefined,
    });
    // The first pump is awaiting its first read now: rewind under it (an HLS packager or a
    // WHEP viewer asks for a keyframe as it opens).
    await new Promise((r) => setTimeout(r, 1));
    replay.requestKeyframe();
    const until = Date.now() + 3000;
    while (!ended && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    replay.close();
    expect(got.length).toBeGreaterThanOrEqual(20);
    expect(ended).toBe(true);
  });
});

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

/** RTP packets 0..n-1 of one track: sequence 100 + i, timestamp 9000 + 3000 i (30 fps at 90 kHz), a keyframe every 10. */
function recorded(n: number, from: number): ReplayIterator {
  let i = from;
  return {
    next: () => {
      if (i >= n) return null;
      const rtp = Buffer.alloc(12);
      rtp[0] = 0x80;
      rtp.writeUInt16BE(100 + i, 2);
      rtp.writeUInt32BE(9000 + 3000 * i, 4);
      const p = { track: 0, rtp, captureMs: 1000 + i * 33, keyframe: i % 10 === 0 };
      i++;
      return p;
    },
    close: () => undefined,
  };
}

describe('ReplaySource numbering across a rewind', () => {
  it('goes on from the last sequence number and timestamp instead of sending the keyframe again under its old numbers', async () => {
    const seqs: number[] = [];
    const tss: number[] = [];
    let seeks = 0;
    const replay = new ReplaySource({
      kind: 'archive',
      peer: 'test',
      startMs: 1000,
      // The first play starts at packet 0; the rewind goes back to the keyframe at packet 10.
      seek: () => recorded(30, seeks++ === 0 ? 0 : 10),
      logger: silentLogger(),
      endAfterIdleMs: 50,
      clockRate: () => 90_000,
    });
    let ended = false;
    replay.start({
      deliver: (p) => {
        seqs.push(p.rtp[2]! * 256 + p.rtp[3]!);
        tss.push(Buffer.from(p.rtp).readUInt32BE(4));
      },
      end: () => {
        ended = true;
      },
      sourceLost: () => undefined,
    });
    const until = Date.now() + 5000;
    // A viewer's keyframe request once 15 packets went out (past the keyframe at 10).
    while (seqs.length < 15 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    const before = seqs.length;
    replay.requestKeyframe();
    while (!ended && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    replay.close();
    expect(ended).toBe(true);
    expect(seqs.length).toBeGreaterThan(before);
    // Every sequence number one past the one before, and timestamps never going back.
    for (let i = 1; i < seqs.length; i++) {
      expect(seqs[i]).toBe((seqs[i - 1]! + 1) & 0xffff);
      expect(tss[i]!).toBeGreaterThan(tss[i - 1]!);
    }
    // Before the rewind the packets are the recorded ones, untouched.
    expect(seqs[0]).toBe(100);
  });
});

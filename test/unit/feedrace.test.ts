import { afterEach, describe, expect, it, vi } from 'vitest';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { StreamHub } from '../../src/media/StreamHub.js';
import type { FeedSource, StreamInfo } from '../../src/media/types.js';
import { sleep } from '../support/wait.js';

const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
};

describe('Feed recovery race', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a viewer arriving during the retry wait shares one re-pull, and every replaced source is closed', async () => {
    vi.useFakeTimers();
    const sources: Array<{ open: boolean }> = [];
    let calls = 0;
    const h = new StreamHub({
      planner: {
        open: async () => {
          calls++;
          // The first re-pull after the loss fails, so the feed waits to retry.
          if (calls === 2) throw new CanopyError(ErrorCode.UNAVAILABLE, 'upstream unreachable');
          await sleep(20);
          const rec = { open: true };
          sources.push(rec);
          const source: FeedSource = {
            kind: 'parent',
            peer: 'up',
            requestKeyframe() {},
            close() {
              rec.open = false;
            },
          };
          return { source, info };
        },
      },
      startTimeoutMs: 1000,
      idleCloseAfterMs: 5000,
      recoverForMs: 30_000,
      logger: silentLogger(),
      counters: nodeCounters(new Metrics()),
    });
    const firstP = h.acquire('cam');
    await vi.advanceTimersByTimeAsync(20);
    const first = await firstP;
    sources[0]!.open = false; // its link is gone
    first.feed.sourceLost('link down');
    await vi.advanceTimersByTimeAsync(0); // the re-pull failed; the retry timer is armed
    expect(first.feed.state).toBe('waiting');
    const secondP = h.acquire('cam'); // a viewer arrives during the retry wait
    await vi.advanceTimersByTimeAsync(20);
    const second = await secondP;
    await vi.advanceTimersByTimeAsync(600); // past where the retry timer was
    expect(sources.filter((s) => s.open).length).toBe(1);
    expect(calls).toBe(3);
    first.release();
    second.release();
    h.close('test');
    expect(sources.filter((s) => s.open).length).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import type { Feed } from '../../src/media/Feed.js';
import { StreamHub } from '../../src/media/StreamHub.js';
import type { StreamConsumer, FeedSource, StreamInfo } from '../../src/media/types.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import { sleep } from '../support/wait.js';

const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
};

class FakeSource implements FeedSource {
  kind = 'parent' as const;
  peer = 'up';
  closes = 0;
  keyframes = 0;
  requestKeyframe(): void {
    this.keyframes++;
  }
  close(): void {
    this.closes++;
  }
}

function consumer(): StreamConsumer & { packets: number; ended: ErrorCode | null } {
  return {
    kind: 'viewer',
    packets: 0,
    ended: null,
    onPacket() {
      this.packets++;
    },
    onEnded(code) {
      this.ended = code;
    },
  };
}

function hub(opener: (feed: Feed) => Promise<{ source: FeedSource; info: StreamInfo }>, over: { idleCloseAfterMs?: number; startTimeoutMs?: number } = {}) {
  return new StreamHub({
    planner: { open: opener },
    startTimeoutMs: over.startTimeoutMs ?? 1000,
    idleCloseAfterMs: over.idleCloseAfterMs ?? 5000,
    recoverForMs: 30_000,
    keyframeDebounceMs: 300,
    logger: silentLogger(),
    counters: nodeCounters(new Metrics()),
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StreamHub pulls on demand', () => {
  it('shares one upstream subscribe among concurrent requests', async () => {
    const sources: FakeSource[] = [];
    const opener = vi.fn(async () => {
      await sleep(10);
      const s = new FakeSource();
      sources.push(s);
      return { source: s, info };
    });
    const h = hub(opener);
    const leases = await Promise.all(Array.from({ length: 50 }, () => h.acquire('cam')));
    expect(opener).toHaveBeenCalledTimes(1);
    expect(h.get('cam')!.refs).toBe(50);
    expect(new Set(leases.map((l) => l.feed)).size).toBe(1);
    for (const l of leases) l.release();
    h.close('test');
    expect(sources[0]!.closes).toBe(1);
  });

  it('gives every waiter the upstream error and forgets the stream', async () => {
    const h = hub(async () => {
      throw new CanopyError(ErrorCode.NOT_FOUND, 'no such stream');
    });
    const results = await Promise.allSettled([h.acquire('cam'), h.acquire('cam')]);
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.NOT_FOUND } });
    expect(h.feeds.size).toBe(0);
  });

  it('fails waiters after the start timeout and stops a source that arrives late', async () => {
    const late = new FakeSource();
    let deliver!: () => void;
    const h = hub(() => new Promise((resolve) => (deliver = () => resolve({ source: late, info }))), { startTimeoutMs: 20 });
    await expect(h.acquire('cam')).rejects.toMatchObject({ code: ErrorCode.TIMEOUT });
    expect(h.feeds.size).toBe(0);
    deliver();
    await new Promise((r) => setImmediate(r));
    expect(late.closes).toBe(1);
  });
});

describe('StreamHub refcounting', () => {
  it('closes upstream after the idle wait once the last reference goes', async () => {
    vi.useFakeTimers();
    const src = new FakeSource();
    const h = hub(async () => ({ source: src, info }), { idleCloseAfterMs: 5000 });
    const a = await h.acquire('cam');
    const b = await h.acquire('cam');
    a.release();
    a.release(); // idempotent
    vi.advanceTimersByTime(10_000);
    expect(src.closes).toBe(0);
    b.release();
    vi.advanceTimersByTime(4999);
    expect(src.closes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(src.closes).toBe(1);
    expect(h.feeds.size).toBe(0);
    expect(h.timerCount).toBe(0);
  });

  it('re-uses the subscription for a request during the idle wait', async () => {
    vi.useFakeTimers();
    const opener = vi.fn(async () => ({ source: new FakeSource(), info }));
    const h = hub(opener, { idleCloseAfterMs: 5000 });
    (await h.acquire('cam')).release();
    vi.advanceTimersByTime(4000);
    const again = await h.acquire('cam');
    vi.advanceTimersByTime(10_000);
    expect(opener).toHaveBeenCalledTimes(1);
    expect(h.get('cam')!.state).toBe('ready');
    again.release();
    h.close('test');
  });

  it('re-opens for a request that arrives while the old subscription is closing', async () => {
    const sources: FakeSource[] = [];
    let rejoin: Promise<unknown> | null = null;
    const h: StreamHub = hub(
      async () => {
        const s = new FakeSource();
        // A viewer arrives exactly while this source is being closed.
        s.close = () => {
          s.closes++;
          rejoin ??= h.acquire('cam');
        };
        sources.push(s);
        return { source: s, info };
      },
      { idleCloseAfterMs: 0 },
    );
    (await h.acquire('cam')).release();
    const lease = (await rejoin) as unknown as { feed: Feed; release(): void };
    expect(sources.length).toBe(2);
    expect(lease.feed.state).toBe('ready');
    expect(sources[0]!.closes).toBe(1);
    lease.release();
  });

  it('closes at once with an idle wait of 0', async () => {
    const src = new FakeSource();
    const h = hub(async () => ({ source: src, info }), { idleCloseAfterMs: 0 });
    (await h.acquire('cam')).release();
    expect(src.closes).toBe(1);
    expect(h.feeds.size).toBe(0);
  });
});

describe('Feed', () => {
  it('delivers to attached consumers and ends them when upstream ends the stream', async () => {
    const h = hub(async () => ({ source: new FakeSource(), info }));
    const lease = await h.acquire('cam');
    const c = consumer();
    lease.attach(c);
    lease.feed.deliver(mediaPacket(0, new Uint8Array(12), 0, false));
    expect(c.packets).toBe(1);
    lease.feed.end(ErrorCode.STREAM_ENDED, 'publisher left');
    expect(c.ended).toBe(ErrorCode.STREAM_ENDED);
    expect(h.feeds.size).toBe(0);
    lease.release();
  });

  it('re-pulls after losing its upstream while consumers stay attached', async () => {
    const sources: FakeSource[] = [];
    const h = hub(async () => {
      const s = new FakeSource();
      sources.push(s);
      return { source: s, info };
    });
    const lease = await h.acquire('cam');
    const c = consumer();
    lease.attach(c);
    lease.feed.sourceLost('link down');
    await vi.waitFor(() => expect(lease.feed.state).toBe('ready'));
    expect(sources.length).toBe(2);
    expect(c.ended).toBeNull();
    lease.feed.deliver(mediaPacket(0, new Uint8Array(12), 0, false));
    expect(c.packets).toBe(1);
    lease.release();
    h.close('test');
  });

  it('debounces keyframe requests per track', async () => {
    const src = new FakeSource();
    const h = hub(async () => ({ source: src, info }));
    const lease = await h.acquire('cam');
    for (let i = 0; i < 10; i++) lease.feed.requestKeyframe(0);
    expect(src.keyframes).toBe(1);
    lease.release();
    h.close('test');
  });
});

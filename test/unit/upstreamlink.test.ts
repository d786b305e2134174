import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import type { FeedSink } from '../../src/media/types.js';
import { streamInfoToWire } from '../../src/link/frame.js';
import { silentLogger } from '../../src/log.js';

// UpstreamLink with its transport faked: connectLink (src/link/connect.ts) is replaced by one
// that hands out fake links the test drives, and the reconnect backoff runs on fake timers.

class FakeLink extends EventEmitter {
  readonly sent: Array<Record<string, unknown>> = [];
  closed: [number, string] | null = null;
  rttMs = 1;
  peerId = 'parent';
  pingExtras: unknown = null;
  send(f: Record<string, unknown>): boolean {
    this.sent.push(f);
    return true;
  }
  /** A frame from upstream. */
  frame(f: Record<string, unknown>): void {
    this.emit('frame', { ...f, msg: Object.keys(f)[0] });
  }
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = [code, reason];
    this.emit('close', code, reason);
  }
}

const attempts: Array<{ resolve: (l: FakeLink) => void; reject: (e: unknown) => void }> = [];
vi.mock('../../src/link/connect.js', () => ({
  connectLink: () =>
    new Promise((resolve, reject) =>
      attempts.push({ resolve: (link: FakeLink) => resolve({ link, welcome: { nodeId: 'parent', level: 0, path: ['origin'], instance: 'i' } }), reject }),
    ),
}));
const { UpstreamLink } = await import('../../src/tree/UpstreamLink.js');

const wireInfo = streamInfoToWire({
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
});

function sink() {
  return { deliver: vi.fn(), end: vi.fn(), sourceLost: vi.fn() } satisfies FeedSink;
}

function upstream() {
  const u = new UpstreamLink({
    url: 'ws://parent/relay',
    nodeId: 'me',
    role: 'child',
    maxFrameBytes: 65536,
    connectTimeoutMs: 1000,
    reconnect: true,
    maxBackoffMs: 2000,
    logger: silentLogger(),
  });
  const events: string[] = [];
  for (const e of ['up', 'down', 'close', 'goaway']) (u as unknown as EventEmitter).on(e, () => events.push(e));
  return { u, events };
}

const flush = () => new Promise((r) => setImmediate(r));

beforeEach(() => {
  attempts.length = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('UpstreamLink (fake transport, fake timers)', () => {
  it('subscribes once the link is up, and delivers a subscription its media, shared ones too', async () => {
    const { u, events } = upstream();
    const a = sink();
    const b = sink();
    const pa = u.subscribe('cam', a); // starts the link, waits for it
    expect(attempts.length).toBe(1);
    const link = new FakeLink();
    attempts[0]!.resolve(link);
    await flush();
    expect(events).toEqual(['up']);
    expect(link.sent[0]).toMatchObject({ subscribe: { subId: 1, stream: 'cam' } });
    link.frame({ subscribeOk: { subId: 1, info: wireInfo } });
    const { source, info } = await pa;
    expect([source.kind, info.tracks[0]!.codec]).toEqual(['origin', 'VP8']);
    const pb = u.subscribe('cam', b);
    await flush();
    link.frame({ subscribeShared: { subId: 2, mediaSubId: 1, info: wireInfo } });
    await pb;
    link.frame({ media: { subId: 1, track: 0, rtp: new Uint8Array(20), captureMs: 5, keyframe: true } });
    expect(a.deliver).toHaveBeenCalledTimes(1);
    expect(b.deliver).toHaveBeenCalledTimes(1);
    source.requestKeyframe(0);
    expect(link.sent.at(-1)).toEqual({ keyframeRequest: { subId: 1, track: 0 } });
    source.close('done');
    expect(link.sent.at(-1)).toEqual({ unsubscribe: { subId: 1 } });
    expect(u.subscriptionCount).toBe(1);
    u.close();
    expect(link.closed?.[0]).toBe(ErrorCode.SHUTDOWN);
  });

  it('ends a stream on STREAM_ENDED, re-pulls elsewhere on any other end, and refuses a subscription with its code', async () => {
    const { u } = upstream();
    u.start();
    const link = new FakeLink();
    attempts[0]!.resolve(link);
    await flush();
    const ended = sink();
    const moved = sink();
    const refused = sink();
    const p1 = u.subscribe('cam', ended);
    const p2 = u.subscribe('other', moved);
    const p3 = u.subscribe('nope', refused).catch((e: CanopyError) => e.code);
    await flush();
    link.frame({ subscribeOk: { subId: 1, info: wireInfo } });
    link.frame({ subscribeOk: { subId: 2, info: wireInfo } });
    link.frame({ subscribeError: { subId: 3, code: ErrorCode.NOT_FOUND, reason: 'no such stream' } });
    const s2 = (await p2).source;
    await p1;
    expect(await p3).toBe(ErrorCode.NOT_FOUND);
    link.frame({ streamEnded: { subId: 1, code: ErrorCode.STREAM_ENDED, reason: 'publisher left' } });
    link.frame({ streamEnded: { subId: 2, code: ErrorCode.SHUTDOWN, reason: 'parent restarting' } });
    expect(ended.end).toHaveBeenCalledWith(ErrorCode.STREAM_ENDED, 'publisher left');
    expect(moved.sourceLost).toHaveBeenCalledWith(expect.stringContaining('parent restarting'), s2);
    expect(u.subscriptionCount).toBe(0);
    link.frame({ goAway: { reason: 'draining' } });
    expect(u.goingAway).toBe(true);
    u.close();
  });

  it('on a lost link: pending pulls fail, active ones are told to re-pull, and it reconnects with a growing backoff', async () => {
    const { u, events } = upstream();
    u.start();
    const first = new FakeLink();
    attempts[0]!.resolve(first);
    await flush();
    const active = sink();
    const pActive = u.subscribe('cam', active);
    await flush();
    first.frame({ subscribeOk: { subId: 1, info: wireInfo } });
    const { source } = await pActive;
    const pending = u.subscribe('later', sink()).catch((e: CanopyError) => e.code);
    await flush();
    first.close(ErrorCode.LINK_HEARTBEAT, 'no frame for 3 s');
    expect(await pending).toBe(ErrorCode.UNAVAILABLE);
    expect(active.sourceLost).toHaveBeenCalledWith('no frame for 3 s', source);
    expect(events).toEqual(['up', 'down']);
    // First retry after 250 ms; a failed attempt doubles the wait.
    await vi.advanceTimersByTimeAsync(249);
    expect(attempts.length).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts.length).toBe(2);
    attempts[1]!.reject(new CanopyError(ErrorCode.UNAVAILABLE, 'refused'));
    await flush();
    await vi.advanceTimersByTimeAsync(499);
    expect(attempts.length).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts.length).toBe(3);
    attempts[2]!.resolve(new FakeLink());
    await flush();
    expect(events).toEqual(['up', 'down', 'down', 'up']);
    u.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OriginPlanner } from '../../origin/OriginPlanner.js';
import type { ParentSet } from '../../relay/ParentSet.js';
import { RelayPlanner } from '../../relay/RelayPlanner.js';
import type { SiblingPool } from '../../relay/SiblingPool.js';
import type { SiblingDiscovery } from '../../src/discovery/SiblingDiscovery.js';
import { silentLogger } from '../../src/log.js';
import { ArchiveStore } from '../../src/media/ArchiveStore.js';
import type { Feed, Upstream } from '../../src/media/Feed.js';
import { StreamHub, type WindowBOptions } from '../../src/media/StreamHub.js';
import { PACKET_OVERHEAD_BYTES } from '../../src/media/TimeBuffer.js';
import type { FeedSource, StreamConsumer, StreamInfo } from '../../src/media/types.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';

const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [{ id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' }],
};

class FakeSource implements FeedSource {
  kind = 'publisher' as const;
  peer = 'pub';
  closed = false;
  requestKeyframe(): void {}
  close(): void {
    this.closed = true;
  }
}

const SIZE = 500;
let seq = 0;
function packet(t: number, key: boolean): Uint8Array {
  const b = Buffer.allocUnsafeSlow(SIZE);
  b.fill(0);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq++ & 0xffff, 2);
  b.writeUInt32BE((t * 90) >>> 0, 4);
  b.writeUInt32BE(0x1234, 8);
  b.set(key ? [0x10, 0x00, 0x9d, 0x01, 0x2a] : [0x10, 0x01], 12);
  return b;
}

/** Publishes `name` on the hub and feeds it durationMs of 25 fps video from t0 (a keyframe each second). */
function publish(hub: StreamHub, name: string, t0: number, durationMs: number, recorder?: StreamConsumer): Feed {
  const feed = hub.publish(name, new FakeSource(), { ...info, name });
  // The origin's recorder is one more consumer of the stream (WhipServer).
  if (recorder) feed.attach(recorder, { store: true });
  for (let t = 0; t < durationMs; t += 40) feed.deliver(mediaPacket(0, packet(t, t % 1000 === 0), t0 + t, t % 1000 === 0));
  return feed;
}

function makeHub(buffer: WindowBOptions): StreamHub {
  return new StreamHub({
    buffer,
    startTimeoutMs: 1000,
    idleCloseAfterMs: 0,
    recoverForMs: 30_000,
    logger: silentLogger(),
    counters: nodeCounters(new Metrics({ runtime: false })),
  });
}

/** What a planner reads of a time-shifted feed. */
type FakeTimeshiftFeed = Feed & { delivered: number; lost: Array<[string, unknown]> };

function timeshiftFeed(name: string, startMs: number): FakeTimeshiftFeed {
  let last: number | null = null;
  const feed = {
    name,
    live: false,
    bypass: false,
    get resumeFromMs() {
      return last ?? startMs;
    },
    log: silentLogger(),
    counters: nodeCounters(new Metrics({ runtime: false })),
    delivered: 0,
    lost: [] as Array<[string, unknown]>,
    deliver(p: { captureMs: number }) {
      feed.delivered++;
      last = p.captureMs;
    },
    end() {},
    sourceLost(reason: string, from?: unknown) {
      feed.lost.push([reason, from]);
    },
  };
  return feed as unknown as FakeTimeshiftFeed;
}

const GOP_CHARGE = 25 * (SIZE + PACKET_OVERHEAD_BYTES);

describe('window B under the node budget: a relay', () => {
  const hubs: StreamHub[] = [];
  afterEach(() => {
    for (const h of hubs.splice(0)) h.close('test over');
  });

  function relay(hub: StreamHub) {
    const subscribe = vi.fn(async (_name: string, _feed: unknown, _at?: { startMs: number; bypass: boolean }): Promise<Upstream> => ({
      source: new FakeSource(),
      info,
    }));
    const query = vi.fn(async () => ({ from: 'parent', announce() {} }));
    const planner = new RelayPlanner({
      nodeId: 'r1',
      hub: () => hub,
      parents: { current: { link: {}, url: 'ws://parent' }, subscribe } as unknown as ParentSet,
      discovery: () => ({ query }) as unknown as SiblingDiscovery,
      siblings: {} as SiblingPool,
      counters: () => nodeCounters(new Metrics({ runtime: false })),
      logger: silentLogger(),
    });
    return { planner, subscribe, query };
  }

  it('sends a time-shift request for media its buffer evicted up the tree with bypass, as one older than window B', async () => {
    // Window B is an hour, but the node budget holds ~20 s of the two streams together.
    const hub = makeHub({ windowMs: 3_600_000, maxBytes: 1e12, totalBytes: 20 * GOP_CHARGE });
    hubs.push(hub);
    const t0 = Date.now() - 120_000;
    publish(hub, 'cam', t0, 60_000);
    const buf = hub.get('cam')!.buffer!;
    expect(hub.budget!.evictions).toBeGreaterThan(0);
    expect(buf.range()!.startMs).toBeGreaterThan(t0 + 30_000);
    const { planner, subscribe, query } = relay(hub);

    // 50 s before the newest media: inside window B, but evicted here.
    const up = await planner.open(timeshiftFeed('cam', t0 + 10_000));
    expect(query).not.toHaveBeenCalled();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(subscribe.mock.calls[0]![2]).toEqual({ startMs: t0 + 10_000, bypass: true });
    up.source.close('test');

    // Still held: served from the buffer, nothing upstream.
    const local = await planner.open(timeshiftFeed('cam', t0 + 59_000));
    expect(local.source.kind).toBe('buffer');
    expect(subscribe).toHaveBeenCalledTimes(1);
    local.source.close('test');
  });

  it('re-pulls a replay the budget overtook from upstream, with bypass, from the position it reached', async () => {
    const hub = makeHub({ windowMs: 3_600_000, maxBytes: 1e12, totalBytes: 20 * GOP_CHARGE });
    hubs.push(hub);
    const t0 = Date.now() - 120_000;
    const live = publish(hub, 'cam', t0, 10_000);
    const { planner, subscribe } = relay(hub);
    const viewer = timeshiftFeed('cam', t0 + 1_000);
    const local = await planner.open(viewer);
    expect(local.source.kind).toBe('buffer');
    await vi.waitFor(() => expect(viewer.delivered).toBeGreaterThan(0));
    const reached = viewer.resumeFromMs;
    // 30 s more live media: the budget evicts the GOPs the replay was about to play.
    for (let t = 10_000; t < 40_000; t += 40) live.deliver(mediaPacket(0, packet(t, t % 1000 === 0), t0 + t, t % 1000 === 0));
    expect(live.buffer!.covers(reached)).toBe(false);
    await vi.waitFor(() => expect(viewer.lost).toHaveLength(1));
    expect(viewer.lost[0]![1]).toBe(local.source);
    expect((local.source as unknown as { closed: boolean }).closed).toBe(true);
    // The feed re-plans from where it was: evicted here, so straight up with bypass.
    const up = await planner.open(viewer);
    expect(subscribe.mock.calls[0]![2]).toEqual({ startMs: viewer.resumeFromMs, bypass: true });
    expect(viewer.resumeFromMs).toBeGreaterThanOrEqual(reached);
    expect(viewer.resumeFromMs).toBeLessThan(t0 + 10_000);
    up.source.close('test');
  });

  it('asks siblings, then the parent without bypass, for media it never held (the normal lookup)', async () => {
    const hub = makeHub({ windowMs: 3_600_000, maxBytes: 1e12, totalBytes: 1e9 });
    hubs.push(hub);
    const t0 = Date.now() - 120_000;
    publish(hub, 'cam', t0 + 30_000, 30_000);
    const { planner, subscribe, query } = relay(hub);
    const up = await planner.open(timeshiftFeed('cam', t0 + 10_000));
    expect(query).toHaveBeenCalledTimes(1);
    expect(subscribe.mock.calls[0]![2]).toEqual({ startMs: t0 + 10_000, bypass: false });
    up.source.close('test');
  });

  it("counts time-shift requests at the hub towards the stream's eviction score", async () => {
    const hub = makeHub({ windowMs: 3_600_000, maxBytes: 1e12, totalBytes: 1e9 });
    hubs.push(hub);
    publish(hub, 'cam', Date.now() - 10_000, 5_000);
    await hub.acquire('cam', { startMs: Date.now() - 9_000, bypass: false }).catch(() => undefined);
    expect(hub.budget!.recentRequests('cam')).toBeCloseTo(1, 3);
  });
});

describe('window B at an origin with an archive', () => {
  const dirs: string[] = [];
  const hubs: StreamHub[] = [];
  afterEach(() => {
    for (const h of hubs.splice(0)) h.close('test over');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps only the newest seconds in memory and serves older window-B requests from the archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canopy-windowb-'));
    dirs.push(dir);
    const archive = new ArchiveStore({ dir, windowMs: 3_600_000, maxBytes: 1e9, logger: silentLogger() });
    await archive.open();
    // The origin's wiring (OriginServer): window B stays 2 h, memory holds 5 s.
    const hub = makeHub({ windowMs: 7_200_000, maxBytes: 1e12, totalBytes: 1e9, memoryWindowMs: 5_000 });
    hubs.push(hub);
    const writer = archive.writer('cam', { ...info, name: 'cam' });
    const t0 = Date.now() - 60_000;
    publish(hub, 'cam', t0, 30_000, writer);
    await writer.flush();

    // In memory: the last 5 s and the GOP they start in, not 30 s.
    const buf = hub.get('cam')!.buffer!;
    expect(buf.effectiveWindowMs).toBeLessThanOrEqual(6_000);
    expect(buf.effectiveWindowMs).toBeGreaterThanOrEqual(5_000);
    expect(buf.bytes).toBeLessThan(7 * 25 * SIZE);

    const planner = new OriginPlanner({ nodeId: 'o', hub: () => hub, archive, startedAt: 0, startupGraceMs: 0 });
    // 20 s before the newest: inside window B, read from the archive.
    const old = timeshiftFeed('cam', t0 + 10_000);
    const fromArchive = await planner.open(old);
    expect(fromArchive.source.kind).toBe('archive');
    await vi.waitFor(() => expect(old.delivered).toBeGreaterThan(0));
    fromArchive.source.close('test');
    // The newest seconds: from memory.
    const fromMemory = await planner.open(timeshiftFeed('cam', t0 + 27_000));
    expect(fromMemory.source.kind).toBe('buffer');
    fromMemory.source.close('test');
    await writer.close();
    await archive.close();
  });

  it('without an archive keeps the whole window B in memory, within the node budget', () => {
    const hub = makeHub({ windowMs: 7_200_000, maxBytes: 1e12, totalBytes: 12 * GOP_CHARGE });
    hubs.push(hub);
    publish(hub, 'cam', Date.now() - 60_000, 30_000);
    const budget = hub.budget!;
    expect(budget.used).toBeLessThanOrEqual(budget.maxBytes);
    expect(hub.get('cam')!.buffer!.effectiveWindowMs).toBeGreaterThan(9_000);
  });
});

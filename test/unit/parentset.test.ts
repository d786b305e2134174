import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParentSet, type Parent } from '../../relay/ParentSet.js';
import { ErrorCode } from '../../src/errors.js';
import type { UpstreamLink } from '../../src/tree/UpstreamLink.js';
import { silentLogger } from '../../src/log.js';

// ParentSet's choice, with its links faked: they are never started; the test sets what each
// link reports (state, load, path) and emits the events the real link would.

const RETURN_AFTER_MS = 10_000;

function parents(list: Array<{ url: string; priority: number }>) {
  const set = new ParentSet({
    parents: list,
    nodeId: 'me',
    maxFrameBytes: 65536,
    connectTimeoutMs: 3000,
    returnAfterMs: RETURN_AFTER_MS,
    reporter: () => () => ({}),
    logger: silentLogger(),
  });
  const changes: Array<[string | null, string]> = [];
  set.on('change', (p: Parent | null, _prev: Parent | null, reason: string) => changes.push([p?.url ?? null, reason]));
  const subs = new Map<UpstreamLink, number>();
  for (const p of set.parents) Object.defineProperty(p.link, 'subscriptionCount', { get: () => subs.get(p.link) ?? 0 });
  const link = (url: string) => set.parents.find((p) => p.url === url)!.link;
  const up = (url: string, status: Partial<{ viewers: number; childLinks: number; capacity: number; cpu: number }> = {}) => {
    const l = link(url);
    Object.assign(l, {
      state: 'up',
      upSince: Date.now(),
      path: ['origin'],
      welcome: { nodeId: url, level: 0 },
      status: { viewers: 0, childLinks: 0, capacity: 0, cpu: 0, ...status },
    });
    l.emit('up', l.welcome!);
  };
  const down = (url: string) => {
    Object.assign(link(url), { state: 'down', upSince: 0 });
    link(url).emit('down', 'gone');
  };
  return { set, changes, subs, link, up, down };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ParentSet (fake links, fake timers)', () => {
  it('takes the preferred parent when it comes up, fails over at once, and returns only after it stayed up for the hysteresis', () => {
    const { set, changes, subs, link, up, down } = parents([
      { url: 'A', priority: 1 },
      { url: 'B', priority: 2 },
    ]);
    expect(set.current).toBeNull();
    up('B');
    expect(set.current?.url).toBe('B');
    subs.set(link('B'), 1); // something is pulled from B
    up('A');
    expect(set.current?.url).toBe('B'); // A has not been up long enough
    vi.advanceTimersByTime(RETURN_AFTER_MS - 1000);
    expect(set.current?.url).toBe('B');
    vi.advanceTimersByTime(1000); // the periodic check after --parent-return-after
    expect(set.current?.url).toBe('A');
    expect(changes.at(-1)).toEqual(['A', 'returning to preferred parent A']);
    down('A');
    expect(set.current?.url).toBe('B');
    expect(set.failovers).toBe(1);
    expect(set.level).toBe(1);
    set.close();
  });

  it('moves at once when nothing is pulled from the current parent', () => {
    const { set, up } = parents([
      { url: 'A', priority: 1 },
      { url: 'B', priority: 2 },
    ]);
    up('B');
    up('A');
    expect(set.current?.url).toBe('A');
    set.close();
  });

  it('among equal priorities fails over to the less loaded, and never to a parent that is our descendant or asks us to go', () => {
    const { set, up, down, link } = parents([
      { url: 'A', priority: 1 },
      { url: 'B', priority: 1 },
      { url: 'C', priority: 1 },
    ]);
    up('A', { viewers: 1 });
    up('B', { viewers: 50 });
    up('C', { viewers: 5 });
    expect(set.current?.url).toBe('A'); // the first up stays: load only picks among failover targets
    Object.assign(link('C'), { path: ['origin', 'me', 'C'] });
    down('A');
    expect(set.current?.url).toBe('B'); // C is below us (a loop)
    link('B').goingAway = true;
    link('B').emit('goaway', 'draining');
    expect(set.current).toBeNull();
    set.close();
  });

  it('a pull waits for a parent within the connect timeout, then fails; and close stops waiting', async () => {
    const { set } = parents([{ url: 'A', priority: 1 }]);
    const late = set.subscribe('cam', { deliver() {}, end() {}, sourceLost() {} });
    const outcome = late.then(
      () => 'ok',
      (e: { code?: number }) => e.code,
    );
    await vi.advanceTimersByTimeAsync(3000);
    expect(await outcome).toBe(ErrorCode.UNAVAILABLE);
    const waiting = set.subscribe('cam', { deliver() {}, end() {}, sourceLost() {} }).catch((e: { code?: number }) => e.code);
    set.close();
    expect(await waiting).toBe(ErrorCode.SHUTDOWN);
    expect(vi.getTimerCount()).toBe(0);
  });
});

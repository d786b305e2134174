import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canopy } from '../../src/gen/link.js';
import { CanopyError, ErrorCode } from '../../src/errors.js';
import { AdminGate } from '../../src/http/admin.js';
import type { Link } from '../../src/link/Link.js';
import type { NodeStatus } from '../../src/tree/UpstreamLink.js';
import { silentLogger } from '../../src/log.js';
import { DEFAULT_SUBTREE_BYTES, MAX_FLOWS, MAX_ID_CHARS, MAX_SUBTREE, StatusBoard } from '../../src/node/StatusBoard.js';
import { FAILED_KEEP_MS, HEARTBEAT_MS, TICK_MS, TreeDashboard } from '../../src/node/TreeDashboard.js';

const NodeStatusMsg = canopy.link.v1.NodeStatus;

function status(id: string, extra: Partial<canopy.link.v1.NodeStatus.$Properties> = {}): NodeStatus {
  return NodeStatusMsg.create({ nodeId: id, level: 1, parentId: 'me', ...extra });
}

function board(subtreeBytes?: number): StatusBoard {
  return new StatusBoard({
    nodeId: 'me',
    sample: () => ({ level: 0, viewers: 0, childLinks: 0, bytesOut: 0, streams: [], parentId: null, draining: false }),
    publicUrl: () => '',
    subtreeBytes,
  });
}

/** A stand-in for an accepted link: the board only listens to its pings and its close. */
function fakeLink(): Link & EventEmitter {
  return Object.assign(new EventEmitter(), { pingExtras: null }) as unknown as Link & EventEmitter;
}

/** A ping as a child's frame would decode it (through the real codec). */
function ping(props: canopy.link.v1.Ping.$Properties): canopy.link.v1.Ping {
  return canopy.link.v1.Ping.decode(canopy.link.v1.Ping.encode(props).finish());
}

afterEach(() => {
  vi.useRealTimers();
});

describe('subtree reports from a hostile child', () => {
  it('are cut to the named limits: nodes, flows per node, id length, one entry per node, and the byte budget', () => {
    const b = board();
    const link = fakeLink();
    b.addLink(link, 'child');
    const flows = Array.from({ length: 3 * MAX_FLOWS }, (_, i) => ({ stream: `s${i}`, source: 2, from: 'x', bitrateBps: 1 }));
    const subtree = [
      status('x'.repeat(MAX_ID_CHARS + 1)), // an id past the limit: dropped
      status('dup'),
      status('dup', { viewers: 99 }), // the same node twice: the first (nearest) wins
      status('nan', { cpu: NaN, egressBps: Infinity, flows: [{ stream: 'cam', source: 2, from: 'x', bitrateBps: NaN, startMs: -Infinity }] }),
      ...Array.from({ length: 3 * MAX_SUBTREE }, (_, i) => status(`n${i}`, { flows, carrying: Array.from({ length: 200 }, (_, j) => `c${j}`) })),
    ];
    link.emit('ping', ping({ sentMs: 1, status: status('child', { flows }), hasSubtree: true, subtree, subtreeTruncated: false }));

    const kids = b.childStatuses();
    expect(kids).toHaveLength(1);
    expect(kids[0]!.flows).toHaveLength(MAX_FLOWS);
    const { nodes, truncated } = b.subtree();
    expect(truncated).toBe(true);
    expect(nodes.length).toBeLessThanOrEqual(MAX_SUBTREE);
    expect(nodes.some((n) => n.nodeId.length > MAX_ID_CHARS)).toBe(false);
    expect(nodes.filter((n) => n.nodeId === 'dup')).toHaveLength(1);
    expect(nodes.find((n) => n.nodeId === 'dup')!.viewers).toBe(0);
    for (const n of nodes) expect((n.flows ?? []).length).toBeLessThanOrEqual(MAX_FLOWS);
    const nan = nodes.find((n) => n.nodeId === 'nan')!;
    expect([nan.cpu, nan.egressBps, nan.flows[0]!.bitrateBps, nan.flows[0]!.startMs ?? null]).toEqual([0, 0, 0, null]);
    const bytes = nodes.reduce((sum, n) => sum + NodeStatusMsg.encode(n).finish().length + 4, 0);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_SUBTREE_BYTES);
    // What goes up to our parent fits in one frame of the default size, with room to spare.
    const report = b.uplinkReporter()();
    expect(canopy.link.v1.Ping.encode({ sentMs: 1, ...report }).finish().length).toBeLessThan(64 * 1024);
  });

  it('keeps within a smaller budget when frames are smaller', () => {
    const b = board(4096);
    const link = fakeLink();
    b.addLink(link, 'child');
    const subtree = Array.from({ length: 100 }, (_, i) => status(`n${i}`, { publicUrl: 'http://example.test/'.padEnd(300, 'x') }));
    link.emit('ping', ping({ sentMs: 1, status: status('child'), hasSubtree: true, subtree }));
    const { nodes, truncated } = b.subtree();
    expect(truncated).toBe(true);
    expect(nodes.reduce((sum, n) => sum + NodeStatusMsg.encode(n).finish().length + 4, 0)).toBeLessThanOrEqual(4096);
    expect(nodes.length).toBeGreaterThan(1);
  });
});

describe('the tree dashboard', () => {
  it("shows each node's window-B memory against its budget, from its own sample and its children's reports", () => {
    const own = new StatusBoard({
      nodeId: 'me',
      sample: () => ({
        level: 0,
        viewers: 0,
        childLinks: 0,
        bytesOut: 0,
        streams: [],
        parentId: null,
        draining: false,
        cache: { bytes: 5_000_000, budgetBytes: 64_000_000 },
      }),
      publicUrl: () => '',
    });
    expect(own.self()).toMatchObject({ cacheBytes: 5_000_000, cacheBudgetBytes: 64_000_000 });
    // A child's report passes the codec; a hostile NaN becomes 0.
    const child = ping({
      sentMs: 1,
      status: status('a', { cacheBytes: 1_000_000, cacheBudgetBytes: 2_000_000 }),
      hasSubtree: true,
      subtree: [status('b', { parentId: 'a', cacheBytes: NaN })],
      subtreeTruncated: false,
    });
    const link = fakeLink();
    own.addLink(link, 'child');
    link.emit('ping', child);
    const dash = new TreeDashboard({ nodeId: 'me', self: () => own.self(), subtree: (l) => own.subtree(l), logger: silentLogger() });
    try {
      const nodes = dash.snapshot().nodes;
      expect(nodes.find((n) => n.id === 'me')).toMatchObject({ cacheBytes: 5_000_000, cacheBudgetBytes: 64_000_000 });
      expect(nodes.find((n) => n.id === 'a')).toMatchObject({ cacheBytes: 1_000_000, cacheBudgetBytes: 2_000_000 });
      expect(nodes.find((n) => n.id === 'b')).toMatchObject({ cacheBytes: 0 });
    } finally {
      dash.close();
    }
  });

  it('marks a node that left the reports failed, then forgets it after FAILED_KEEP_MS', () => {
    vi.useFakeTimers();
    let subtree = [status('a'), status('b', { parentId: 'a', draining: true })];
    const dash = new TreeDashboard({
      nodeId: 'me',
      self: () => status('me', { level: 0, parentId: '' }),
      subtree: () => ({ nodes: subtree, truncated: false }),
      logger: silentLogger(),
    });
    try {
      const first = dash.snapshot();
      expect(first.nodes.map((n) => [n.id, n.state])).toEqual([
        ['me', 'up'],
        ['a', 'up'],
        ['b', 'draining'],
      ]);
      expect(first.nodes[0]!.self).toBe(true);
      subtree = [status('a')];
      const gone = dash.snapshot().nodes.find((n) => n.id === 'b');
      expect(gone).toMatchObject({ state: 'failed', parent: 'a' });
      vi.advanceTimersByTime(FAILED_KEEP_MS - 1000);
      expect(dash.snapshot().nodes.find((n) => n.id === 'b')?.state).toBe('failed');
      vi.advanceTimersByTime(2000);
      expect(dash.snapshot().nodes.map((n) => n.id)).toEqual(['me', 'a']);
      // Back in the reports: up again.
      subtree = [status('a'), status('b')];
      expect(dash.snapshot().nodes.find((n) => n.id === 'b')?.state).toBe('up');
    } finally {
      dash.close();
    }
  });

  it('streams the tree at once, then only when it changed, with a heartbeat comment in between, and ends the stream on close', () => {
    vi.useFakeTimers();
    let subtree = [status('a')];
    const dash = new TreeDashboard({
      nodeId: 'me',
      self: () => status('me', { level: 0, parentId: '' }),
      subtree: () => ({ nodes: subtree, truncated: false }),
      logger: silentLogger(),
    });
    const written: string[] = [];
    let ended = false;
    const res = Object.assign(new EventEmitter(), {
      writableLength: 0,
      writeHead: () => res,
      write: (t: string) => written.push(t),
      end: () => {
        ended = true;
        res.emit('close');
      },
    }) as unknown as ServerResponse;
    const req = { method: 'GET', headers: {}, socket: { setNoDelay() {} } } as unknown as IncomingMessage;
    try {
      expect(dash.route(req, res, ['api', 'tree', 'events'], new URL('http://x/api/tree/events'))).toBe(true);
      expect(dash.clients.size).toBe(1);
      expect(written).toHaveLength(1);
      expect(written[0]).toMatch(/^retry: 2000\n\nevent: tree\ndata: \{.*"id":"a".*\}\n\n$/s);
      // The first tick sends the tree as it stands; then nothing while it stays the same...
      vi.advanceTimersByTime(TICK_MS);
      const settled = written.length;
      vi.advanceTimersByTime(HEARTBEAT_MS - 2 * TICK_MS);
      expect(written).toHaveLength(settled);
      // ...but a comment, so proxies keep the stream open.
      vi.advanceTimersByTime(2 * TICK_MS);
      expect(written.slice(settled)).toEqual([': heartbeat\n\n']);
      // A change goes out within a tick.
      subtree = [status('a'), status('b', { parentId: 'a' })];
      vi.advanceTimersByTime(TICK_MS);
      expect(written.at(-1)).toMatch(/^event: tree\ndata: .*"id":"b"/s);
      dash.close();
      expect(ended).toBe(true);
      expect(dash.clients.size).toBe(0);
    } finally {
      dash.close();
    }
  });

  it('gates its data like every admin endpoint: 401 without the token, 403 for a remote client when there is no token', () => {
    const req = (ip: string, headers: Record<string, string> = {}, method = 'GET') =>
      ({ method, headers, socket: { remoteAddress: ip } }) as unknown as IncomingMessage;
    const res = () => ({ setHeader() {}, removeHeader() {}, writeHead() {}, end() {} }) as unknown as ServerResponse;
    const code = (f: () => unknown): ErrorCode | 'ok' => {
      try {
        f();
        return 'ok';
      } catch (err) {
        return (err as CanopyError).code;
      }
    };
    const events = ['api', 'tree', 'events'];
    const page = ['dashboard', 'dashboard.js'];
    const withToken = new AdminGate({ token: 'secret-token', separateListener: false, corsOrigins: [] });
    expect(code(() => withToken.check(req('127.0.0.1'), res(), 'public', events))).toBe(ErrorCode.UNAUTHORIZED);
    expect(code(() => withToken.check(req('127.0.0.1', { authorization: 'Bearer wrong' }), res(), 'public', events))).toBe(ErrorCode.UNAUTHORIZED);
    expect(code(() => withToken.check(req('10.1.2.3', { authorization: 'Bearer secret-token' }), res(), 'public', events))).toBe('ok');
    // The page's static files carry no data: a browser loads them without the token, then sends it on its data requests.
    expect(code(() => withToken.check(req('10.1.2.3'), res(), 'public', page))).toBe('ok');
    expect(code(() => withToken.check(req('10.1.2.3', {}, 'POST'), res(), 'public', page))).toBe(ErrorCode.UNAUTHORIZED);
    const noToken = new AdminGate({ separateListener: false, corsOrigins: [] });
    expect(code(() => noToken.check(req('10.1.2.3'), res(), 'public', events))).toBe(ErrorCode.FORBIDDEN);
    expect(code(() => noToken.check(req('10.1.2.3'), res(), 'public', page))).toBe(ErrorCode.FORBIDDEN);
    expect(code(() => noToken.check(req('127.0.0.1'), res(), 'public', events))).toBe('ok');
    const separate = new AdminGate({ separateListener: true, corsOrigins: [] });
    expect(code(() => separate.check(req('127.0.0.1'), res(), 'public', page))).toBe(ErrorCode.NOT_FOUND);
    expect(code(() => separate.check(req('10.1.2.3'), res(), 'admin', page))).toBe('ok');
  });
});

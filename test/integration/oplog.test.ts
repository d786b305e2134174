import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from '../../src/log.js';
import { repeatedKeys } from '../support/jsonKeys.js';
import { afterEach, describe, expect, it } from 'vitest';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { makeOffer } from '../support/offer.js';
import { startTree, type Tree } from '../support/tree.js';
import { waitFor } from '../support/webrtc.js';

type Line = Record<string, unknown> & { level: number; msg: string };

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

/** A pino logger at info (the programs' default) whose lines land in `lines`, parsed. */
function capture(): { logger: pino.Logger; lines: Line[] } {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

const INFO = 30;

describe('operator logs at info', () => {
  it('tell a publish and view cycle: publisher, link, pull and viewer lines with stream, node, session and remote; a 404 with its reason and no token', async () => {
    const { logger, lines } = capture();
    const find = (msg: string, match: Record<string, unknown> = {}): Line | undefined =>
      lines.find((l) => l.msg === msg && Object.entries(match).every(([k, v]) => l[k] === v));
    const expectLine = async (msg: string, match: Record<string, unknown> = {}): Promise<Line> => {
      await waitFor(() => find(msg, match) !== undefined, 10_000, 10, `log line "${msg}" ${JSON.stringify(match)}`);
      const line = find(msg, match)!;
      expect(line.level).toBe(INFO);
      return line;
    };

    tree = await startTree({ level1: 1, level2PerLevel1: 0, logger, flags: ['--idle-close-after', '300ms'], originFlags: ['--startup-grace', '0'] });
    const relay = tree.relays[0]!;
    await expectLine('link accepted', { node: 'origin', peer: 'relay-a' });
    await expectLine('link up', { node: 'relay-a' });

    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const published = await expectLine('publisher connected', { node: 'origin', stream: 'cam', kind: 'publisher' });
    expect(published.session).toEqual(expect.any(String));
    expect(published.remote).toBe('127.0.0.1');
    // How it reaches us: the selected ICE pair, ours then its (docs/firewalls.md).
    expect(published).toMatchObject({ ice: 'host/udp -> host/udp', turn: false, tcp: false });

    const viewer = new NodeViewer({ url: `${relay.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await expectLine('pull started', { node: 'relay-a', stream: 'cam', upstream: 'origin', peer: 'origin' });
    const joined = await expectLine('viewer joined', { node: 'relay-a', stream: 'cam', kind: 'viewer' });
    expect(joined.session).toEqual(expect.any(String));
    expect(joined.remote).toBe('127.0.0.1');
    expect(joined).toMatchObject({ ice: 'host/udp -> host/udp', turn: false, tcp: false });

    await viewer.close();
    const left = await expectLine('viewer left', { node: 'relay-a', stream: 'cam', session: joined.session });
    expect(left).toMatchObject({ byClient: true, reason: expect.any(String), seconds: expect.any(Number) });
    expect(await expectLine('pull stopped', { node: 'relay-a', stream: 'cam', peer: 'origin' })).toMatchObject({ reason: 'idle' });

    await pub.close();
    const gone = await expectLine('publisher left', { node: 'origin', stream: 'cam', session: published.session });
    expect(gone.byClient).toBe(true);

    // A client's mistake: the reason, method and path, never the query (it may hold a token).
    const res = await fetch(`${relay.url}/whep/nobody?access_token=s3cret-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer s3cret-bearer' },
      body: await makeOffer({ direction: 'RecvOnly' }),
    });
    expect(res.status).toBe(404);
    const refused = await expectLine('client error', { node: 'relay-a', status: 404, path: '/whep/nobody' });
    expect(refused).toMatchObject({ method: 'POST', path: '/whep/nobody', remote: '127.0.0.1', reason: expect.stringMatching(/not found/) });
    // And a malformed request: 400 with the reason it was given.
    expect((await fetch(`${relay.url}/whep/cam`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status).toBe(415);
    expect(await expectLine('client error', { node: 'relay-a', status: 415 })).toMatchObject({ reason: 'Content-Type must be application/sdp' });

    // Unknown paths outside WHIP/WHEP (scanners, favicon.ico) stay at debug.
    expect((await fetch(`${relay.url}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${relay.url}/whep/cam/x/y/z`, { method: 'DELETE' })).status).toBeGreaterThanOrEqual(400);
    // A request that is logged, after them: once its line is out, theirs would be too.
    expect(
      (
        await fetch(`${relay.url}/whep/marker`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/sdp' },
          body: await makeOffer({ direction: 'RecvOnly' }),
        })
      ).status,
    ).toBe(404);
    await expectLine('client error', { node: 'relay-a', status: 404, path: '/whep/marker' });
    expect(lines.some((l) => l.path === '/favicon.ico')).toBe(false);
    // Yet counted, like every error response, whether thrown or a route's own 404.
    const before = Number(/^canopy_http_errors_total\{status="404"\} (\d+)$/m.exec(await (await fetch(`${relay.url}/metrics`)).text())?.[1] ?? 0);
    expect((await fetch(`${relay.url}/favicon.ico`)).status).toBe(404);
    expect(await (await fetch(`${relay.url}/metrics`)).text()).toMatch(new RegExp(`^canopy_http_errors_total\\{status="404"\\} ${before + 1}$`, 'm'));

    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain(tree.secret ?? 'no secret');
  });

  it('write every key once per line (a component under another component), and one closed line per node', async () => {
    const raw: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n')) if (l) raw.push(l);
        done();
      },
    });
    // debug: the media pipe's component (downlink-pipe, uplink-pipe under the node's) logs there.
    tree = await startTree({ level1: 1, level2PerLevel1: 0, logger: createLogger({ level: 'debug', destination }), flags: ['--link-media', 'udp'] });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const viewer = new NodeViewer({ url: `${tree.relays[0]!.url}/whep/cam` });
    clients.push(viewer);
    await viewer.start();
    for (const c of clients.splice(0)) await c.close();
    await tree.close();
    await tree.assertEmpty();
    tree = null;
    expect(raw.some((l) => l.includes('"component":"downlink-pipe"') || l.includes('"component":"uplink-pipe"'))).toBe(true);
    for (const l of raw) expect(repeatedKeys(l), l).toEqual([]);
    const closedInfo = raw
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => l.msg === 'closed: test done' && l.level === INFO && l.stream === undefined && l.link === undefined);
    expect(closedInfo.map((l) => l.node).sort()).toEqual(['origin', 'relay-a']);
  });
});

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import type { Lease } from '../../src/media/StreamHub.js';
import type { StreamConsumer } from '../../src/media/types.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { NodeViewer } from '../support/NodeViewer.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';

// Issue 17 item 4: a fault stays where it happens. A consumer that throws on every packet is
// caught at that consumer, counted and logged once; the other viewers keep receiving, and the
// link the stream came on stays up (it used to close with LINK_PROTOCOL, blaming the peer).

let tree: Tree | null = null;
const clients: Array<{ close(): Promise<void> }> = [];
const leases: Lease[] = [];

afterEach(async () => {
  for (const l of leases.splice(0)) l.release();
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});

/** A consumer with a bug: it throws on every packet (and when the stream ends). */
function faulty(): StreamConsumer & { throws: number } {
  return {
    kind: 'viewer',
    label: 'faulty',
    throws: 0,
    onPacket() {
      this.throws++;
      throw new TypeError('bug in a consumer');
    },
    onEnded() {
      throw new TypeError('bug in a consumer, again');
    },
  };
}

describe.each(['ws', 'udp'] as const)('a throwing consumer on a relay (link media %s)', (media) => {
  it('closes neither the link to its parent nor the other viewers, and is counted once per throw', async () => {
    const lines: Array<{ msg: string; kind?: string; stream?: string; consumer?: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as (typeof lines)[number]);
        done();
      },
    });
    tree = await startTree({ level1: 1, level2PerLevel1: 0, flags: ['--link-media', media], logger: pino({ level: 'error' }, sink) });
    const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
    clients.push(pub);
    await pub.start();
    const relay = tree.relays[0]!;

    // The faulty consumer comes first, so a throw that escaped it would also starve the viewer
    // behind it in the fan-out.
    const lease = await relay.node.hub.acquire('cam');
    leases.push(lease);
    const bad = faulty();
    lease.attach(bad);
    const viewer = new NodeViewer({ url: `${relay.url}/whep/cam` });
    clients.push(viewer);
    expect((await viewer.start()).status).toBe(201);
    await viewer.waitFor(() => viewer.video.packets > 50 && bad.throws > 50, 10_000, 'media reaches the viewer behind the faulty consumer');

    const seen = viewer.video.packets;
    await viewer.waitFor(() => viewer.video.packets > seen + 50, 10_000, 'the viewer keeps receiving');
    // The link to the parent never closed: no protocol error at the parent, no second pull here.
    expect(tree.origin.node.counters.linkErrors.get({ code: String(ErrorCode.LINK_PROTOCOL) })).toBe(0);
    expect(relay.node.counters.subscriptionsOpened.get()).toBe(1);
    expect(relay.node.hub.get('cam')!.state).toBe('ready');
    // Every throw counted at the consumer's kind.
    expect(relay.node.counters.consumerErrors.get({ kind: 'viewer' })).toBe(bad.throws);
    // Logged once, naming the stream and the consumer.
    const logged = lines.filter((l) => l.kind === 'viewer');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ stream: 'cam', consumer: 'faulty' });
  });
});

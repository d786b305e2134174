/**
 * The bench's native viewer sink (native/src/sink.cc, scripts/bench/sink-worker.ts): a few sinks
 * against a relay complete ICE, DTLS and SRTP keying, receive the stream and authenticate the
 * sampled packets, on the native engine (ICE-lite) and on node-datachannel (full ICE).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { remoteOf, whepOffer } from '../../scripts/bench/sink-sdp.js';
import { loadSink, sinkAvailable, type NativeSink } from '../../scripts/bench/sink.js';
import { NativeEngine } from '../../src/engine/NativeEngine.js';
import { NodePublisher } from '../support/NodePublisher.js';
import { DEFAULT_FIXTURE } from '../support/fixture.js';
import { startTree, type Tree } from '../support/tree.js';
import { deleteSession, httpRequest, waitFor } from '../support/webrtc.js';

const ok = sinkAvailable() && NativeEngine.available().ok;
if (!ok && process.env.CI) throw new Error('native addons missing in CI');

let tree: Tree | null = null;
let sink: NativeSink | null = null;
const clients: Array<{ close(): Promise<void> }> = [];
const sessions: string[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await deleteSession(s);
  for (const c of clients.splice(0)) await c.close();
  await tree?.close();
  await tree?.assertEmpty();
  tree = null;
});
afterAll(() => sink?.shutdown());

describe.skipIf(!ok)('bench native sink', () => {
  for (const engine of ['native', 'ndc'] as const) {
    it(`receives and authenticates media from a relay on the ${engine} engine`, async () => {
      tree = await startTree({ level1: 1, level2PerLevel1: 0, relayFlags: ['--engine', engine] });
      const relay = tree.relays[0]!;
      const pub = new NodePublisher({ url: `${tree.origin.url}/whip/cam`, fixture: DEFAULT_FIXTURE });
      clients.push(pub);
      await pub.start();
      sink ??= loadSink(1);
      const s = sink;
      const before = s.totals();
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) {
        const local = s.create('127.0.0.1');
        const res = await httpRequest('POST', `${relay.url}/whep/cam`, {
          body: whepOffer({ ...local, fingerprint: s.fingerprint, address: '127.0.0.1' }),
          contentType: 'application/sdp',
        });
        expect(res.status).toBe(201);
        const loc = res.headers.get('location');
        if (loc) sessions.push(new URL(loc, relay.url).toString());
        const r = remoteOf(res.body);
        expect(s.start(local.id, { ...r, dtlsClient: r.setup !== 'active', controlling: true })).toBe(true);
        ids.push(local.id);
      }
      await waitFor(() => ids.every((id) => (s.info(id)?.firstPacketAt ?? 0) > 0), 15_000, 20, 'every sink authenticated a packet');
      await waitFor(() => s.totals().authOk - before.authOk >= 3 * 10, 15_000, 20, 'ten sampled packets per sink');
      const t = s.totals();
      expect(t.authFail - before.authFail).toBe(0);
      expect(t.videoPackets - before.videoPackets).toBeGreaterThan(0);
      expect(t.packets - t.videoPackets - (before.packets - before.videoPackets)).toBeGreaterThan(0); // audio too
      // Loss from sequence gaps: expected (the sequence span) covers what arrived; on a loaded
      // machine the in-process relay can stall and lose some, so only a sane bound here.
      const got = t.packets - before.packets;
      const span = t.expected - before.expected;
      expect(span).toBeGreaterThanOrEqual(got - 2);
      expect(got / span).toBeGreaterThan(0.5);
      expect(t.rtcpOut - before.rtcpOut).toBeGreaterThanOrEqual(0);
      for (const id of ids) s.close(id);
      await waitFor(() => ids.every((id) => s.info(id) === null), 5_000, 20, 'sinks closed');
    }, 60_000);
  }
});

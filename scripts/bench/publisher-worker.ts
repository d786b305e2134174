/**
 * Bench publisher, run as its own process so its pacing does not depend on the bench's
 * event loop: replays a recorded fixture at its real pace either
 *
 *  - over WHIP to a Canopy origin (test/support's NodePublisher), or
 *  - as plain RTP over UDP to a Janus streaming mountpoint (FixturePlayer + dgram).
 *
 * While a probe window is open it records (payload hash, send time) of every video packet,
 * which the bench matches against the viewers' arrival times (hop latency).
 * Controlled over IPC (protocol.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import { FixturePlayer, fixtureTrack, readFixture } from '../../test/support/fixture.js';
import { NodePublisher } from '../../test/support/NodePublisher.js';
import { cleanupNodeDataChannel } from '../../test/support/webrtc.js';
import { fnv1a, nowMs, payloadHash, type FromPublisherWorker, type PublisherCounters, type ToPublisherWorker } from './protocol.js';

function send(m: FromPublisherWorker): void {
  process.send?.(m);
}

let probing = false;
let samples: number[] = [];
let publisher: NodePublisher | undefined;
let player: FixturePlayer | undefined;
let socket: Socket | undefined;
const udp: PublisherCounters = { packets: 0, bytes: 0, sendFailures: 0, keyframeRequests: 0, attempts: 1 };

/**
 * Stands in for NodePublisher's `sentPayloads[kind]` array (its keepPayloads option): instead
 * of keeping each payload it notes its hash and the time, right after the packet was sent.
 */
class SendRecorder extends Array<Buffer> {
  constructor(private readonly record: boolean) {
    super();
  }
  override push(...items: Buffer[]): number {
    if (this.record && probing) {
      const t = nowMs();
      for (const b of items) samples.push(fnv1a(b, 0, b.length), t);
    }
    return 0;
  }
}

async function start(s: Extract<ToPublisherWorker, { t: 'start' }>['start']): Promise<void> {
  if (s.mode === 'whip') {
    publisher = new NodePublisher({ url: s.url, fixture: s.fixture, keepPayloads: true, retries: 5, name: 'bench-pub' });
    publisher.sentPayloads.video = new SendRecorder(true);
    publisher.sentPayloads.audio = new SendRecorder(false);
    await publisher.start();
    return;
  }
  const fixture = readFixture(s.fixture);
  const video = fixtureTrack(fixture, 'video')!;
  const audio = fixtureTrack(fixture, 'audio');
  const sock = createSocket('udp4');
  socket = sock;
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  player = new FixturePlayer({
    fixture,
    onPacket: (trackId, rtp) => {
      const isVideo = trackId === video.id;
      const port = isVideo ? s.videoPort : trackId === audio?.id ? s.audioPort : 0;
      if (!port) return;
      sock.send(rtp, port, s.host, (err) => {
        if (err) udp.sendFailures++;
      });
      udp.packets++;
      udp.bytes += rtp.length;
      if (isVideo && probing) {
        const h = payloadHash(rtp);
        if (h !== null) samples.push(h, nowMs());
      }
    },
  });
  player.start();
}

function counters(): PublisherCounters {
  if (!publisher) return udp;
  let packets = 0;
  let bytes = 0;
  for (const n of publisher.sent.values()) packets += n;
  for (const n of publisher.sentBytes.values()) bytes += n;
  return { packets, bytes, sendFailures: publisher.sendFailures, keyframeRequests: publisher.keyframeRequests, attempts: publisher.attempts };
}

async function stop(): Promise<void> {
  player?.close();
  socket?.close();
  if (publisher) {
    await publisher.close();
    await cleanupNodeDataChannel(3000);
  }
}

process.on('message', (raw) => {
  const m = raw as ToPublisherWorker;
  switch (m.t) {
    case 'start':
      start(m.start).then(
        () => send({ t: 'started', req: m.req }),
        (err: unknown) => send({ t: 'started', req: m.req, error: String((err as Error)?.message ?? err) }),
      );
      return;
    case 'snap':
      send({ t: 'snap', req: m.req, counters: counters() });
      return;
    case 'probe':
      if (m.on) {
        samples = [];
        probing = true;
        send({ t: 'probe', req: m.req, samples: [] });
      } else {
        probing = false;
        send({ t: 'probe', req: m.req, samples });
        samples = [];
      }
      return;
    case 'stop':
      void stop().finally(() => {
        send({ t: 'stopped', req: m.req });
        setTimeout(() => process.exit(0), 50);
      });
      return;
  }
});
process.on('disconnect', () => void stop().finally(() => process.exit(0)));
send({ t: 'ready' });

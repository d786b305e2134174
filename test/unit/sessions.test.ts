import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PublisherSession } from '../../origin/PublisherSession.js';
import { ErrorCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import type { Feed } from '../../src/media/Feed.js';
import type { Lease } from '../../src/media/StreamHub.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import type { StreamInfo } from '../../src/media/types.js';
import { Metrics, nodeCounters } from '../../src/metrics.js';
import { ViewerSession } from '../../src/session/ViewerSession.js';
import { FakeEngine, fakeOffer, type FakePeer } from '../support/fakeEngine.js';
import { buildPli } from '../support/rtp.js';

const timers = { connectTimeoutMs: 10_000, disconnectGraceMs: 5_000 };
const info: StreamInfo = {
  name: 'cam',
  createdMs: 1,
  tracks: [
    { id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '' },
    { id: 1, kind: 'audio', codec: 'opus', payloadType: 111, clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' },
  ],
};

function rtp(seq: number, pt = 96, ssrc = 0x1111): Buffer {
  const b = Buffer.alloc(40);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ViewerSession (fake engine, fake timers)', () => {
  function viewer() {
    const engine = new FakeEngine();
    const feed = { startMs: null, history: () => null, requestKeyframe: vi.fn() };
    const lease = { feed, info, attach: vi.fn(), release: vi.fn() } as unknown as Lease & {
      attach: ReturnType<typeof vi.fn>;
      release: ReturnType<typeof vi.fn>;
    };
    const counters = nodeCounters(new Metrics());
    const s = new ViewerSession('cam', lease, { engine, logger: silentLogger(), counters, timers, repair: { enabled: true, retransmitShare: 0.25 } });
    const closes: string[] = [];
    s.on('close', (r: string) => closes.push(r));
    return { engine, feed, lease, s, closes, peer: () => engine.peers[0]! };
  }

  it('answers with one sending track per stream track, attaches to the feed, and closes when ICE never connects', async () => {
    const { s, lease, closes, peer } = viewer();
    expect(await s.start(fakeOffer('recvonly', { rtx: true }))).toContain('fake answer');
    expect(peer().specs.map((t) => [t.mid, t.kind, t.direction, t.codec.name, !!t.rtx])).toEqual([
      ['0', 'video', 'sendonly', 'VP8', true],
      ['1', 'audio', 'sendonly', 'opus', false],
    ]);
    expect(lease.attach).toHaveBeenCalledWith(s);
    vi.advanceTimersByTime(timers.connectTimeoutMs - 1);
    expect(s.closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(closes).toEqual(['connect timeout']);
    expect(lease.release).toHaveBeenCalledTimes(1);
    expect(peer().closed).toEqual({ tellPeer: true });
  });

  it('forwards packets rewritten to its own SSRC, sends sender reports each second once connected, and passes a viewer PLI upstream', async () => {
    const { s, feed, peer } = viewer();
    await s.start(fakeOffer('recvonly'));
    const [video, audio] = peer().tracks;
    const ssrc = peer().specs[0]!.ssrc!;
    peer().setState('connected');
    s.onPacket(mediaPacket(0, rtp(7), 0, true));
    s.onPacket(mediaPacket(1, rtp(8, 111, 0x2222), 0, false));
    expect(video!.sent.map((p) => Buffer.from(p).readUInt32BE(8))).toEqual([ssrc]);
    expect(audio!.sent.length).toBe(1);
    const before = video!.sent.length;
    vi.advanceTimersByTime(1000);
    expect(video!.sent.length).toBe(before + 1); // a sender report (RFC 3550 §6.4.1)
    peer().receive('0', buildPli(1, ssrc));
    expect(feed.requestKeyframe).toHaveBeenCalledWith(0, 'viewer');
    s.close('done', { byClient: true });
  });

  it('survives a disconnection shorter than the grace, and closes after a longer one', async () => {
    const { s, closes, peer } = viewer();
    await s.start(fakeOffer('recvonly'));
    peer().setState('connected');
    peer().setState('disconnected');
    vi.advanceTimersByTime(timers.disconnectGraceMs - 1);
    peer().setState('connected');
    vi.advanceTimersByTime(timers.disconnectGraceMs * 2);
    expect(s.closed).toBe(false);
    peer().setState('disconnected');
    vi.advanceTimersByTime(timers.disconnectGraceMs);
    expect(closes).toEqual(['peer disconnected']);
  });

  it('ends with a BYE when the stream ends under a connected viewer, once, and refuses an offer it cannot play', async () => {
    const { s, closes, lease, peer } = viewer();
    await s.start(fakeOffer('recvonly'));
    peer().setState('connected');
    s.onEnded(ErrorCode.STREAM_ENDED, 'publisher left');
    s.close('again');
    expect(closes).toEqual(['stream ended: publisher left']);
    expect(lease.release).toHaveBeenCalledTimes(1);
    expect(peer().tracks[0]!.sent.some((p) => p[1] === 203)).toBe(true); // RTCP BYE (RFC 3550 §6.6)

    const other = viewer();
    await expect(other.s.start(fakeOffer('sendonly'))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    expect(other.s.closed).toBe(true);
    expect(other.lease.release).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('ViewerSession of a simulcast stream (fake engine, fake timers)', () => {
  const layered: StreamInfo = {
    name: 'sim',
    createdMs: 1,
    tracks: [
      { id: 0, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '', layer: { rid: 'f', quality: 'high', group: 0 } },
      { id: 2, kind: 'video', codec: 'VP8', payloadType: 96, clockRate: 90000, channels: 0, fmtp: '', layer: { rid: 'q', quality: 'low', group: 0 } },
    ],
  };

  it('counts as sent to the viewer only the layer it gets, not every layer the node pulls (the estimate’s sentBps)', async () => {
    const engine = new FakeEngine();
    const feed = { startMs: null, history: () => null, requestKeyframe: vi.fn(), layers: { want: () => () => undefined } };
    const lease = { feed, info: layered, attach: vi.fn(), release: vi.fn() } as unknown as Lease;
    const s = new ViewerSession('sim', lease, {
      engine,
      logger: silentLogger(),
      counters: nodeCounters(new Metrics()),
      timers,
      repair: { enabled: true, retransmitShare: 0.25 },
    });
    await s.start(fakeOffer('recvonly'));
    const peer = engine.peers[0]!;
    peer.setState('connected');
    const big = (seq: number): Buffer => Buffer.concat([rtp(seq, 96, 0x3333), Buffer.alloc(960)]);
    // One second: the viewer is on high (1,000-byte packets); the node also pulls low for others.
    for (let i = 0; i < 10; i++) {
      s.onPacket(mediaPacket(0, big(i), 0, i === 0));
      s.onPacket(mediaPacket(2, rtp(i, 96, 0x1111), 0, i === 0));
      vi.advanceTimersByTime(100);
    }
    expect(s.describe()).toMatchObject({ layer: 'high' });
    expect(peer.tracks[0]!.sent.filter((p) => p.length === 1000).length).toBe(10);
    peer.handlers.onBandwidth?.({ bps: 2_000_000, source: 'twcc', congested: false });
    // 10 x 1,000 bytes in 1 s: 80 kbit/s (with the low layer's packets it would read 83.2).
    expect(s.estimate!.sentBps).toBe(80_000);
    s.close('done', { byClient: true });
  });
});

describe('PublisherSession (fake engine, fake timers)', () => {
  function publisher(opts: { transportCc?: boolean } = {}) {
    const engine = new FakeEngine();
    const s = new PublisherSession('cam', {
      engine,
      logger: silentLogger(),
      counters: nodeCounters(new Metrics()),
      timers,
      videoBitrate: 2_000_000,
      lossRepair: true,
      ...opts,
    });
    const feed = { source: s as unknown, closed: false, deliver: vi.fn(), end: vi.fn(), sourceLost: vi.fn() };
    const closes: string[] = [];
    s.on('close', (r: string) => closes.push(r));
    return { engine, s, feed, closes, peer: (): FakePeer => engine.peers[0]! };
  }

  it('describes the stream from the offer, and closes when ICE never connects', async () => {
    const { s, closes } = publisher();
    const { info: got } = await s.start(fakeOffer('sendonly', { rtx: true }));
    expect(got.tracks.map((t) => [t.id, t.kind, t.codec, t.payloadType])).toEqual([
      [0, 'video', 'VP8', 96],
      [1, 'audio', 'opus', 111],
    ]);
    vi.advanceTimersByTime(timers.connectTimeoutMs);
    expect(closes).toEqual(['connect timeout']);
  });

  it('says when media first flows, feeds its packets to the feed it is the source of, and sends receiver reports', async () => {
    const { s, feed, peer } = publisher();
    await s.start(fakeOffer('sendonly'));
    s.feed = feed as unknown as Feed;
    const media = vi.fn();
    s.on('media', media);
    peer().setState('connected');
    peer().receive('0', rtp(1));
    peer().receive('0', rtp(2));
    peer().receive('1', rtp(3, 111, 0x2222));
    expect(media).toHaveBeenCalledTimes(1);
    expect(s.mediaFlowing).toBe(true);
    expect(
      feed.deliver.mock.calls.map((c) => {
        const p = c[0] as { track: number; rtp: Uint8Array };
        return [p.track, Buffer.from(p.rtp).readUInt16BE(2)];
      }),
    ).toEqual([
      [0, 1],
      [0, 2],
      [1, 3],
    ]);
    const video = peer().tracks[0]!;
    const before = video.sent.length;
    vi.advanceTimersByTime(1000);
    expect(video.sent.length).toBeGreaterThan(before); // RR + REMB
    // A replaced publisher (no longer the feed's source) feeds nothing.
    feed.source = null;
    peer().receive('0', rtp(4));
    expect(feed.deliver).toHaveBeenCalledTimes(3);
    s.close('done', { byClient: true });
  });

  // Issue 18: a broadcaster's DELETE leaves the stream waiting --reconnect-grace as a lost one
  // does (it may start again), with viewers told the broadcast ended; only the grace ends it.
  it('a publisher that leaves or is lost leaves the stream waiting; the lost one after a disconnection past the grace', async () => {
    const left = publisher();
    await left.s.start(fakeOffer('sendonly'));
    left.s.feed = left.feed as unknown as Feed;
    left.s.close('DELETE', { byClient: true });
    expect(left.feed.sourceLost).toHaveBeenCalledWith('the broadcaster ended the broadcast', left.s);
    expect(left.feed.end).not.toHaveBeenCalled();
    expect(left.peer().closed).toEqual({ tellPeer: false });

    const lost = publisher();
    await lost.s.start(fakeOffer('sendonly'));
    lost.s.feed = lost.feed as unknown as Feed;
    lost.peer().setState('connected');
    lost.peer().setState('disconnected');
    vi.advanceTimersByTime(timers.disconnectGraceMs);
    expect(lost.closes).toEqual(['peer disconnected']);
    expect(lost.feed.sourceLost).toHaveBeenCalledWith("the broadcaster's connection was lost (peer disconnected)", lost.s);
    expect(lost.feed.end).not.toHaveBeenCalled();
    expect(lost.peer().closed).toEqual({ tellPeer: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  // Issue 20: transport-cc with publishers that offer it (their own estimator, with probing,
  // ramps up in seconds), REMB at --publish-bitrate with those that do not.
  describe('transport-cc or REMB', () => {
    const URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
    /** An RTP packet with the transport-wide sequence number (one-byte form, id 3). */
    const withSeq = (seq: number, twcc: number, pt = 96, ssrc = 0x1111): Buffer => {
      const p = rtp(seq, pt, ssrc);
      p[0] = 0x90;
      return Buffer.concat([p.subarray(0, 12), Buffer.from([0xbe, 0xde, 0, 1, 0x31, twcc >> 8, twcc & 0xff, 0]), p.subarray(12)]);
    };
    const isFeedback = (b: Uint8Array): boolean => b[1] === 205 && (b[0]! & 0x1f) === 15;
    const hasRemb = (b: Uint8Array): boolean => Buffer.from(b).includes('REMB');

    it('negotiates transport-cc when offered, sends transport-wide feedback for all tracks and no REMB', async () => {
      const { s, feed, peer } = publisher();
      const { answer } = await s.start(fakeOffer('sendonly', { rtx: true, twccExtId: 3 }));
      expect(peer().specs.map((t) => [t.mid, t.feedback])).toEqual([
        ['0', ['transport-cc']],
        ['1', ['transport-cc']],
      ]);
      // The offer's id in both sections (the engine writes no extmap of its own).
      expect(
        answer
          .split('m=')
          .slice(1)
          .map((m) => m.includes(`a=extmap:3 ${URI}`)),
      ).toEqual([true, true]);
      s.feed = feed as unknown as Feed;
      peer().setState('connected');
      peer().receive('0', withSeq(1, 100));
      peer().receive('1', withSeq(7, 101, 111, 0x2222));
      peer().receive('0', withSeq(3, 103));
      vi.advanceTimersByTime(1000);
      const sent = peer().tracks[0]!.sent;
      const fb = sent.filter(isFeedback).map((b) => Buffer.from(b));
      expect(fb.length).toBe(1);
      // Base 100, 4 statuses (102 not received).
      expect([fb[0]!.readUInt16BE(12), fb[0]!.readUInt16BE(14)]).toEqual([100, 4]);
      expect(sent.some(hasRemb)).toBe(false);
      expect(s.transportCcState()).toMatchObject({ extId: 3, feedbackSent: 1 });
      s.close('done', { byClient: true });
      expect(vi.getTimerCount()).toBe(0);
    });

    it('sends REMB and no transport-cc when the offer has none (or only the extension), or when turned off', async () => {
      for (const [offer, transportCc] of [
        [fakeOffer('sendonly'), true],
        [fakeOffer('sendonly', { twccExtId: 3 }), false],
        // The extension without `transport-cc` feedback: a sender that would not read ours.
        [fakeOffer('sendonly', { twccExtId: 3 }).replace(/a=rtcp-fb:\d+ transport-cc\r\n/g, ''), true],
      ] as const) {
        const { s, feed, peer } = publisher({ transportCc });
        const { answer } = await s.start(offer);
        expect(answer).not.toContain(URI);
        expect(peer().specs.flatMap((t) => t.feedback ?? [])).not.toContain('transport-cc');
        s.feed = feed as unknown as Feed;
        peer().setState('connected');
        peer().receive('0', withSeq(1, 100));
        vi.advanceTimersByTime(1000);
        const sent = peer().tracks[0]!.sent;
        expect(sent.some(isFeedback)).toBe(false);
        expect(sent.some(hasRemb)).toBe(true);
        expect(s.transportCcState()).toBeNull();
        s.close('done', { byClient: true });
      }
    });
  });

  it('refuses an offer that sends nothing it can take', async () => {
    const { s } = publisher();
    await expect(s.start(fakeOffer('recvonly'))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    expect(s.closed).toBe(true);
  });
});

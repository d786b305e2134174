import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { NACK_DEFAULTS, NackRequester } from '../../src/engine/NackRequester.js';
import { connectLink } from '../../src/link/connect.js';
import type { Link } from '../../src/link/Link.js';
import { LinkServer } from '../../src/link/LinkServer.js';
import { silentLogger } from '../../src/log.js';
import { Metrics, pipeCounters } from '../../src/metrics.js';
import { decodePipe, encodeMedia, encodeNack, encodeProbe, MAX_PIPE_PAYLOAD, PipeType, type PipeMedia } from '../../src/pipe/packet.js';
import { PipeHost } from '../../src/pipe/PipeHost.js';
import { PipePeer } from '../../src/pipe/PipePeer.js';
import { REPLAY_WINDOW, ReplayWindow } from '../../src/pipe/ReplayWindow.js';
import { RTP_HEADER_BYTES, SRTP_MATERIAL_BYTES, SRTP_TAG_BYTES, SrtpSession } from '../../src/pipe/SrtpSession.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hkdfSync, randomBytes } from 'node:crypto';
import { DownlinkPipe } from '../../src/pipe/DownlinkPipe.js';
import { RtpHistory } from '../../src/media/RtpHistory.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';

function rtp(seq: number, ssrc = 0x1234, size = 100): Buffer {
  const b = Buffer.alloc(size);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(ssrc, 8);
  b.fill(seq & 0xff, 12);
  return b;
}

/** Both ends' SRTP sessions of one pipe, from one pair of key materials. */
function pair(a = randomBytes(SRTP_MATERIAL_BYTES), b = randomBytes(SRTP_MATERIAL_BYTES)): [SrtpSession, SrtpSession] {
  return [new SrtpSession(a, b), new SrtpSession(b, a)];
}

describe('pipe packet format', () => {
  it('round-trips media with its sub id, track, capture time, keyframe and retransmission flags, and the RTP packet whole', () => {
    const p = rtp(7);
    const m = decodePipe(encodeMedia(65535, 0xfffffffe, mediaPacket(3, p, 1700000000123.25, true), false)) as PipeMedia;
    expect(m).toMatchObject({
      type: PipeType.Media,
      mseq: 65535,
      subId: 0xfffffffe,
      track: 3,
      captureMs: 1700000000123.25,
      keyframe: true,
      retransmission: false,
    });
    expect(Buffer.compare(m.rtp, p)).toBe(0);
    expect(decodePipe(encodeMedia(4, 1, mediaPacket(0, p, 0, false), true))).toMatchObject({ mseq: 4, keyframe: false, retransmission: true });
  });

  it('round-trips probes and NACKs', () => {
    expect(decodePipe(encodeProbe(true, 42.5, null))).toEqual({ type: PipeType.Probe, seen: true, sentMs: 42.5, lastMseq: null });
    expect(decodePipe(encodeProbe(false, 1, 0))).toEqual({ type: PipeType.Probe, seen: false, sentMs: 1, lastMseq: 0 });
    expect(decodePipe(encodeNack([65535, 0, 17]))).toEqual({ type: PipeType.Nack, mseqs: [65535, 0, 17] });
  });

  it('refuses malformed plaintexts: unknown type, short media, oversize media, a NACK whose count lies', () => {
    expect(decodePipe(Buffer.from([9, 0, 0]))).toBeNull();
    expect(decodePipe(encodeMedia(0, 1, mediaPacket(0, Buffer.alloc(8), 0, false), false))).toBeNull();
    expect(decodePipe(encodeMedia(0, 1, mediaPacket(0, rtp(1, 1, MAX_PIPE_PAYLOAD + 1), 0, false), false))).toBeNull();
    const nack = encodeNack([1, 2]);
    expect(decodePipe(nack.subarray(0, nack.length - 1))).toBeNull();
  });
});

describe('pipe loss detection', () => {
  it('asks at once for a lost last packet when a tail probe names it, and counts its late arrival as recovered', () => {
    const nacks: number[][] = [];
    const r = new NackRequester({ ...NACK_DEFAULTS, sendNack: (s) => nacks.push(s) });
    r.arrive(65534, 0, false);
    r.arrive(65535, 1, false);
    r.expectUpTo(1, 3); // the sender's probe: it sent 0 and 1 after 65535
    expect(nacks).toEqual([[0, 1]]);
    r.expectUpTo(1, 4); // the same probe again: nothing new
    expect(nacks.length).toBe(1);
    expect(r.arrive(0, 5, true)).toBe('recovered');
    expect(r.arrive(2, 6, false)).toBe('new');
    r.close();
  });
});

describe('pipe SRTP (AEAD_AES_128_GCM, RFC 7714)', () => {
  it('decrypts at the other end what one end protected, with the RTP header in clear and the payload not', () => {
    const [a, b] = pair();
    const payload = encodeMedia(0, 1, mediaPacket(0, rtp(5), 10, false), false);
    const pkt = a.protect(96, payload, 1234);
    expect(pkt.length).toBe(RTP_HEADER_BYTES + payload.length + SRTP_TAG_BYTES);
    expect(pkt.readUInt32BE(8)).toBe(a.txSsrc);
    expect(pkt.includes(rtp(5).subarray(12, 40))).toBe(false);
    const got = b.unprotect(pkt);
    expect(got).toMatchObject({ payloadType: 96 });
    expect(Buffer.compare((got as { payload: Buffer }).payload, payload)).toBe(0);
  });

  it('refuses a packet whose header or payload was changed, or that was protected with another key', () => {
    const [a, b] = pair();
    const pkt = a.protect(96, Buffer.from('hello pipe'), 1);
    const header = Buffer.from(pkt);
    header[1] = 97; // the payload type is authenticated (associated data)
    expect(b.unprotect(header)).toBe('auth');
    const body = Buffer.from(pkt);
    body[RTP_HEADER_BYTES] ^= 1;
    expect(b.unprotect(body)).toBe('auth');
    const [, stranger] = pair(randomBytes(SRTP_MATERIAL_BYTES));
    expect(['auth', 'ssrc']).toContain(stranger.unprotect(pkt));
    expect(b.unprotect(pkt)).not.toBeTypeOf('string');
  });

  it('rejects a replayed packet and one older than the replay window, and accepts reordering within it (RFC 3711 §3.3.2)', () => {
    const [a, b] = pair();
    const pkts = Array.from({ length: REPLAY_WINDOW + 10 }, (_, i) => a.protect(96, Buffer.from([i & 0xff]), i));
    expect(b.unprotect(pkts[1]!)).not.toBeTypeOf('string');
    expect(b.unprotect(pkts[1]!)).toBe('replay');
    expect(b.unprotect(pkts[0]!)).not.toBeTypeOf('string'); // late, never seen: fine
    expect(b.unprotect(pkts[0]!)).toBe('replay');
    expect(b.unprotect(pkts[REPLAY_WINDOW + 5]!)).not.toBeTypeOf('string');
    expect(b.unprotect(pkts[3]!)).toBe('replay'); // now behind the window
    expect(b.unprotect(pkts[REPLAY_WINDOW + 4]!)).not.toBeTypeOf('string');
  });

  it('keeps authenticating across a sequence-number rollover (the ROC is part of the IV)', () => {
    const tx = randomBytes(SRTP_MATERIAL_BYTES);
    tx.writeUInt16BE(0xfffd, 16); // the first sequence number comes from the salt's first octets
    const [a, b] = pair(tx);
    for (let i = 0; i < 6; i++) {
      const pkt = a.protect(96, Buffer.from([i]), i);
      expect(pkt.readUInt16BE(2)).toBe((0xfffd + i) & 0xffff);
      expect(b.unprotect(pkt)).not.toBeTypeOf('string');
    }
  });

  it('ReplayWindow estimates the index across a wrap and never accepts an index twice', () => {
    const w = new ReplayWindow();
    w.commit(w.estimate(65535));
    expect(w.estimate(0)).toBe(65536);
    expect(w.check(65536)).toBe(true);
    w.commit(65536);
    expect(w.check(65536)).toBe(false);
    expect(w.estimate(65534)).toBe(65534);
  });
});

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function host(): Promise<{ host: PipeHost; metrics: Metrics }> {
  const metrics = new Metrics();
  const h = new PipeHost({ listen: { host: '127.0.0.1', port: 0 }, counters: pipeCounters(metrics), logger: silentLogger(), tickMs: 20 });
  await h.listen();
  servers.push(h);
  return { host: h, metrics };
}

function peerOf(h: PipeHost, to: PipeHost, tx: Buffer, rx: Buffer, keepaliveMs = 100, silenceMs = 500): PipePeer {
  const p = new PipePeer({ socket: h, remote: to.address!, txKey: tx, rxKey: rx, handshakeMs: 2000, silenceMs, keepaliveMs, logger: silentLogger() });
  h.add(p);
  servers.push(p);
  return p;
}

function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (cond()) {
        clearInterval(t);
        resolve();
      } else if (Date.now() > end) {
        clearInterval(t);
        reject(new Error('timed out'));
      }
    }, 5);
  });
}

describe('pipe host', () => {
  it('brings a pipe up once probes crossed both ways, and demultiplexes two pipes between the same two sockets by SSRC', async () => {
    const { host: a } = await host();
    const { host: b } = await host();
    const k = Array.from({ length: 4 }, () => randomBytes(SRTP_MATERIAL_BYTES));
    const a1 = peerOf(a, b, k[0]!, k[1]!);
    const b1 = peerOf(b, a, k[1]!, k[0]!);
    const a2 = peerOf(a, b, k[2]!, k[3]!);
    const b2 = peerOf(b, a, k[3]!, k[2]!);
    await until(() => a1.up && b1.up && a2.up && b2.up);
    const got1: number[] = [];
    const got2: number[] = [];
    b1.on('media', (m: PipeMedia) => got1.push(m.subId));
    b2.on('media', (m: PipeMedia) => got2.push(m.subId));
    expect(a1.sendMedia(1, mediaPacket(0, rtp(1), 0, false))).toBe(true);
    expect(a2.sendMedia(2, mediaPacket(0, rtp(1), 0, false))).toBe(true);
    expect(a1.sendMedia(1, mediaPacket(0, rtp(2, 1, MAX_PIPE_PAYLOAD + 1), 0, false))).toBe(false); // too large: the WebSocket carries it
    await until(() => got1.length === 1 && got2.length === 1);
    expect(got1).toEqual([1]);
    expect(got2).toEqual([2]);
  });

  it('numbers media across every stream of a pipe, follows a burst with a tail probe naming the last one once the peer NACKed, and resends under the original number', async () => {
    const { host: a } = await host();
    const { host: b } = await host();
    const ka = randomBytes(SRTP_MATERIAL_BYTES);
    const kb = randomBytes(SRTP_MATERIAL_BYTES);
    // Keepalives a second apart: a probe naming the last packet within 60 ms is the tail probe.
    const pa = peerOf(a, b, ka, kb, 1000, 5000);
    const pb = peerOf(b, a, kb, ka, 1000, 5000);
    await until(() => pa.up && pb.up);
    const media: PipeMedia[] = [];
    const tails: number[] = [];
    pb.on('media', (m: PipeMedia) => media.push(m));
    pb.on('tail', (n: number) => tails.push(n));
    // Tail probes follow bursts only after a loss: the peer asks for something first.
    const nacked = new Promise((r) => pa.once('nack', r));
    pb.sendNack([4242]);
    await nacked;
    const sentAt = Date.now();
    pa.sendMedia(1, mediaPacket(0, rtp(100), 5, true));
    pa.sendMedia(2, mediaPacket(1, rtp(7), 6, false));
    await until(() => media.length === 2 && tails.includes(1));
    // Well before the next keepalive: the tail probe, 2 ms after the burst.
    expect(Date.now() - sentAt).toBeLessThan(60);
    expect(media.map((m) => [m.mseq, m.subId, m.track, m.retransmission])).toEqual([
      [0, 1, 0, false],
      [1, 2, 1, false],
    ]);
    const first = pa.sent.get(0)!;
    expect(first).toMatchObject({ subId: 1, seq: 100, length: 100, packet: { track: 0, captureMs: 5, keyframe: true } });
    expect(first.packet.rtp.length).toBe(0); // the bytes are the history's to keep, not the log's
    pa.resend(0, first, rtp(100));
    await until(() => media.length === 3);
    expect(media[2]).toMatchObject({ mseq: 0, subId: 1, retransmission: true, captureMs: 5, keyframe: true });
    pa.sent.forget(1);
    expect(pa.sent.get(0)).toBeNull();
    expect(pa.sent.get(1)).not.toBeNull();
  });

  it('drops and counts datagrams from anyone but the negotiated peer address, without decrypting them', async () => {
    const { host: a, metrics } = await host();
    const { host: b } = await host();
    const ka = randomBytes(SRTP_MATERIAL_BYTES);
    const kb = randomBytes(SRTP_MATERIAL_BYTES);
    const pa = peerOf(a, b, ka, kb);
    peerOf(b, a, kb, ka);
    await until(() => pa.up);
    // A stranger replays a genuine packet of b's, from its own address.
    const genuine = new SrtpSession(kb, ka).protect(97, encodeProbe(true, 0, null), 0);
    const stranger = createSocket('udp4');
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', r));
    servers.push(stranger);
    expect(await metrics.render()).toContain('canopy_pipe_packets_dropped_total{reason="foreign"} 0');
    await new Promise<void>((r) => stranger.send(genuine, a.address!.port, '127.0.0.1', () => r()));
    await until(() => a.counters.dropped.get({ reason: 'foreign' }) === 1);
    expect(await metrics.render()).toContain('canopy_pipe_packets_dropped_total{reason="foreign"} 1');
    expect(a.counters.packetsReceived.get()).toBeGreaterThan(0);
    expect(pa.up).toBe(true);
  });

  it('declares a pipe failed when it goes silent, and a handshake failed when no probe comes back', async () => {
    const { host: a } = await host();
    const { host: b } = await host();
    const ka = randomBytes(SRTP_MATERIAL_BYTES);
    const kb = randomBytes(SRTP_MATERIAL_BYTES);
    const pa = peerOf(a, b, ka, kb);
    peerOf(b, a, kb, ka);
    await until(() => pa.up);
    const failed: string[] = [];
    pa.on('failed', (why: string) => failed.push(why));
    b.blocked = true;
    await until(() => failed.length === 1, 1500);
    expect(failed).toEqual(['silent']);
    const lonely = new PipePeer({
      socket: a,
      remote: b.address!,
      txKey: randomBytes(SRTP_MATERIAL_BYTES),
      rxKey: randomBytes(SRTP_MATERIAL_BYTES),
      handshakeMs: 200,
      silenceMs: 500,
      keepaliveMs: 100,
      logger: silentLogger(),
    });
    a.add(lonely);
    servers.push(lonely);
    const why = await new Promise<string>((r) => lonely.once('failed', r));
    expect(why).toBe('handshake');
  });
});

describe('pipe keys over a link', () => {
  let server: Server | null = null;
  const links: Link[] = [];
  afterEach(async () => {
    for (const l of links.splice(0)) l.close(ErrorCode.SHUTDOWN, 'done');
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });

  async function linkPair(secret: string | undefined, pipe: boolean): Promise<{ connecting: Link; accepting: Link; welcomePipe: boolean }> {
    const ls = new LinkServer({
      nodeId: 'parent',
      instance: 'i',
      level: () => 0,
      secret,
      heartbeatMs: 5000,
      maxFrameBytes: 65536,
      pipe: () => pipe,
      logger: silentLogger(),
    });
    servers.push(ls);
    server = createServer();
    server.on('upgrade', (req, sock, head) => ls.handleUpgrade(req, sock, head));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const accepted = new Promise<Link>((r) => ls.once('link', r));
    const { link, welcome } = await connectLink({
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/relay`,
      nodeId: 'child',
      role: 'child',
      secret,
      maxFrameBytes: 65536,
      timeoutMs: 2000,
      logger: silentLogger(),
    });
    const acc = await accepted;
    links.push(link, acc);
    return { connecting: link, accepting: acc, welcomePipe: welcome.pipe ?? false };
  }

  it('derives the same pipe keys at both ends, different per direction and per attempt, and never sends them', async () => {
    const { connecting, accepting, welcomePipe } = await linkPair('s3cret-s3cret-s3cret', true);
    expect(welcomePipe).toBe(true);
    const up = connecting.deriveKey('pipe 1 connecting->accepting', SRTP_MATERIAL_BYTES);
    expect(accepting.deriveKey('pipe 1 connecting->accepting', SRTP_MATERIAL_BYTES)).toEqual(up);
    const down = accepting.deriveKey('pipe 1 accepting->connecting', SRTP_MATERIAL_BYTES);
    expect(connecting.deriveKey('pipe 1 accepting->connecting', SRTP_MATERIAL_BYTES)).toEqual(down);
    expect(down).not.toEqual(up);
    expect(connecting.deriveKey('pipe 2 connecting->accepting', SRTP_MATERIAL_BYTES)).not.toEqual(up);
    expect(connecting.localAddress).toBe('127.0.0.1');
    expect(accepting.remoteAddress).toBe('127.0.0.1');
  });

  it('offers no pipe on a link without a cluster secret: it has no keys', async () => {
    const { connecting, welcomePipe } = await linkPair(undefined, true);
    expect(welcomePipe).toBe(false);
    expect(() => connecting.deriveKey('pipe 1 connecting->accepting', SRTP_MATERIAL_BYTES)).toThrow(/not authenticated/);
  });
});

describe('the accepting side of a pipe (DownlinkPipe)', () => {
  /** The few Link members DownlinkPipe uses, over fixed key material. */
  function fakeLink(sent: Array<Record<string, unknown>>): Link {
    const secret = Buffer.from('downlink-pipe-test-secret');
    return {
      peerId: 'child',
      authenticated: true,
      localAddress: '127.0.0.1',
      remoteAddress: '127.0.0.1',
      send: (f: Record<string, unknown>) => (sent.push(f), true),
      deriveKey: (label: string, n: number) => Buffer.from(hkdfSync('sha256', secret, 'salt', label, n)),
    } as unknown as Link;
  }

  it('moves media to the pipe on PipeReady only once the offered address answered with the link keys, and answers NACKs from the stream history', async () => {
    const { host: parentHost } = await host();
    const { host: childHost } = await host();
    const sent: Array<Record<string, unknown>> = [];
    const link = fakeLink(sent);
    const history = new RtpHistory({ windowMs: 1000, maxBytes: 1 << 20 });
    const pipe = new DownlinkPipe({ host: parentHost, mode: 'auto', link, logger: silentLogger(), history: () => history });
    servers.push(pipe);

    // A lying child: its candidate is an address nobody answers from.
    const nobody = createSocket('udp4');
    await new Promise<void>((r) => nobody.bind(0, '127.0.0.1', r));
    servers.push(nobody);
    pipe.onFrame({ pipeOffer: { attempt: 1, candidates: [{ host: '127.0.0.1', port: nobody.address().port }] } } as never);
    expect(sent.at(-1)).toMatchObject({ pipeAnswer: { attempt: 1, candidate: { host: '127.0.0.1', port: parentHost.address!.port } } });
    pipe.onFrame({ pipeReady: { attempt: 1 } } as never);
    expect(pipe.mediaPath).toBe('ws');
    expect(pipe.sendMedia(1, mediaPacket(0, rtp(1), 0, false))).toBe(false);

    // An honest child: its pipe socket answers the probes.
    pipe.onFrame({ pipeOffer: { attempt: 2, candidates: [{ host: '127.0.0.1', port: childHost.address!.port }] } } as never);
    const child = new PipePeer({
      socket: childHost,
      remote: parentHost.address!,
      txKey: link.deriveKey('pipe 2 connecting->accepting', SRTP_MATERIAL_BYTES),
      rxKey: link.deriveKey('pipe 2 accepting->connecting', SRTP_MATERIAL_BYTES),
      handshakeMs: 2000,
      silenceMs: 1000,
      keepaliveMs: 100,
      logger: silentLogger(),
    });
    childHost.add(child);
    servers.push(child);
    await until(() => child.up);
    pipe.onFrame({ pipeReady: { attempt: 2 } } as never);
    expect(pipe.mediaPath).toBe('udp');

    const got: PipeMedia[] = [];
    child.on('media', (m: PipeMedia) => got.push(m));
    for (const seq of [10, 11]) {
      const p = rtp(seq);
      history.push(p, Date.now());
      expect(pipe.sendMedia(1, mediaPacket(0, p, 1000 + seq, false))).toBe(true);
    }
    await until(() => got.length === 2);
    child.sendNack([got[0]!.mseq, 999]); // one it sent, one it never did
    await until(() => got.length === 3);
    expect(got[2]).toMatchObject({ mseq: got[0]!.mseq, retransmission: true, captureMs: 1010, subId: 1 });
    expect(rtpSeqOf(got[2]!.rtp)).toBe(10);
    expect(parentHost.counters.retransmitted.get()).toBe(1);
    await until(() => parentHost.counters.retransmitMisses.get() === 1);
  });
});

function rtpSeqOf(b: Uint8Array): number {
  return (b[2]! << 8) | b[3]!;
}

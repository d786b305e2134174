import { hkdfSync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Link } from '../../src/link/Link.js';
import { silentLogger } from '../../src/log.js';
import { mediaPacket } from '../../src/media/MediaPacket.js';
import { RtpHistory } from '../../src/media/RtpHistory.js';
import { Metrics, pipeCounters } from '../../src/metrics.js';
import { DownlinkPipe } from '../../src/pipe/DownlinkPipe.js';
import {
  decodePipe,
  encodeMedia,
  fragmentCount,
  MAX_FRAGMENTED_RTP,
  MAX_FRAGMENTS,
  MAX_PIPE_DATAGRAM,
  MAX_PIPE_PAYLOAD,
  MAX_WHOLE_RTP,
  PipeType,
  type PipeMedia,
} from '../../src/pipe/packet.js';
import { PipeHost } from '../../src/pipe/PipeHost.js';
import { MAX_REASSEMBLIES, REASSEMBLY_TIMEOUT_MS, Reassembler } from '../../src/pipe/Reassembler.js';
import { SRTP_MATERIAL_BYTES, SrtpSession } from '../../src/pipe/SrtpSession.js';
import { UplinkPipe } from '../../src/pipe/UplinkPipe.js';
import { waitFor } from '../support/wait.js';

/** An RTP packet of `size` octets whose payload octets all differ from their neighbours. */
function rtp(seq: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  b[0] = 0x80;
  b[1] = 96;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(0x1234, 8);
  for (let i = 12; i < size; i++) b[i] = (i * 7 + seq) & 0xff;
  return b;
}

/** The datagrams a packet of `size` becomes, as a sender with fragments on encodes them. */
function pieces(mseq: number, p: Buffer, retransmission = false): PipeMedia[] {
  const count = fragmentCount(p.length);
  return Array.from(
    { length: count },
    (_, index) => decodePipe(encodeMedia(mseq + index, 7, mediaPacket(0, p, 123.5, true), retransmission, p, count > 1 ? { index, count } : null)) as PipeMedia,
  );
}

describe('pipe fragments: format', () => {
  it('splits a 1,500-MTU publisher packet into even pieces whose SRTP datagrams fit IPv6’s minimum MTU', () => {
    const [a] = [new SrtpSession(randomBytes(SRTP_MATERIAL_BYTES), randomBytes(SRTP_MATERIAL_BYTES))];
    expect(fragmentCount(MAX_WHOLE_RTP)).toBe(1);
    expect(fragmentCount(MAX_WHOLE_RTP + 1)).toBe(2);
    expect(fragmentCount(1300)).toBe(2);
    expect(fragmentCount(1472)).toBe(2); // 1,500 less IPv4 and UDP
    expect(fragmentCount(MAX_FRAGMENTED_RTP)).toBe(MAX_FRAGMENTS);
    for (const size of [MAX_WHOLE_RTP, 1300, 1472, MAX_FRAGMENTED_RTP]) {
      const p = rtp(1, size);
      const count = fragmentCount(size);
      const datagrams = Array.from({ length: count }, (_, index) =>
        a.protect(96, encodeMedia(index, 1, mediaPacket(0, p, 0, false), false, p, count > 1 ? { index, count } : null), 0),
      );
      for (const d of datagrams) expect(d.length).toBeLessThanOrEqual(MAX_PIPE_DATAGRAM);
      const parts = pieces(0, p);
      expect(parts.map((m) => m.fragment?.count ?? 1)).toEqual(Array(count).fill(count));
      expect(Buffer.concat(parts.map((m) => m.rtp)).equals(p)).toBe(true);
      if (count > 1) expect(Math.abs(parts[0]!.rtp.length - parts.at(-1)!.rtp.length)).toBeLessThanOrEqual(count);
    }
  });

  it('refuses pieces whose header lies: one piece, too many, an index past the count, an oversize piece', () => {
    const p = rtp(1, 1300);
    const piece = encodeMedia(0, 1, mediaPacket(0, p, 0, false), false, p, { index: 0, count: 2 });
    expect(decodePipe(piece)).toMatchObject({ type: PipeType.Media, fragment: { index: 0, count: 2 } });
    for (const [at, v] of [
      [18, 1],
      [18, MAX_FRAGMENTS + 1],
      [17, 2],
    ] as const) {
      const bad = Buffer.from(piece);
      bad[at] = v;
      expect(decodePipe(bad)).toBeNull();
    }
    const big = rtp(1, 2 * MAX_PIPE_DATAGRAM);
    expect(decodePipe(encodeMedia(0, 1, mediaPacket(0, big, 0, false), false, big, { index: 0, count: 2 }))).toBeNull();
    expect(decodePipe(piece.subarray(0, 19))).toBeNull(); // a piece with nothing in it
  });
});

describe('pipe fragments: Reassembler', () => {
  it('puts a packet together from pieces in any order, once, ignoring repeated pieces and late retransmissions', () => {
    const r = new Reassembler();
    const p = rtp(9, 3000);
    const [a, b, c] = pieces(65534, p); // numbers wrap: 65534, 65535, 0
    expect(r.push(c!, 0)).toBeNull();
    expect(r.push(a!, 0)).toBeNull();
    expect(r.push(a!, 0)).toBeNull();
    const whole = r.push(b!, 1)!;
    expect(whole).toMatchObject({ mseq: 65534, subId: 7, track: 0, captureMs: 123.5, keyframe: true, fragment: null });
    expect(whole.rtp.equals(p)).toBe(true);
    expect(r.push(pieces(65534, p, true)[1]!, 2)).toBeNull(); // a retransmission that crossed
    expect(r.dropped).toBe(0);
  });

  it('gives up on a packet whose pieces do not all come in time, or disagree, and holds a bounded number', () => {
    const drops: number[] = [];
    const r = new Reassembler((n) => drops.push(n));
    const [first] = pieces(100, rtp(1, 1300));
    r.push(first!, 0);
    r.expire(REASSEMBLY_TIMEOUT_MS - 1);
    expect(r.size).toBe(1);
    r.expire(REASSEMBLY_TIMEOUT_MS);
    expect(r.size).toBe(0);
    expect(r.dropped).toBe(1);
    // A piece claiming another count for the same packet: both go.
    r.push(pieces(200, rtp(2, 1300))[0]!, 0);
    const liar = pieces(200, rtp(2, 3000))[1]!;
    expect(r.push(liar, 0)).toBeNull();
    expect(r.dropped).toBe(2);
    // Never more than MAX_REASSEMBLIES packets at once.
    for (let i = 0; i < MAX_REASSEMBLIES + 10; i++) r.push(pieces(1000 + 2 * i, rtp(i, 1300))[0]!, 0);
    expect(r.size).toBe(MAX_REASSEMBLIES);
    expect(drops.reduce((s, n) => s + n, 0)).toBe(r.dropped);
  });
});

describe('pipe fragments: a link end to end', () => {
  const closers: Array<{ close(): unknown }> = [];
  afterEach(() => {
    for (const c of closers.splice(0).reverse()) c.close();
  });

  async function pipeHost(): Promise<PipeHost> {
    const h = new PipeHost({ listen: { host: '127.0.0.1', port: 0 }, counters: pipeCounters(new Metrics()), logger: silentLogger(), tickMs: 20 });
    await h.listen();
    closers.push(h);
    return h;
  }

  /** Two ends of one link: the frames each sends reach the other's pipe, keys from one secret. */
  function linkPair(): { parent: Link; child: Link; connect(up: UplinkPipe, down: DownlinkPipe): void } {
    const secret = randomBytes(16);
    const ends: Array<(f: Record<string, unknown>) => void> = [() => undefined, () => undefined];
    const make = (peerId: string, to: number): Link =>
      ({
        peerId,
        authenticated: true,
        rttMs: 1,
        localAddress: '127.0.0.1',
        remoteAddress: '127.0.0.1',
        send: (f: Record<string, unknown>) => (queueMicrotask(() => ends[to]!(f)), true),
        deriveKey: (label: string, n: number) => Buffer.from(hkdfSync('sha256', secret, 'salt', label, n)),
      }) as unknown as Link;
    return {
      parent: make('child', 1),
      child: make('parent', 0),
      connect(up, down) {
        ends[0] = (f) => down.onFrame(f as never);
        ends[1] = (f) => up.onFrame(f as never);
      },
    };
  }

  async function pipes(legacyChild = false) {
    const parentHost = await pipeHost();
    const childHost = await pipeHost();
    const { parent, child, connect } = linkPair();
    const history = new RtpHistory({ windowMs: 5000, maxBytes: 1 << 22 });
    const down = new DownlinkPipe({ host: parentHost, mode: 'udp', link: parent, logger: silentLogger(), history: () => history });
    const got: Array<{ subId: number; rtp: Buffer; captureMs: number; keyframe: boolean }> = [];
    const up = new UplinkPipe({
      host: childHost,
      mode: 'udp',
      logger: silentLogger(),
      deliver: (subId, p) => void got.push({ subId, rtp: Buffer.from(p.rtp), captureMs: p.captureMs, keyframe: p.keyframe }),
    });
    closers.push(down, up);
    // An older child offers no fragments: strip the field from its offer.
    connect(
      up,
      legacyChild
        ? ({
            onFrame: (f: { pipeOffer?: { fragments?: boolean } }) => (f.pipeOffer && delete f.pipeOffer.fragments, down.onFrame(f as never)),
          } as unknown as DownlinkPipe)
        : down,
    );
    up.attach(child, { pipe: true } as never);
    await waitFor(() => down.mediaPath === 'udp', 5000, 10, 'media on the pipe');
    return { parentHost, childHost, down, history, got };
  }

  const until = (cond: () => boolean, ms = 3000): Promise<void> => waitFor(cond, ms, 5);

  it('carries every packet up to a 1,500-MTU publisher packet (and beyond) on the pipe, whole, repairing lost pieces', async () => {
    const { parentHost, childHost, down, history, got } = await pipes();
    const sizes = [200, 1200, 1300, 1400, 1472, 3000, MAX_FRAGMENTED_RTP];
    // Every third datagram the parent sends is lost: pieces are NACKed and resent alone.
    parentHost.dropEvery = 3;
    const sent: Buffer[] = [];
    for (let i = 0; i < 30; i++) {
      const p = rtp(i, sizes[i % sizes.length]!);
      history.push(p, Date.now());
      sent.push(p);
      expect(down.sendMedia(5, mediaPacket(0, p, 1000 + i, i === 0))).toBe(true);
    }
    await until(() => new Set(got.map((g) => g.rtp.readUInt16BE(2))).size === sent.length);
    const bySeq = new Map(got.map((g) => [g.rtp.readUInt16BE(2), g]));
    for (const [i, p] of sent.entries()) {
      const g = bySeq.get(i)!;
      expect(g.rtp.equals(p), `packet ${i} of ${p.length} octets`).toBe(true);
      expect([g.subId, g.captureMs, g.keyframe]).toEqual([5, 1000 + i, i === 0]);
    }
    expect(parentHost.counters.retransmitted.get()).toBeGreaterThan(0);
    expect(childHost.counters.repaired.get()).toBeGreaterThan(0);
    // Too large even in pieces: the WebSocket carries it.
    expect(down.sendMedia(5, mediaPacket(0, rtp(99, MAX_FRAGMENTED_RTP + 1), 0, false))).toBe(false);
  });

  it('sends an older child (no PipeOffer.fragments) only what fits one datagram, as before', async () => {
    const { down, got } = await pipes(true);
    expect(down.sendMedia(5, mediaPacket(0, rtp(1, 1300), 0, false))).toBe(false);
    expect(down.sendMedia(5, mediaPacket(0, rtp(2, MAX_PIPE_PAYLOAD), 0, false))).toBe(true);
    await until(() => got.length === 1);
    expect(got[0]!.rtp.length).toBe(MAX_PIPE_PAYLOAD);
  });
});

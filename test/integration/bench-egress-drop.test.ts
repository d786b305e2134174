/**
 * The bench's `--egress-drop` rule (scripts/bench/egressDrop.ts): on `lo`'s egress it drops and
 * counts the RTP sent from the matched port but one in passOneIn, drops and counts RTCP apart
 * (RFC 5761 §4), and lets STUN and DTLS through; the table is gone after remove(). Real sockets
 * on 127.0.0.1; needs root and nft's egress hook (Linux ≥ 5.16), like the bench.
 */
import { createSocket, type Socket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EgressDrop, egressDropUnavailable } from '../../scripts/bench/egressDrop.js';
import { waitFor } from '../support/wait.js';

const why = egressDropUnavailable();
if (why && process.env.CI) throw new Error(`--egress-drop unavailable in CI: ${why}`);

const sockets: Socket[] = [];
let rule: EgressDrop | null = null;

afterEach(() => {
  rule?.remove();
  rule = null;
  for (const s of sockets.splice(0)) s.close();
});

async function bound(): Promise<Socket> {
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  // Room for a whole burst: what the rule lets through must not be lost to a full buffer.
  s.setRecvBufferSize(8 << 20);
  return s;
}

function datagram(first: number, second: number): Buffer {
  const b = Buffer.alloc(200, 0xab);
  b[0] = first;
  b[1] = second;
  return b;
}

async function sendAll(from: Socket, to: Socket, packets: Buffer[]): Promise<void> {
  const port = to.address().port;
  for (const [i, p] of packets.entries()) {
    await new Promise<void>((resolve, reject) => from.send(p, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    // Let the receiver read as it goes.
    if (i % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe.skipIf(why !== null)('bench --egress-drop rule', () => {
  it('drops RTP from the port but one in passOneIn, counts RTCP apart, passes STUN and DTLS', async () => {
    const server = await bound();
    const other = await bound();
    const viewer = await bound();
    const got = { rtp: 0, rtcp: 0, stun: 0, dtls: 0, other: 0 };
    viewer.on('message', (m: Buffer) => {
      if (m[0] === 0x00) got.stun++;
      else if (m[0] === 22) got.dtls++;
      else if ((m[1]! & 0x7f) >= 64 && (m[1]! & 0x7f) <= 95) got.rtcp++;
      else got.rtp++;
    });
    const port = server.address().port;
    rule = EgressDrop.install({ sports: [port, port], passOneIn: 16 });

    const N = 3200;
    // RTP (VP8 PT 96, with and without the marker bit), SRTCP SR (PT 200), STUN, a DTLS record.
    const rtp = Array.from({ length: N }, (_, i) => datagram(0x80, i % 2 ? 96 : 0x80 | 96));
    const rtcp = Array.from({ length: 100 }, () => datagram(0x80, 200));
    const stun = Array.from({ length: 50 }, () => datagram(0x00, 0x01));
    const dtls = Array.from({ length: 50 }, () => datagram(22, 0xfe));
    await sendAll(server, viewer, [...rtp, ...rtcp, ...stun, ...dtls]);
    // RTP from another port is not the server's: all of it passes.
    await sendAll(other, viewer, rtp.slice(0, 100));
    await waitFor(() => got.stun === 50 && got.dtls === 50 && got.rtp >= 100 + 1, 5000).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(got)}`);
    });

    expect(rule.counts().rtcp).toBe(100);
    expect(got.rtcp).toBe(0);
    // Every RTP datagram is either dropped and counted or delivered: none lost, none counted twice.
    await waitFor(() => rule!.counts().rtp + got.rtp - 100 === N, 5000, 50);
    // One in 16 at random: 200 expected of 3,200; far outside these bounds only if the rule is wrong.
    expect(got.rtp - 100).toBeGreaterThan(100);
    expect(got.rtp - 100).toBeLessThan(320);

    rule.remove();
    rule = null;
    expect(() => execFileSync('nft', ['list', 'table', 'netdev', 'canopy_bench_egress'], { stdio: 'pipe' })).toThrow();
  });
});

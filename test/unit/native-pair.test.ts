import { describe, expect, it } from 'vitest';
import { nativePair, offerCandidates } from '../../src/engine/nativePair.js';

const offer = [
  'v=0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=candidate:1 1 udp 2122260223 192.168.1.5 50000 typ host generation 0',
  'a=candidate:2 1 UDP 1686052607 203.0.113.9 61000 typ srflx raddr 192.168.1.5 rport 50000',
  'a=candidate:3 1 udp 41885439 198.51.100.7 3478 typ relay raddr 203.0.113.9 rport 61000',
  'a=candidate:4 1 tcp 1518280447 192.168.1.5 9 typ host tcptype active',
  '',
].join('\r\n');

describe('native selected pair (ICE-lite)', () => {
  const local = { address: '10.0.0.1', port: 40000 };
  const offered = offerCandidates(offer);

  it('types the nominated address by the offer candidate it matches (RFC 8445 §5.1.1)', () => {
    expect(nativePair(local, { address: '192.168.1.5', port: 50000 }, offered)).toEqual({
      local: { type: 'host', protocol: 'udp', address: '10.0.0.1', port: 40000 },
      remote: { type: 'host', protocol: 'udp', address: '192.168.1.5', port: 50000 },
    });
    expect(nativePair(local, { address: '203.0.113.9', port: 61000 }, offered).remote.type).toBe('srflx');
    expect(nativePair(local, { address: '198.51.100.7', port: 3478 }, offered).remote.type).toBe('relay');
  });

  it('calls an address the offer did not list peer-reflexive (RFC 8445 §7.3.1.3), also on another port or over TCP', () => {
    expect(nativePair(local, { address: '203.0.113.50', port: 1234 }, offered).remote.type).toBe('prflx');
    expect(nativePair(local, { address: '192.168.1.5', port: 50001 }, offered).remote.type).toBe('prflx');
    expect(offered.has('192.168.1.5|9')).toBe(false);
  });

  it('keeps at most 64 candidates of a hostile offer', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `a=candidate:${i} 1 udp 1 10.1.${i >> 8}.${i & 255} 5000 typ host`).join('\r\n');
    expect(offerCandidates(many).size).toBe(64);
  });
});

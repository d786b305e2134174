/**
 * A fake RtcEngine for unit tests of the sessions (ViewerSession, PublisherSession): no
 * sockets, no native code. Each peer records the track specs it answered with, exposes one
 * fake track per sending or receiving spec, and lets the test drive its state and packets.
 */
import type { EnginePeer, EngineTrack, PeerHandlers, PeerState, RtcEngine, TrackSpec } from '../../src/engine/engine.js';

export class FakeTrack implements EngineTrack {
  readonly sent: Uint8Array[] = [];
  open = true;
  constructor(
    readonly mid: string,
    readonly kind: 'audio' | 'video',
  ) {}
  send(packet: Uint8Array): boolean {
    this.sent.push(packet);
    return true;
  }
}

export class FakePeer implements EnginePeer {
  state: PeerState = 'new' as PeerState;
  tracks: FakeTrack[] = [];
  specs: TrackSpec[] = [];
  closed: { tellPeer?: boolean } | null = null;
  readonly localIce = null;
  constructor(
    readonly id: string,
    readonly handlers: PeerHandlers,
  ) {}
  async answer(_offer: string, specs: TrackSpec[]): Promise<string> {
    this.specs = specs;
    this.tracks = specs.filter((s) => s.direction !== 'inactive').map((s) => new FakeTrack(s.mid, s.kind));
    // One m-section per spec, so a session's additions to the answer (a=extmap...) show.
    const sections = specs.map((s) => `m=${s.kind} 9 UDP/TLS/RTP/SAVPF ${s.codec.payloadType}\r\na=mid:${s.mid}\r\n`);
    return `v=0\r\n(fake answer)\r\n${sections.join('')}`;
  }
  /** Drives the peer's state as the engine would report it. */
  setState(s: PeerState): void {
    this.state = s;
    this.handlers.onState?.(s);
  }
  receive(mid: string, packet: Buffer): void {
    this.handlers.onPacket?.(
      this.tracks.find((t) => t.mid === mid)!,
      packet,
    );
  }
  close(opts?: { tellPeer?: boolean }): void {
    this.closed = opts ?? {};
  }
}

export class FakeEngine implements RtcEngine {
  readonly peers: FakePeer[] = [];
  tombstoneCount = 0;
  createPeer(id: string, handlers: PeerHandlers): EnginePeer {
    const p = new FakePeer(id, handlers);
    this.peers.push(p);
    return p;
  }
  get peerCount(): number {
    return this.peers.filter((p) => !p.closed).length;
  }
  get liveTrackCount(): number {
    return 0;
  }
  bury(): void {}
  async close(): Promise<void> {}
}

/** A complete offer (ICE credentials, fingerprint) with a VP8 video and an opus audio m-line. */
export function fakeOffer(direction: 'recvonly' | 'sendonly', opts: { rtx?: boolean; twccExtId?: number } = {}): string {
  const twcc = (pt: number): string[] =>
    opts.twccExtId
      ? [`a=extmap:${opts.twccExtId} http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01`, `a=rtcp-fb:${pt} transport-cc`]
      : [];
  const lines = [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=ice-ufrag:abcd',
    'a=ice-pwd:abcdefghijklmnopqrstuvwx',
    'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
    'a=setup:actpass',
    `m=video 9 UDP/TLS/RTP/SAVPF 96${opts.rtx ? ' 97' : ''}`,
    'c=IN IP4 0.0.0.0',
    'a=mid:0',
    `a=${direction}`,
    'a=rtcp-mux',
    'a=rtpmap:96 VP8/90000',
    'a=rtcp-fb:96 nack',
    'a=rtcp-fb:96 nack pli',
    ...twcc(96),
    ...(opts.rtx ? ['a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96'] : []),
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=mid:1',
    `a=${direction}`,
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    ...twcc(111),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

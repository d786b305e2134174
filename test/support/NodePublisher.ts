/**
 * WHIP publisher for tests: node-datachannel offerer that replays a recorded RTP
 * fixture in real time to a WHIP endpoint (RFC 9725, non-trickle).
 *
 *   const pub = new NodePublisher({ url: `http://127.0.0.1:${port}/whip/live`, fixture: DEFAULT_FIXTURE });
 *   await pub.start();          // connected and sending; throws HttpStatusError on a non-201
 *   ...
 *   await pub.close();          // DELETE + close, idempotent
 *
 * Connection attempts that fail after a 201 (node-datachannel's DTLS race as an
 * offerer under load) are retried with a fresh PeerConnection and a fresh POST,
 * after a DELETE of the failed session. HTTP errors are not retried.
 *
 * Packets are sent as recorded, with the payload type rewritten to the one the
 * answer chose for the m-line, this publisher's SSRC per track, and sequence
 * numbers / timestamps continuous across fixture loops (FixturePlayer). Incoming
 * RTCP is inspected for keyframe requests (PLI/FIR), which are counted, and for generic
 * NACKs (RFC 4585 §6.2.1), answered from a history of the last packets sent, as RTX
 * (RFC 4588) when `rtx` negotiated it, else as the packet again.
 *
 * `loss` drops that share of the video packets' first sends (they never leave), so the
 * server sees them lost and can only get them back by asking.
 */
import nodeDataChannel, { type Audio, type PeerConnection, type Video } from 'node-datachannel';
import { FixturePlayer, fixtureTrack, readFixture, type Fixture, type FixtureTrack, type TrackKind } from './fixture.js';
import { isRtcp, isKeyframeRequest, makeRtx, nackedSequences, parseRtp, randomSsrc, rtpPayload, seededRandom, setPayloadType } from './rtp.js';
import {
  ConnectAttemptError,
  HttpStatusError,
  addManagedTrack,
  closePeer,
  createLoopbackPeer,
  deleteSession,
  postOffer,
  applyAnswer,
  parseSdpMedia,
  waitTracksOpen,
  type ManagedTrack,
} from './webrtc.js';

export interface NodePublisherOptions {
  /** Full WHIP endpoint URL, e.g. http://127.0.0.1:8080/whip/live */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A fixture or the path of one. */
  fixture: Fixture | string;
  /** Publish the fixture's audio track too (default true). */
  audio?: boolean;
  /** Per attempt: time allowed for the tracks to open after the answer (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Extra attempts after a failed connection (default 3). */
  retries?: number;
  /** Keep a copy of every sent RTP payload per kind, in sending order (default false). */
  keepPayloads?: boolean;
  /** Called for every PLI/FIR received. */
  onKeyframeRequest?: (kind: TrackKind) => void;
  /** PeerConnection name, for node-datachannel logs. */
  name?: string;
  /** Local address for ICE (default 127.0.0.1), e.g. a bridge address to reach other namespaces. */
  bindAddress?: string;
  /** Offer RTX for video and answer NACKs with it when the answer keeps it (default false). */
  rtx?: boolean;
  /** Share of video packets whose first send is dropped, 0..1 (default 0). */
  loss?: number;
  /** Seed of the loss pattern (default 1). */
  lossSeed?: number;
}

/** Packets kept per kind for answering NACKs (about 4 s of the default fixture's video). */
const HISTORY = 1024;
export const PUBLISHER_RTX_PT = 97;

interface OutTrack {
  fixtureTrack: FixtureTrack;
  kind: TrackKind;
  mid: string;
  ssrc: number;
  managed: ManagedTrack;
  /** Payload type chosen by the answer. */
  payloadType: number;
  /** RTX payload type kept by the answer, and our RTX SSRC and sequence number. */
  rtxPayloadType: number | null;
  rtxSsrc: number;
  rtxSeq: number;
  /** Sent packets by sequence number (slot = seq % HISTORY). */
  history: Array<Buffer | undefined>;
}

export class NodePublisher {
  readonly fixture: Fixture;
  /** Absolute URL of the WHIP session (resolved Location), once started. */
  sessionUrl: string | undefined;
  /** ETag of the session resource, if the server sent one. */
  etag: string | undefined;
  answerSdp: string | undefined;
  offerSdp: string | undefined;
  /** Connection attempts made by the last start(). */
  attempts = 0;
  /** Why earlier attempts failed (diagnostics for the DTLS-race retry). */
  readonly attemptErrors: string[] = [];
  /** RTP packets sent, by fixture track id. */
  readonly sent = new Map<number, number>();
  /** RTP bytes sent, by fixture track id. */
  readonly sentBytes = new Map<number, number>();
  /** sendMessageBinary calls that returned false or threw. */
  sendFailures = 0;
  /** PLI/FIR packets received, and when the last one came (Date.now(); 0: none yet). */
  keyframeRequests = 0;
  lastKeyframeRequestAt = 0;
  /** RTCP packets received (any type). */
  rtcpReceived = 0;
  /** Sent RTP payloads by kind (only with keepPayloads). */
  readonly sentPayloads: Record<TrackKind, Buffer[]> = { audio: [], video: [] };
  /** Share of video first sends dropped (from `loss`; may be changed, e.g. to 0 to let repair finish). */
  lossShare: number;
  /** Video packets whose first send was dropped (`loss`), by sequence number. */
  readonly lost = new Set<number>();
  /** Generic NACKs received, packets they asked for, and packets resent (as RTX when negotiated). */
  nacksReceived = 0;
  nackedPackets = 0;
  retransmitted = 0;
  /** Packets asked for that were no longer (or never) in our history. */
  nackMisses = 0;
  onKeyframeRequest: ((kind: TrackKind) => void) | undefined;

  private readonly opts: NodePublisherOptions;
  private readonly ssrcs: Record<TrackKind, number> = { video: randomSsrc(), audio: randomSsrc() };
  private pc: PeerConnection | undefined;
  private tracks: OutTrack[] = [];
  private player: FixturePlayer | undefined;
  private closing: Promise<void> | undefined;
  private readonly random: () => number;

  constructor(opts: NodePublisherOptions) {
    this.opts = opts;
    this.random = seededRandom(opts.lossSeed ?? 1);
    this.lossShare = opts.loss ?? 0;
    this.fixture = typeof opts.fixture === 'string' ? readFixture(opts.fixture) : opts.fixture;
    this.onKeyframeRequest = opts.onKeyframeRequest;
    if (!fixtureTrack(this.fixture, 'video')) throw new Error('fixture has no video track');
    if (opts.audio !== false && !fixtureTrack(this.fixture, 'audio')) throw new Error('fixture has no audio track');
  }

  /** SSRC this publisher sends with, per kind. */
  ssrc(kind: TrackKind): number {
    return this.ssrcs[kind];
  }

  /** Total packets sent for the fixture's first track of `kind`. */
  sentOf(kind: TrackKind): number {
    const t = fixtureTrack(this.fixture, kind);
    return t ? (this.sent.get(t.id) ?? 0) : 0;
  }

  async start(): Promise<void> {
    if (this.closing) throw new Error('publisher closed');
    if (this.pc) throw new Error('publisher already started');
    const retries = this.opts.retries ?? 3;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      this.attempts = attempt + 1;
      try {
        await this.connectOnce(attempt);
        break;
      } catch (e) {
        lastError = e;
        this.attemptErrors.push(String(e));
        await this.teardownAttempt();
        if (!(e instanceof ConnectAttemptError) || this.closing) throw e;
      }
    }
    if (!this.pc) throw new Error(`WHIP connection failed after ${this.attempts} attempts: ${(lastError as Error).message}`);
    this.startPlayer();
  }

  private async connectOnce(attempt: number): Promise<void> {
    const pc = createLoopbackPeer(`${this.opts.name ?? 'whip-pub'}-${attempt}`, this.opts.bindAddress);
    this.pc = pc;
    this.tracks = [];
    const kinds: TrackKind[] = this.opts.audio === false ? ['video'] : ['video', 'audio'];
    kinds.forEach((kind, i) => {
      const ft = fixtureTrack(this.fixture, kind)!;
      const mid = String(i);
      const media = kind === 'video' ? new nodeDataChannel.Video(mid, 'SendOnly') : new nodeDataChannel.Audio(mid, 'SendOnly');
      addCodec(kind, media, ft);
      media.addSSRC(this.ssrcs[kind], 'canopy-test', 'canopy-pub', `${kind}-${mid}`);
      const rtxSsrc = randomSsrc();
      if (kind === 'video' && this.opts.rtx) {
        media.addRTXCodec(PUBLISHER_RTX_PT, ft.payloadType, ft.clockRate);
        media.addSSRC(rtxSsrc, 'canopy-test');
        media.parseSdpLine(`a=ssrc-group:FID ${this.ssrcs[kind]} ${rtxSsrc}`);
      }
      const managed = addManagedTrack(pc, media, (msg) => this.onTrackMessage(kind, msg));
      this.tracks.push({
        fixtureTrack: ft,
        kind,
        mid,
        ssrc: this.ssrcs[kind],
        managed,
        payloadType: ft.payloadType,
        rtxPayloadType: null,
        rtxSsrc,
        rtxSeq: 1,
        history: new Array(HISTORY),
      });
    });
    const res = await postOffer(pc, this.opts.url, this.opts.token);
    this.offerSdp = res.offer;
    if (res.status !== 201) throw new HttpStatusError(res.status, res.body);
    this.sessionUrl = res.sessionUrl;
    this.etag = res.etag;
    this.answerSdp = res.body;

    const sections = parseSdpMedia(res.body);
    for (const t of this.tracks) {
      const s = sections.find((m) => m.mid === t.mid) ?? sections[Number(t.mid)];
      if (!s || s.port === 0 || s.formats.length === 0) throw new Error(`answer rejected the ${t.kind} m-line`);
      t.payloadType = s.formats[0]!;
      const rtx = [...s.rtpmap].find(([pt, m]) => m.codec.toLowerCase() === 'rtx' && new RegExp(`apt=${t.payloadType}\\b`).test(s.fmtp.get(pt) ?? ''));
      t.rtxPayloadType = this.opts.rtx && rtx ? rtx[0] : null;
    }
    applyAnswer(pc, res.body);
    await waitTracksOpen(
      pc,
      this.tracks.map((t) => t.managed),
      this.opts.connectTimeoutMs ?? 5000,
    );
  }

  /** Undo a failed attempt: DELETE its session, close its PC. */
  private async teardownAttempt(): Promise<void> {
    const url = this.sessionUrl;
    this.sessionUrl = undefined;
    await deleteSession(url, this.opts.token);
    if (this.pc)
      await closePeer(
        this.pc,
        this.tracks.map((t) => t.managed),
      );
    this.pc = undefined;
    this.tracks = [];
  }

  private startPlayer(): void {
    const byId = new Map(this.tracks.map((t) => [t.fixtureTrack.id, t]));
    const ssrc = new Map(this.tracks.map((t) => [t.fixtureTrack.id, t.ssrc]));
    this.player = new FixturePlayer({
      fixture: this.fixture,
      tracks: [...byId.keys()],
      ssrc,
      onPacket: (trackId, rtp) => {
        const t = byId.get(trackId);
        if (!t || this.closing) return;
        setPayloadType(rtp, t.payloadType);
        const seq = rtp.readUInt16BE(2);
        t.history[seq % HISTORY] = rtp;
        if (t.kind === 'video' && this.lossShare > 0 && this.random() < this.lossShare) {
          // Lost on the way: counted as sent, never seen by the server unless it asks.
          this.lost.add(seq);
          this.sent.set(trackId, (this.sent.get(trackId) ?? 0) + 1);
          if (this.opts.keepPayloads) this.sentPayloads[t.kind].push(Buffer.from(rtpPayload(rtp)));
          return;
        }
        let ok = false;
        try {
          ok = t.managed.track.sendMessageBinary(rtp);
        } catch {
          ok = false;
        }
        if (!ok) {
          this.sendFailures++;
          return;
        }
        this.sent.set(trackId, (this.sent.get(trackId) ?? 0) + 1);
        this.sentBytes.set(trackId, (this.sentBytes.get(trackId) ?? 0) + rtp.length);
        if (this.opts.keepPayloads) this.sentPayloads[t.kind].push(Buffer.from(rtpPayload(rtp)));
      },
    });
    this.player.start();
  }

  private onTrackMessage(kind: TrackKind, msg: Buffer): void {
    if (!isRtcp(msg)) return;
    this.rtcpReceived++;
    if (isKeyframeRequest(msg)) {
      this.keyframeRequests++;
      this.lastKeyframeRequestAt = Date.now();
      this.onKeyframeRequest?.(kind);
    }
    const t = this.tracks.find((x) => x.kind === kind);
    for (const nack of nackedSequences(msg)) {
      if (!t || nack.mediaSsrc !== t.ssrc) continue;
      this.nacksReceived++;
      this.nackedPackets += nack.seqs.length;
      for (const seq of nack.seqs) this.resend(t, seq);
    }
  }

  private resend(t: OutTrack, seq: number): void {
    const pkt = t.history[seq % HISTORY];
    if (!pkt || parseRtp(pkt).sequenceNumber !== seq || this.closing) {
      this.nackMisses++;
      return;
    }
    const out = t.rtxPayloadType !== null ? makeRtx(pkt, t.rtxSsrc, t.rtxPayloadType, t.rtxSeq) : pkt;
    try {
      if (!t.managed.track.sendMessageBinary(out)) return;
    } catch {
      return;
    }
    if (t.rtxPayloadType !== null) t.rtxSeq = (t.rtxSeq + 1) & 0xffff;
    this.retransmitted++;
  }

  /** DELETE the session and close everything; idempotent (returns the same promise). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.player?.close();
      await deleteSession(this.sessionUrl, this.opts.token);
      if (this.pc)
        await closePeer(
          this.pc,
          this.tracks.map((t) => t.managed),
        );
    })();
    return this.closing;
  }
}

function addCodec(kind: TrackKind, media: Video | Audio, t: FixtureTrack): void {
  const fmtp = t.fmtp ? t.fmtp : undefined;
  if (kind === 'video') {
    const v = media as Video;
    switch (t.codec.toUpperCase()) {
      case 'VP8':
        v.addVP8Codec(t.payloadType);
        return;
      case 'AV1':
        v.addAV1Codec(t.payloadType);
        return;
      case 'H264':
        v.addH264Codec(t.payloadType, fmtp ?? 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1');
        return;
      default:
        v.addVideoCodec(t.payloadType, t.codec, fmtp);
        return;
    }
  }
  const a = media as Audio;
  if (t.codec.toLowerCase() === 'opus') a.addOpusCodec(t.payloadType, fmtp);
  else a.addAudioCodec(t.payloadType, t.codec, fmtp);
}

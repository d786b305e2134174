/**
 * WHEP viewer for tests: node-datachannel offerer with recvonly audio + video
 * m-lines (non-trickle) that records what it receives.
 *
 *   const v = new NodeViewer({ url: `http://127.0.0.1:${port}/whep/live`, keepPayloads: true });
 *   const { status } = await v.start();   // 201 once connected; other statuses are returned, not thrown
 *   await v.waitFor(() => v.video.keyframes > 0, 5000);
 *   await v.close();                      // DELETE + close, idempotent
 *
 * Offer: video mid 0 with VP8/90000 PT 96 and H264/90000 PT 102
 * (packetization-mode=1), audio mid 1 with opus/48000/2 PT 111.
 *
 * A connection that fails after a 201 (node-datachannel's DTLS race as an
 * offerer) is retried with a fresh PeerConnection and POST, after a DELETE of the
 * failed session. A non-201 status is returned without retrying.
 *
 * Times (`startedAt`, `firstPacketAt`, ...) are performance.now() milliseconds.
 */
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import { performance } from 'node:perf_hooks';
import { isKeyframe } from './keyframe.js';
import { buildPli, isRtcp, parseRtp, randomSsrc, seqDiff } from './rtp.js';
import {
  ConnectAttemptError,
  addManagedTrack,
  closePeer,
  createLoopbackPeer,
  deleteSession,
  postOffer,
  applyAnswer,
  parseSdpMedia,
  waitFor,
  waitTracksOpen,
  type ManagedTrack,
  type SdpMediaSection,
} from './webrtc.js';

export type MediaKind = 'audio' | 'video';

export const VIEWER_VP8_PT = 96;
export const VIEWER_H264_PT = 102;
export const VIEWER_OPUS_PT = 111;

export interface NodeViewerOptions {
  /** Full WHEP endpoint URL, e.g. http://127.0.0.1:8081/whep/live */
  url: string;
  token?: string;
  /** Offer an audio m-line (default true). */
  audio?: boolean;
  /** Keep every received RTP payload (after the header), per kind (default false). */
  keepPayloads?: boolean;
  /** Per attempt: time allowed for the tracks to open after the answer (default 5000 ms). */
  connectTimeoutMs?: number;
  /** Extra attempts after a failed connection (default 3). */
  retries?: number;
  name?: string;
  /** Local address for ICE (default 127.0.0.1), e.g. a bridge address to reach other namespaces. */
  bindAddress?: string;
}

export interface ReceivedMedia {
  /** RTP packets received. */
  packets: number;
  /** RTP bytes received (headers included). */
  bytes: number;
  /** RTP payload bytes received. */
  payloadBytes: number;
  payloadTypes: Set<number>;
  ssrcs: Set<number>;
  /** Sequence numbers in arrival order. */
  sequenceNumbers: number[];
  /** RTP timestamps in arrival order. */
  timestamps: number[];
  /** Packets with the marker bit. */
  markers: number;
  /** Packets for which isKeyframe() holds (video: one per VP8 keyframe). */
  keyframes: number;
  firstPacketAt: number | undefined;
  firstKeyframeAt: number | undefined;
  lastPacketAt: number | undefined;
  /** Payloads (after the RTP header, without padding); only with keepPayloads. */
  payloads: Buffer[];
  /** RTCP packets received on this m-line (e.g. sender reports). */
  rtcpPackets: number;
  /** Packets that were neither RTCP nor parseable RTP. */
  malformed: number;
  /** SSRC of the most recent packet. */
  lastSsrc: number | undefined;
}

function emptyMedia(): ReceivedMedia {
  return {
    packets: 0,
    bytes: 0,
    payloadBytes: 0,
    payloadTypes: new Set(),
    ssrcs: new Set(),
    sequenceNumbers: [],
    timestamps: [],
    markers: 0,
    keyframes: 0,
    firstPacketAt: undefined,
    firstKeyframeAt: undefined,
    lastPacketAt: undefined,
    payloads: [],
    rtcpPackets: 0,
    malformed: 0,
    lastSsrc: undefined,
  };
}

/** Number of sequence number steps other than +1 (mod 2^16): losses, duplicates, reordering. */
export function sequenceDiscontinuities(seqs: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < seqs.length; i++) if (seqDiff(seqs[i]!, seqs[i - 1]!) !== 1) n++;
  return n;
}

interface InTrack {
  kind: MediaKind;
  mid: string;
  managed: ManagedTrack;
}

export class NodeViewer {
  /** HTTP status of the last POST. */
  status: number | undefined;
  sessionUrl: string | undefined;
  etag: string | undefined;
  answerSdp: string | undefined;
  offerSdp: string | undefined;
  /** Connection attempts made by start(). */
  attempts = 0;
  /** Why earlier attempts failed (diagnostics for the DTLS-race retry). */
  readonly attemptErrors: string[] = [];
  /** performance.now() when start() was called. */
  startedAt: number | undefined;
  /** performance.now() when the tracks opened. */
  connectedAt: number | undefined;
  readonly media: Record<MediaKind, ReceivedMedia> = { audio: emptyMedia(), video: emptyMedia() };
  /** Our SSRC, used as the sender SSRC of the RTCP we send. */
  readonly ownSsrc = randomSsrc();
  /** PLIs sent by requestKeyframe(). */
  pliSent = 0;

  private readonly opts: NodeViewerOptions;
  private pc: PeerConnection | undefined;
  private tracks: InTrack[] = [];
  /** Payload type -> codec name, from the answer's video section. */
  private videoCodecs = new Map<number, string>();
  private closing: Promise<void> | undefined;

  constructor(opts: NodeViewerOptions) {
    this.opts = opts;
  }

  get video(): ReceivedMedia {
    return this.media.video;
  }

  get audio(): ReceivedMedia {
    return this.media.audio;
  }

  /** The answer's media sections (after a 201). */
  answerMedia(): SdpMediaSection[] {
    return this.answerSdp ? parseSdpMedia(this.answerSdp) : [];
  }

  /**
   * POST the offer. Resolves with the status and body: a 201 once the tracks are
   * open, any other status immediately. Throws only on network errors or if every
   * connection attempt failed after a 201.
   */
  async start(): Promise<{ status: number; body: string }> {
    if (this.closing) throw new Error('viewer closed');
    if (this.pc || this.startedAt !== undefined) throw new Error('viewer already started');
    this.startedAt = performance.now();
    const retries = this.opts.retries ?? 3;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      this.attempts = attempt + 1;
      try {
        const r = await this.connectOnce(attempt);
        if (r.status !== 201) await this.teardownAttempt();
        else this.connectedAt = performance.now();
        return r;
      } catch (e) {
        lastError = e;
        this.attemptErrors.push(String(e));
        await this.teardownAttempt();
        if (!(e instanceof ConnectAttemptError) || this.closing) throw e;
      }
    }
    throw new Error(`WHEP connection failed after ${this.attempts} attempts: ${(lastError as Error).message}`);
  }

  private async connectOnce(attempt: number): Promise<{ status: number; body: string }> {
    const pc = createLoopbackPeer(`${this.opts.name ?? 'whep-view'}-${attempt}`, this.opts.bindAddress);
    this.pc = pc;
    this.tracks = [];
    const video = new nodeDataChannel.Video('0', 'RecvOnly');
    video.addVP8Codec(VIEWER_VP8_PT);
    video.addH264Codec(VIEWER_H264_PT, 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1');
    this.tracks.push({ kind: 'video', mid: '0', managed: addManagedTrack(pc, video, (m) => this.onMessage('video', m)) });
    if (this.opts.audio !== false) {
      const audio = new nodeDataChannel.Audio('1', 'RecvOnly');
      audio.addOpusCodec(VIEWER_OPUS_PT);
      this.tracks.push({ kind: 'audio', mid: '1', managed: addManagedTrack(pc, audio, (m) => this.onMessage('audio', m)) });
    }
    const res = await postOffer(pc, this.opts.url, this.opts.token);
    this.offerSdp = res.offer;
    this.status = res.status;
    if (res.status !== 201) return { status: res.status, body: res.body };
    this.sessionUrl = res.sessionUrl;
    this.etag = res.etag;
    this.answerSdp = res.body;
    this.videoCodecs = new Map();
    for (const s of parseSdpMedia(res.body)) {
      if (s.kind !== 'video') continue;
      for (const [pt, m] of s.rtpmap) this.videoCodecs.set(pt, m.codec);
    }
    applyAnswer(pc, res.body);
    // Tracks whose m-line the answer rejected never open: wait only for accepted ones.
    const sections = parseSdpMedia(res.body);
    const accepted = this.tracks.filter((t) => {
      const s = sections.find((m) => m.mid === t.mid) ?? sections[Number(t.mid)];
      return s !== undefined && s.port !== 0 && s.direction !== 'inactive';
    });
    await waitTracksOpen(pc, accepted.map((t) => t.managed), this.opts.connectTimeoutMs ?? 5000);
    return { status: res.status, body: res.body };
  }

  private async teardownAttempt(): Promise<void> {
    const url = this.sessionUrl;
    this.sessionUrl = undefined;
    await deleteSession(url, this.opts.token);
    if (this.pc) await closePeer(this.pc, this.tracks.map((t) => t.managed));
    this.pc = undefined;
    this.tracks = [];
  }

  private onMessage(kind: MediaKind, msg: Buffer): void {
    const m = this.media[kind];
    if (isRtcp(msg)) {
      m.rtcpPackets++;
      return;
    }
    let h;
    try {
      h = parseRtp(msg);
    } catch {
      m.malformed++;
      return;
    }
    const now = performance.now();
    m.packets++;
    m.bytes += msg.length;
    m.payloadBytes += h.payloadLength;
    m.payloadTypes.add(h.payloadType);
    m.ssrcs.add(h.ssrc);
    m.lastSsrc = h.ssrc;
    m.sequenceNumbers.push(h.sequenceNumber);
    m.timestamps.push(h.timestamp);
    if (h.marker) m.markers++;
    m.firstPacketAt ??= now;
    m.lastPacketAt = now;
    if (kind === 'video') {
      const codec = this.videoCodecs.get(h.payloadType);
      if (codec && isKeyframe(codec, msg)) {
        m.keyframes++;
        m.firstKeyframeAt ??= now;
      }
    }
    if (this.opts.keepPayloads) m.payloads.push(Buffer.from(msg.subarray(h.headerLength, h.headerLength + h.payloadLength)));
  }

  /** Sequence number steps other than +1 seen on `kind`. */
  discontinuities(kind: MediaKind): number {
    return sequenceDiscontinuities(this.media[kind].sequenceNumbers);
  }

  /**
   * Send an RTCP PLI on the video m-line: sender SSRC = ownSsrc, media SSRC = the
   * most recently seen video SSRC (0 if none yet). Returns sendMessageBinary's result.
   */
  requestKeyframe(): boolean {
    const t = this.tracks.find((x) => x.kind === 'video');
    if (!t || this.closing) return false;
    const mediaSsrc = this.video.lastSsrc ?? 0;
    let ok = false;
    try {
      ok = t.managed.track.sendMessageBinary(buildPli(this.ownSsrc, mediaSsrc));
    } catch {
      ok = false;
    }
    if (ok) this.pliSent++;
    return ok;
  }

  /** Poll `predicate` every 10 ms; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, message?: string): Promise<void> {
    return waitFor(predicate, timeoutMs, 10, message);
  }

  /** DELETE the session and close everything; idempotent (returns the same promise). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await deleteSession(this.sessionUrl, this.opts.token);
      if (this.pc) await closePeer(this.pc, this.tracks.map((t) => t.managed));
    })();
    return this.closing;
  }
}

export { waitFor };

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
 *
 * Loss and repair (`drop`, `nack`, `rtx`): the viewer can drop a share of the video packets
 * that arrive (after SRTP, so a plain retransmission of a dropped packet would be rejected as
 * a replay: use `rtx`), ask for the missing ones with generic NACKs (RFC 4585 §6.2.1), decode
 * RTX (RFC 4588), and, like a decoder, ask for a keyframe (PLI) when it gives up on a packet.
 * `repair` counts it all.
 */
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import { performance } from 'node:perf_hooks';
import { isKeyframe } from './keyframe.js';
import { buildNack, buildPli, isRtcp, openRtx, parseRtp, randomSsrc, seededRandom, seqDiff } from './rtp.js';
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
export const VIEWER_VP8_RTX_PT = 97;
export const VIEWER_H264_RTX_PT = 103;
/** Offered only with the av1 option. */
export const VIEWER_AV1_PT = 45;

/** Retries of a NACK, and when the viewer gives up on a packet (and asks for a keyframe). */
const NACK_RETRY_MS = 50;
const NACK_TRIES = 6;
const NACK_GIVE_UP_MS = 1000;
const NACK_TICK_MS = 10;

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
  /** Offer RTX for the video codecs and decode it (default false). */
  rtx?: boolean;
  /** Offer AV1 (PT 45) before VP8 and H.264 (default false). */
  av1?: boolean;
  /** Share of arriving video packets (RTX included) to drop, 0..1 (default 0). */
  drop?: number;
  /** Seed of the drop pattern (default 1). */
  dropSeed?: number;
  /** Ask for missing video packets with generic NACKs; PLI when giving up on one (default false). */
  nack?: boolean;
}

/** What the viewer lost and got back (video). */
export interface RepairStats {
  /** Media packets (not RTX) dropped on arrival. */
  dropped: number;
  /** Dropped media packets that arrived again later (by RTX or retransmission). */
  recovered: number;
  /** RTX packets received (dropped ones excluded), and those carrying nothing new. */
  rtxReceived: number;
  duplicates: number;
  nacksSent: number;
  nackedPackets: number;
  /** Missing packets given up on. */
  gaveUp: number;
  /** PLIs sent because a packet could not be repaired. */
  lossPlis: number;
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
  /** PLIs sent by requestKeyframe() (the loss PLIs included). */
  pliSent = 0;
  /** Share of arriving video packets dropped (from `drop`; may be changed, e.g. to 0 to let repair finish). */
  dropShare: number;
  readonly repair: RepairStats = { dropped: 0, recovered: 0, rtxReceived: 0, duplicates: 0, nacksSent: 0, nackedPackets: 0, gaveUp: 0, lossPlis: 0 };

  private readonly opts: NodeViewerOptions;
  private pc: PeerConnection | undefined;
  private tracks: InTrack[] = [];
  /** Payload type -> codec name, from the answer's video section. */
  private videoCodecs = new Map<number, string>();
  private closing: Promise<void> | undefined;
  /** RTX payload type → media payload type, from the answer. */
  private rtxApt = new Map<number, number>();
  private readonly random: () => number;
  private readonly droppedSeqs = new Set<number>();
  /** Video sequence numbers seen (a window for duplicate detection) and the newest. */
  private readonly seen = new Set<number>();
  private highestSeq = -1;
  private readonly missing = new Map<number, { since: number; lastNack: number; tries: number }>();
  private nackTimer: NodeJS.Timeout | undefined;

  constructor(opts: NodeViewerOptions) {
    this.opts = opts;
    this.random = seededRandom(opts.dropSeed ?? 1);
    this.dropShare = opts.drop ?? 0;
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
    if (this.opts.av1) video.addAV1Codec(VIEWER_AV1_PT);
    video.addVP8Codec(VIEWER_VP8_PT);
    video.addH264Codec(VIEWER_H264_PT, 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1');
    if (this.opts.rtx) {
      video.addRTXCodec(VIEWER_VP8_RTX_PT, VIEWER_VP8_PT, 90000);
      video.addRTXCodec(VIEWER_H264_RTX_PT, VIEWER_H264_PT, 90000);
    }
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
    this.rtxApt = new Map();
    for (const s of parseSdpMedia(res.body)) {
      if (s.kind !== 'video') continue;
      for (const [pt, m] of s.rtpmap) {
        if (m.codec.toLowerCase() !== 'rtx') this.videoCodecs.set(pt, m.codec);
        const apt = /(?:^|;)\s*apt=(\d+)/.exec(s.fmtp.get(pt) ?? '');
        if (m.codec.toLowerCase() === 'rtx' && apt) this.rtxApt.set(pt, Number(apt[1]));
      }
    }
    applyAnswer(pc, res.body);
    // Tracks whose m-line the answer rejected never open: wait only for accepted ones.
    const sections = parseSdpMedia(res.body);
    const accepted = this.tracks.filter((t) => {
      const s = sections.find((m) => m.mid === t.mid) ?? sections[Number(t.mid)];
      return s !== undefined && s.port !== 0 && s.direction !== 'inactive';
    });
    await waitTracksOpen(
      pc,
      accepted.map((t) => t.managed),
      this.opts.connectTimeoutMs ?? 5000,
    );
    if (this.opts.nack) this.nackTimer ??= setInterval(() => this.nackTick(), NACK_TICK_MS);
    return { status: res.status, body: res.body };
  }

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

  private onMessage(kind: MediaKind, raw: Buffer): void {
    const m = this.media[kind];
    if (isRtcp(raw)) {
      m.rtcpPackets++;
      return;
    }
    let h;
    let msg = raw;
    try {
      h = parseRtp(msg);
    } catch {
      m.malformed++;
      return;
    }
    if (kind === 'video') {
      if (this.dropShare > 0 && this.random() < this.dropShare) {
        if (!this.rtxApt.has(h.payloadType)) {
          this.repair.dropped++;
          this.droppedSeqs.add(h.sequenceNumber);
        }
        // The packet still shows the stream moved on: a real receiver sees the next one.
        return;
      }
      const apt = this.rtxApt.get(h.payloadType);
      if (apt !== undefined) {
        const opened = this.video.lastSsrc !== undefined ? openRtx(msg, this.video.lastSsrc, apt) : null;
        if (!opened) return;
        this.repair.rtxReceived++;
        msg = opened;
        h = parseRtp(msg);
      }
      if (!this.trackArrival(h.sequenceNumber)) {
        this.repair.duplicates++;
        return;
      }
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

  /**
   * Notes a video sequence number: false for a duplicate. New gaps are NACKed at once (with
   * `nack`); a packet that fills one ends its NACKs.
   */
  private trackArrival(seq: number): boolean {
    if (this.seen.has(seq)) return false;
    this.seen.add(seq);
    if (this.seen.size > 4096) this.seen.delete(this.seen.values().next().value!);
    if (this.droppedSeqs.delete(seq)) this.repair.recovered++;
    this.missing.delete(seq);
    if (this.highestSeq < 0) {
      this.highestSeq = seq;
      return true;
    }
    const d = seqDiff(seq, this.highestSeq);
    if (d === 0 || d >= 0x8000) return true; // older: a late or repaired packet
    if (this.opts.nack) {
      const now = performance.now();
      for (let i = 1; i < d && i <= 512; i++) this.missing.set((this.highestSeq + i) & 0xffff, { since: now, lastNack: -Infinity, tries: 0 });
    }
    this.highestSeq = seq;
    if (this.opts.nack && d > 1) this.nackTick();
    return true;
  }

  /** Sends the NACKs that are due and gives up on hopeless packets (a PLI, as a decoder would). */
  private nackTick(): void {
    const t = this.tracks.find((x) => x.kind === 'video');
    if (!t || this.closing || this.video.lastSsrc === undefined) return;
    const now = performance.now();
    const due: number[] = [];
    let gaveUp = 0;
    for (const [seq, e] of this.missing) {
      if (now - e.since > NACK_GIVE_UP_MS || (e.tries >= NACK_TRIES && now - e.lastNack >= NACK_RETRY_MS)) {
        this.missing.delete(seq);
        gaveUp++;
      } else if (now - e.lastNack >= NACK_RETRY_MS) {
        e.lastNack = now;
        e.tries++;
        due.push(seq);
      }
    }
    if (due.length > 0) {
      try {
        if (t.managed.track.sendMessageBinary(buildNack(this.ownSsrc, this.video.lastSsrc, due))) {
          this.repair.nacksSent++;
          this.repair.nackedPackets += due.length;
        }
      } catch {
        // closed meanwhile
      }
    }
    if (gaveUp > 0) {
      this.repair.gaveUp += gaveUp;
      if (this.requestKeyframe()) this.repair.lossPlis++;
    }
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

  /** Sends an RTCP packet (e.g. a REMB) on the video m-line; sendMessageBinary's result. */
  sendRtcp(packet: Uint8Array): boolean {
    const t = this.tracks.find((x) => x.kind === 'video');
    if (!t || this.closing) return false;
    try {
      return t.managed.track.sendMessageBinary(Buffer.from(packet));
    } catch {
      return false;
    }
  }

  /** Poll `predicate` every 10 ms; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, message?: string): Promise<void> {
    return waitFor(predicate, timeoutMs, 10, message);
  }

  /** DELETE the session and close everything; idempotent (returns the same promise). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.nackTimer) clearInterval(this.nackTimer);
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

export { waitFor };

import { EventEmitter } from 'node:events';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { videoConfig } from '../mux/codecConfig.js';
import { depacketizerFor, type AccessUnit, type Depacketizer } from '../mux/depacketize.js';
import { Fmp4Muxer } from '../mux/Fmp4Muxer.js';
import type { MediaPacket } from '../media/MediaPacket.js';
import type { StreamConsumer, StreamInfo, TrackInfo } from '../media/types.js';

/** Segment and part timing (docs/hls.md). One table: the playlist and the cutter read it. */
export interface HlsTiming {
  /** A segment ends at the first keyframe after this long (the origin asks for one every 2 s). */
  segmentMinS: number;
  /** EXT-X-TARGETDURATION; a segment with no keyframe by then is cut anyway (not independent). */
  targetDurationS: number;
  /**
   * EXT-X-PART-INF PART-TARGET; a part ends before the first frame at or past partMinS from its
   * start, so a part lasts partMinS plus less than one frame interval: ≤ PART-TARGET down to
   * 1 / (partTargetS − partMinS) frames per second (10 fps).
   */
  partTargetS: number;
  partMinS: number;
  /**
   * EXT-X-SERVER-CONTROL PART-HOLD-BACK: how far behind the live edge players start. RFC 8216bis
   * §4.4.3.8: at least twice PART-TARGET, and it SHOULD be at least three times; we use three.
   */
  partHoldBackS: number;
  /** Complete segments a live playlist lists; parts are listed for the newest partSegments of them. */
  windowSegments: number;
  partSegments: number;
}

export const HLS_TIMING: HlsTiming = {
  segmentMinS: 1.5,
  targetDurationS: 3,
  partTargetS: 0.3,
  partMinS: 0.2,
  partHoldBackS: 0.9,
  windowSegments: 6,
  partSegments: 3,
};

/** An EVENT playlist (time-shift) keeps every segment listed, and the bytes of the newest ones within this. */
export const EVENT_MAX_BYTES = 256 * 1024 * 1024;

export interface Part {
  index: number;
  durationS: number;
  independent: boolean;
  bytes: Uint8Array | null;
}

export interface Segment {
  msn: number;
  /** Epoch ms of its first sample (EXT-X-PROGRAM-DATE-TIME). */
  dateMs: number;
  durationS: number;
  parts: Part[];
  complete: boolean;
  independent: boolean;
}

interface Pending {
  au: AccessUnit;
  t: number;
}

/**
 * Packages one feed's RTP into LL-HLS (RFC 8216bis): fMP4 parts (a moof+mdat each) of
 * ~partTargetS, grouped into segments that start at video keyframes. It is a feed consumer like
 * a WebRTC viewer; it transcodes nothing. Media times come from each track's RTP timestamps,
 * anchored at the capture time (the origin's clock) of the track's first frame, so audio and
 * video stay in sync as they do for WebRTC viewers (sender reports map both to that clock).
 *
 * Events: 'part' (a part or segment was added), 'end' (the feed ended).
 */
export class HlsPackager extends EventEmitter implements StreamConsumer {
  readonly kind = 'viewer' as const;
  /** A rendition of one simulcast layer chooses its layer (its session holds it in LayerDemand); otherwise the feed holds the top one for it. */
  readonly layerAware: boolean;
  readonly segments: Segment[] = [];
  /** Media sequence number of the first segment ever made; continues across packager runs (see HlsServer). */
  ended = false;
  endReason = '';
  closed = false;
  private readonly muxer: Fmp4Muxer;
  private readonly video: TrackInfo | null;
  private readonly audio: TrackInfo | null;
  private readonly vDepay: Depacketizer | null;
  private readonly aDepay: Depacketizer | null;
  private readonly anchors = new Map<number, { captureMs: number; ts: number }>();
  private epochMs: number | null = null;
  private pendingVideo: Pending | null = null;
  private pendingAudio: Pending | null = null;
  private chain: Promise<void> = Promise.resolve();
  private partStart: number | null = null;
  private partIndependent = false;
  private segStart: number | null = null;
  private cur: Segment | null = null;
  private nextMsn: number;
  private bytesHeld = 0;
  /** The first video keyframe came with parameters the muxer could read. */
  private videoReady = false;
  /** Its time: audio before it is dropped (the first part starts with a picture). */
  private firstVideoT = 0;
  private videoCodec = '';
  /** The picture size of the first keyframe (EXT-X-STREAM-INF RESOLUTION); 0 before it. */
  width = 0;
  height = 0;
  /** An audio frame went into the muxer: the init segment (written at the first part) has an audio track. */
  private audioMuxed = false;
  /** No audio came before the first part had to be cut: this run is video only (its init has no audio track). */
  private audioOff = false;
  codecs = '';

  constructor(
    readonly info: StreamInfo,
    private readonly opts: { timing: HlsTiming; firstMsn: number; event: boolean; logger: Logger; videoTrack?: number },
  ) {
    super();
    // Every blocked request (a playlist reload, a hinted part) listens for the next part.
    this.setMaxListeners(0);
    // The layer's track (a rendition per simulcast layer), else the first video track (the top layer).
    this.layerAware = opts.videoTrack !== undefined;
    this.video = info.tracks.find((t) => t.kind === 'video' && (opts.videoTrack === undefined || t.id === opts.videoTrack)) ?? null;
    this.audio = info.tracks.find((t) => t.kind === 'audio' && t.codec.toLowerCase() === 'opus') ?? null;
    this.vDepay = this.video ? depacketizerFor(this.video.codec) : null;
    this.aDepay = this.audio ? depacketizerFor(this.audio.codec) : null;
    this.nextMsn = opts.firstMsn;
    this.muxer = new Fmp4Muxer({
      video: this.video && this.vDepay ? { codec: this.video.codec } : null,
      audio: this.audio ? { codec: 'opus', channels: this.audio.channels, sampleRate: this.audio.clockRate } : null,
    });
  }

  get timing(): HlsTiming {
    return this.opts.timing;
  }

  get init(): Uint8Array | null {
    return this.muxer.init;
  }

  /** The segment being filled (its parts so far), if any. */
  get current(): Segment | null {
    return this.cur;
  }

  private packets = 0;
  private videoFrames = 0;

  onPacket(p: MediaPacket): void {
    this.take(p.track, p.rtp, p.captureMs);
  }

  private take(track: number, rtp: Uint8Array, captureMs: number): void {
    if (this.closed || this.ended) return;
    this.packets++;
    try {
      if (this.video && track === this.video.id && this.vDepay) for (const au of this.vDepay.push(rtp)) this.onVideo(au, captureMs);
      else if (this.audio && track === this.audio.id && this.aDepay) for (const au of this.aDepay.push(rtp)) this.onAudio(au, captureMs);
    } catch (err) {
      this.opts.logger.warn({ err }, 'hls: packet dropped');
    }
  }

  onEnded(_code: ErrorCode, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.endReason = reason;
    this.enqueue(async () => {
      await this.cutPart(true);
      this.emit('end', reason);
    });
  }

  /** Seconds on the packager's clock of a frame (0 = the first packet's capture time). */
  private time(track: TrackInfo, au: AccessUnit, captureMs: number): number {
    this.epochMs ??= captureMs;
    let a = this.anchors.get(track.id);
    if (!a) this.anchors.set(track.id, (a = { captureMs, ts: au.timestamp }));
    return (a.captureMs - this.epochMs) / 1000 + (au.timestamp - a.ts) / track.clockRate;
  }

  private onVideo(au: AccessUnit, captureMs: number): void {
    this.videoFrames++;
    const t = this.time(this.video!, au, captureMs);
    const prev = this.pendingVideo;
    this.pendingVideo = { au, t };
    if (!prev) return;
    // A frame's duration is known when the next one comes: the muxer gets each one frame late.
    // The part before this frame is complete now, so it is cut at once (not when a later
    // frame comes): players waiting on its preload hint get it one frame sooner.
    const dur = Math.max(t - prev.t, 0.001);
    this.enqueue(async () => {
      await this.addVideo(prev, dur);
      if (this.videoReady && this.partStart !== null && !this.closed) await this.cutBefore(t, au.keyframe);
    });
  }

  private onAudio(au: AccessUnit, captureMs: number): void {
    const t = this.time(this.audio!, au, captureMs);
    const prev = this.pendingAudio;
    this.pendingAudio = { au, t };
    if (!prev) return;
    const dur = Math.max(t - prev.t, 0.001);
    this.enqueue(() => this.addAudio(prev, dur));
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => {
      if (!this.closed) this.opts.logger.warn({ err }, 'hls: muxing failed');
    });
  }

  private async addVideo(p: Pending, dur: number): Promise<void> {
    if (this.closed) return;
    if (!this.videoReady) {
      const cfg = p.au.keyframe ? videoConfig(this.video!.codec, p.au.data) : null;
      if (!cfg) return; // nothing before the first keyframe whose parameters we can read
      this.videoReady = true;
      this.videoCodec = cfg.codec;
      this.width = cfg.width;
      this.height = cfg.height;
      this.firstVideoT = p.t;
      await this.muxer.addVideo(p.au.data, true, p.t, dur, cfg);
      this.startPart(p.t, true);
      return;
    }
    await this.muxer.addVideo(p.au.data, p.au.keyframe, p.t, dur);
  }

  private async addAudio(p: Pending, dur: number): Promise<void> {
    if (this.closed) return;
    if (this.audioOff) return;
    if (this.video && this.vDepay) {
      // Audio waits for the first video keyframe: the first part starts with a picture.
      if (!this.videoReady || p.t < this.firstVideoT) return;
    } else {
      if (this.partStart === null) {
        this.codecs = 'opus';
        this.startPart(p.t, true);
      } else await this.cutBefore(p.t, true);
    }
    await this.muxer.addAudio(p.au.data, p.t, dur);
    this.audioMuxed = true;
  }

  private startPart(t: number, independent: boolean): void {
    this.partStart = t;
    this.partIndependent = independent;
    if (this.segStart === null) {
      this.segStart = t;
      this.cur = { msn: this.nextMsn++, dateMs: this.epochMs! + t * 1000, durationS: 0, parts: [], complete: false, independent };
    }
  }

  /** Cuts before a frame at time t: a segment at a keyframe once long enough (or at the target), else a part. */
  private async cutBefore(t: number, keyframe: boolean): Promise<void> {
    const T = this.opts.timing;
    const seg = t - this.segStart!;
    if (this.muxer.init === null && this.video && this.audio && !this.audioMuxed) {
      // mediabunny writes the init segment (moov) at the first fragment, with the tracks that
      // have had a sample by then: a first part without audio would make an init without the
      // audio track, and later parts' audio trafs would break the player's decoder (Chromium's
      // MSE rejects a traf for a track the moov lacks). So the first part waits for audio, up
      // to the target duration; past that this run is video only.
      if (seg < T.targetDurationS - 0.05) return;
      this.audioOff = true;
    }
    if ((keyframe && seg >= T.segmentMinS) || seg >= T.targetDurationS - 0.05) {
      await this.cutPart(true, t);
      this.startPart(t, keyframe);
    } else if (t - this.partStart! >= T.partMinS) {
      await this.cutPart(false, t);
      this.startPart(t, keyframe);
    }
  }

  /** Closes the part in progress (and with endSegment its segment), ending at `end` (default: the last frame's end). */
  private async cutPart(endSegment: boolean, end?: number): Promise<void> {
    const seg = this.cur;
    if (!seg || this.partStart === null) return;
    const bytes = await this.muxer.fragment();
    if (this.videoReady && this.codecs === '') this.codecs = [this.videoCodec, this.audio && !this.audioOff ? 'opus' : null].filter(Boolean).join(',');
    if (bytes) {
      const stop = end ?? Math.max(this.pendingVideo?.t ?? 0, this.pendingAudio?.t ?? 0, this.partStart);
      const part: Part = { index: seg.parts.length, durationS: Math.max(stop - this.partStart, 0.001), independent: this.partIndependent, bytes };
      seg.parts.push(part);
      seg.durationS += part.durationS;
      this.bytesHeld += bytes.length;
    }
    this.partStart = null;
    if (endSegment || this.ended) {
      if (seg.parts.length > 0) {
        seg.complete = true;
        this.segments.push(seg);
      } else this.nextMsn--;
      this.cur = null;
      this.segStart = null;
      this.trim();
    }
    this.emit('part');
  }

  /** Live: keeps windowSegments (+ a spare for clients a step behind). Event: all listed, bytes within EVENT_MAX_BYTES. */
  private trim(): void {
    const T = this.opts.timing;
    if (!this.opts.event) {
      while (this.segments.length > T.windowSegments + 2) this.drop(this.segments.shift()!);
    } else {
      for (const s of this.segments) {
        if (this.bytesHeld <= EVENT_MAX_BYTES) break;
        this.drop(s);
      }
    }
    // Parts of older segments are only reachable as the whole segment: keep their bytes in it.
  }

  private drop(s: Segment): void {
    for (const p of s.parts) {
      if (p.bytes) this.bytesHeld -= p.bytes.length;
      p.bytes = null;
    }
  }

  /** The newest msn and part count the playlist shows: (last complete segment msn, or current with its parts). */
  get lastMsn(): number {
    return this.cur && this.cur.parts.length > 0 ? this.cur.msn : (this.segments[this.segments.length - 1]?.msn ?? this.opts.firstMsn - 1);
  }

  /** A segment by msn (complete or current). */
  segment(msn: number): Segment | undefined {
    if (this.cur?.msn === msn) return this.cur;
    const first = this.segments[0];
    if (!first) return undefined;
    return this.segments[msn - first.msn];
  }

  /** Whether the playlist already has segment msn, part `part` (part undefined: the whole segment). */
  has(msn: number, part?: number): boolean {
    const s = this.segment(msn);
    if (!s) return this.segments.length > 0 && msn < this.segments[0]!.msn;
    return part === undefined ? s.complete : s.parts.length > part || s.complete;
  }

  /** Whether segment msn was made and its bytes are gone (it left the window, or an event run's byte budget): for good. */
  gone(msn: number): boolean {
    const first = this.segments[0];
    if (!first) return false;
    if (msn < first.msn) return true;
    const s = this.segment(msn);
    return s !== undefined && s.complete && s.parts.some((x) => !x.bytes);
  }

  /** The msn the next segment will get (a preload hint after a completed segment). */
  get nextSegmentMsn(): number {
    return this.cur?.msn ?? this.nextMsn;
  }

  /** What the packager has seen, for logs. */
  describe(): Record<string, unknown> {
    return {
      packets: this.packets,
      videoFrames: this.videoFrames,
      videoDropped: this.vDepay?.dropped ?? 0,
      audioDropped: this.aDepay?.dropped ?? 0,
      videoReady: this.videoReady,
      parts: this.segments.reduce((n, s) => n + s.parts.length, 0) + (this.cur?.parts.length ?? 0),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.segments) this.drop(s);
    void this.muxer.cancel();
    this.removeAllListeners();
  }
}

import {
  AppendOnlyStreamTarget,
  EncodedAudioPacketSource,
  EncodedPacket,
  EncodedVideoPacketSource,
  Mp4OutputFormat,
  Output,
  type VideoCodec,
} from 'mediabunny';
import type { VideoConfig } from './codecConfig.js';

/**
 * Fragmented MP4 (ISO/IEC 14496-12 §8.8; CMAF-shaped: one init segment, then moof+mdat
 * fragments) from encoded frames, built by mediabunny: we decide where fragments end, it
 * writes the boxes. Used by the HLS packager (a fragment per LL-HLS part) and the MP4 export
 * (a fragment per GOP, streamed as written).
 *
 * Timestamps are seconds on one clock shared by both tracks. mediabunny keeps them as given in
 * a fragmented file (tfdt = the sample's time), so parts cut from one muxer line up.
 */
export interface MuxTracks {
  video: { codec: string } | null;
  audio: { codec: 'opus'; channels: number; sampleRate: number } | null;
}

const VIDEO_CODECS: Record<string, VideoCodec> = { H264: 'avc', H265: 'hevc', HEVC: 'hevc', VP9: 'vp9', AV1: 'av1' };

/** Whether a video codec (SDP name) goes in our fMP4. */
export function muxableVideo(codec: string): boolean {
  return VIDEO_CODECS[codec.toUpperCase()] !== undefined;
}

export class Fmp4Muxer {
  private readonly output: Output;
  private readonly video: EncodedVideoPacketSource | null;
  private readonly audio: EncodedAudioPacketSource | null;
  private started: Promise<unknown> | null = null;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private head: Buffer | null = null;
  /** ftyp+moov, once the first fragment is out. */
  init: Uint8Array | null = null;
  private videoConfig: VideoConfig | null = null;
  private audioMeta: { decoderConfig: { codec: string; numberOfChannels: number; sampleRate: number } } | null = null;
  private closed = false;

  /** sink: called with each chunk of bytes as written (the export streams them); else fragment() returns them. */
  constructor(
    private readonly tracks: MuxTracks,
    private readonly sink?: (bytes: Uint8Array) => void | Promise<void>,
  ) {
    const target = new AppendOnlyStreamTarget(
      new WritableStream<Uint8Array>({
        write: (chunk) => this.take(chunk),
      }),
    );
    this.output = new Output({ format: new Mp4OutputFormat({ fastStart: 'fragmented', minimumFragmentDuration: Infinity }), target });
    const vc = tracks.video ? VIDEO_CODECS[tracks.video.codec.toUpperCase()] : undefined;
    this.video = vc ? new EncodedVideoPacketSource(vc) : null;
    if (this.video) this.output.addVideoTrack(this.video);
    this.audio = tracks.audio ? new EncodedAudioPacketSource('opus') : null;
    if (this.audio && tracks.audio) {
      this.output.addAudioTrack(this.audio);
      this.audioMeta = { decoderConfig: { codec: 'opus', numberOfChannels: tracks.audio.channels, sampleRate: tracks.audio.sampleRate } };
    }
  }

  private take(chunk: Uint8Array): void | Promise<void> {
    if (this.sink) return this.sink(chunk);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
  }

  private start(): Promise<unknown> {
    this.started ??= this.output.start();
    return this.started;
  }

  /** The codec string of the video track, once its first keyframe came (HLS CODECS). */
  get videoCodec(): string | null {
    return this.videoConfig?.codec ?? null;
  }

  /** A video frame; the first must be a keyframe carrying its parameters (config: read from it). */
  async addVideo(data: Uint8Array, keyframe: boolean, timeS: number, durationS: number, config?: VideoConfig | null): Promise<void> {
    if (!this.video || this.closed) return;
    if (!this.videoConfig) {
      if (!keyframe || !config) return;
      this.videoConfig = config;
    }
    await this.start();
    const meta = { decoderConfig: { codec: this.videoConfig.codec, codedWidth: this.videoConfig.width, codedHeight: this.videoConfig.height } };
    await this.video.add(new EncodedPacket(data, keyframe ? 'key' : 'delta', timeS, durationS), meta);
  }

  async addAudio(data: Uint8Array, timeS: number, durationS: number): Promise<void> {
    if (!this.audio || this.closed) return;
    await this.start();
    await this.audio.add(new EncodedPacket(data, 'key', timeS, durationS), this.audioMeta!);
  }

  /**
   * Ends the fragment in progress (every sample added so far) and returns its moof+mdat; the
   * first call also sets init. With a sink, the bytes went there and this returns null.
   */
  async fragment(): Promise<Uint8Array | null> {
    if (this.closed || !this.started) return null;
    await this.started;
    // mediabunny's own hook for callers that place fragment boundaries themselves (its HLS muxer uses it).
    const muxer = (this.output as unknown as { _muxer: { forceFragmentFinalization(): Promise<void> } })._muxer;
    await muxer.forceFragmentFinalization();
    if (this.sink) return null;
    return this.drain();
  }

  private drain(): Uint8Array | null {
    let bytes = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.init) {
      // The first bytes are ftyp and moov (the init segment), then the first moof.
      bytes = this.head ? Buffer.concat([this.head, bytes]) : bytes;
      const end = initEnd(bytes);
      if (end < 0) {
        this.head = bytes;
        return null;
      }
      this.head = null;
      this.init = bytes.subarray(0, end);
      bytes = bytes.subarray(end);
    }
    return bytes.length > 0 ? bytes : null;
  }

  /** Finishes the file (the export's last fragment and mfra); the packager just drops it. */
  async finish(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.started) await this.output.finalize();
  }

  async cancel(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.output.cancel().catch(() => undefined);
  }
}

/** Where the first moof starts in bytes that begin with ftyp (ISO/IEC 14496-12 §4.2 box headers); -1 if not there yet. */
function initEnd(b: Uint8Array): number {
  let off = 0;
  while (off + 8 <= b.length) {
    const size = ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
    const type = String.fromCharCode(b[off + 4]!, b[off + 5]!, b[off + 6]!, b[off + 7]!);
    if (type === 'moof') return off;
    if (size < 8) return -1;
    off += size;
  }
  return -1;
}

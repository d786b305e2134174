import { fmtpParams, type SdpCodec, type SdpMedia } from './sdp.js';
import type { MediaKind, TrackInfo } from './media/types.js';

/** Codecs Canopy forwards, per kind, with what the engine needs to announce them. */
export const SUPPORTED: Record<MediaKind, readonly string[]> = {
  audio: ['opus'],
  video: ['VP8', 'H264'],
};

function h264Mode(c: { fmtp: string }): string {
  return fmtpParams(c.fmtp).get('packetization-mode') ?? '0';
}

function h264Profile(c: { fmtp: string }): string {
  return (fmtpParams(c.fmtp).get('profile-level-id') ?? '42e01f').slice(0, 4).toLowerCase();
}

function usable(c: SdpCodec, kind: MediaKind): boolean {
  if (!SUPPORTED[kind].some((n) => n.toLowerCase() === c.name.toLowerCase())) return false;
  // Non-interleaved mode only (RFC 6184 §6.3): what browsers send and what we forward.
  if (c.name.toUpperCase() === 'H264' && h264Mode(c) !== '1') return false;
  return true;
}

/** Picks the publisher's codec for an offered m-line: the first supported one in its preference order. */
export function choosePublishCodec(m: SdpMedia): SdpCodec | null {
  if (m.kind !== 'audio' && m.kind !== 'video') return null;
  return m.codecs.find((c) => usable(c, m.kind as MediaKind)) ?? null;
}

/**
 * Picks the viewer's payload type for a stream track: same codec; for H264 the same
 * packetization mode, preferring the same profile (level is not compared: decoders accept
 * lower levels and browsers decode higher ones in practice).
 */
export function chooseViewerCodec(m: SdpMedia, track: TrackInfo): SdpCodec | null {
  if (m.kind !== track.kind) return null;
  const same = m.codecs.filter((c) => c.name.toLowerCase() === track.codec.toLowerCase());
  if (track.codec.toUpperCase() !== 'H264') return same[0] ?? null;
  const modeOk = same.filter((c) => h264Mode(c) === h264Mode(track));
  return modeOk.find((c) => h264Profile(c) === h264Profile(track)) ?? modeOk.find((c) => h264Profile(c).slice(0, 2) === h264Profile(track).slice(0, 2)) ?? modeOk[0] ?? null;
}

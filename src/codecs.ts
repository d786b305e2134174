import { CanopyError, ErrorCode } from './errors.js';
import { fmtpParams, type SdpCodec, type SdpMedia, type SdpSession } from './sdp.js';
import type { MediaKind, TrackInfo } from './media/types.js';

/**
 * Codecs Canopy forwards, per kind: what OBS (H.264, AV1), Chromium (VP8, VP9, H.264, AV1),
 * Firefox and Safari publish over WHIP. The tree forwards RTP untouched, so a codec only
 * needs negotiating and, for time-shift seek points, keyframe detection (media/keyframe.ts).
 */
export const SUPPORTED: Record<MediaKind, readonly string[]> = {
  audio: ['opus'],
  video: ['VP8', 'VP9', 'H264', 'H265', 'AV1'],
};

// ---- H.264 (RFC 6184) ----

export type H264Profile = 'constrained-baseline' | 'baseline' | 'main' | 'extended' | 'constrained-high' | 'high' | 'high-10' | 'high-422' | 'high-444';

/**
 * profile-level-id's first two bytes, profile_idc and profile-iop (the constraint_set flags),
 * to a profile (RFC 6184 §8.1, Table 5; Constrained High as in H.264 A.2.4.2). Each pattern
 * is [profile_idc, mask, value] over the profile-iop byte.
 */
const H264_PATTERNS: ReadonlyArray<[number, number, number, H264Profile]> = [
  [0x42, 0x4f, 0x40, 'constrained-baseline'], // x1xx0000
  [0x4d, 0x8f, 0x80, 'constrained-baseline'], // 1xxx0000
  [0x58, 0xcf, 0xc0, 'constrained-baseline'], // 11xx0000
  [0x42, 0x4f, 0x00, 'baseline'], // x0xx0000
  [0x58, 0xcf, 0x80, 'baseline'], // 10xx0000
  [0x58, 0x8f, 0x00, 'extended'], // 0xxx0000
  [0x4d, 0xaf, 0x00, 'main'], // 0x0x0000
  [0x64, 0xff, 0x0c, 'constrained-high'], // 00001100
  [0x64, 0xff, 0x00, 'high'],
  [0x6e, 0xff, 0x00, 'high-10'],
  [0x7a, 0xff, 0x00, 'high-422'],
  [0xf4, 0xff, 0x00, 'high-444'],
];

/**
 * The profile an H.264 fmtp announces; null for one we do not know. Without profile-level-id
 * RFC 6184 §8.1 says Baseline (42000A).
 */
export function h264Profile(fmtp: string): H264Profile | null {
  const id = fmtpParams(fmtp).get('profile-level-id') ?? '42000a';
  if (!/^[0-9a-f]{6}$/i.test(id)) return null;
  const idc = parseInt(id.slice(0, 2), 16);
  const iop = parseInt(id.slice(2, 4), 16);
  for (const [p, mask, value, profile] of H264_PATTERNS) if (p === idc && (iop & mask) === value) return profile;
  return null;
}

/**
 * Which stream profiles a decoder of each profile decodes (H.264 Annex A: a Constrained
 * Baseline stream conforms to Baseline, Main and High; Main and Constrained High to High;
 * High to the High 10/4:2:2/4:4:4 profiles). Chromium announces High decoding as 'f4001f'.
 */
const H264_DECODES: Record<H264Profile, readonly H264Profile[]> = {
  'constrained-baseline': ['constrained-baseline'],
  baseline: ['constrained-baseline', 'baseline'],
  extended: ['constrained-baseline', 'baseline', 'extended'],
  main: ['constrained-baseline', 'main'],
  'constrained-high': ['constrained-baseline', 'constrained-high'],
  high: ['constrained-baseline', 'main', 'constrained-high', 'high'],
  'high-10': ['constrained-baseline', 'main', 'constrained-high', 'high', 'high-10'],
  'high-422': ['constrained-baseline', 'main', 'constrained-high', 'high', 'high-10', 'high-422'],
  'high-444': ['constrained-baseline', 'main', 'constrained-high', 'high', 'high-10', 'high-422', 'high-444'],
};

function h264Mode(fmtp: string): string {
  return fmtpParams(fmtp).get('packetization-mode') ?? '0';
}

// ---- H.265 (RFC 7798 §7.1) ----

/** profile-id (default 1, Main: RFC 7798 §7.1) and tier-flag (default 0). */
function h265Profile(fmtp: string): { profile: number; tier: number } {
  const p = fmtpParams(fmtp);
  return { profile: Number(p.get('profile-id') ?? '1'), tier: Number(p.get('tier-flag') ?? '0') };
}

// ---- VP9 (RFC 9628 §6) and AV1 (AV1 RTP payload format §7.2) ----

function vp9Profile(fmtp: string): number {
  return Number(fmtpParams(fmtp).get('profile-id') ?? '0');
}

function av1Profile(fmtp: string): number {
  return Number(fmtpParams(fmtp).get('profile') ?? '0');
}

function usable(c: SdpCodec, kind: MediaKind): boolean {
  if (!SUPPORTED[kind].some((n) => n.toLowerCase() === c.name.toLowerCase())) return false;
  // Non-interleaved mode only (RFC 6184 §6.3): what browsers and OBS send and what we forward.
  if (c.name.toUpperCase() === 'H264' && (h264Mode(c.fmtp) !== '1' || h264Profile(c.fmtp) === null)) return false;
  // One RTP stream per layer set (RFC 7798 §7.1 tx-mode SRST, the default): what WebRTC sends;
  // a multi-stream sender (MRST/MRMT) would need every stream, which we do not forward.
  if (c.name.toUpperCase() === 'H265' && (fmtpParams(c.fmtp).get('tx-mode') ?? 'SRST').toUpperCase() !== 'SRST') return false;
  return true;
}

/**
 * Picks the publisher's codec for an offered m-line: the first supported one in its preference
 * order, any H.264 profile. One exception: where it prefers H.264 Baseline (Chromium lists
 * 42001f first) and also offers Constrained Baseline, take the latter: the encoder produces
 * the same stream (libwebrtc's encoders emit Constrained Baseline for both), and every H.264
 * decoder accepts it, while viewers announcing only Main or High could not take Baseline.
 */
export function choosePublishCodec(m: SdpMedia): SdpCodec | null {
  if (m.kind !== 'audio' && m.kind !== 'video') return null;
  const first = m.codecs.find((c) => usable(c, m.kind as MediaKind)) ?? null;
  if (first?.name.toUpperCase() === 'H264' && h264Profile(first.fmtp) === 'baseline') {
    const cb = m.codecs.find((c) => c.name.toUpperCase() === 'H264' && usable(c, 'video') && h264Profile(c.fmtp) === 'constrained-baseline');
    if (cb) return cb;
  }
  return first;
}

/** Whether a viewer's offered payload type can carry (and its decoder decode) this track. */
function decodes(c: SdpCodec, track: TrackInfo): boolean {
  if (c.name.toLowerCase() !== track.codec.toLowerCase()) return false;
  switch (track.codec.toUpperCase()) {
    case 'H264': {
      if (h264Mode(c.fmtp) !== h264Mode(track.fmtp)) return false;
      const have = h264Profile(c.fmtp);
      const want = h264Profile(track.fmtp);
      return have !== null && want !== null && H264_DECODES[have].includes(want);
    }
    case 'H265': {
      // Same profile; a decoder of the high tier takes the main tier, not the reverse. Levels
      // are not compared (as for H.264).
      const have = h265Profile(c.fmtp);
      const want = h265Profile(track.fmtp);
      return have.profile === want.profile && have.tier >= want.tier;
    }
    case 'VP9':
      return vp9Profile(c.fmtp) === vp9Profile(track.fmtp);
    case 'AV1':
      // Profiles nest: High (1) decoders take Main (0), Professional (2) take both.
      return av1Profile(c.fmtp) >= av1Profile(track.fmtp);
    default:
      return true;
  }
}

/**
 * Picks the viewer's payload type for a stream track: the same codec, one its decoder can
 * decode, the same profile first (level is not compared: decoders accept lower levels and
 * browsers decode higher ones in practice). The answer then carries the viewer's own fmtp
 * for that payload type, as offer/answer requires (RFC 6184 §8.2.2).
 */
export function chooseViewerCodec(m: SdpMedia, track: TrackInfo): SdpCodec | null {
  if (m.kind !== track.kind) return null;
  const ok = m.codecs.filter((c) => decodes(c, track));
  if (track.codec.toUpperCase() === 'H264') return ok.find((c) => h264Profile(c.fmtp) === h264Profile(track.fmtp)) ?? ok[0] ?? null;
  return ok[0] ?? null;
}

/** A track's codec in words, e.g. "H264 (High profile, packetization-mode=1)". */
export function describeCodec(t: { codec: string; fmtp: string }): string {
  switch (t.codec.toUpperCase()) {
    case 'H264':
      return `H264 (${h264Profile(t.fmtp) ?? 'unknown'} profile, packetization-mode=${h264Mode(t.fmtp)})`;
    case 'H265': {
      const h = h265Profile(t.fmtp);
      return `H265 (profile-id=${h.profile}, tier-flag=${h.tier})`;
    }
    case 'VP9':
      return `VP9 (profile-id=${vp9Profile(t.fmtp)})`;
    case 'AV1':
      return `AV1 (profile=${av1Profile(t.fmtp)})`;
    default:
      return t.codec;
  }
}

/**
 * Refuses (406) a viewer's offer that wants a kind of media this stream has but offers no
 * codec that can carry it, e.g. a VP8-only player on an H.264 stream: naming the codec beats
 * an answer with the m-line rejected and a player that stays black. A kind the viewer does
 * not ask for (an audio-only player) is fine.
 */
export function assertViewerCanPlay(sdp: SdpSession, tracks: readonly TrackInfo[]): void {
  for (const t of tracks) {
    const wanted = sdp.media.filter((m) => m.kind === t.kind && (m.direction === 'recvonly' || m.direction === 'sendrecv'));
    if (wanted.length === 0 || wanted.some((m) => chooseViewerCodec(m, t))) continue;
    const offered = [
      ...new Set(
        wanted.flatMap((m) =>
          m.codecs
            .filter((c) => SUPPORTED[t.kind].some((n) => n.toLowerCase() === c.name.toLowerCase()))
            .map((c) => describeCodec({ codec: c.name, fmtp: c.fmtp })),
        ),
      ),
    ];
    throw new CanopyError(
      ErrorCode.NOT_ACCEPTABLE,
      `this stream's ${t.kind} is ${describeCodec(t)}; the offer has no ${t.kind} codec that can play it${offered.length ? ` (offered: ${offered.join(', ')})` : ''}`,
    );
  }
}

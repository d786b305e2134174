import { fmtpParams, type SdpCodec, type SdpMedia } from '../sdp.js';

/** The offer's RTX format (RFC 4588 §8.1) repairing payload type pt: `a=rtpmap:N rtx/...` with `apt=pt`. */
export function offeredRtx(m: SdpMedia, pt: number): SdpCodec | null {
  return m.codecs.find((c) => c.name.toLowerCase() === 'rtx' && fmtpParams(c.fmtp).get('apt') === String(pt)) ?? null;
}

/** Whether the offer lists this RTCP feedback for the codec (RFC 4585 §4.2: `a=rtcp-fb:pt nack`). */
export function offersFeedback(codec: SdpCodec, fb: string): boolean {
  return codec.rtcpFb.some((f) => f.toLowerCase().replace(/\s+/g, ' ') === fb);
}

/**
 * Feedback to add to an answer beyond what the engine adds for every video codec (nack, nack
 * pli, goog-remb), and only when offered: an answer may keep offered feedback but not invent
 * its own (RFC 4585 §4.2). FIR (RFC 5104 §7.1) is a second way to ask for a keyframe; audio
 * gets generic NACK when a receiver asks for it.
 */
export function extraFeedback(codec: SdpCodec, kind: 'audio' | 'video'): string[] {
  const wanted = kind === 'video' ? ['ccm fir'] : ['nack'];
  return wanted.filter((fb) => offersFeedback(codec, fb));
}

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

/**
 * The id each offered section gives a header extension (`a=extmap:<id>[/<direction>] <uri>`,
 * RFC 8285 §5: 1..14 for the one-byte form, up to 255 for the two-byte form), by mid, in the
 * offer's order. Under BUNDLE a URI has one id in all sections (RFC 8843 §9.2).
 */
export function offeredExtIds(offer: string, uri: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const section of offer.split(/\r?\n(?=m=)/)) {
    const lines = section.split(/\r?\n/);
    const mid = lines
      .find((l) => l.startsWith('a=mid:'))
      ?.slice(6)
      .trim();
    if (mid === undefined) continue;
    for (const l of lines) {
      const m = /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(l);
      const id = Number(m?.[1]);
      if (m && m[2] === uri && id >= 1 && id <= 255) {
        out.set(mid, id);
        break;
      }
    }
  }
  return out;
}

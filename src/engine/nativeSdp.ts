import { CanopyError, ErrorCode } from '../errors.js';
import type { TrackSpec } from './engine.js';

/** What the native engine needs from a viewer's offer beyond what parseSdp gives. */
export interface OfferTransport {
  ufrag: string;
  pwd: string;
  fingerprintAlgorithm: string;
  fingerprint: string;
  /** The offer's a=setup (RFC 8842 §5.2). */
  setup: 'actpass' | 'active' | 'passive';
  sections: Array<{ kind: string; mid: string; protocol: string; formats: string[]; rtcpRsize: boolean; twccId?: number }>;
}

/** The transport-wide sequence number header extension (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2). */
export const TWCC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

/** The transport-cc extension id the offer's accepted sections share (RFC 8843 §9.2: one id per URI in a BUNDLE), 0 if none. */
export function offeredTwccId(offer: OfferTransport, mids: readonly string[]): number {
  for (const s of offer.sections) if (mids.includes(s.mid) && s.twccId) return s.twccId;
  return 0;
}

const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

/** Reads ICE credentials, DTLS fingerprint and setup (session level, or the first m-section's: BUNDLE shares them). */
export function offerTransport(sdp: string): OfferTransport {
  const lines = sdp.split(/\r?\n/);
  let ufrag = '';
  let pwd = '';
  let fpAlgo = '';
  let fp = '';
  let setup = '';
  const sections: OfferTransport['sections'] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) {
      const parts = line.slice(2).split(' ');
      sections.push({ kind: parts[0] ?? '', mid: '', protocol: parts[2] ?? '', formats: parts.slice(3), rtcpRsize: false });
      continue;
    }
    const cur = sections[sections.length - 1];
    if (line.startsWith('a=mid:') && cur) cur.mid = line.slice(6).trim();
    else if (line === 'a=rtcp-rsize' && cur) cur.rtcpRsize = true;
    else if (line.startsWith('a=extmap:') && cur) {
      // a=extmap:<id>[/<direction>] <uri> (RFC 8285 §8); only the one-byte form's ids 1-14 are written.
      const m = /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(line);
      const id = m ? Number(m[1]) : 0;
      if (m && m[2] === TWCC_URI && id >= 1 && id <= 14) cur.twccId = id;
    } else if (line.startsWith('a=ice-ufrag:') && !ufrag) ufrag = line.slice(12).trim();
    else if (line.startsWith('a=ice-pwd:') && !pwd) pwd = line.slice(10).trim();
    else if (line.startsWith('a=fingerprint:') && !fp) {
      const [a, h] = line.slice(14).trim().split(/\s+/);
      fpAlgo = (a ?? '').toLowerCase();
      fp = (h ?? '').toUpperCase();
    } else if (line.startsWith('a=setup:') && !setup) setup = line.slice(8).trim();
  }
  const bad = (why: string): never => {
    throw new CanopyError(ErrorCode.BAD_REQUEST, `offer rejected: ${why}`);
  };
  // RFC 8839 §5.4: ufrag 4-256 and pwd 22-256 ice-chars.
  if (!ICE_CHARS.test(ufrag) || ufrag.length < 4 || ufrag.length > 256) bad('missing or malformed a=ice-ufrag');
  if (!ICE_CHARS.test(pwd) || pwd.length < 22 || pwd.length > 256) bad('missing or malformed a=ice-pwd');
  if (!['sha-1', 'sha-256', 'sha-384', 'sha-512'].includes(fpAlgo) || !/^([0-9A-F]{2}:){19,63}[0-9A-F]{2}$/.test(fp)) bad('missing or malformed a=fingerprint');
  if (setup !== 'actpass' && setup !== 'active' && setup !== 'passive') bad('missing or malformed a=setup');
  return { ufrag, pwd, fingerprintAlgorithm: fpAlgo, fingerprint: fp, setup: setup as OfferTransport['setup'], sections };
}

export interface AnswerParams {
  ufrag: string;
  pwd: string;
  fingerprint: string;
  /** Our DTLS role's a=setup value. */
  setup: 'active' | 'passive';
  address: string;
  port: number;
  sessionId: string;
  /** The transport-cc extension id to answer with (0: none): extmap and `transport-cc` feedback. */
  twccId?: number;
}

/**
 * The answer (RFC 8829 §5.3) as the native engine serves it: ICE-lite (RFC 8445 §2.5), one
 * host candidate on the shared port, one BUNDLE group (RFC 9143) of every accepted m-section,
 * rtcp-mux (RFC 5761), and per track the codec, its feedback (video: nack, nack pli, goog-remb
 * as libdatachannel answers; the spec's extras), RTX with its FID group (RFC 4588 §8, RFC 5576
 * §4.2). m-sections we have no spec for are rejected with port 0 (RFC 8829 §5.3.1).
 */
export function buildAnswer(offer: OfferTransport, specs: readonly TrackSpec[], p: AnswerParams): string {
  const ip = p.address.includes(':') ? 'IP6' : 'IP4';
  const accepted = offer.sections.filter((s) => specs.some((t) => t.mid === s.mid));
  const out = ['v=0', `o=- ${p.sessionId} 2 IN ${ip} ${p.address}`, 's=-', 't=0 0'];
  if (accepted.length) out.push(`a=group:BUNDLE ${accepted.map((s) => s.mid).join(' ')}`);
  out.push('a=msid-semantic: WMS *', 'a=ice-lite');
  for (const s of offer.sections) {
    const spec = specs.find((t) => t.mid === s.mid);
    if (!spec) {
      out.push(`m=${s.kind} 0 ${s.protocol} ${s.formats.join(' ') || '0'}`, `c=IN ${ip} ${p.address}`);
      if (s.mid) out.push(`a=mid:${s.mid}`);
      out.push('a=inactive');
      continue;
    }
    const c = spec.codec;
    const fmts = [c.payloadType, ...(spec.rtx ? [spec.rtx.payloadType] : [])];
    out.push(`m=${spec.kind} 9 UDP/TLS/RTP/SAVPF ${fmts.join(' ')}`, `c=IN ${ip} ${p.address}`, `a=mid:${s.mid}`, `a=${spec.direction}`);
    out.push(`a=ice-ufrag:${p.ufrag}`, `a=ice-pwd:${p.pwd}`, `a=fingerprint:sha-256 ${p.fingerprint}`, `a=setup:${p.setup}`, 'a=rtcp-mux');
    if (s.rtcpRsize) out.push('a=rtcp-rsize');
    out.push(`a=rtpmap:${c.payloadType} ${c.name}/${c.clockRate}${c.channels > 1 ? `/${c.channels}` : ''}`);
    if (c.fmtp) out.push(`a=fmtp:${c.payloadType} ${c.fmtp}`);
    const twcc = p.twccId && s.twccId === p.twccId ? p.twccId : 0;
    if (twcc) out.push(`a=extmap:${twcc} ${TWCC_URI}`);
    const fb = [...(spec.kind === 'video' ? ['nack', 'nack pli', 'goog-remb'] : []), ...(twcc ? ['transport-cc'] : [])];
    for (const f of [...fb, ...(spec.feedback ?? [])]) {
      if (spec.noNack && f === 'nack') continue;
      out.push(`a=rtcp-fb:${c.payloadType} ${f}`);
    }
    if (spec.rtx) out.push(`a=rtpmap:${spec.rtx.payloadType} rtx/${c.clockRate}`, `a=fmtp:${spec.rtx.payloadType} apt=${c.payloadType}`);
    if (spec.ssrc !== undefined) {
      const cname = spec.cname ?? 'canopy';
      const msid = `${spec.msid ?? 'canopy'} ${spec.kind}-${spec.mid}`;
      out.push(`a=msid:${msid}`);
      if (spec.rtx?.ssrc !== undefined) out.push(`a=ssrc-group:FID ${spec.ssrc} ${spec.rtx.ssrc}`);
      out.push(`a=ssrc:${spec.ssrc} cname:${cname}`, `a=ssrc:${spec.ssrc} msid:${msid}`);
      if (spec.rtx?.ssrc !== undefined) out.push(`a=ssrc:${spec.rtx.ssrc} cname:${cname}`, `a=ssrc:${spec.rtx.ssrc} msid:${msid}`);
    }
    out.push(`a=candidate:1 1 udp 2130706431 ${p.address} ${p.port} typ host`, 'a=end-of-candidates');
  }
  return out.join('\r\n') + '\r\n';
}

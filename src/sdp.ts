import { CanopyError, ErrorCode } from './errors.js';

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface SdpCodec {
  payloadType: number;
  name: string;
  clockRate: number;
  channels: number;
  fmtp: string;
  rtcpFb: string[];
}

export interface SdpMedia {
  kind: string;
  mid: string;
  port: number;
  protocol: string;
  direction: SdpDirection;
  codecs: SdpCodec[];
  ssrcs: number[];
}

export interface SdpSession {
  media: SdpMedia[];
}

export const MAX_SDP_BYTES = 64 * 1024;
const MAX_MEDIA_SECTIONS = 16;

function bad(reason: string): never {
  throw new CanopyError(ErrorCode.BAD_REQUEST, `malformed SDP: ${reason}`);
}

/** Parses the parts of an SDP offer (RFC 8866) that media negotiation needs; rejects what cannot be answered. */
export function parseSdp(text: string): SdpSession {
  if (text.length > MAX_SDP_BYTES) throw new CanopyError(ErrorCode.PAYLOAD_TOO_LARGE, 'SDP too large');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'v=0') bad('it must start with v=0');
  const media: SdpMedia[] = [];
  let cur: SdpMedia | null = null;
  let sessionDirection: SdpDirection = 'sendrecv';
  let hasFingerprint = false;
  let hasUfrag = false;
  const codec = (pt: number): SdpCodec | undefined => cur?.codecs.find((c) => c.payloadType === pt);

  for (const line of lines) {
    if (line[1] !== '=') bad(`line ${JSON.stringify(line.slice(0, 40))}`);
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      const parts = value.split(' ');
      if (parts.length < 4) bad(`m-line ${JSON.stringify(value)}`);
      const port = Number(parts[1]);
      if (!Number.isInteger(port)) bad(`m-line port ${JSON.stringify(parts[1])}`);
      cur = { kind: parts[0]!, mid: '', port, protocol: parts[2]!, direction: sessionDirection, codecs: [], ssrcs: [] };
      if (/RTP/.test(cur.protocol)) {
        for (const f of parts.slice(3)) {
          const pt = Number(f);
          if (!Number.isInteger(pt) || pt < 0 || pt > 127) bad(`payload type ${JSON.stringify(f)}`);
          cur.codecs.push({ payloadType: pt, name: '', clockRate: 0, channels: 0, fmtp: '', rtcpFb: [] });
        }
      }
      media.push(cur);
      if (media.length > MAX_MEDIA_SECTIONS) bad('too many media sections');
      continue;
    }
    if (type !== 'a') continue;
    const colon = value.indexOf(':');
    const attr = colon < 0 ? value : value.slice(0, colon);
    const arg = colon < 0 ? '' : value.slice(colon + 1);
    switch (attr) {
      case 'sendrecv':
      case 'sendonly':
      case 'recvonly':
      case 'inactive':
        if (cur) cur.direction = attr;
        else sessionDirection = attr;
        break;
      case 'fingerprint':
        hasFingerprint = true;
        break;
      case 'ice-ufrag':
        hasUfrag = true;
        break;
      case 'mid':
        if (cur) cur.mid = arg.trim();
        break;
      case 'rtpmap': {
        const m = /^(\d+) ([^/\s]+)\/(\d+)(?:\/(\d+))?/.exec(arg);
        const c = m ? codec(Number(m[1])) : undefined;
        if (c && m) {
          c.name = m[2]!;
          c.clockRate = Number(m[3]);
          c.channels = m[4] ? Number(m[4]) : 0;
        }
        break;
      }
      case 'fmtp': {
        const sp = arg.indexOf(' ');
        const c = sp > 0 ? codec(Number(arg.slice(0, sp))) : undefined;
        if (c) c.fmtp = arg.slice(sp + 1).trim();
        break;
      }
      case 'rtcp-fb': {
        const sp = arg.indexOf(' ');
        const c = sp > 0 ? codec(Number(arg.slice(0, sp))) : undefined;
        if (c) c.rtcpFb.push(arg.slice(sp + 1).trim());
        break;
      }
      case 'ssrc': {
        const ssrc = Number(arg.split(' ')[0]);
        if (cur && Number.isInteger(ssrc) && !cur.ssrcs.includes(ssrc)) cur.ssrcs.push(ssrc >>> 0);
        break;
      }
    }
  }
  if (media.length === 0) bad('no media sections');
  if (!hasFingerprint) bad('no DTLS fingerprint');
  if (!hasUfrag) bad('no ICE credentials');
  for (const m of media) if (!m.mid) bad(`a ${m.kind} section has no a=mid`);
  for (const m of media) {
    // Static payload types may come without rtpmap (RFC 3551); none of ours do.
    m.codecs = m.codecs.filter((c) => c.name !== '');
  }
  return { media };
}

export function fmtpParams(fmtp: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of fmtp.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * Makes an answer announce exactly one address: every host candidate is rewritten to
 * iceAddress (the address clients can reach, e.g. behind 1:1 NAT), duplicates dropped.
 */
export function rewriteCandidates(sdp: string, iceAddress: string): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('a=candidate:')) {
      const f = line.slice(12).split(' ');
      // foundation component transport priority address port typ type ...
      if (f.length < 8 || f[6] !== 'typ') continue;
      f[4] = iceAddress;
      const key = `${f[1]} ${f[2]} ${f[4]} ${f[5]}`.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`a=candidate:${f.join(' ')}`);
    } else if (line.startsWith('c=IN IP')) {
      out.push(`c=IN ${iceAddress.includes(':') ? 'IP6' : 'IP4'} ${iceAddress}`);
    } else {
      if (line.startsWith('m=')) seen.clear();
      out.push(line);
    }
  }
  return out.join('\r\n');
}

/**
 * SDP for the bench's native viewer sink (sink-worker.ts, native/src/sink.cc): the WHEP offer
 * it sends to Canopy (recvonly VP8 + Opus, BUNDLE, rtcp-mux, one host candidate) and its answer
 * to Janus's streaming-plugin offer, and what the sink needs from the remote's description.
 */
import { offerTransport } from '../../src/engine/nativeSdp.js';

export interface SinkLocal {
  ufrag: string;
  pwd: string;
  /** The sink process's certificate fingerprint (sha-256, colon hex). */
  fingerprint: string;
  address: string;
  port: number;
}

/** What NativeSink.start needs from the remote description. */
export interface SinkRemote {
  remoteUfrag: string;
  remotePwd: string;
  fingerprintAlgorithm: string;
  fingerprint: string;
  host: string;
  port: number;
  videoPt: number;
}

function transportLines(l: SinkLocal, setup: string): string[] {
  return [
    `c=IN IP4 ${l.address}`,
    `a=ice-ufrag:${l.ufrag}`,
    `a=ice-pwd:${l.pwd}`,
    `a=fingerprint:sha-256 ${l.fingerprint}`,
    `a=setup:${setup}`,
    'a=rtcp-mux',
    'a=rtcp-rsize',
  ];
}

function candidate(l: SinkLocal): string[] {
  return [`a=candidate:1 1 udp 2130706431 ${l.address} ${l.port} typ host`, 'a=end-of-candidates'];
}

/**
 * A WHEP offer (RFC 9725 §4.2): video (VP8, 96) and audio (Opus, 111), both recvonly. With
 * a=setup:actpass (RFC 5763 §5) the server picks the DTLS role, and the sink takes the other.
 */
export function whepOffer(l: SinkLocal, setup: 'actpass' | 'active' | 'passive' = 'actpass'): string {
  const sid = String(Math.floor(Math.random() * 1e15));
  const out = ['v=0', `o=- ${sid} 2 IN IP4 ${l.address}`, 's=-', 't=0 0', 'a=group:BUNDLE 0 1', 'a=msid-semantic: WMS *'];
  out.push('m=video 9 UDP/TLS/RTP/SAVPF 96', ...transportLines(l, setup), 'a=mid:0', 'a=recvonly');
  out.push('a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack', 'a=rtcp-fb:96 nack pli', ...candidate(l));
  out.push('m=audio 9 UDP/TLS/RTP/SAVPF 111', ...transportLines(l, setup), 'a=mid:1', 'a=recvonly');
  out.push('a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', ...candidate(l));
  return out.join('\r\n') + '\r\n';
}

interface Section {
  kind: string;
  port: number;
  proto: string;
  formats: string[];
  mid: string;
  lines: string[];
}

function sections(sdp: string): Section[] {
  const out: Section[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      const [kind = '', port = '0', proto = '', ...formats] = line.slice(2).split(' ');
      out.push({ kind, port: Number(port), proto, formats, mid: '', lines: [] });
      continue;
    }
    const cur = out[out.length - 1];
    if (!cur) continue;
    cur.lines.push(line);
    if (line.startsWith('a=mid:')) cur.mid = line.slice(6).trim();
  }
  return out;
}

/**
 * The remote's ICE credentials, fingerprint, DTLS role, its first UDP host candidate (IPv4
 * loopback first) and the video payload type, from an answer (WHEP) or an offer (Janus).
 */
export function remoteOf(sdp: string): SinkRemote & { setup: string } {
  const t = offerTransport(sdp);
  const cands = [...sdp.matchAll(/^a=candidate:\S+ 1 (?:udp|UDP) \d+ (\S+) (\d+) typ host/gm)].map((m) => ({ host: m[1]!, port: Number(m[2]) }));
  const c = cands.find((x) => x.host === '127.0.0.1') ?? cands.find((x) => !x.host.includes(':')) ?? cands[0];
  if (!c) throw new Error('remote description has no UDP host candidate');
  const video = sections(sdp).find((s) => s.kind === 'video' && s.port !== 0);
  return {
    remoteUfrag: t.ufrag,
    remotePwd: t.pwd,
    fingerprintAlgorithm: t.fingerprintAlgorithm,
    fingerprint: t.fingerprint,
    setup: t.setup,
    host: c.host,
    port: c.port,
    videoPt: video ? Number(video.formats[0]) : -1,
  };
}

/**
 * The answer to Janus's streaming offer: each audio/video m-section accepted recvonly with the
 * offer's first codec (and its rtpmap/fmtp), anything else rejected (port 0); a=setup:active
 * (the sink is the DTLS client, RFC 5763 §5).
 */
export function janusAnswer(offer: string, l: SinkLocal): string {
  const secs = sections(offer);
  const accepted = secs.filter((s) => (s.kind === 'audio' || s.kind === 'video') && s.port !== 0 && s.formats.length > 0);
  const sid = String(Math.floor(Math.random() * 1e15));
  const out = ['v=0', `o=- ${sid} 2 IN IP4 ${l.address}`, 's=-', 't=0 0'];
  if (accepted.length) out.push(`a=group:BUNDLE ${accepted.map((s) => s.mid).join(' ')}`);
  out.push('a=msid-semantic: WMS *');
  for (const s of secs) {
    if (!accepted.includes(s)) {
      out.push(`m=${s.kind} 0 ${s.proto} ${s.formats.join(' ')}`, `c=IN IP4 ${l.address}`);
      if (s.mid) out.push(`a=mid:${s.mid}`);
      out.push('a=inactive');
      continue;
    }
    const pt = s.formats[0]!;
    out.push(`m=${s.kind} 9 UDP/TLS/RTP/SAVPF ${pt}`, ...transportLines(l, 'active'), `a=mid:${s.mid}`, 'a=recvonly');
    for (const line of s.lines) if (line.startsWith(`a=rtpmap:${pt} `) || line.startsWith(`a=fmtp:${pt} `)) out.push(line);
    out.push(...candidate(l));
  }
  return out.join('\r\n') + '\r\n';
}

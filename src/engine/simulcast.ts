import { parseRtpHeader } from '../rtp.js';
import type { Quality } from '../media/types.js';

// Simulcast ingest (RFC 8853) with RTP stream identifiers (RFC 8851 a=rid, RFC 8852 header
// extensions). node-datachannel has no rid API and libdatachannel 0.24.5 writes no rid,
// simulcast or extmap lines into an answer, so the answer is completed here, and the layer of
// each SSRC is learnt from the rid / repaired-rid header extensions of its packets.

export const URI_MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
export const URI_RID = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';
export const URI_REPAIRED_RID = 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id';

/** Layers we receive per track: three are what publishers send (Chromium, OBS); the answer drops the rest (RFC 8853 §5.3). */
export const MAX_SIMULCAST_LAYERS = 3;
/** A rid is 1..255 alphanumerics, '-' or '_' (RFC 8851 §10); we take 16, more is no name a sender uses. */
const RID_RE = /^[A-Za-z0-9_-]{1,16}$/;

export interface SimulcastOffer {
  mid: string;
  /** The rids we receive, in the offer's a=simulcast order (RFC 8853 §5.1: the sender's preference). */
  rids: string[];
  /** Offered rids we leave out of the answer (beyond MAX_SIMULCAST_LAYERS, paused, or malformed). */
  dropped: string[];
  /** Header extension ids from the offer's a=extmap lines (RFC 8285 §5), 0 when not offered. */
  extIds: { mid: number; rid: number; repairedRid: number };
}

function section(sdp: string, mid: string): string[] | null {
  for (const s of sdp.split(/\r?\n(?=m=)/)) {
    const lines = s.split(/\r?\n/);
    if (lines[0]?.startsWith('m=') && lines.includes(`a=mid:${mid}`)) return lines;
  }
  return null;
}

/**
 * The simulcast an offer's m-section sends: `a=simulcast:send` (alternatives separated by ','
 * take the first, RFC 8853 §5.1; '~' marks a paused stream) whose rids each have an
 * `a=rid:<id> send` line (RFC 8851 §4). Null when the section offers no simulcast.
 */
export function parseSimulcastOffer(sdp: string, mid: string): SimulcastOffer | null {
  const lines = section(sdp, mid);
  if (!lines) return null;
  const sendRids = new Set<string>();
  const extIds = { mid: 0, rid: 0, repairedRid: 0 };
  let list: string | null = null;
  for (const l of lines) {
    let m = /^a=rid:(\S+) send\b/.exec(l);
    if (m) sendRids.add(m[1]!);
    m = /^a=simulcast:\s*send (\S+)/.exec(l);
    if (m) list = m[1]!;
    m = /^a=extmap:(\d+)(?:\/\w+)? (\S+)/.exec(l);
    if (m) {
      const id = Number(m[1]);
      if (id < 1 || id > 255) continue;
      if (m[2] === URI_MID) extIds.mid = id;
      else if (m[2] === URI_RID) extIds.rid = id;
      else if (m[2] === URI_REPAIRED_RID) extIds.repairedRid = id;
    }
  }
  if (list === null) return null;
  const rids: string[] = [];
  const dropped: string[] = [];
  for (const group of list.split(';')) {
    const first = group.split(',')[0]!;
    const paused = first.startsWith('~');
    const rid = paused ? first.slice(1) : first;
    if (!paused && RID_RE.test(rid) && sendRids.has(rid) && rids.length < MAX_SIMULCAST_LAYERS && !rids.includes(rid)) rids.push(rid);
    else dropped.push(first);
  }
  if (rids.length === 0) return null;
  return { mid, rids, dropped, extIds };
}

/** The lines our answer's m-section needs to receive the offer's simulcast (RFC 8853 §5.3, RFC 8851 §4, RFC 8285 §5). */
export function simulcastAnswerLines(s: SimulcastOffer): string[] {
  const out: string[] = [];
  // Without the rid extension the layers cannot be told apart; mid lets a BUNDLE receiver route
  // SSRCs the offer did not list (RFC 8843 §9.2); repaired-rid names the layer of an RTX SSRC.
  if (s.extIds.mid) out.push(`a=extmap:${s.extIds.mid} ${URI_MID}`);
  if (s.extIds.rid) out.push(`a=extmap:${s.extIds.rid} ${URI_RID}`);
  if (s.extIds.repairedRid) out.push(`a=extmap:${s.extIds.repairedRid} ${URI_REPAIRED_RID}`);
  for (const r of s.rids) out.push(`a=rid:${r} recv`);
  out.push(`a=simulcast:recv ${s.rids.join(';')}`);
  return out;
}

/** Adds lines to one m-section of an SDP (after its last attribute), replacing any a=extmap with the same id. */
export function addToSection(sdp: string, mid: string, add: string[]): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(/\r?\n(?=m=)/)
    .map((s) => {
      const lines = s.split(/\r?\n/);
      if (!lines[0]?.startsWith('m=') || !lines.includes(`a=mid:${mid}`)) return s;
      const ids = new Set(add.map((l) => /^a=extmap:(\d+)/.exec(l)?.[1]).filter(Boolean));
      const kept = lines.filter((l) => !ids.has(/^a=extmap:(\d+)/.exec(l)?.[1] ?? '-'));
      while (kept.length && kept[kept.length - 1] === '') kept.pop();
      return [...kept, ...add].join(eol);
    })
    .join(eol)
    .replace(/(\r?\n)?$/, eol);
}

/**
 * One header extension's value (RFC 8285 §4): the one-byte form (0xBEDE: 4-bit id, 4-bit
 * length - 1; id 0 is padding, id 15 ends the block) or the two-byte form (0x100 + appbits:
 * 8-bit id, 8-bit length; id 0 is padding). Null when absent or malformed.
 */
export function readHeaderExtension(packet: Uint8Array, id: number): Uint8Array | null {
  const h = parseRtpHeader(packet);
  if (!h || h.payloadOffset === h.csrcEnd || id <= 0) return null;
  const profile = (packet[h.csrcEnd]! << 8) | packet[h.csrcEnd + 1]!;
  const end = h.payloadOffset;
  let o = h.csrcEnd + 4;
  if (profile === 0xbede) {
    while (o < end) {
      const b = packet[o]!;
      const eid = b >> 4;
      if (eid === 0) {
        o++;
        continue;
      }
      if (eid === 15) return null;
      const len = (b & 0x0f) + 1;
      if (o + 1 + len > end) return null;
      if (eid === id) return packet.subarray(o + 1, o + 1 + len);
      o += 1 + len;
    }
  } else if (profile >> 4 === 0x100) {
    while (o < end) {
      const eid = packet[o]!;
      if (eid === 0) {
        o++;
        continue;
      }
      if (o + 2 > end) return null;
      const len = packet[o + 1]!;
      if (o + 2 + len > end) return null;
      if (eid === id) return packet.subarray(o + 2, o + 2 + len);
      o += 2 + len;
    }
  }
  return null;
}

function ridOf(packet: Uint8Array, id: number): string | null {
  const v = id ? readHeaderExtension(packet, id) : null;
  if (!v || v.length === 0) return null;
  const s = Buffer.from(v.buffer, v.byteOffset, v.length).toString('latin1');
  return RID_RE.test(s) ? s : null;
}

export interface LayerOf {
  rid: string;
  /** The packet is an RTX retransmission of that layer (its SSRC carried repaired-rid). */
  repair: boolean;
}

/**
 * Learns SSRC → layer from the rid / repaired-rid header extensions (RFC 8852 §3): senders put
 * them on a stream's first packets (and Chromium on every packet until acknowledged); later
 * packets are known by SSRC. Unknown rids are ignored; the table is bounded by the layer count.
 */
export class LayerDemux {
  private readonly bySsrc = new Map<number, LayerOf>();

  constructor(private readonly offer: SimulcastOffer) {}

  get rids(): readonly string[] {
    return this.offer.rids;
  }

  /** The layer of an RTP packet, or null while its SSRC is not yet known. */
  classify(packet: Uint8Array): LayerOf | null {
    const h = parseRtpHeader(packet);
    if (!h) return null;
    const ext = this.offer.extIds;
    if (h.payloadOffset !== h.csrcEnd) {
      const rid = ridOf(packet, ext.rid);
      if (rid !== null && this.offer.rids.includes(rid)) return this.learn(h.ssrc, { rid, repair: false });
      const repaired = ridOf(packet, ext.repairedRid);
      if (repaired !== null && this.offer.rids.includes(repaired)) return this.learn(h.ssrc, { rid: repaired, repair: true });
    }
    return this.bySsrc.get(h.ssrc) ?? null;
  }

  private learn(ssrc: number, layer: LayerOf): LayerOf {
    const known = this.bySsrc.get(ssrc);
    if (known && known.rid === layer.rid && known.repair === layer.repair) return known;
    // A restarted encoder gets new SSRCs: forget the old SSRC of this layer and role.
    for (const [s, l] of this.bySsrc) if (l.rid === layer.rid && l.repair === layer.repair) this.bySsrc.delete(s);
    this.bySsrc.set(ssrc, layer);
    return layer;
  }

  /** SSRCs learnt so far, for logs and /api/state. */
  ssrcs(): Array<{ ssrc: number } & LayerOf> {
    return [...this.bySsrc].map(([ssrc, l]) => ({ ssrc, ...l }));
  }
}

/**
 * Each received rid's quality. Well-known rid sets name their order (Chromium's samples use
 * q/h/f, others l/m/h or low/mid/high); otherwise the offer's order is taken as lowest first,
 * the order Chromium's `sendEncodings` and OBS list them (scaleResolutionDownBy 4, 2, 1).
 * One layer is high; two are low and high; three low, mid and high.
 */
export function layerQualities(rids: readonly string[]): Map<string, Quality> {
  const known: Array<readonly string[]> = [
    ['q', 'h', 'f'],
    ['l', 'm', 'h'],
    ['low', 'mid', 'high'],
  ];
  let order = [...rids];
  for (const k of known) {
    if (rids.every((r) => k.includes(r.toLowerCase()))) {
      order = [...rids].sort((a, b) => k.indexOf(a.toLowerCase()) - k.indexOf(b.toLowerCase()));
      break;
    }
  }
  const names: Quality[] = order.length === 1 ? ['high'] : order.length === 2 ? ['low', 'high'] : ['low', 'mid', 'high'];
  return new Map(order.slice(0, 3).map((r, i) => [r, names[i]!]));
}

import type { HlsPackager, Segment } from './HlsPackager.js';

/** URIs in a playlist carry the viewer's token when the request had one (players do not add it). */
function uri(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

const f3 = (s: number): string => s.toFixed(3);

/** The peak bit rate over the parts a packager holds (§4.4.6.2 wants the peak segment bit rate; parts are what we have at the start). */
export function peakBandwidth(p: HlsPackager): number {
  let peak = 0;
  for (const s of [...p.segments, ...(p.current ? [p.current] : [])]) {
    for (const part of s.parts) if (part.bytes) peak = Math.max(peak, (part.bytes.length * 8) / part.durationS);
  }
  return Math.max(1000, Math.round(peak * 1.1));
}

/** One EXT-X-STREAM-INF of a multivariant playlist: what its media playlist carries. */
export interface Rendition {
  uri: string;
  bandwidth: number;
  codecs: string;
  video: boolean;
  /** Width × height of its pictures (a simulcast layer's own); omitted when 0. */
  width?: number;
  height?: number;
}

/** A packager's rendition (its codecs and peak bit rate so far). */
export function renditionOf(p: HlsPackager, uri: string, withResolution: boolean): Rendition {
  const video = p.info.tracks.some((t) => t.kind === 'video');
  return { uri, bandwidth: peakBandwidth(p), codecs: p.codecs, video, ...(withResolution ? { width: p.width, height: p.height } : {}) };
}

/**
 * The multivariant playlist (RFC 8216bis §4.4.6): one EXT-X-STREAM-INF per rendition — one for
 * a stream without simulcast, one per simulcast layer otherwise (each with its RESOLUTION,
 * §4.4.6.2, so a player can choose by size as well as by BANDWIDTH).
 */
export function multivariantPlaylist(renditions: Rendition[], query: string): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const r of renditions) {
    const attrs = [`BANDWIDTH=${r.bandwidth}`, `CODECS="${r.codecs}"`];
    if (r.width && r.height) attrs.push(`RESOLUTION=${r.width}x${r.height}`);
    if (r.video) attrs.push('FRAME-RATE=30.000');
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(',')}`, uri(r.uri, query));
  }
  return lines.join('\n') + '\n';
}

function partLine(s: Segment, i: number, query: string, prefix: string): string {
  const part = s.parts[i]!;
  return `#EXT-X-PART:DURATION=${f3(part.durationS)},URI="${uri(`${prefix}p${s.msn}.${i}.m4s`, query)}"${part.independent ? ',INDEPENDENT=YES' : ''}`;
}

/**
 * A media playlist with LL-HLS tags (RFC 8216bis §4.4.3.7-8, §4.4.4.9, §4.4.5.2): parts of the
 * newest segments, a preload hint for the next part, blocking reload allowed. `event`: a
 * time-shift playlist (§4.4.3.5 EVENT: segments are only ever appended). `prefix` goes before
 * every URI: '' for a playlist served beside its parts ({run}/media.m3u8), '{run}/' for a
 * layer's playlist served under the stream ({layer}.m3u8).
 */
export function mediaPlaylist(p: HlsPackager, query: string, event: boolean, prefix = ''): string {
  const T = p.timing;
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', `#EXT-X-TARGETDURATION:${T.targetDurationS}`];
  lines.push(`#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${f3(T.partHoldBackS)}`);
  lines.push(`#EXT-X-PART-INF:PART-TARGET=${f3(T.partTargetS)}`);
  const all = [...p.segments, ...(p.current && p.current.parts.length > 0 ? [p.current] : [])];
  // Listed: segments whose bytes we still hold (an event playlist lists them all; dropped ones are gone).
  const start = event ? 0 : Math.max(0, p.segments.length - T.windowSegments);
  const shown = all.slice(start);
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${shown[0]?.msn ?? p.nextSegmentMsn}`);
  if (event) lines.push('#EXT-X-PLAYLIST-TYPE:EVENT');
  lines.push(`#EXT-X-MAP:URI="${uri(`${prefix}init.mp4`, query)}"`);
  const partsFrom = shown.length - T.partSegments - (p.current && p.current.parts.length > 0 ? 1 : 0);
  shown.forEach((s, i) => {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.dateMs).toISOString()}`);
    if (i >= partsFrom) for (let k = 0; k < s.parts.length; k++) lines.push(partLine(s, k, query, prefix));
    if (s.complete) lines.push(`#EXTINF:${f3(s.durationS)},`, uri(`${prefix}s${s.msn}.m4s`, query));
  });
  if (p.ended) lines.push('#EXT-X-ENDLIST');
  else {
    const next = p.current && p.current.parts.length > 0 ? `${prefix}p${p.current.msn}.${p.current.parts.length}.m4s` : `${prefix}p${p.nextSegmentMsn}.0.m4s`;
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${uri(next, query)}"`);
  }
  return lines.join('\n') + '\n';
}

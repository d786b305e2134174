import type { HlsPackager, Segment } from './HlsPackager.js';

/** URIs in a playlist carry the viewer's token when the request had one (players do not add it). */
function uri(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

const f3 = (s: number): string => s.toFixed(3);

/**
 * The multivariant playlist (RFC 8216bis §4.4.6): one rendition now; one per simulcast layer
 * later. BANDWIDTH is the peak seen over the parts so far (§4.4.6.2 wants the peak segment bit
 * rate; parts are what we have at the start).
 */
export function multivariantPlaylist(p: HlsPackager, mediaPath: string, query: string): string {
  let peak = 0;
  for (const s of [...p.segments, ...(p.current ? [p.current] : [])]) {
    for (const part of s.parts) if (part.bytes) peak = Math.max(peak, (part.bytes.length * 8) / part.durationS);
  }
  const video = p.info.tracks.find((t) => t.kind === 'video');
  const attrs = [`BANDWIDTH=${Math.max(1000, Math.round(peak * 1.1))}`, `CODECS="${p.codecs}"`];
  if (video) attrs.push('FRAME-RATE=30.000');
  return ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS', `#EXT-X-STREAM-INF:${attrs.join(',')}`, uri(mediaPath, query), ''].join('\n');
}

function partLine(s: Segment, i: number, query: string): string {
  const part = s.parts[i]!;
  return `#EXT-X-PART:DURATION=${f3(part.durationS)},URI="${uri(`p${s.msn}.${i}.m4s`, query)}"${part.independent ? ',INDEPENDENT=YES' : ''}`;
}

/**
 * A media playlist with LL-HLS tags (RFC 8216bis §4.4.3.7-8, §4.4.4.9, §4.4.5.2): parts of the
 * newest segments, a preload hint for the next part, blocking reload allowed. `event`: a
 * time-shift playlist (§4.4.3.5 EVENT: segments are only ever appended).
 */
export function mediaPlaylist(p: HlsPackager, query: string, event: boolean): string {
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
  lines.push(`#EXT-X-MAP:URI="${uri('init.mp4', query)}"`);
  const partsFrom = shown.length - T.partSegments - (p.current && p.current.parts.length > 0 ? 1 : 0);
  shown.forEach((s, i) => {
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.dateMs).toISOString()}`);
    if (i >= partsFrom) for (let k = 0; k < s.parts.length; k++) lines.push(partLine(s, k, query));
    if (s.complete) lines.push(`#EXTINF:${f3(s.durationS)},`, uri(`s${s.msn}.m4s`, query));
  });
  if (p.ended) lines.push('#EXT-X-ENDLIST');
  else {
    const next = p.current && p.current.parts.length > 0 ? `p${p.current.msn}.${p.current.parts.length}.m4s` : `p${p.nextSegmentMsn}.0.m4s`;
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${uri(next, query)}"`);
  }
  return lines.join('\n') + '\n';
}

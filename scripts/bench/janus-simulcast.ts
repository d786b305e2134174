/**
 * How the ABR bench's Janus anchor wires a Chromium simulcast publisher to Janus's streaming
 * plugin (janus-abr.ts runs it): the publisher joins a VideoRoom, the room forwards each
 * substream as plain RTP (`rtp_forward`, one port per substream) to an RTP mountpoint with
 * `videosimulcast`, and viewers watch the mountpoint. This module holds only what is decided
 * here, without a browser or a Janus: which substream each rid becomes, the requests and the
 * plugin configurations.
 *
 * Janus numbers substreams 0 (lowest) to 2 (highest) everywhere (janus_rtp_simulcasting_context,
 * src/rtp.c; a streaming viewer's `substream`). Three places must agree on that numbering, and a
 * mistake in any of them shows no error, only the wrong picture:
 *  - the publish offer's `rid_order` (src/janus.c): Janus assigns the offer's `a=rid` lines to
 *    substreams assuming they are listed high first ("hml", its default) unless told "lmh";
 *    Chromium lists them in sendEncodings order, ours lowest first (test/support/simulcastPage.ts);
 *  - rtp_forward's `port`, `port_2`, `port_3` carry substreams 0, 1, 2 (janus_videoroom.c,
 *    rtp_forward, the helper's substream argument);
 *  - the mountpoint's `videoport`, `videoport2`, `videoport3` are read as substreams 0, 1, 2
 *    (janus_streaming.c, the relay thread's `packet.substream = index`).
 */
import type { Encoding } from '../../test/support/simulcastPage.js';
import type { Layer } from './abr-window.js';

/** Janus's substream index → the bench's layer name. */
export const LAYER_OF_SUBSTREAM: readonly Layer[] = ['low', 'mid', 'high'];

/** The VideoRoom room and streaming mountpoint the anchor uses (its own Janus, its own config). */
export const ANCHOR_ROOM = 1234;
export const ANCHOR_MOUNTPOINT = 20;
/** VP8's payload type on the forwarded RTP and in the mountpoint (rtp_forward rewrites it to this). */
export const ANCHOR_VIDEO_PT = 96;

/** The layer of a Janus substream index, or null (-1 before the first packet, anything else). */
export function layerOfSubstream(substream: unknown): Layer | null {
  return typeof substream === 'number' && Number.isInteger(substream) ? (LAYER_OF_SUBSTREAM[substream] ?? null) : null;
}

/**
 * The `rid_order` to send with the publish offer: "lmh" when the encodings are listed lowest
 * first (by maxBitrate), "hml" when highest first. Throws for fewer than two encodings or an
 * order that is neither (Janus could not be told).
 */
export function ridOrder(encodings: readonly Encoding[]): 'lmh' | 'hml' {
  if (encodings.length < 2) throw new Error('simulcast needs at least two encodings');
  const rates = encodings.map((e) => e.maxBitrate);
  const up = rates.every((r, i) => i === 0 || r > rates[i - 1]!);
  const down = rates.every((r, i) => i === 0 || r < rates[i - 1]!);
  if (up) return 'lmh';
  if (down) return 'hml';
  throw new Error(`encodings neither rise nor fall in maxBitrate (${rates.join(', ')}): Janus's rid_order cannot describe them`);
}

/**
 * Which rid Janus 1.1 puts on each substream (index 0..2) for an offer listing `rids` in this
 * order with this `rid_order`: a model of janus_sdp_process_remote (src/sdp.c, "Is simulcasting
 * enabled, using rid?"), which fills slot 2 first for "hml" (slot 0 for "lmh"), then slot 1, then
 * the other end, and then shifts two rids down to slots 0 and 1.
 */
export function janusRidSlots(rids: readonly string[], order: 'lmh' | 'hml'): Array<string | null> {
  const hml = order === 'hml';
  const slots: Array<string | null> = [null, null, null];
  for (const rid of rids) {
    if (slots[hml ? 2 : 0] === null) slots[hml ? 2 : 0] = rid;
    else if (slots[1] === null) slots[1] = rid;
    else if (slots[hml ? 0 : 2] === null) slots[hml ? 0 : 2] = rid;
    // A fourth rid: Janus logs "Too many RTP Stream IDs" and ignores it.
  }
  if (slots[0] === null && slots[2] !== null) {
    slots[0] = slots[1];
    slots[1] = slots[2];
    slots[2] = null;
  }
  if (slots[0] === null && slots[1] !== null) {
    slots[0] = slots[1];
    slots[1] = null;
  }
  return slots;
}

/** rid → the bench's layer, as Janus will number the publisher's substreams. */
export function layerOfRid(encodings: readonly Encoding[]): Record<string, Layer> {
  const slots = janusRidSlots(
    encodings.map((e) => e.rid),
    ridOrder(encodings),
  );
  const out: Record<string, Layer> = {};
  slots.forEach((rid, i) => {
    if (rid !== null) out[rid] = LAYER_OF_SUBSTREAM[i]!;
  });
  return out;
}

export interface ForwardTarget {
  room: number;
  publisherId: number;
  /** The publisher's video mid (its transceiver's). */
  mid: string;
  host: string;
  /** The mountpoint's ports, indexed by substream (0 lowest). */
  ports: readonly [number, number, number];
  /** The mountpoint's videortcpport: the forwarder latches onto it, so viewers' PLIs reach the publisher. */
  rtcpPort: number;
  pt: number;
}

/** VideoRoom's rtp_forward (the 1.x `streams` form): each substream to its own port, no `simulcast: true` (that forwards one picked stream). */
export function rtpForwardRequest(t: ForwardTarget): Record<string, unknown> {
  return {
    request: 'rtp_forward',
    room: t.room,
    publisher_id: t.publisherId,
    host: t.host,
    streams: [
      {
        mid: t.mid,
        port: t.ports[0],
        pt: t.pt,
        rtcp_port: t.rtcpPort,
        port_2: t.ports[1],
        pt_2: t.pt,
        port_3: t.ports[2],
        pt_3: t.pt,
      },
    ],
  };
}

/** The streaming plugin's configuration: one VP8 RTP mountpoint with videosimulcast, its ports indexed by substream. */
export function streamingConfig(o: { id: number; iface: string; ports: readonly [number, number, number]; rtcpPort: number; pt: number }): string {
  return `general: {
	events = false
}
abr: {
	type = "rtp"
	id = ${o.id}
	description = "canopy abr anchor"
	audio = false
	video = true
	videoiface = "${o.iface}"
	videoport = ${o.ports[0]}
	videosimulcast = true
	videoport2 = ${o.ports[1]}
	videoport3 = ${o.ports[2]}
	videortcpport = ${o.rtcpPort}
	videopt = ${o.pt}
	videocodec = "vp8"
}
`;
}

/**
 * The VideoRoom plugin's configuration: one room for the one publisher, VP8 only. Janus's room
 * defaults otherwise: transport-cc with publishers on, no REMB cap (bitrate 0), no periodic
 * keyframe request (fir_freq 0): keyframes come when a viewer asks (rtp_forward's rtcp_port).
 */
export function videoroomConfig(room: number): string {
  return `general: {
	events = false
}
room-${room}: {
	description = "canopy abr anchor"
	publishers = 1
	bitrate = 0
	fir_freq = 0
	videocodec = "vp8"
	audiocodec = "opus"
}
`;
}

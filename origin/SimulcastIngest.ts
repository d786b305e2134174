import { LayerDemux, type SimulcastOffer } from '../src/engine/simulcast.js';
import type { ReceiveResult, RtpReceiver } from '../src/engine/RtpReceiver.js';
import type { Logger } from '../src/log.js';

export interface SimulcastIngestOptions {
  /** A receiver (NACK, RTX, reports) for one layer; it delivers through deliverFrom(rid, ...). */
  receiver: (rid: string) => RtpReceiver;
  /** A packet of the forwarded layer, for the feed. */
  deliver: (rtp: Uint8Array, late: boolean) => void;
  isKeyframe: (rtp: Uint8Array) => boolean;
  log: Logger;
}

/** Another layer must carry this much more than the forwarded one ... */
const SWITCH_RATIO = 1.2;
/** ... for this many reports in a row (an encoder ramping up makes close layers trade places). */
const SWITCH_TICKS = 3;

class Layer {
  packets = 0;
  bytes = 0;
  private lastBytes = 0;
  private lastMs = 0;
  bps = 0;
  keyframes = 0;

  constructor(
    readonly rid: string,
    readonly receiver: RtpReceiver,
  ) {}

  measure(nowMs: number): void {
    if (this.lastMs) this.bps = Math.round(((this.bytes - this.lastBytes) * 8000) / Math.max(1, nowMs - this.lastMs));
    this.lastBytes = this.bytes;
    this.lastMs = nowMs;
  }
}

export type SimulcastResult = ReceiveResult | 'unknown_layer';

/**
 * The simulcast layers of one published video track (RFC 8853): tells the layers apart by
 * their rid header extensions (LayerDemux), gives each its own RtpReceiver (each layer is its
 * own RTP stream with its own sequence numbers, NACKs and reports), and forwards one of them.
 *
 * This first slice forwards one layer to the feed: the one carrying the most bits (the
 * publisher's top layer once its encoder has ramped up). It moves to another layer only at a
 * keyframe of that layer, which it asks for, so viewers see one continuous stream (their
 * TrackSender rewrites SSRC, sequence numbers and timestamps). Layers as tracks of their own,
 * chosen per viewer, are not done yet (docs/abr.md).
 */
export class SimulcastIngest {
  private readonly demux: LayerDemux;
  private readonly layers = new Map<string, Layer>();
  /** The layer forwarded; null until a layer's first keyframe. */
  primary: string | null = null;
  /** The layer we move to at its next keyframe. */
  private wanted: string | null = null;
  switches = 0;
  private ahead = 0;
  private closed = false;

  constructor(
    offer: SimulcastOffer,
    private readonly opts: SimulcastIngestOptions,
  ) {
    this.demux = new LayerDemux(offer);
    for (const rid of offer.rids) this.layers.set(rid, new Layer(rid, opts.receiver(rid)));
  }

  onRtp(packet: Uint8Array, nowMs: number): SimulcastResult {
    if (this.closed) return 'unexpected_payload';
    const l = this.demux.classify(packet);
    const layer = l ? this.layers.get(l.rid) : undefined;
    if (!layer) return 'unknown_layer';
    if (!l!.repair) {
      layer.packets++;
      layer.bytes += packet.length;
    }
    return layer.receiver.onRtp(packet, nowMs);
  }

  /** RTCP from the publisher: each layer's receiver takes the SRs of its SSRC. */
  onRtcp(packet: Uint8Array, nowMs: number): void {
    for (const layer of this.layers.values()) layer.receiver.onRtcp(packet, nowMs);
  }

  /** A packet a layer's receiver accepted (in order or repaired). */
  deliverFrom(rid: string, rtp: Uint8Array, late: boolean): void {
    if (this.closed) return;
    const key = !late && this.opts.isKeyframe(rtp);
    const layer = this.layers.get(rid);
    if (key && layer) layer.keyframes++;
    if (key && (this.primary === null || rid === this.wanted) && rid !== this.primary) {
      this.opts.log.info({ from: this.primary, to: rid }, 'simulcast: forwarding another layer');
      if (this.primary !== null) this.switches++;
      this.primary = rid;
      this.wanted = null;
    }
    if (rid === this.primary) this.opts.deliver(rtp, late);
  }

  /** About once a second: reports for every layer, and the choice of the forwarded layer. */
  tick(nowMs: number): void {
    if (this.closed) return;
    let best: Layer | null = null;
    for (const layer of this.layers.values()) {
      layer.measure(nowMs);
      layer.receiver.sendReports(nowMs);
      if (layer.bps > 0 && (!best || layer.bps > best.bps)) best = layer;
    }
    const current = this.primary === null ? null : this.layers.get(this.primary)!;
    const better = best && current && best !== current && best.bps > current.bps * SWITCH_RATIO;
    this.ahead = better ? this.ahead + 1 : 0;
    if (better && best && this.ahead >= SWITCH_TICKS) {
      this.wanted = best.rid;
      // Ask only the target layer: one PLI a second at most (this tick), within any limiter upstream.
      best.receiver.requestKeyframe();
    } else if (!better) {
      this.wanted = null;
    }
  }

  /** A keyframe for the feed: from the forwarded layer (from every layer before one is chosen). */
  requestKeyframe(): void {
    if (this.primary !== null) this.layers.get(this.primary)?.receiver.requestKeyframe();
    else for (const layer of this.layers.values()) layer.receiver.requestKeyframe();
  }

  state(): {
    forwarded: string | null;
    switches: number;
    layers: Array<{ rid: string; ssrc: number; packets: number; bytes: number; bps: number; keyframes: number }>;
    ssrcs: Array<{ ssrc: number; rid: string; repair: boolean }>;
  } {
    return {
      forwarded: this.primary,
      switches: this.switches,
      layers: [...this.layers.values()].map((l) => ({
        rid: l.rid,
        ssrc: l.receiver.mediaSsrc,
        packets: l.packets,
        bytes: l.bytes,
        bps: l.bps,
        keyframes: l.keyframes,
      })),
      ssrcs: this.demux.ssrcs(),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const layer of this.layers.values()) layer.receiver.close();
  }
}

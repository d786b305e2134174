import { LayerDemux, type SimulcastOffer } from '../src/engine/simulcast.js';
import type { ReceiveResult, RtpReceiver } from '../src/engine/RtpReceiver.js';
import type { Logger } from '../src/log.js';

export interface SimulcastIngestOptions {
  /** A receiver (NACK, RTX, reports) for one layer; it delivers through deliverFrom(rid, ...). */
  receiver: (rid: string) => RtpReceiver;
  /** A packet of one layer, for that layer's track of the feed. */
  deliver: (rid: string, rtp: Uint8Array, late: boolean) => void;
  isKeyframe: (rtp: Uint8Array) => boolean;
  log: Logger;
}

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
 * own RTP stream with its own sequence numbers, NACKs and reports), and delivers each to its
 * own track of the stream (TrackInfo.layer). Which layer a viewer gets is chosen where it is
 * served (src/session/LayerSwitch.ts); the tree carries a layer only where it is wanted
 * (LayerDemand).
 */
export class SimulcastIngest {
  private readonly demux: LayerDemux;
  private readonly layers = new Map<string, Layer>();
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

  /** A packet a layer's receiver accepted (in order or repaired): to that layer's track. */
  deliverFrom(rid: string, rtp: Uint8Array, late: boolean): void {
    if (this.closed) return;
    const layer = this.layers.get(rid);
    if (!layer) return;
    if (!late && this.opts.isKeyframe(rtp)) layer.keyframes++;
    this.opts.deliver(rid, rtp, late);
  }

  /** About once a second: reports for every layer, and each layer's bit rate. */
  tick(nowMs: number): void {
    if (this.closed) return;
    for (const layer of this.layers.values()) {
      layer.measure(nowMs);
      layer.receiver.sendReports(nowMs);
    }
  }

  /** A keyframe of one layer (a viewer moving to it, or one that lost a frame of it). */
  requestKeyframe(rid: string): void {
    this.layers.get(rid)?.receiver.requestKeyframe();
  }

  state(): {
    layers: Array<{ rid: string; ssrc: number; packets: number; bytes: number; bps: number; keyframes: number }>;
    ssrcs: Array<{ ssrc: number; rid: string; repair: boolean }>;
  } {
    return {
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

import type { Page } from 'playwright-core';

/**
 * A Chromium publisher's view of its own sending, sampled over a bench run (issue 20: why a
 * layer stops): the estimate it sends under (the selected candidate pair's
 * availableOutgoingBitrate, kbit/s), and per layer the rate sent since the last sample, the
 * encoder's target and why it limits quality (qualityLimitationReason: none, bandwidth, cpu), and
 * the loss the origin's receiver reports gave it (its classic loss-based estimate holds between 2
 * and 10 % and backs off above).
 */
export interface PublisherSample {
  t: number;
  availableKbps: number | null;
  /** lost: the origin's last receiver report on the layer as Chromium read it (remote-inbound-rtp fractionLost, packetsLost). */
  layers: Record<string, { kbps: number; targetKbps: number; limit: string; width: number; fractionLost: number | null; packetsLost: number | null }>;
}

export class PublisherTrace {
  readonly samples: PublisherSample[] = [];
  private last = new Map<string, { bytes: number; at: number }>();

  constructor(private readonly page: Page) {}

  async sample(t: number): Promise<void> {
    const raw = (await this.page.evaluate(`(async () => {
      const out = { available: null, layers: [], remote: {} };
      const stats = await window.__pub.getStats();
      stats.forEach((r) => {
        if (r.type === 'remote-inbound-rtp' && r.kind === 'video') out.remote[r.localId] = { fractionLost: r.fractionLost ?? null, packetsLost: r.packetsLost ?? null };
      });
      stats.forEach((r) => {
        if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded' && r.availableOutgoingBitrate !== undefined) out.available = r.availableOutgoingBitrate;
        if (r.type === 'outbound-rtp' && r.kind === 'video')
          out.layers.push({ rid: String(r.rid), bytes: Number(r.bytesSent || 0), at: r.timestamp, target: Number(r.targetBitrate || 0), limit: String(r.qualityLimitationReason || ''), width: Number(r.frameWidth || 0), rr: out.remote[r.id] || null });
      });
      return out;
    })()`)) as {
      available: number | null;
      layers: Array<{
        rid: string;
        bytes: number;
        at: number;
        target: number;
        limit: string;
        width: number;
        rr: { fractionLost: number | null; packetsLost: number | null } | null;
      }>;
    };
    const layers: PublisherSample['layers'] = {};
    for (const l of raw.layers) {
      const prev = this.last.get(l.rid);
      const kbps = prev && l.at > prev.at ? Math.round(((l.bytes - prev.bytes) * 8) / (l.at - prev.at)) : 0;
      this.last.set(l.rid, { bytes: l.bytes, at: l.at });
      const rr = l.rr ?? { fractionLost: null, packetsLost: null };
      layers[l.rid] = {
        kbps,
        targetKbps: Math.round(l.target / 1000),
        limit: l.limit,
        width: l.width,
        fractionLost: rr.fractionLost,
        packetsLost: rr.packetsLost,
      };
    }
    this.samples.push({ t, availableKbps: raw.available === null ? null : Math.round(raw.available / 1000), layers });
  }
}

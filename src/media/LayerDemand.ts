import { QUALITIES, type Quality } from './types.js';

export interface LayerDemandOptions {
  /**
   * How long a layer nobody wants any more keeps flowing before it is dropped upstream: the
   * feed's --idle-close-after, so a layer is torn down like a stream (and a viewer flapping
   * between layers does not make its parent re-subscribe each time).
   */
  lingerMs: number;
  /** The set of layers wanted changed (best first): the feed tells its upstream. */
  onChange: (layers: Quality[]) => void;
}

/**
 * Pull on demand applied per layer (patent claims 4 and 8, per simulcast layer): a reference
 * count per layer quality of one feed. Each viewer holds one reference on the layer it is on
 * (and on the one it moves to until it arrives), each child link's copy one on each layer its
 * subscriptions ask for. A layer is wanted while it has a reference, and for lingerMs after
 * its last one goes; then the feed's upstream stops sending it (LayerDemand on the link).
 */
export class LayerDemand {
  private readonly counts = new Map<Quality, number>();
  private readonly lingering = new Map<Quality, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: LayerDemandOptions) {}

  /** The layers wanted now (held or lingering), best first. */
  get wanted(): Quality[] {
    return QUALITIES.filter((q) => (this.counts.get(q) ?? 0) > 0 || this.lingering.has(q));
  }

  /** References held on q. */
  refs(q: Quality): number {
    return this.counts.get(q) ?? 0;
  }

  get pendingTimers(): number {
    return this.lingering.size;
  }

  /** Takes a reference on layer q; the function returned releases it (once). */
  want(q: Quality): () => void {
    if (this.closed) return () => undefined;
    const before = this.wanted.includes(q);
    this.counts.set(q, this.refs(q) + 1);
    const t = this.lingering.get(q);
    if (t) {
      clearTimeout(t);
      this.lingering.delete(q);
    }
    if (!before) this.opts.onChange(this.wanted);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.release(q);
    };
  }

  private release(q: Quality): void {
    if (this.closed) return;
    const n = this.refs(q) - 1;
    if (n > 0) return void this.counts.set(q, n);
    this.counts.delete(q);
    if (this.opts.lingerMs <= 0) return this.opts.onChange(this.wanted);
    const timer = setTimeout(() => {
      this.lingering.delete(q);
      if (!this.closed && this.refs(q) === 0) this.opts.onChange(this.wanted);
    }, this.opts.lingerMs);
    timer.unref?.();
    this.lingering.set(q, timer);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.lingering.values()) clearTimeout(t);
    this.lingering.clear();
    this.counts.clear();
  }
}

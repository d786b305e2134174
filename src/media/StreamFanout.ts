import type { ErrorCode } from '../errors.js';
import { FaultLog } from '../faults.js';
import type { Logger } from '../log.js';
import type { NodeCounters } from '../metrics.js';
import type { FanoutPacer } from './FanoutPacer.js';
import type { MediaPacket } from './MediaPacket.js';
import { DuplicateFilter } from './DuplicateFilter.js';
import { RtpHistory, type RtpHistoryOptions } from './RtpHistory.js';
import type { ConsumerKind, StreamConsumer } from './types.js';

/** Tracks a stream keeps histories for (a hostile link cannot make it allocate more). */
const MAX_TRACKS = 16;

export interface StreamFanoutOptions {
  /** The stream's logger (it names the stream). */
  log: Logger;
  counters: NodeCounters;
  /** Splits a burst's fan-out across event-loop turns (one pacer per node); absent: all at once. */
  pacer?: FanoutPacer;
  /** Loss repair: each track's retransmission history (none: no repair). */
  history?: RtpHistoryOptions;
  /**
   * Whether a packet the history already holds goes no further (a live stream), or on (a
   * time-shift replay repeats packets on purpose: a keyframe request rewinds it).
   */
  dropRepeats: boolean;
}

export interface AttachOptions {
  /**
   * A store of this node (the time buffer, the recorder) rather than egress: it gets each
   * packet first, at once (never paced), and is neither in `consumers` nor counted as sent.
   */
  store?: boolean;
  /**
   * An engine's fan-out group, sending each packet once for its members (their viewers are
   * `passive`): it takes packets like egress, paced, but is neither a viewer nor a link, so it
   * is not in `consumers` and not counted as sent.
   */
  sender?: boolean;
}

/**
 * The delivery half of a stream at one node (the pull lifecycle is Feed's): the per-track
 * histories (loss repair, and which packets this node already has), and the consumers the
 * packets go to. Every consumer is a StreamConsumer: viewers and child links (the egress,
 * paced), and this node's stores, the time buffer and the recorder, which MediaMTX likewise
 * hands the stream. A throw in one consumer is caught at that consumer (src/faults.ts): the
 * others get the packet, and nothing upstream (the link it came on) hears of it.
 */
export class StreamFanout {
  /** Egress: viewers and child links. */
  readonly consumers = new Set<StreamConsumer>();
  private readonly stores = new Set<StreamConsumer>();
  private readonly senders = new Set<StreamConsumer>();
  /**
   * What each packet is handed to, besides the stores: the egress that is not passive, and the
   * fan-out groups. A viewer whose tracks a native group sends costs nothing here per packet,
   * so JavaScript does one hand-over per packet per stream track however many watch (issue 19).
   */
  private readonly receivers = new Set<StreamConsumer>();
  private readonly histories = new Map<number, RtpHistory>();
  private readonly duplicates = new DuplicateFilter();
  private readonly faults: FaultLog;
  private ended = false;
  private endedWith: { code: ErrorCode; reason: string } | null = null;
  /** RTP bytes that arrived (the dashboard's per-copy bitrate: StatusBoard; canopy_stream_bytes_total{direction="in"}). */
  bytesReceived = 0;
  /**
   * Per-stream figures (canopy_stream_*), read when /metrics is scraped: packets that arrived,
   * and packets and bytes handed to the egress (one per consumer). Plain additions, once per
   * packet and not per consumer, to keep the forwarding path cheap.
   */
  packetsIn = 0;
  packetsOut = 0;
  bytesOut = 0;
  /** One consumer's delivery, contained: what it throws stays with it. */
  private readonly sendTo = (c: StreamConsumer, p: MediaPacket): void => {
    try {
      c.onPacket(p);
    } catch (err) {
      this.fault(c, err, 'onPacket');
    }
  };

  constructor(private readonly opts: StreamFanoutOptions) {
    this.faults = new FaultLog(opts.log, opts.counters.consumerErrors);
  }

  /** Adds a consumer; one attached after the end is told at once. */
  attach(consumer: StreamConsumer, opts: AttachOptions = {}): void {
    if (this.ended) return this.endOne(consumer, this.endedWith!.code, this.endedWith!.reason);
    if (opts.store) return void this.stores.add(consumer);
    if (opts.sender) this.senders.add(consumer);
    else this.consumers.add(consumer);
    if (opts.sender || !consumer.passive) this.receivers.add(consumer);
  }

  detach(consumer: StreamConsumer): void {
    this.consumers.delete(consumer);
    this.stores.delete(consumer);
    this.senders.delete(consumer);
    this.receivers.delete(consumer);
  }

  /** The stream flows again after a pause: the egress is told (a passive viewer sees no packet). */
  resumed(): void {
    for (const c of [...this.consumers]) {
      try {
        c.onResumed?.();
      } catch (err) {
        this.fault(c, err, 'onResumed');
      }
    }
  }

  /** The first consumer or store of a kind (e.g. whether the stream has a recorder). */
  find(kind: ConsumerKind): StreamConsumer | undefined {
    for (const c of this.stores) if (c.kind === kind) return c;
    for (const c of this.consumers) if (c.kind === kind) return c;
    return undefined;
  }

  /** A track's retransmission history at this node (created on first use); null without repair. */
  history(track: number): RtpHistory | null {
    let h = this.histories.get(track);
    if (!h && this.opts.history && track < MAX_TRACKS && !this.ended) this.histories.set(track, (h = new RtpHistory(this.opts.history)));
    return h ?? null;
  }

  /** Counts a packet in; false when it goes no further (a repeat of one this node has). */
  admit(p: MediaPacket): boolean {
    const c = this.opts.counters;
    c.packetsIn.add();
    c.bytesIn.add(p.rtp.length);
    this.bytesReceived += p.rtp.length;
    this.packetsIn++;
    // A packet this node already has (the overlap of a make-before-break parent move, a
    // retransmission that crossed the original) goes no further, with or without loss repair
    // (DuplicateFilter); with repair, one older than the history's whole window is of no use to
    // anyone below either.
    const dup = this.opts.dropRepeats && this.duplicates.check(p.track, p.rtp) === 'duplicate';
    const h = this.history(p.track);
    if ((dup || (h && !h.push(p.rtp, Date.now()))) && this.opts.dropRepeats) {
      c.packetsDropped.inc({ reason: 'duplicate' });
      return false;
    }
    return true;
  }

  /** Hands a packet to the stores, then to the egress (through the pacer, when there is one). */
  send(p: MediaPacket): void {
    for (const s of this.stores) this.sendTo(s, p);
    const n = this.consumers.size;
    if (n === 0) return;
    this.packetsOut += n;
    this.bytesOut += n * p.rtp.length;
    if (this.receivers.size === 0) return;
    if (this.opts.pacer) this.opts.pacer.deliver(this.receivers, p, this.sendTo);
    else for (const c of this.receivers) this.sendTo(c, p);
  }

  /** The stream is over: every consumer and store is told once and let go; the histories go. */
  end(code: ErrorCode, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.endedWith = { code, reason };
    const all = [...this.consumers, ...this.stores, ...this.senders];
    this.consumers.clear();
    this.stores.clear();
    this.senders.clear();
    this.receivers.clear();
    for (const c of all) this.endOne(c, code, reason);
    // Their slabs go back to the node's pool; a sender still holding one finds it empty.
    for (const h of this.histories.values()) h.reset();
    this.histories.clear();
    this.duplicates.clear();
  }

  private endOne(c: StreamConsumer, code: ErrorCode, reason: string): void {
    try {
      c.onEnded(code, reason);
    } catch (err) {
      this.fault(c, err, 'onEnded');
    }
  }

  private fault(c: StreamConsumer, err: unknown, during: string): void {
    this.faults.report(c, err, { kind: c.kind, consumer: c.label, during });
  }
}

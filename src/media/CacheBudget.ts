import { constrainedMemory } from 'node:process';
import { totalmem } from 'node:os';
import type { Logger } from '../log.js';
import { SLAB_BYTES, SlabPool } from './SlabPool.js';

/**
 * What the budget asks of one stream's memory buffer (a TimeBuffer). The budget never reads
 * packets; it only asks a member to give up its oldest media.
 */
export interface BudgetMember {
  readonly stream: string;
  /** Bytes this member holds as the budget counts them (media plus per-packet bookkeeping). */
  readonly chargedBytes: number;
  /** Capture time of the oldest media the budget may take (null: nothing beyond the last GOP). */
  oldestEvictableMs(): number | null;
  /** Capture time of the newest media held (null: empty). */
  newestMs(): number | null;
  /** Drops the oldest GOP (never the last one); returns the charged bytes freed. */
  evictOldest(): number;
  /** Drops everything, the last GOP too (the hard limit); returns the charged bytes freed. */
  evictAll(): number;
  /** Consumers of the live stream at this node now (viewers and child links). */
  demand(): number;
}

export interface CacheBudgetOptions {
  /** Window B of every stream at this node together may hold this much (--cache-max-total-bytes). */
  maxBytes: number;
  logger?: Logger;
  /** Half-life of a time-shift request's weight in the eviction score. */
  requestHalfLifeMs?: number;
  now?: () => number;
}

/** A time-shift request counts as this many consumers, decaying with the half-life. */
const REQUEST_WEIGHT = 4;
const DEFAULT_HALF_LIFE_MS = 10 * 60_000;
/** At most this much is evicted in one pass (below the budget: the low watermark). */
const BATCH_MAX_BYTES = 16 * 1024 * 1024;
/** The default budget: this share of the memory the process may use (cgroup limit, else host RAM)... */
export const DEFAULT_BUDGET_SHARE = 0.25;
/** ...within these bounds. */
export const DEFAULT_BUDGET_MIN = 64 * 1024 * 1024;
export const DEFAULT_BUDGET_MAX = 16 * 1024 * 1024 * 1024;

/**
 * The default --cache-max-total-bytes: 25% of the memory this process may use, between 64 MiB
 * and 16 GiB. A container's limit counts, not the host's RAM (os.totalmem() reports the host:
 * a pod limited to 1 GiB on a 64 GiB host would otherwise get a 16 GiB budget and meet the OOM
 * killer); process.constrainedMemory() reads the cgroup limit (0 or a huge value when unset).
 */
export function defaultCacheBudget(): number {
  const host = totalmem();
  const limit = constrainedMemory?.() ?? 0;
  const mem = limit > 0 && limit < host ? limit : host;
  return Math.round(Math.min(DEFAULT_BUDGET_MAX, Math.max(DEFAULT_BUDGET_MIN, mem * DEFAULT_BUDGET_SHARE)));
}

/**
 * One memory budget for window B across every stream a node carries (issue 23). Each stream's
 * TimeBuffer charges what it stores; when the total passes the budget, the budget takes the
 * oldest GOPs of the streams least likely to be asked for until it is back under a low
 * watermark (1/32 of the budget below it, at most 16 MiB, so a full node does not scan its
 * streams on every packet, nor for long at a time).
 *
 * Which media goes first: the largest *weighted age*, (newest media at the node − the
 * member's oldest evictable media) / (1 + score), where score = the live stream's consumers here
 * + 4 × its recent time-shift requests (each halving every 10 min). So a stream nobody
 * watches loses its media first, oldest first; a watched one keeps a window about (1 + score)
 * times longer; and among equals the oldest media goes first.
 *
 * Each buffer keeps its latest keyframe's GOP (a joiner or a rewind can start from it). Those
 * last GOPs may exceed the budget by an eighth of it at most: past that, the largest buffers
 * lose their last GOP too. So window B never holds more than 9/8 of the budget (plus one
 * packet), whatever the streams do.
 */
export class CacheBudget {
  /** Charged bytes of all members. */
  used = 0;
  /** GOPs (or, without video, chunks of about a second) the budget took. */
  evictions = 0;
  evictedBytes = 0;
  /** When the budget first filled (epoch ms), null before. */
  firstFullAt: number | null = null;
  private readonly members = new Set<BudgetMember>();
  /** Time-shift demand per stream carried here: a decaying count. */
  private readonly requests = new Map<string, { n: number; at: number }>();
  private settling = false;
  private readonly now: () => number;
  private readonly halfLifeMs: number;
  /**
   * The slabs every member's packets are copied into (SlabPool): what eviction empties is reused
   * by whichever stream stores next. Free slabs kept: 1/32 of the budget (16 to 1,024 slabs), about
   * what one pass of evictions (the low watermark) frees at once; more go to the GC.
   */
  readonly slabs: SlabPool;

  constructor(private readonly opts: CacheBudgetOptions) {
    this.slabs = new SlabPool(Math.min(1024, Math.max(16, Math.floor(opts.maxBytes / SLAB_BYTES / 32))));
    this.now = opts.now ?? Date.now;
    this.halfLifeMs = opts.requestHalfLifeMs ?? DEFAULT_HALF_LIFE_MS;
  }

  get maxBytes(): number {
    return this.opts.maxBytes;
  }

  get streams(): number {
    return this.members.size;
  }

  join(m: BudgetMember): void {
    this.members.add(m);
  }

  /** A member that closes: its bytes must already be returned (adjust) or are returned here. */
  leave(m: BudgetMember): void {
    if (!this.members.delete(m)) return;
    this.used -= m.chargedBytes;
    let another = false;
    for (const o of this.members) if (o.stream === m.stream) another = true;
    if (!another) this.requests.delete(m.stream);
  }

  /** A member's charged bytes changed by delta (a packet stored, or its own caps evicting). */
  adjust(delta: number): void {
    this.used += delta;
  }

  /** A time-shift request for a stream (from a viewer or a child link): it weighs in the eviction score. */
  noteRequest(stream: string): void {
    let carried = false;
    for (const m of this.members) if (m.stream === stream) carried = true;
    // Only streams with a buffer here: a client inventing names cannot grow this map.
    if (!carried) return;
    const now = this.now();
    const r = this.requests.get(stream);
    this.requests.set(stream, { n: (r ? this.decayed(r, now) : 0) + 1, at: now });
  }

  /** Recent time-shift requests for a stream, decayed to now. */
  recentRequests(stream: string): number {
    const r = this.requests.get(stream);
    return r ? this.decayed(r, this.now()) : 0;
  }

  private decayed(r: { n: number; at: number }, now: number): number {
    return r.n * Math.pow(0.5, Math.max(0, now - r.at) / this.halfLifeMs);
  }

  /** How likely a member's stream is to be asked for: its consumers and recent time-shift requests. */
  score(m: BudgetMember): number {
    return m.demand() + REQUEST_WEIGHT * this.recentRequests(m.stream);
  }

  /** Called after a member stored a packet: evicts when the node is over its budget. */
  settle(): void {
    if (this.used <= this.opts.maxBytes || this.settling) return;
    this.settling = true;
    try {
      if (this.firstFullAt === null) {
        this.firstFullAt = this.now();
        this.opts.logger?.warn(
          { budgetBytes: this.opts.maxBytes, streams: this.members.size },
          'window B memory budget full (--cache-max-total-bytes): from now on the oldest media of the least-watched streams is evicted; time-shift requests for it go upstream',
        );
      }
      this.evict();
    } finally {
      this.settling = false;
    }
  }

  private evict(): void {
    const max = this.opts.maxBytes;
    // Each pass scans every member per GOP taken: a bounded batch keeps one pass short (~100
    // GOPs of a 671 kbit/s stream) on a node with a large budget and many streams.
    const low = max - Math.min(Math.floor(max / 32), BATCH_MAX_BYTES);
    // Ages are measured from the newest media at this node, not the local clock: capture times
    // are the origin's clock, and a skewed relay clock must not turn ages negative.
    let ref = -Infinity;
    for (const m of this.members) ref = Math.max(ref, m.newestMs() ?? -Infinity);
    const scores = new Map<BudgetMember, number>();
    while (this.used > low) {
      let victim: BudgetMember | null = null;
      let best = -Infinity;
      for (const m of this.members) {
        const t = m.oldestEvictableMs();
        if (t === null) continue;
        let s = scores.get(m);
        if (s === undefined) scores.set(m, (s = this.score(m)));
        const w = (ref - t + 1) / (1 + s);
        if (w > best) {
          best = w;
          victim = m;
        }
      }
      if (!victim) break;
      const freed = victim.evictOldest();
      if (freed <= 0) break;
      this.evictions++;
      this.evictedBytes += freed;
    }
    // Only last GOPs are left: they may pass the budget by an eighth of it, no more.
    if (this.used > max + Math.floor(max / 8)) {
      const bySize = [...this.members].sort((a, b) => b.chargedBytes - a.chargedBytes);
      for (const m of bySize) {
        if (this.used <= max) break;
        const freed = m.evictAll();
        if (freed > 0) {
          this.evictions++;
          this.evictedBytes += freed;
        }
      }
    }
  }

  /** For /api/state. */
  describe(): { budgetBytes: number; bytes: number; streams: number; evictions: number; evictedBytes: number; fullSince: number | null } {
    // fullSince: when the budget first filled (epoch ms; it stays set, as the log line is once).
    return {
      budgetBytes: this.opts.maxBytes,
      bytes: this.used,
      streams: this.members.size,
      evictions: this.evictions,
      evictedBytes: this.evictedBytes,
      fullSince: this.firstFullAt,
    };
  }

  /** Charged bytes per stream (for metrics), largest first. */
  perStream(): Array<[string, number]> {
    const by = new Map<string, number>();
    for (const m of this.members) by.set(m.stream, (by.get(m.stream) ?? 0) + m.chargedBytes);
    return [...by].sort((a, b) => b[1] - a[1]);
  }
}

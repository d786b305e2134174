import { isIP } from 'node:net';
import { ErrorCode } from '../errors.js';
import { RetryLaterError } from './http.js';

export interface AdmissionLimits {
  /** WebRTC sessions at once (0: no limit). */
  maxSessions: number;
  /** Sessions not yet connected, including requests being negotiated (0: no limit). */
  maxPending: number;
  /** New sessions per client address per second, in bursts of as many (0: no limit). */
  perIpPerSecond: number;
}

/** What the node holds now: every session, and those not yet connected. */
export type SessionCounts = () => { sessions: number; pending: number };

/** Client addresses remembered at most; idle ones (a full bucket) are forgotten first. */
const MAX_TRACKED_ADDRESSES = 10_000;

/** One admitted request: release() once it has become a session or failed. */
export interface Ticket {
  release(): void;
}

/**
 * Admission control for new WebRTC sessions (WHIP and WHEP POSTs): a cap on sessions, a cap
 * on sessions still negotiating or connecting (each holds ICE sockets and native buffers until
 * it connects or times out), and a token bucket per client address. Refusals carry Retry-After
 * and come before the offer is read: 503 when the node is full (its own capacity), 429 Too Many
 * Requests when one address asks too often (RFC 6585 §4: the limit is on that client).
 */
export class Admission {
  private inFlight = 0;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  refused = { sessions: 0, pending: 0, rate: 0 };

  constructor(
    private readonly limits: AdmissionLimits,
    private readonly counts: SessionCounts,
    /** Called with the limit's name for each refusal (metrics). */
    private readonly onRefused?: (limit: 'sessions' | 'pending' | 'rate') => void,
  ) {}

  private refuse(limit: 'sessions' | 'pending' | 'rate'): void {
    this.refused[limit]++;
    this.onRefused?.(limit);
  }

  /** Admits one new session from `ip`, or throws a RetryLaterError. */
  admit(ip: string, now = Date.now()): Ticket {
    const { maxSessions, maxPending, perIpPerSecond } = this.limits;
    const { sessions, pending } = this.counts();
    if (maxSessions > 0 && sessions + this.inFlight >= maxSessions) {
      this.refuse('sessions');
      throw new RetryLaterError(`this node is full (${maxSessions} sessions); try another node or later`, 10);
    }
    if (maxPending > 0 && pending + this.inFlight >= maxPending) {
      this.refuse('pending');
      throw new RetryLaterError(`too many sessions connecting at once (${maxPending}); try again shortly`, 2);
    }
    if (perIpPerSecond > 0 && !this.take(addressKey(ip), now)) {
      this.refuse('rate');
      throw new RetryLaterError(`too many new sessions from ${ip} (limit ${perIpPerSecond} per second)`, 1, ErrorCode.RATE_LIMITED);
    }
    this.inFlight++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
      },
    };
  }

  get inFlightCount(): number {
    return this.inFlight;
  }

  get trackedAddresses(): number {
    return this.buckets.size;
  }

  private take(key: string, now: number): boolean {
    const rate = this.limits.perIpPerSecond;
    let b = this.buckets.get(key);
    if (b) {
      b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
    } else {
      if (this.buckets.size >= MAX_TRACKED_ADDRESSES) this.forgetIdle(now);
      b = { tokens: rate, at: now };
      this.buckets.set(key, b);
    }
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Drops addresses whose bucket has refilled (they are owed nothing); the oldest if none has. */
  private forgetIdle(now: number): void {
    const rate = this.limits.perIpPerSecond;
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * rate >= rate) this.buckets.delete(k);
    while (this.buckets.size >= MAX_TRACKED_ADDRESSES) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}

/** The unit of the per-address limit: an IPv4 address, or an IPv6 /64 (one subscriber's prefix). */
export function addressKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups
    .slice(0, 4)
    .map((g) => (parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

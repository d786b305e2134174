import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { canopy } from '../gen/discovery.js';
import type { Logger } from '../log.js';
import type { Counter } from '../metrics.js';

const v1 = canopy.discovery.v1;
export const DISCOVERY_VERSION = 2;
/** Largest datagram accepted; ours are a few hundred bytes. */
export const MAX_DATAGRAM_BYTES = 1400;
/** A known sibling is forgotten after this long without a datagram. */
const SIBLING_TTL_MS = 60_000;
/** How long after choosing the parent a late answer from a lower-id sibling still moves the pull. */
const LATE_ANSWER_MS = 3_000;
/** Named bound on the queries kept open to late answers (one per stream pulled in that time). */
const MAX_LATE_QUERIES = 1_000;
/**
 * A datagram is accepted only within this much of its sent_ms (siblings share a LAN and NTP):
 * a replay must come soon after the original, while its nonce is still remembered.
 */
export const DATAGRAM_WINDOW_MS = 5000;
/** Nonces remembered at most; each stays DATAGRAM_WINDOW_MS past its datagram's sent_ms. */
export const MAX_SEEN_NONCES = 8192;
const NONCE_BYTES = 16;

/** The discovery MAC key: derived from the cluster secret, apart from the link handshake's use of it. */
export function discoveryKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'canopy-discovery/2', 32));
}

/**
 * Nonces of accepted datagrams, until their timestamp leaves the window (after which the window
 * alone refuses a replay). Bounded: when full of live entries it refuses new datagrams rather
 * than forget one a replay could reuse; only holders of the secret can fill it.
 */
export class SeenNonces {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = DATAGRAM_WINDOW_MS,
    private readonly max = MAX_SEEN_NONCES,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /** 'new' (now remembered), 'replay', or 'full'. */
  admit(nonce: string, sentMs: number, now = Date.now()): 'new' | 'replay' | 'full' {
    if (this.seen.has(nonce)) return 'replay';
    if (this.seen.size >= this.max) {
      for (const [n, t] of this.seen) if (t + this.windowMs < now) this.seen.delete(n);
      if (this.seen.size >= this.max) return 'full';
    }
    this.seen.set(nonce, sentMs);
    return 'new';
  }
}

export interface LanGroup {
  address: string;
  port: number;
}

/** What this node has of a stream, as its answers report it. */
export type LocalStatus = { state: 'carrying' | 'fetching'; via: string[] } | { state: 'deciding' } | null;

export type Decision = ({ from: 'parent' } | { from: 'sibling'; nodeId: string; linkUrl: string; via: string[] }) & {
  /**
   * Answers the siblings that missed the same stream while we were deciding. The caller calls
   * it once it has recorded the decision, so those answers state it (the lookup's `lookup`).
   */
  announce(): void;
};

export interface DiscoveryCounters {
  queries: Counter;
  hits: Counter;
  misses: Counter;
  dropped: Counter;
}

export interface SiblingDiscoveryOptions {
  nodeId: string;
  /** Local interface address for multicast (IP_MULTICAST_IF and membership). */
  interfaceAddress: string;
  /** The cluster secret (required: no discovery without one). */
  secret: string;
  timeoutMs: number;
  /** This node's status for a stream; with startMs, whether its buffer covers that time. */
  lookup: (stream: string, startMs?: number) => LocalStatus;
  /**
   * A sibling with a lower id answered after our query's timeout, and it fetches or carries
   * the stream too: the caller should move its pull there (it returns, never throws).
   */
  onLateRival?: (stream: string, rival: { nodeId: string; linkUrl: string; via: string[] }) => void;
  counters: DiscoveryCounters;
  logger: Logger;
}

interface Pending {
  stream: string;
  startMs?: number;
  answers: Array<{ nodeId: string; linkUrl: string; carrying: boolean; via: string[] }>;
  /** Siblings that missed the same stream while we were deciding. */
  rivals: Map<string, string>;
  /** Their queries, answered once we have decided. */
  deferred: Array<{ nodeId: string; queryId: number }>;
}

/**
 * Asks siblings (relays under the same parent, on one LAN) for a stream before going to the
 * parent, by UDP multicast (patent [0094]); learned from ICP (RFC 2186) and fixing its gaps:
 * every datagram is authenticated (HMAC-SHA256 under a key derived from the cluster secret)
 * and fresh (accepted once by its nonce, within DATAGRAM_WINDOW_MS of its timestamp), so a
 * forged or replayed datagram changes no relay's choice; and siblings that
 * miss the same stream at once agree on one fetcher: the lowest node id among them, so one
 * copy enters the group. Answers carry the sibling path a copy comes through, so no node
 * ever pulls from a sibling that pulls (directly or not) from it.
 */
export interface SiblingDiscoveryEvents {
  close: [];
}

export class SiblingDiscovery extends EventEmitter<SiblingDiscoveryEvents> {
  readonly siblings = new Map<string, { linkUrl: string; lastSeen: number }>();
  private socket: Socket | null = null;
  private parentId = '';
  private parentInstance = '';
  private linkUrl = '';
  private group: LanGroup | null = null;
  private nextQueryId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Live queries that ended in a pull from the parent, still open to late answers. */
  private readonly late = new Map<number, { stream: string; until: number }>();
  private readonly key: Buffer;
  private readonly seen = new SeenNonces();
  private readonly log: Logger;
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }

  constructor(private readonly opts: SiblingDiscoveryOptions) {
    super();
    if (!opts.secret) throw new Error('sibling discovery needs the cluster secret');
    this.log = opts.logger.child({ component: 'discovery' });
    this.key = discoveryKey(opts.secret);
  }

  /**
   * Joins the sibling group of a parent (called on every parent link up: the parent, its
   * instance or our link URL may have changed).
   */
  async start(g: { parentId: string; parentInstance: string; group: LanGroup; linkUrl: string }): Promise<void> {
    if (this.closed) return;
    this.parentId = g.parentId;
    this.parentInstance = g.parentInstance;
    this.linkUrl = g.linkUrl;
    this.siblings.clear();
    if (this.socket && this.group?.address === g.group.address && this.group.port === g.group.port) return;
    this.socket?.close();
    this.socket = null;
    this.group = g.group;
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    s.on('message', (msg) => this.onDatagram(msg));
    s.on('error', (err) => this.log.warn({ err: err.message }, 'discovery socket error'));
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(g.group.port, () => {
        s.off('error', reject);
        resolve();
      });
    });
    if (this.closed) return void s.close();
    s.addMembership(g.group.address, this.opts.interfaceAddress);
    s.setMulticastInterface(this.opts.interfaceAddress);
    s.setMulticastLoopback(true); // siblings may share a host
    s.setMulticastTTL(1); // one LAN, never routed
    this.socket = s;
    this.log.info({ group: `${g.group.address}:${g.group.port}`, parent: g.parentId }, 'joined sibling group');
  }

  /**
   * On a local miss: who should this node pull the stream from? Waits the sibling timeout
   * for answers, then decides.
   */
  async query(stream: string, startMs?: number): Promise<Decision> {
    if (!this.socket || this.closed) return { from: 'parent', announce: () => undefined };
    const queryId = this.nextQueryId++;
    const p: Pending = { stream, startMs, answers: [], rivals: new Map(), deferred: [] };
    this.pending.set(queryId, p);
    this.opts.counters.queries.inc();
    this.send({ query: { queryId, stream, startMs } });
    await new Promise((r) => setTimeout(r, this.opts.timeoutMs));
    this.pending.delete(queryId);
    const decision = this.decide(p);
    if (decision.from === 'sibling') this.opts.counters.hits.inc();
    else this.opts.counters.misses.inc();
    if (decision.from === 'parent' && startMs === undefined) {
      for (const [id, l] of this.late) if (l.until < Date.now()) this.late.delete(id);
      if (this.late.size < MAX_LATE_QUERIES) this.late.set(queryId, { stream, until: Date.now() + LATE_ANSWER_MS });
    }
    this.log.debug({ stream, from: decision.from }, 'sibling lookup');
    return decision;
  }

  /** Answers the queries that arrived while we were deciding, now that we know our path. */
  answerDeferred(stream: string, deferred: Pending['deferred']): void {
    for (const q of deferred) this.answer(q.nodeId, q.queryId, stream);
  }

  private decide(p: Pending): Decision {
    const me = this.opts.nodeId;
    const usable = p.answers.filter((a) => !a.via.includes(me));
    usable.sort((a, b) => Number(b.carrying) - Number(a.carrying) || a.via.length - b.via.length || (a.nodeId < b.nodeId ? -1 : 1));
    const announce = (): void => {
      if (p.startMs === undefined) this.answerDeferred(p.stream, p.deferred);
    };
    const best = usable[0];
    if (best) return { from: 'sibling', nodeId: best.nodeId, linkUrl: best.linkUrl, via: best.via, announce };
    // Siblings that missed at the same moment: the lowest id fetches, the rest pull from it.
    const lowest = [...p.rivals.keys()].sort()[0];
    if (lowest !== undefined && lowest < me) return { from: 'sibling', nodeId: lowest, linkUrl: p.rivals.get(lowest)!, via: [], announce };
    return { from: 'parent', announce };
  }

  private answer(to: string, queryId: number, stream: string, startMs?: number): void {
    const st = this.opts.lookup(stream, startMs);
    if (!st || st.state === 'deciding') return;
    const State = v1.Answer.State;
    this.send({ answer: { queryId, stream, to, state: st.state === 'carrying' ? State.STATE_CARRYING : State.STATE_FETCHING, via: st.via } });
  }

  private send(msg: { query?: canopy.discovery.v1.Query.$Properties; answer?: canopy.discovery.v1.Answer.$Properties }): void {
    if (!this.socket) return;
    const body = v1.Datagram.encode({
      version: DISCOVERY_VERSION,
      nodeId: this.opts.nodeId,
      parentId: this.parentId,
      parentInstance: this.parentInstance,
      sentMs: Date.now(),
      linkUrl: this.linkUrl,
      nonce: randomBytes(NONCE_BYTES),
      ...msg,
    }).finish();
    const mac = createHmac('sha256', this.key).update(body).digest();
    const buf = v1.Envelope.encode({ body, mac }).finish();
    this.socket.send(buf, this.group!.port, this.group!.address);
  }

  private drop(reason: string): void {
    this.opts.counters.dropped.inc({ reason });
  }

  private onDatagram(buf: Buffer): void {
    if (buf.length > MAX_DATAGRAM_BYTES) return this.drop('oversize');
    let d: canopy.discovery.v1.Datagram;
    try {
      const env = v1.Envelope.decode(buf);
      const body = env.body ?? new Uint8Array(0);
      const want = createHmac('sha256', this.key).update(body).digest();
      const mac = Buffer.from(env.mac ?? []);
      if (mac.length !== want.length || !timingSafeEqual(mac, want)) return this.drop('bad_mac');
      d = v1.Datagram.decode(body);
    } catch {
      return this.drop('malformed');
    }
    if (d.version !== DISCOVERY_VERSION) return this.drop('version');
    if (!d.nodeId || d.nodeId === this.opts.nodeId) return; // our own, looped back
    // Nodes outside the group, or under another parent (or parent instance), are not siblings.
    if (d.parentId !== this.parentId || d.parentInstance !== this.parentInstance) return this.drop('other_group');
    const now = Date.now();
    if (Math.abs(now - (d.sentMs ?? 0)) > DATAGRAM_WINDOW_MS) return this.drop('stale');
    if (d.nonce?.length !== NONCE_BYTES) return this.drop('malformed');
    if (!d.linkUrl || !/^wss?:\/\//.test(d.linkUrl)) return this.drop('malformed');
    // Checked last: only an authentic, fresh datagram takes a place in the nonce memory.
    const seen = this.seen.admit(Buffer.from(d.nonce).toString('base64'), d.sentMs ?? 0, now);
    if (seen !== 'new') return this.drop(seen);
    this.siblings.set(d.nodeId, { linkUrl: d.linkUrl, lastSeen: Date.now() });
    this.expireSiblings();
    if (d.query) this.onQuery(d.nodeId, d.linkUrl, d.query.queryId ?? 0, d.query.stream ?? '', d.query.startMs ?? undefined);
    else if (d.answer) this.onAnswer(d.nodeId, d.linkUrl, d.answer);
  }

  private onQuery(nodeId: string, linkUrl: string, queryId: number, stream: string, startMs?: number): void {
    if (!stream) return this.drop('malformed');
    // Time-shift: only a buffer that covers the start answers; nobody races to fetch.
    if (startMs !== undefined) return this.answer(nodeId, queryId, stream, startMs);
    const st = this.opts.lookup(stream);
    if (st?.state === 'deciding') {
      for (const p of this.pending.values()) {
        if (p.stream !== stream || p.startMs !== undefined) continue;
        p.rivals.set(nodeId, linkUrl);
        p.deferred.push({ nodeId, queryId });
      }
      return;
    }
    this.answer(nodeId, queryId, stream);
  }

  private onAnswer(nodeId: string, linkUrl: string, a: canopy.discovery.v1.Answer.$Properties): void {
    if (a.to !== this.opts.nodeId) return;
    const p = this.pending.get(a.queryId ?? 0);
    if (!p) return this.onLateAnswer(nodeId, linkUrl, a);
    if (p.stream !== a.stream) return;
    p.answers.push({ nodeId, linkUrl, carrying: a.state === v1.Answer.State.STATE_CARRYING, via: a.via ?? [] });
  }

  /**
   * Siblings that miss at once agree on the lowest id only if their queries cross within the
   * timeout. On a starved host (measured: the fleet on a saturated machine, 2–3 copies into
   * one group) they arrive later, and each sibling has pulled from the parent. An answer from a
   * lower id that fetches or carries the stream, arriving after we chose the parent, repairs
   * that: we move our pull to it, so one copy enters the group after all ([0094]). Only toward
   * lower ids, and never to a sibling whose copy comes through us, so moves cannot loop.
   */
  private onLateAnswer(nodeId: string, linkUrl: string, a: canopy.discovery.v1.Answer.$Properties): void {
    const l = this.late.get(a.queryId ?? 0);
    if (!l || l.stream !== a.stream || l.until < Date.now()) return;
    const via = a.via ?? [];
    if (!(nodeId < this.opts.nodeId) || via.includes(this.opts.nodeId)) return;
    this.late.delete(a.queryId ?? 0);
    this.opts.onLateRival?.(l.stream, { nodeId, linkUrl, via });
  }

  private expireSiblings(): void {
    const cutoff = Date.now() - SIBLING_TTL_MS;
    for (const [id, s] of this.siblings) if (s.lastSeen < cutoff) this.siblings.delete(id);
  }

  close(): void {
    if (this.closed) return;
    this.#closed = true;
    this.late.clear();
    this.socket?.close();
    this.socket = null;
    this.log.info('closed: shutdown');
    this.emit('close');
  }
}

/** Default group for a parent: 239.255.x.y (administratively scoped, RFC 2365) from its id. */
export function defaultLanGroup(parentId: string, port = 47474): LanGroup {
  let h = 2166136261;
  for (const c of Buffer.from(parentId)) h = Math.imul(h ^ c, 16777619) >>> 0;
  return { address: `239.255.${(h >>> 8) & 0xff}.${h & 0xff || 1}`, port };
}

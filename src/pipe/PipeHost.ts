import { createSocket, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import type { HostPort } from '../config.js';
import type { Logger } from '../log.js';
import type { PipeCounters } from '../metrics.js';
import { TAIL_PROBE_MS, type PipeAddress, type PipePeer, type PipeSocket } from './PipePeer.js';
import { RTP_HEADER_BYTES } from './SrtpSession.js';
import { isAnyAddress, unmapIpv4 } from '../address.js';

/** How a link's media travels: in its WebSocket, or on a UDP pipe. */
export type MediaPath = 'ws' | 'udp';
/** --link-media: ws never pipes; udp insists on it; auto pipes when a quick handshake succeeds. */
export type LinkMediaMode = 'ws' | 'udp' | 'auto';

/** One end of one link as the pipe host sees it (for /api/state and the media-path gauge). */
export interface PipeEndpoint {
  readonly side: 'upstream' | 'downstream';
  readonly mediaPath: MediaPath;
  /** The host's tick (handshake retries and the like); keepalives are the peers'. */
  tick(now: number): void;
  /** For /api/state. */
  describe(): Record<string, unknown>;
}

export interface PipeHostOptions {
  listen: HostPort;
  counters: PipeCounters;
  logger: Logger;
  /** The host's single clock period (ms): probes, keepalives, silence checks, retries. */
  tickMs?: number;
}

/** Largest datagram read: the pipe never sends more than its payload limit plus overhead. */
const MAX_DATAGRAM = 1500;

/**
 * This node's one UDP socket for media pipes (--pipe-listen), shared by every link. Datagrams are
 * demultiplexed by source address and SSRC to the pipe negotiated for them; anything else is
 * dropped and counted as foreign. One timer drives every pipe's probes, keepalives and
 * silence checks, and every link's pipe retries; one more, armed only while media flows, sends
 * the tail probes (PipePeer.TAIL_PROBE_MS).
 *
 * `blocked` (tests and benches only) drops every pipe datagram in and out, as a firewall would;
 * `dropEvery` drops every Nth datagram sent, as a lossy path would.
 */
export interface PipeHostEvents {
  close: [];
}

export class PipeHost extends EventEmitter<PipeHostEvents> implements PipeSocket {
  readonly peers = new Map<string, PipePeer>();
  readonly endpoints = new Set<PipeEndpoint>();
  blocked = false;
  /** Tests and benches only: drop every Nth datagram sent (0: none), as a lossy path would. */
  dropEvery = 0;
  private sentCount = 0;
  /** Peers owing a tail probe, and the one timer that sends them (TAIL_PROBE_MS after a burst). */
  private readonly tails = new Set<PipePeer>();
  private tailTimer: NodeJS.Timeout | null = null;
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly log: Logger;

  constructor(readonly opts: PipeHostOptions) {
    super();
    this.log = opts.logger.child({ component: 'pipe-host' });
  }

  get counters(): PipeCounters {
    return this.opts.counters;
  }

  async listen(): Promise<void> {
    const host = this.opts.listen.host;
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.opts.listen.port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // A send error (ICMP unreachable reported on a later call) is the pipe's silence to detect, not ours to throw.
    socket.on('error', (err) => this.log.debug({ err: err.message }, 'pipe socket error'));
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo.address, rinfo.port));
    this.socket = socket;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 100);
    this.log.info({ address: this.address }, 'pipe listening');
  }

  /** The bound address (null before listen). */
  get address(): PipeAddress | null {
    if (!this.socket) return null;
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  /** Whether the socket is bound to every address (then candidates use the link's local address). */
  get wildcard(): boolean {
    return isAnyAddress(this.address?.host);
  }

  add(peer: PipePeer): void {
    const key = peer.key;
    this.peers.get(key)?.close('replaced');
    this.peers.set(key, peer);
    peer.once('close', () => {
      if (this.peers.get(key) === peer) this.peers.delete(key);
    });
  }

  armTail(peer: PipePeer): void {
    this.tails.add(peer);
    if (!this.tailTimer && !this.closed) this.tailTimer = setTimeout(() => this.flushTails(), TAIL_PROBE_MS);
  }

  private flushTails(): void {
    this.tailTimer = null;
    const now = Date.now();
    let next = Infinity;
    for (const p of this.tails) {
      if (!p.tailCheck(now)) this.tails.delete(p);
      else next = Math.min(next, p.lastSendMs + TAIL_PROBE_MS);
    }
    // Armed for the earliest probe due, not polled: a busy link resets its own deadline with every packet.
    if (next < Infinity && !this.closed) this.tailTimer = setTimeout(() => this.flushTails(), Math.max(1, next - now));
  }

  send(packet: Buffer, to: PipeAddress): void {
    if (!this.socket || this.closed || this.blocked) return;
    this.opts.counters.packetsSent.add();
    if (this.dropEvery > 0 && ++this.sentCount % this.dropEvery === 0) return;
    this.socket.send(packet, to.port, to.host);
  }

  private onMessage(msg: Buffer, host: string, port: number): void {
    if (this.blocked || this.closed) return;
    if (msg.length < RTP_HEADER_BYTES || msg.length > MAX_DATAGRAM) {
      this.opts.counters.dropped.inc({ reason: 'malformed' });
      return;
    }
    const peer = this.peers.get(`${unmapIpv4(host)}|${port}|${msg.readUInt32BE(8)}`);
    if (!peer) {
      // Not from a negotiated peer address (or not with its SSRC): never decrypted.
      this.opts.counters.dropped.inc({ reason: 'foreign' });
      return;
    }
    peer.onDatagram(msg);
  }

  private tick(): void {
    const now = Date.now();
    for (const p of [...this.peers.values()]) p.tick(now);
    for (const e of [...this.endpoints]) e.tick(now);
  }

  /** Every link's media path, for /api/state. */
  describe(): Record<string, unknown> {
    return { address: this.address, links: [...this.endpoints].map((e) => ({ side: e.side, ...e.describe() })) };
  }

  /** Links by side and media path, for the gauge and /api/state. */
  paths(): Array<[{ side: string; path: MediaPath }, number]> {
    const n = new Map<string, number>();
    for (const e of this.endpoints) n.set(`${e.side} ${e.mediaPath}`, (n.get(`${e.side} ${e.mediaPath}`) ?? 0) + 1);
    const out: Array<[{ side: string; path: MediaPath }, number]> = [];
    for (const side of ['upstream', 'downstream']) for (const path of ['ws', 'udp'] as const) out.push([{ side, path }, n.get(`${side} ${path}`) ?? 0]);
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.peers.values()]) p.close('pipe host closing');
    this.peers.clear();
    if (this.timer) clearInterval(this.timer);
    if (this.tailTimer) clearTimeout(this.tailTimer);
    this.tails.clear();
    this.socket?.close();
    this.socket = null;
    this.log.info('closed: shutdown');
    this.emit('close');
  }
}

import type { Logger } from '../log.js';
import type { canopy } from '../gen/link.js';
import type { PipeLink } from './PipeLink.js';
import { NACK_DEFAULTS, NackRequester } from '../engine/NackRequester.js';
import { candidateHost, PipePeer, type PipeAddress } from './PipePeer.js';
import type { LinkMediaMode, MediaPath, PipeEndpoint, PipeHost } from './PipeHost.js';
import type { PipeMedia } from './packet.js';
import { Reassembler } from './Reassembler.js';
import { SRTP_MATERIAL_BYTES } from './SrtpSession.js';
import type { MediaPacket } from '../media/MediaPacket.js';

type Frame = canopy.link.v1.Frame;
type Welcome = canopy.link.v1.Welcome;

export interface UplinkPipeOptions {
  host: PipeHost;
  mode: LinkMediaMode;
  logger: Logger;
  /** Hands one packet to the subscriptions fed by this sub id (as a WebSocket Media frame would). */
  /** A media packet for subscription subId (the decoded message is the packet: no copy). */
  deliver: (subId: number, packet: MediaPacket) => void;
}

/** --link-media auto: the handshake must succeed quickly, else the link stays on the WebSocket. */
export const AUTO_HANDSHAKE_MS = 1000;
/** --link-media udp: the pipe is wanted; give slow paths more time. */
export const UDP_HANDSHAKE_MS = 5000;
/** No authenticated packet for this long on a pipe that was up: media goes back to the WebSocket.
 *  With the host's 100 ms tick and the PipeClose frame's trip, the switch lands within 2 s. */
export const PIPE_SILENCE_MS = 1000;
export const PIPE_KEEPALIVE_MS = 250;
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 60_000;
/** A pipe up this long has proven itself: the next failure retries from the shortest backoff. */
const STABLE_MS = 30_000;

/**
 * The connecting side of a link's media pipe (docs/pipe.md): offers this node's pipe address
 * over the WebSocket, probes the accepting side's, and once probes crossed both ways says
 * PipeReady, after which the accepting side sends the link's media on the pipe. It repairs what
 * the pipe loses with NACKs (per subscription and track, src/engine/NackRequester.ts) sent on the
 * pipe itself, and on silence it sends PipeClose (media back to the WebSocket at once; the
 * subscriptions and their feeds are untouched) and tries again later with backoff.
 */
export class UplinkPipe implements PipeEndpoint {
  readonly side = 'upstream' as const;
  mediaPath: MediaPath = 'ws';
  /** Why the link is not on the pipe (for /api/state), or null while it is. */
  reason: string | null = 'not negotiated';
  private link: PipeLink | null = null;
  private peer: PipePeer | null = null;
  private attempt = 0;
  private offeredAt = 0;
  private retryAt = 0;
  private backoffMs = RETRY_MIN_MS;
  private upSince = 0;
  /** Loss detection on the pipe's media sequence numbers (one per pipe, over all its streams). */
  private repair: NackRequester | null = null;
  /** Puts packets split across datagrams back together (one per pipe). */
  private reassembler: Reassembler | null = null;
  private closed = false;
  private readonly log: Logger;

  constructor(readonly opts: UplinkPipeOptions) {
    this.log = opts.logger.child({ component: 'uplink-pipe' });
    opts.host.endpoints.add(this);
  }

  get handshakeMs(): number {
    return this.opts.mode === 'udp' ? UDP_HANDSHAKE_MS : AUTO_HANDSHAKE_MS;
  }

  /** A new link is up: offer a pipe on it if both ends can. */
  attach(link: PipeLink, welcome: Welcome): void {
    this.detach('new link');
    if (this.closed) return;
    this.link = link;
    this.backoffMs = RETRY_MIN_MS;
    if (this.opts.mode === 'ws') return void (this.reason = '--link-media ws');
    if (!link.authenticated) return void (this.reason = 'no cluster secret: the pipe has no keys');
    if (!welcome.pipe) return void (this.reason = 'the upstream offers no pipe');
    this.offer();
  }

  /** The link is gone: so is its pipe. */
  detach(reason: string): void {
    this.closePeer();
    this.link = null;
    this.mediaPath = 'ws';
    this.reason = reason;
    this.retryAt = 0;
    this.offeredAt = 0;
  }

  private offer(): void {
    const link = this.link;
    const addr = this.opts.host.address;
    if (!link || !addr || this.closed) return;
    this.attempt++;
    this.offeredAt = Date.now();
    this.retryAt = 0;
    const host = this.opts.host.wildcard ? (link.localAddress ?? addr.host) : addr.host;
    // fragments: this side puts packets split across datagrams back together (Reassembler).
    link.send({ pipeOffer: { attempt: this.attempt, candidates: [{ host, port: addr.port }], fragments: true } });
  }

  /** Pipe frames from the upstream; false for any other frame. */
  onFrame(f: Frame): boolean {
    if (f.pipeAnswer) {
      this.onAnswer(f.pipeAnswer);
      return true;
    }
    if (f.pipeClose) {
      if ((f.pipeClose.attempt ?? 0) === this.attempt && this.peer) this.fallBack(`upstream closed the pipe: ${f.pipeClose.reason ?? ''}`, 'closed', false);
      return true;
    }
    return false;
  }

  private onAnswer(a: canopy.link.v1.IPipeAnswer): void {
    const link = this.link;
    if (!link || (a.attempt ?? 0) !== this.attempt || this.peer || this.closed) return;
    this.offeredAt = 0;
    if (a.refused || !a.candidate?.port) {
      this.reason = `upstream refused the pipe: ${a.refused || 'no address'}`;
      this.log.info({ reason: this.reason }, 'media stays on the WebSocket');
      this.opts.host.counters.fallbacks.inc({ reason: 'refused' });
      return;
    }
    const host = candidateHost(a.candidate.host, link.remoteAddress);
    const remote: PipeAddress = { host, port: a.candidate.port };
    const peer = new PipePeer({
      socket: this.opts.host,
      remote,
      txKey: link.deriveKey(`pipe ${this.attempt} connecting->accepting`, SRTP_MATERIAL_BYTES),
      rxKey: link.deriveKey(`pipe ${this.attempt} accepting->connecting`, SRTP_MATERIAL_BYTES),
      handshakeMs: this.handshakeMs,
      silenceMs: PIPE_SILENCE_MS,
      keepaliveMs: PIPE_KEEPALIVE_MS,
      logger: this.log,
    });
    this.peer = peer;
    this.opts.host.add(peer);
    peer.on('up', () => {
      if (this.peer !== peer || !this.link) return;
      this.mediaPath = 'udp';
      this.reason = null;
      this.upSince = Date.now();
      this.link.send({ pipeReady: { attempt: this.attempt } });
      this.log.info({ remote, attempt: this.attempt }, 'media on the UDP pipe');
    });
    peer.on('failed', (why: 'handshake' | 'silent') => {
      if (this.peer !== peer) return;
      this.fallBack(why === 'silent' ? 'the pipe went silent' : `no pipe handshake in ${this.handshakeMs} ms (UDP blocked or NAT?)`, why, true);
    });
    const counters = this.opts.host.counters;
    const repair = new NackRequester({
      ...NACK_DEFAULTS,
      initialRttMs: Math.max(5, this.link?.rttMs ?? 50),
      // Retries one pipe RTT apart; on a LAN that is well under the 20 ms a browser would wait.
      minRetryMs: 10,
      sendNack: (mseqs) => peer.sendNack(mseqs),
      onGiveUp: (n) => counters.unrepaired.add(n),
    });
    this.repair = repair;
    const reassembler = new Reassembler((n) => counters.dropped.inc({ reason: 'fragments' }, n));
    this.reassembler = reassembler;
    peer.on('media', (m: PipeMedia) => this.onMedia(repair, reassembler, m));
    peer.on('tail', (mseq: number) => repair.expectUpTo(mseq, Date.now()));
  }

  /**
   * One packet from the pipe. Gaps are found on the pipe's own media sequence numbers, which
   * count every packet of every subscription and track on this link in order: a loss shows at the
   * next packet of any stream (or the next tail probe), not the next one of the same track, which
   * for audio is 20 ms later.
   */
  private onMedia(repair: NackRequester, reassembler: Reassembler, m: PipeMedia): void {
    const now = Date.now();
    // Duplicates go on too: the feed tells them apart (a live feed drops them; a time-shift
    // replay repeats packets on purpose when a keyframe request rewinds it).
    if (repair.arrive(m.mseq, now, m.retransmission) === 'recovered' && m.retransmission) this.opts.host.counters.repaired.add();
    // A piece of a packet split across datagrams goes on once the packet is whole.
    const whole = m.fragment ? reassembler.push(m, now) : m;
    if (whole) this.opts.deliver(whole.subId, whole);
  }

  /**
   * Media back to the WebSocket: tell the upstream (unless it told us), drop the pipe, retry
   * later. Subscriptions stay as they are: only the path of their Media changes.
   */
  private fallBack(reason: string, kind: string, tell: boolean): void {
    const wasUp = this.mediaPath === 'udp';
    if (tell) this.link?.send({ pipeClose: { attempt: this.attempt, reason } });
    this.closePeer();
    this.mediaPath = 'ws';
    this.reason = reason;
    if (wasUp) this.opts.host.counters.fallbacks.inc({ reason: kind });
    else if (kind === 'handshake') this.opts.host.counters.fallbacks.inc({ reason: 'handshake' });
    if (wasUp && Date.now() - this.upSince > STABLE_MS) this.backoffMs = RETRY_MIN_MS;
    this.retryAt = Date.now() + this.backoffMs;
    this.log.warn({ reason, retryInMs: this.backoffMs }, 'media back on the WebSocket');
    this.backoffMs = Math.min(RETRY_MAX_MS, this.backoffMs * 2);
  }

  private closePeer(): void {
    this.repair?.close();
    this.repair = null;
    this.reassembler?.clear();
    this.reassembler = null;
    this.peer?.close('pipe closed');
    this.peer = null;
  }

  /** The host's clock: retries, an answer that never came, repair state of gone subscriptions. */
  tick(now: number): void {
    if (this.closed || !this.link) return;
    this.reassembler?.expire(now);
    if (this.retryAt !== 0 && now >= this.retryAt) this.offer();
    else if (this.offeredAt !== 0 && now - this.offeredAt > this.handshakeMs + 1000) {
      this.offeredAt = 0;
      this.reason = 'the upstream did not answer the pipe offer';
      this.retryAt = now + this.backoffMs;
      this.backoffMs = Math.min(RETRY_MAX_MS, this.backoffMs * 2);
    }
  }

  /** For /api/state. */
  describe(): Record<string, unknown> {
    return {
      peer: this.link?.peerId ?? null,
      media: this.mediaPath,
      mode: this.opts.mode,
      reason: this.reason ?? undefined,
      pipe: this.peer ? { remote: this.peer.opts.remote, state: this.peer.state } : undefined,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.detach('closed');
    this.opts.host.endpoints.delete(this);
    this.log.debug('closed: link closed');
  }
}

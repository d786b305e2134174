import { isIPv6 } from 'node:net';
import type { Logger } from '../log.js';
import type { canopy } from '../gen/link.js';
import type { PipeLink } from './PipeLink.js';
import type { RtpHistory } from '../media/RtpHistory.js';
import { candidateHost, PipePeer, type PipeAddress } from './PipePeer.js';
import type { LinkMediaMode, MediaPath, PipeEndpoint, PipeHost } from './PipeHost.js';
import type { PipeNack } from './packet.js';
import { SRTP_MATERIAL_BYTES } from './SrtpSession.js';
import { PIPE_KEEPALIVE_MS, PIPE_SILENCE_MS, UDP_HANDSHAKE_MS } from './UplinkPipe.js';
import type { MediaPacket } from '../media/MediaPacket.js';

type Frame = canopy.link.v1.Frame;

export interface DownlinkPipeOptions {
  host: PipeHost;
  mode: LinkMediaMode;
  link: PipeLink;
  logger: Logger;
  /** The retransmission history of a track of the copy sent under this sub id, if any. */
  history: (subId: number, track: number) => RtpHistory | null;
}

/**
 * The accepting side of a link's media pipe (docs/pipe.md): answers the connecting side's
 * PipeOffer with this node's pipe address, and sends the link's media on the pipe from
 * PipeReady until PipeClose or silence. NACKs arriving on the pipe are answered from the
 * stream's retransmission history (src/media/RtpHistory.ts), with the capture time and keyframe
 * flag of the original.
 */
export class DownlinkPipe implements PipeEndpoint {
  readonly side = 'downstream' as const;
  mediaPath: MediaPath = 'ws';
  reason: string | null = 'not negotiated';
  private peer: PipePeer | null = null;
  private attempt = 0;
  private closed = false;
  private readonly log: Logger;

  constructor(readonly opts: DownlinkPipeOptions) {
    this.log = opts.logger.child({ component: 'downlink-pipe', link: opts.link.peerId });
    opts.host.endpoints.add(this);
  }

  /** Whether Welcome may say this side takes pipes. */
  static offers(host: PipeHost | null, mode: LinkMediaMode, authenticated: boolean): boolean {
    return host?.address != null && mode !== 'ws' && authenticated;
  }

  /** Pipe frames from the connecting side; false for any other frame. */
  onFrame(f: Frame): boolean {
    if (f.pipeOffer) {
      this.onOffer(f.pipeOffer);
      return true;
    }
    if (f.pipeReady) {
      // Media goes to the candidate address only once that address has answered with this
      // link's keys: the child's word alone would let it aim a stream at a third party.
      if ((f.pipeReady.attempt ?? 0) === this.attempt && this.peer && !this.peer.heard) {
        this.log.warn({ remote: this.peer.opts.remote }, 'pipe ready, but nothing authentic came from its address: media stays on the WebSocket');
      } else if ((f.pipeReady.attempt ?? 0) === this.attempt && this.peer) {
        this.mediaPath = 'udp';
        this.reason = null;
        this.log.info({ remote: this.peer.opts.remote, attempt: this.attempt }, 'media on the UDP pipe');
      }
      return true;
    }
    if (f.pipeClose) {
      if ((f.pipeClose.attempt ?? 0) === this.attempt) this.stop(`downstream closed the pipe: ${f.pipeClose.reason ?? ''}`, 'closed', false);
      return true;
    }
    return false;
  }

  private onOffer(o: canopy.link.v1.IPipeOffer): void {
    const link = this.opts.link;
    const attempt = o.attempt ?? 0;
    const refuse = (why: string): void => void link.send({ pipeAnswer: { attempt, refused: why } });
    if (this.closed) return;
    const addr = this.opts.host.address;
    if (!DownlinkPipe.offers(this.opts.host, this.opts.mode, link.authenticated) || !addr) return refuse('this node does not take pipes');
    if (attempt <= this.attempt) return refuse('stale attempt');
    const v6 = isIPv6(addr.host);
    const c = (o.candidates ?? []).slice(0, 8).find((x) => x.port && x.port < 65536 && (x.host ? isIPv6(x.host) === v6 : true));
    if (!c) return refuse("no candidate of this pipe socket's address family");
    const host = candidateHost(c.host, link.remoteAddress);
    this.stop('replaced by a new offer', 'closed', false);
    this.attempt = attempt;
    const remote: PipeAddress = { host, port: c.port! };
    const peer = new PipePeer({
      socket: this.opts.host,
      remote,
      txKey: link.deriveKey(`pipe ${attempt} accepting->connecting`, SRTP_MATERIAL_BYTES),
      rxKey: link.deriveKey(`pipe ${attempt} connecting->accepting`, SRTP_MATERIAL_BYTES),
      // The connecting side decides how long it waits; this side only must not give up first.
      handshakeMs: UDP_HANDSHAKE_MS,
      silenceMs: PIPE_SILENCE_MS,
      keepaliveMs: PIPE_KEEPALIVE_MS,
      fragments: o.fragments === true,
      logger: this.log,
    });
    this.peer = peer;
    this.opts.host.add(peer);
    peer.on('failed', (why: 'handshake' | 'silent') => {
      if (this.peer !== peer) return;
      this.stop(why === 'silent' ? 'the pipe went silent' : 'no pipe handshake', why, true);
    });
    peer.on('nack', (n: PipeNack) => this.onNack(n));
    const mine = this.opts.host.wildcard ? (link.localAddress ?? addr.host) : addr.host;
    link.send({ pipeAnswer: { attempt, candidate: { host: mine, port: addr.port } } });
  }

  /**
   * Sends one media packet on the pipe; false when the link's media is not on the pipe or the
   * packet is too large for it (the caller sends a WebSocket Media frame).
   */
  sendMedia(subId: number, packet: MediaPacket): boolean {
    const peer = this.peer;
    const n = packet.rtp.length;
    // The peer decides what fits (whole, or in pieces for a child that reassembles).
    if (this.mediaPath !== 'udp' || !peer || n < 12) return false;
    return peer.sendMedia(subId, packet, this.opts.history(subId, packet.track) === null);
  }

  /** A sub id's copy is gone: so is what we remember sending for it. */
  forget(subId: number): void {
    this.peer?.sent.forget(subId);
  }

  private onNack(n: PipeNack): void {
    const c = this.opts.host.counters;
    const peer = this.peer;
    c.nacksReceived.add(n.mseqs.length);
    const now = Date.now();
    for (const mseq of n.mseqs) {
      // The pipe's send log names the stream, track and RTP sequence number behind a media
      // sequence number; the stream's history is the authority on whether this node still has
      // the packet (its window and byte cap, docs/repair.md). Without histories
      // (--no-loss-repair) the send log's own reference serves.
      const sent = peer?.sent.get(mseq) ?? null;
      const history = sent ? this.opts.history(sent.subId, sent.packet.track) : null;
      const h = sent && history ? history.get(sent.seq, now) : null;
      const rtp = h instanceof Uint8Array ? h : history ? null : (sent?.packet.rtp ?? null);
      if (!rtp || rtp.length === 0 || !sent || !peer) {
        c.retransmitMisses.add();
        continue;
      }
      peer.resend(mseq, sent, rtp);
      c.retransmitted.add();
    }
  }

  private stop(reason: string, kind: string, tell: boolean): void {
    if (!this.peer) return;
    if (tell) this.opts.link.send({ pipeClose: { attempt: this.attempt, reason } });
    if (this.mediaPath === 'udp') {
      this.opts.host.counters.fallbacks.inc({ reason: kind });
      this.log.warn({ reason }, 'media back on the WebSocket');
    }
    this.mediaPath = 'ws';
    this.reason = reason;
    this.peer.close(reason);
    this.peer = null;
  }

  tick(): void {
    // Keepalives and silence are the peer's, on the same clock.
  }

  describe(): Record<string, unknown> {
    return {
      peer: this.opts.link.peerId,
      media: this.mediaPath,
      mode: this.opts.mode,
      reason: this.reason ?? undefined,
      pipe: this.peer ? { remote: this.peer.opts.remote, state: this.peer.state } : undefined,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The link is gone, not the path: nothing falls back.
    this.mediaPath = 'ws';
    this.stop('link closed', 'closed', false);
    this.opts.host.endpoints.delete(this);
    this.log.debug('closed: link closed');
  }
}

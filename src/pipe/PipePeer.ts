import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { PipeCounters } from '../metrics.js';
import {
  decodePipe,
  encodeMedia,
  encodeNack,
  encodeProbe,
  fragmentCount,
  MAX_FRAGMENTED_RTP,
  MAX_PIPE_PAYLOAD,
  PipeType,
  PT_CONTROL,
  PT_MEDIA,
  type PipeMedia,
  type PipeNack,
} from './packet.js';
import { SendLog, type SentPacket } from './SendLog.js';
import { SrtpSession } from './SrtpSession.js';
import { isAnyAddress, unmapIpv4 } from '../address.js';
import type { MediaPacket } from '../media/MediaPacket.js';

export interface PipeAddress {
  host: string;
  port: number;
}

/** What a peer needs from the node's pipe socket. */
export interface PipeSocket {
  send(packet: Buffer, to: PipeAddress): void;
  /** Asks for tick(…) calls of `peer.tailCheck` soon (the host's one tail-probe timer). */
  armTail(peer: PipePeer): void;
  readonly counters: PipeCounters;
}

export interface PipePeerOptions {
  socket: PipeSocket;
  remote: PipeAddress;
  /** This side's and the other side's key material (SRTP_MATERIAL_BYTES each). */
  txKey: Buffer;
  rxKey: Buffer;
  /** Give up the handshake when probes have not crossed both ways by then. */
  handshakeMs: number;
  /** Silence (no authenticated packet) this long on a pipe that was up means it is gone. */
  silenceMs: number;
  /** Probe interval while the pipe is up (keepalives); faster while it comes up. */
  keepaliveMs: number;
  /** The peer reassembles packets split across datagrams (PipeOffer.fragments); else larger ones do not fit. */
  fragments?: boolean;
  logger: Logger;
}

export type PipePeerState = 'probing' | 'up' | 'failed' | 'closed';

const PROBE_MS = 50;
/**
 * Media sent and then nothing for this long: a keepalive carrying the last media sequence number
 * follows, so a lost last packet of a burst is noticed now rather than at the next packet (a TCP
 * tail-loss probe does the same, RFC 8985 §7). Bursts end every frame: at most one small probe
 * per video frame or audio packet, on a link (not per viewer).
 */
export const TAIL_PROBE_MS = 2;
/** Tail probes run only this long after the peer last NACKed: a clean pipe pays nothing for them. */
export const TAIL_AFTER_LOSS_MS = 10_000;

/**
 * One pipe: the SRTP session between this node's pipe socket and one peer's, for one link and
 * one attempt. It probes until probes have crossed both ways (each probe says whether its
 * sender has authenticated anything from us), then keeps the path alive with keepalives and
 * declares it failed on silence. Its clock is the PipeHost's single tick.
 *
 * Events: 'up', 'failed' (reason: 'handshake' | 'silent'), 'media' (PipeMedia), 'nack' (PipeNack),
 * 'tail' (the peer's last media sequence number, from a probe), 'close'.
 */
export interface PipePeerEvents {
  up: [];
  failed: [reason: 'handshake' | 'silent'];
  media: [media: PipeMedia];
  nack: [nack: PipeNack];
  tail: [lastMseq: number];
  close: [];
}

export class PipePeer extends EventEmitter<PipePeerEvents> {
  state: PipePeerState = 'probing';
  readonly srtp: SrtpSession;
  /** We authenticated a packet from the peer (from its negotiated address, with its keys). */
  heard = false;
  private readonly startedMs = Date.now();
  private lastRxMs = 0;
  private lastProbeMs = 0;
  /** What went out under each media sequence number, for NACKs. */
  readonly sent = new SendLog();
  private txMseq = 0;
  private anyMedia = false;
  /** When the last packet went out, and whether a tail probe should follow it. */
  lastSendMs = 0;
  tailPending = false;
  /** When the peer last asked for a packet again (-Infinity: never). */
  private lastNackMs = -Infinity;

  constructor(readonly opts: PipePeerOptions) {
    super();
    this.srtp = new SrtpSession(opts.txKey, opts.rxKey);
  }

  /** Where datagrams must come from, and the SSRC they carry: the PipeHost's demultiplexing key. */
  get key(): string {
    return pipeKey(this.opts.remote, this.srtp.rxSsrc);
  }

  get up(): boolean {
    return this.state === 'up';
  }

  /**
   * Sends one media packet; false when it does not fit (the caller sends it on the WebSocket).
   * keepBytes: the send log keeps the packet's bytes for a resend (no history holds them).
   */
  sendMedia(subId: number, packet: MediaPacket, keepBytes = false): boolean {
    if (this.state === 'closed' || this.state === 'failed') return false;
    const n = packet.rtp.length;
    if (n > (this.opts.fragments ? MAX_FRAGMENTED_RTP : MAX_PIPE_PAYLOAD)) return false;
    const count = this.opts.fragments ? fragmentCount(n) : 1;
    this.anyMedia = true;
    for (let index = 0; index < count; index++) {
      const mseq = this.txMseq;
      this.txMseq = (mseq + 1) & 0xffff;
      const fragment = count > 1 ? { index, count } : null;
      this.sent.note(mseq, subId, packet, fragment, keepBytes);
      this.send(PT_MEDIA, encodeMedia(mseq, subId, packet, false, packet.rtp, fragment));
    }
    if (!this.tailPending && this.lastSendMs - this.lastNackMs < TAIL_AFTER_LOSS_MS) {
      this.tailPending = true;
      this.opts.socket.armTail(this);
    }
    return true;
  }

  /** Sends a packet again under its original media sequence number (a NACK's answer). */
  resend(mseq: number, p: SentPacket, rtp: Uint8Array): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    // A piece is cut from the packet again: the history holds the same bytes the log does.
    if (p.fragment && rtp.length !== p.length) return;
    this.send(PT_MEDIA, encodeMedia(mseq, p.subId, p.packet, true, rtp, p.fragment ?? null));
  }

  sendNack(mseqs: readonly number[]): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.opts.socket.counters.nacksSent.add(mseqs.length);
    this.send(PT_CONTROL, encodeNack(mseqs));
  }

  private send(pt: number, payload: Buffer): void {
    const now = Date.now();
    this.lastSendMs = now;
    this.opts.socket.send(this.srtp.protect(pt, payload, now), this.opts.remote);
  }

  private probe(now: number): void {
    this.lastProbeMs = now;
    this.send(PT_CONTROL, encodeProbe(this.heard, now, this.anyMedia ? (this.txMseq - 1) & 0xffff : null));
  }

  /** The host's tail-probe timer: true while the probe is not yet due (keep me armed). */
  tailCheck(now: number): boolean {
    if (!this.tailPending || this.state === 'closed' || this.state === 'failed') return (this.tailPending = false);
    if (now - this.lastSendMs < TAIL_PROBE_MS) return true;
    this.tailPending = false;
    this.probe(now);
    return false;
  }

  /** A datagram from our peer's address with our peer's SSRC (the PipeHost checked both). */
  onDatagram(packet: Buffer): void {
    if (this.state === 'closed') return;
    const c = this.opts.socket.counters;
    const r = this.srtp.unprotect(packet);
    if (typeof r === 'string') {
      c.dropped.inc({ reason: r === 'replay' ? 'replay' : 'auth' });
      return;
    }
    const msg = decodePipe(r.payload);
    if (!msg) {
      c.dropped.inc({ reason: 'malformed' });
      return;
    }
    c.packetsReceived.add();
    const now = Date.now();
    this.lastRxMs = now;
    const first = !this.heard;
    this.heard = true;
    if (msg.type === PipeType.Probe) {
      if (msg.lastMseq !== null) this.emit('tail', msg.lastMseq);
      if (msg.seen && this.state === 'probing') {
        this.state = 'up';
        this.probe(now); // tell the peer at once that we hear it too
        this.emit('up');
      } else if (first) this.probe(now);
      return;
    }
    if (msg.type === PipeType.Media) this.emit('media', msg as PipeMedia);
    else {
      this.lastNackMs = now;
      this.emit('nack', msg as PipeNack);
    }
  }

  /** The PipeHost's clock: probes, keepalives, handshake deadline, silence. */
  tick(now: number): void {
    if (this.state === 'probing') {
      if (now - this.startedMs > this.opts.handshakeMs) return this.fail('handshake');
      if (now - this.lastProbeMs >= PROBE_MS) this.probe(now);
    } else if (this.state === 'up') {
      if (now - this.lastRxMs > this.opts.silenceMs) return this.fail('silent');
      if (now - this.lastProbeMs >= this.opts.keepaliveMs) this.probe(now);
    }
  }

  private fail(reason: 'handshake' | 'silent'): void {
    this.state = 'failed';
    this.opts.logger.info({ remote: this.opts.remote, reason }, 'pipe failed');
    this.emit('failed', reason);
  }

  close(reason = 'closed'): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.opts.logger.debug(`closed: ${reason}`);
    this.emit('close');
  }
}

export function pipeKey(a: PipeAddress, ssrc: number): string {
  return `${unmapIpv4(a.host)}|${a.port}|${ssrc}`;
}

/**
 * Where to send to a peer's pipe candidate: a candidate without a host, or with the unspecified
 * address (a socket bound to every interface), is reached at the address its link came from.
 */
export function candidateHost(host: string | null | undefined, linkRemote: string | undefined): string {
  const h = host ?? '';
  return h === '' || isAnyAddress(h) ? (linkRemote ?? h) : h;
}

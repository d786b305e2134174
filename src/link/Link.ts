import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { CanopyError, ErrorCode, errorName, fromWsCloseCode, toCanopyError, wsCloseCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { canopy } from '../gen/link.js';
import type { LinkKeys } from './auth.js';
import type { Counter } from '../metrics.js';
import { decodeFrame, encodeFrame, type Frame } from './frame.js';
import { FaultLog } from '../faults.js';
import { unmapIpv4 } from '../address.js';

type FrameProps = Parameters<typeof encodeFrame>[0];

export interface LinkOptions {
  logger: Logger;
  /** The node at the other end. */
  peerId: string;
  heartbeatMs: number;
  maxFrameBytes: number;
  /** Past this many bytes queued on the socket, media frames are dropped (control frames never are). */
  maxBufferedBytes?: number;
  /** Which end of the handshake this side was. */
  side?: 'accepting' | 'connecting';
  /** Key material of an authenticated handshake; null on a link without a cluster secret. */
  keys?: LinkKeys | null;
  /** The socket's addresses, for the UDP pipe's candidates (docs/pipe.md). */
  localAddress?: string;
  remoteAddress?: string;
  /** Counts every frame but media (issue 14: control traffic per node). */
  counters?: LinkCounters;
}

export interface LinkCounters {
  controlIn: Counter;
  controlOut: Counter;
  /** canopy_consumer_errors_total: a frame handler's bug is counted as kind "link_listener". */
  faults?: Counter;
}

/**
 * One established relay link (after Hello/Welcome): typed frames over a WebSocket, with a
 * heartbeat, size limits and coded closes. Either side may be the child.
 *
 * Events: 'frame' (Frame), 'ping' (Ping with a status), 'close' (code: ErrorCode, reason: string).
 */
export interface LinkEvents {
  frame: [frame: Frame];
  ping: [ping: canopy.link.v1.Ping];
  close: [code: ErrorCode, reason: string];
}

export class Link extends EventEmitter<LinkEvents> {
  #closed = false;
  /** Whether close() ran (only this object sets it). */
  get closed(): boolean {
    return this.#closed;
  }
  rttMs = 0;
  /** What this side's pings carry besides the time (its status; see proto Ping). */
  pingExtras: (() => Omit<canopy.link.v1.Ping.$Properties, 'sentMs'>) | null = null;
  mediaDropped = 0;
  private lastRx = Date.now();
  private readonly heartbeat: NodeJS.Timeout;
  readonly log: Logger;
  private readonly faults: FaultLog;

  constructor(
    private readonly ws: WebSocket,
    readonly opts: LinkOptions,
  ) {
    super();
    this.log = opts.logger.child({ link: opts.peerId });
    this.faults = new FaultLog(this.log, opts.counters?.faults);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code, reason) => {
      const c = fromWsCloseCode(code) ?? ErrorCode.LINK_CLOSED;
      this.finish(c, reason.toString() || `socket closed (${code})`);
    });
    ws.on('error', (err) => this.close(ErrorCode.LINK_CLOSED, err.message));
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs);
  }

  get peerId(): string {
    return this.opts.peerId;
  }

  /** This end's address on the link's socket (IPv4-mapped IPv6 shown as IPv4). */
  get localAddress(): string | undefined {
    return this.opts.localAddress === undefined ? undefined : unmapIpv4(this.opts.localAddress);
  }

  /** The peer's address on the link's socket. */
  get remoteAddress(): string | undefined {
    return this.opts.remoteAddress === undefined ? undefined : unmapIpv4(this.opts.remoteAddress);
  }

  /** Whether both sides proved the cluster secret in this link's handshake. */
  get authenticated(): boolean {
    return this.opts.keys != null;
  }

  /**
   * Key material private to this link: HKDF-SHA256 over the cluster secret and both
   * handshake nonces (src/link/auth.ts), the same at both ends, never sent. Label each use
   * and direction (e.g. "srtp accepting->connecting"). Throws on a link without a secret.
   */
  deriveKey(label: string, bytes: number): Buffer {
    if (!this.opts.keys) throw new CanopyError(ErrorCode.LINK_AUTH, 'this link was not authenticated (no cluster secret): it has no key material');
    return this.opts.keys.derive(label, bytes);
  }

  private beat(): void {
    if (Date.now() - this.lastRx > this.opts.heartbeatMs * 3) {
      this.close(ErrorCode.LINK_HEARTBEAT, `no frame for ${Date.now() - this.lastRx} ms`);
      return;
    }
    this.send({ ping: { sentMs: Date.now(), ...this.pingExtras?.() } });
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    this.lastRx = Date.now();
    let frame: Frame;
    try {
      if (!isBinary) throw new CanopyError(ErrorCode.LINK_MALFORMED, 'text frame on a binary link');
      frame = decodeFrame(data, this.opts.maxFrameBytes);
    } catch (err) {
      const e = toCanopyError(err);
      this.close(e.code, e.message);
      return;
    }
    if (!frame.media) this.opts.counters?.controlIn.add();
    if (frame.ping) {
      this.send({ pong: { sentMs: frame.ping.sentMs } });
      // The peer's status rides on its pings (load for parent choice and relay choice).
      if (frame.ping.status || frame.ping.hasPeers || frame.ping.hasSubtree) this.emit('ping', frame.ping as canopy.link.v1.Ping);
      return;
    }
    if (frame.pong) {
      this.rttMs = Date.now() - (frame.pong.sentMs ?? 0);
      return;
    }
    try {
      this.emit('frame', frame);
    } catch (err) {
      // A CanopyError is a handler's verdict on the peer's frame (LINK_PROTOCOL: an unexpected
      // frame, a sub id in use): the link closes with its code. Anything else is a bug on this
      // node, not the peer's doing: it is counted and logged here, and the link carries on.
      if (err instanceof CanopyError && err.code !== ErrorCode.INTERNAL) this.close(err.code, err.message);
      else this.faults.report(this, err, { kind: 'link_listener', peer: this.opts.peerId, frame: frame.msg });
    }
  }

  send(frame: FrameProps): boolean {
    if (this.closed) return false;
    this.ws.send(encodeFrame(frame));
    this.opts.counters?.controlOut.add();
    return true;
  }

  /** Sends one media frame, or drops it when the peer cannot keep up. */
  sendMedia(media: canopy.link.v1.Media.$Properties): boolean {
    if (this.closed) return false;
    if (this.ws.bufferedAmount > (this.opts.maxBufferedBytes ?? 4 * 1024 * 1024)) {
      this.mediaDropped++;
      return false;
    }
    this.ws.send(encodeFrame({ media }));
    return true;
  }

  close(code: ErrorCode, reason: string): void {
    if (this.closed) return;
    if (code !== ErrorCode.LINK_CLOSED && code !== ErrorCode.SHUTDOWN) this.log.warn({ code: errorName(code), reason }, 'closing link');
    try {
      // Close reasons are limited to 123 bytes (RFC 6455 §5.5).
      this.ws.close(wsCloseCode(code), Buffer.from(reason).subarray(0, 120).toString());
    } catch {
      this.ws.terminate();
    }
    // Do not wait for a peer that never answers the close handshake.
    setTimeout(() => this.ws.terminate(), 2000).unref();
    this.finish(code, reason);
  }

  private finish(code: ErrorCode, reason: string): void {
    if (this.closed) return;
    this.#closed = true;
    clearInterval(this.heartbeat);
    this.log.info(`closed: ${reason}`);
    this.emit('close', code, reason);
  }
}

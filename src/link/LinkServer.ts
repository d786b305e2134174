import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, errorName, toCanopyError, wsCloseCode } from '../errors.js';
import type { Logger } from '../log.js';
import { checkHelloToken } from './auth.js';
import { decodeFrame, encodeFrame, PROTOCOL_VERSION } from './frame.js';
import { Link, type LinkCounters } from './Link.js';
import type { canopy } from '../gen/link.js';

export interface LinkServerOptions {
  nodeId: string;
  /** Random per process start, sent in Welcome. */
  instance: string;
  /** This node's level; null while it does not know it yet (its own parent link is down). */
  level: () => number | null;
  secret?: string;
  heartbeatMs: number;
  maxFrameBytes: number;
  helloTimeoutMs?: number;
  maxLinks?: number;
  /** Control frames on accepted links (each link is counted at its upstream end). */
  linkCounters?: LinkCounters;
  logger: Logger;
}

export type Hello = canopy.link.v1.Hello;

/**
 * Accepts relay links on this node's /relay endpoint: checks Hello (version, token), answers
 * Welcome with this node's level, and hands out established Links.
 *
 * Events: 'link' (link: Link, hello: Hello).
 */
export class LinkServer extends EventEmitter {
  readonly links = new Set<Link>();
  private readonly pending = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private closed = false;
  private readonly log: Logger;

  constructor(private readonly opts: LinkServerOptions) {
    super();
    this.log = opts.logger.child({ component: 'link-server' });
    // ws enforces a hard cap well above the frame limit; the frame limit itself gives a coded close.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes * 2, perMessageDeflate: false });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed || this.links.size + this.pending.size >= (this.opts.maxLinks ?? 1024)) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, req.socket.remoteAddress ?? '?'));
  }

  private onSocket(ws: WebSocket, remote: string): void {
    this.pending.add(ws);
    const reject = (code: ErrorCode, reason: string): void => {
      this.log.warn({ remote, code: errorName(code), reason }, 'link refused');
      ws.close(wsCloseCode(code), reason.slice(0, 120));
      setTimeout(() => ws.terminate(), 1000).unref();
    };
    const timer = setTimeout(() => reject(ErrorCode.LINK_PROTOCOL, 'no hello in time'), this.opts.helloTimeoutMs ?? 5000);
    ws.on('close', () => {
      clearTimeout(timer);
      this.pending.delete(ws);
    });
    ws.on('error', () => ws.terminate());
    ws.once('message', (data, isBinary) => {
      clearTimeout(timer);
      let hello: canopy.link.v1.Hello.$Properties | null | undefined;
      try {
        if (!isBinary) return reject(ErrorCode.LINK_MALFORMED, 'text frame on a binary link');
        hello = decodeFrame(data as Buffer, this.opts.maxFrameBytes).hello;
      } catch (err) {
        const e = toCanopyError(err);
        return reject(e.code, e.message);
      }
      if (!hello?.nodeId) return reject(ErrorCode.LINK_PROTOCOL, 'first frame must be a hello with a node id');
      if (hello.protocolVersion !== PROTOCOL_VERSION) return reject(ErrorCode.LINK_VERSION, `protocol version ${hello.protocolVersion} not supported (want ${PROTOCOL_VERSION})`);
      if (this.opts.secret && !checkHelloToken(this.opts.secret, hello.nodeId, hello.timestampMs ?? 0, hello.token ?? '')) {
        return reject(ErrorCode.LINK_AUTH, 'bad or expired hello token');
      }
      const level = this.opts.level();
      if (level === null) return reject(ErrorCode.LINK_NOT_READY, 'this node has no upstream yet');
      this.pending.delete(ws);
      ws.removeAllListeners('close');
      ws.removeAllListeners('error');
      const welcome: v1Welcome = {
        nodeId: this.opts.nodeId,
        protocolVersion: PROTOCOL_VERSION,
        level,
        heartbeatMs: this.opts.heartbeatMs,
        maxFrameBytes: this.opts.maxFrameBytes,
        instance: this.opts.instance,
      };
      ws.send(encodeFrame({ welcome }));
      const link = new Link(ws, { logger: this.opts.logger, peerId: hello.nodeId, heartbeatMs: this.opts.heartbeatMs, maxFrameBytes: this.opts.maxFrameBytes, counters: this.opts.linkCounters });
      this.links.add(link);
      link.once('close', () => this.links.delete(link));
      this.log.info({ peer: hello.nodeId, remote, role: hello.role }, 'link accepted');
      this.emit('link', link, hello as Hello);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of [...this.links]) l.close(ErrorCode.SHUTDOWN, 'node shutting down');
    for (const ws of this.pending) ws.terminate();
    this.wss.close();
  }
}

type v1Welcome = canopy.link.v1.Welcome.$Properties;

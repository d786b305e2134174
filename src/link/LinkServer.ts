import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, errorName, toCanopyError, wsCloseCode } from '../errors.js';
import type { Logger } from '../log.js';
import { checkLinkProof, LINK_NONCE_BYTES, LinkKeys, linkProof, newLinkNonce, secretKey, type LinkTranscript } from './auth.js';
import { decodeFrame, encodeFrame, LINK_VERSION_HEADER, PROTOCOL_VERSION, v1 } from './frame.js';
import { Link, type LinkCounters } from './Link.js';
import type { canopy } from '../gen/link.js';

export interface LinkServerOptions {
  nodeId: string;
  /** Random per process start, sent in Welcome. */
  instance: string;
  /** This node's level; null while it does not know it yet (its own parent link is down). */
  level: () => number | null;
  /** The cluster secret; absent only with --insecure-no-cluster-secret. */
  /** Node ids from the origin down to this node (sent in Welcome, for loop avoidance). */
  path?: () => string[];
  /** This node's status, sent in Welcome (load, for parent choice). */
  status?: () => canopy.link.v1.NodeStatus.$Properties;
  secret?: string;
  heartbeatMs: number;
  maxFrameBytes: number;
  helloTimeoutMs?: number;
  maxLinks?: number;
  /** Handshakes in progress at once; more are refused at the upgrade (503). */
  maxPending?: number;
  /** Whether this node takes UDP media pipes on an authenticated link (Welcome.pipe). */
  pipe?: () => boolean;
  /** Control frames on accepted links (each link is counted at its upstream end). */
  linkCounters?: LinkCounters;
  logger: Logger;
}

export type Hello = canopy.link.v1.Hello;

const MAX_NODE_ID = 128;

/**
 * Accepts relay links on this node's /relay endpoint: sends a fresh Challenge, checks the
 * Hello (version, proof over this connection's nonces), answers Welcome with its own proof and
 * this node's level, and hands out established Links. A link that does not authenticate is
 * closed with LINK_AUTH before it can send anything else.
 *
 * Events: 'link' (link: Link, hello: Hello), 'refused' (code name).
 */
export interface LinkServerEvents {
  link: [link: Link, hello: Hello];
  refused: [code: string];
}

export class LinkServer extends EventEmitter<LinkServerEvents> {
  readonly links = new Set<Link>();
  private readonly pending = new Set<WebSocket>();
  private readonly wss: WebSocketServer;
  private readonly key: Buffer | null;
  private closed = false;
  private readonly log: Logger;

  constructor(private readonly opts: LinkServerOptions) {
    super();
    this.log = opts.logger.child({ component: 'link-server' });
    this.key = secretKey(opts.secret);
    // ws enforces a hard cap well above the frame limit; the frame limit itself gives a coded close.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxFrameBytes * 2, perMessageDeflate: false });
    this.wss.on('headers', (headers) => headers.push(`${LINK_VERSION_HEADER}: ${PROTOCOL_VERSION}`));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed || this.links.size + this.pending.size >= (this.opts.maxLinks ?? 1024) || this.pending.size >= (this.opts.maxPending ?? 64)) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 2\r\n\r\n');
      return;
    }
    const version = req.headers[LINK_VERSION_HEADER.toLowerCase()];
    const local = req.socket.localAddress;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, req.socket.remoteAddress ?? '?', typeof version === 'string' ? version : null, local));
  }

  private onSocket(ws: WebSocket, remote: string, version: string | null, local?: string): void {
    this.pending.add(ws);
    const reject = (code: ErrorCode, reason: string): void => {
      this.log.warn({ remote, code: errorName(code), reason }, 'link refused');
      this.emit('refused', errorName(code));
      ws.removeAllListeners('message');
      ws.close(wsCloseCode(code), reason.slice(0, 120));
      setTimeout(() => ws.terminate(), 1000).unref();
    };
    const timer = setTimeout(() => reject(ErrorCode.LINK_PROTOCOL, 'no hello in time'), this.opts.helloTimeoutMs ?? 5000);
    ws.on('close', () => {
      clearTimeout(timer);
      this.pending.delete(ws);
    });
    ws.on('error', () => ws.terminate());
    if (version !== null && version !== String(PROTOCOL_VERSION)) {
      clearTimeout(timer);
      return reject(ErrorCode.LINK_VERSION, `link protocol ${version.slice(0, 8)} not supported: this node speaks ${PROTOCOL_VERSION}`);
    }
    const serverNonce = newLinkNonce();
    // A peer that sent no version header speaks version 1 (or is not a Canopy node): its
    // first frame, a version-1 Hello, gets a coded LINK_VERSION close it can report.
    if (version !== null) {
      ws.send(
        encodeFrame({ challenge: { protocolVersion: PROTOCOL_VERSION, nonce: serverNonce, nodeId: this.opts.nodeId, authenticated: this.key !== null } }),
      );
    }
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
      if (hello && hello.protocolVersion !== PROTOCOL_VERSION) {
        return reject(ErrorCode.LINK_VERSION, `link protocol ${hello.protocolVersion ?? 0} not supported: this node speaks ${PROTOCOL_VERSION}`);
      }
      if (version === null) return reject(ErrorCode.LINK_PROTOCOL, `no ${LINK_VERSION_HEADER} header on the upgrade`);
      if (!hello?.nodeId || hello.nodeId.length > MAX_NODE_ID) return reject(ErrorCode.LINK_PROTOCOL, 'first frame must be a hello with a node id');
      const role = hello.role ?? 0;
      if (role !== v1.Hello.Role.ROLE_CHILD && role !== v1.Hello.Role.ROLE_SIBLING) return reject(ErrorCode.LINK_PROTOCOL, 'hello needs a role');
      if (hello.nonce?.length !== LINK_NONCE_BYTES) return reject(ErrorCode.LINK_PROTOCOL, `hello needs a ${LINK_NONCE_BYTES}-byte nonce`);
      const t: LinkTranscript = { serverNonce, clientNonce: hello.nonce, serverId: this.opts.nodeId, clientId: hello.nodeId, role };
      if (this.key && !checkLinkProof(this.key, 'client', t, hello.proof)) {
        return reject(ErrorCode.LINK_AUTH, 'hello does not prove the cluster secret for this connection');
      }
      const level = this.opts.level();
      if (level === null) return reject(ErrorCode.LINK_NOT_READY, 'this node has no upstream yet');
      const path = this.opts.path?.() ?? [this.opts.nodeId];
      // A child that is our ancestor would close a loop (we pull, directly or not, from it).
      if (role === v1.Hello.Role.ROLE_CHILD && path.includes(hello.nodeId)) return reject(ErrorCode.LINK_LOOP, `${hello.nodeId} is an ancestor of this node`);
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
        proof: this.key ? linkProof(this.key, 'server', t) : new Uint8Array(0),
        path,
        status: this.opts.status?.(),
        pipe: this.key !== null && (this.opts.pipe?.() ?? false),
      };
      ws.send(encodeFrame({ welcome }));
      const link = new Link(ws, {
        logger: this.opts.logger,
        peerId: hello.nodeId,
        heartbeatMs: this.opts.heartbeatMs,
        maxFrameBytes: this.opts.maxFrameBytes,
        side: 'accepting',
        keys: this.key ? new LinkKeys(this.key, t) : null,
        localAddress: local,
        remoteAddress: remote,
        counters: this.opts.linkCounters,
      });
      this.links.add(link);
      link.once('close', () => this.links.delete(link));
      this.log.info({ peer: hello.nodeId, remote, role: hello.role, authenticated: link.authenticated }, 'link accepted');
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

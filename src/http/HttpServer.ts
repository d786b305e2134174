import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { isAnyAddress } from '../address.js';
import type { HostPort } from '../config.js';
import type { Listener } from './admin.js';
import type { TlsIdentity } from './TlsIdentity.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, listener: Listener) => void;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpServerOptions {
  listen: HostPort;
  /** A second listener for admin endpoints only (--admin-listen). */
  adminListen?: HostPort;
  /** https:// and wss:// on both listeners. */
  /** https:// and wss://; the identity re-reads its files on SIGHUP and updates these listeners. */
  tls?: TlsIdentity;
  handle: RequestHandler;
  /** WebSocket upgrades on the public listener, by path; any other path is a 404. */
  upgrades?: Readonly<Record<string, UpgradeHandler>>;
  /** True while every upgrade is refused (draining, nothing to serve it): 503 with Retry-After. */
  refuseUpgrades?: () => boolean;
}

/** A listener's URL for others on this host: a wildcard address becomes loopback, an IPv6 one is bracketed (RFC 3986 §3.2.2). */
export function listenerUrl(scheme: string, listenHost: string, port: number): string {
  const host = isAnyAddress(listenHost) ? '127.0.0.1' : listenHost;
  return `${scheme}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** Answers an upgrade request on its raw socket (no WebSocket was made) and closes it. */
export function endUpgrade(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  const lines = Object.entries({ ...headers, Connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.end(`HTTP/1.1 ${status}\r\n${lines.join('')}\r\n`);
}

/**
 * A node's HTTP listeners: the public one (WHIP/WHEP, /relay links, health) and the optional
 * admin one, both over TLS when configured. It owns the sockets, the URLs others use to reach
 * them, and the WebSocket upgrade dispatch; what a request means is the handler's business.
 */
export class HttpServer {
  readonly server: Server;
  /** The admin listener (--admin-listen), if any. */
  readonly adminServer: Server | null;

  constructor(private readonly opts: HttpServerOptions) {
    const make = (listener: Listener): Server =>
      opts.tls ? opts.tls.createServer((req, res) => opts.handle(req, res, listener)) : createServer((req, res) => opts.handle(req, res, listener));
    this.server = make('public');
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.adminServer = opts.adminListen ? make('admin') : null;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let path = '';
    try {
      path = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      // not a path we serve
    }
    const handler = Object.hasOwn(this.opts.upgrades ?? {}, path) ? this.opts.upgrades![path] : undefined;
    if (this.opts.refuseUpgrades?.()) endUpgrade(socket, '503 Service Unavailable', { 'Retry-After': '2' });
    else if (handler) handler(req, socket, head);
    else endUpgrade(socket, '404 Not Found');
  }

  /** Listens on the public address, then the admin one. */
  async listen(): Promise<void> {
    await listenOn(this.server, this.opts.listen);
    if (this.adminServer) await listenOn(this.adminServer, this.opts.adminListen!);
  }

  get listening(): boolean {
    return this.server.listening;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get scheme(): 'http' | 'https' {
    return this.opts.tls ? 'https' : 'http';
  }

  get url(): string {
    return listenerUrl(this.scheme, this.opts.listen.host, this.port);
  }

  /** The admin listener's URL, when --admin-listen is set. */
  get adminUrl(): string | null {
    const a = this.adminServer?.address() as AddressInfo | null | undefined;
    return a ? listenerUrl(this.scheme, this.opts.adminListen!.host, a.port) : null;
  }

  /** Closes both listeners and every connection on them. */
  async close(): Promise<void> {
    for (const server of [this.server, this.adminServer]) {
      if (!server) continue;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

function listenOn(server: Server, at: HostPort): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

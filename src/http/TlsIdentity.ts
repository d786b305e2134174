import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createSecureContext } from 'node:tls';
import { CanopyError, ErrorCode } from '../errors.js';
import { TypedEmitter } from '../events.js';

export interface TlsFiles {
  /** PEM certificate (chain). */
  cert: string;
  /** PEM private key of the certificate. */
  key: string;
}

export interface TlsIdentityEvents {
  /** New files were loaded (a rotation): servers made here already present them. */
  reloaded: [];
}

/**
 * A node's TLS certificate and key (--tls-cert, --tls-key): read from their files once, at
 * start, and again only when reload() is called (SIGHUP: src/node/cli.ts), so an operator can
 * rotate certificates without a restart. Every HTTPS server made by createServer() presents the
 * new pair from the next handshake on (tls.Server.setSecureContext); connections already open
 * keep the one they negotiated. A reload that fails (a file missing, a key that does not match
 * the certificate) keeps the pair in use and throws.
 */
export class TlsIdentity extends TypedEmitter<TlsIdentityEvents> {
  private pair: { cert: Buffer; key: Buffer };
  private readonly servers = new Set<Server>();

  constructor(readonly files: TlsFiles) {
    super();
    this.pair = TlsIdentity.read(files);
  }

  /** Reads and checks a pair (createSecureContext fails on a key that does not match the certificate). */
  private static read(files: TlsFiles): { cert: Buffer; key: Buffer } {
    let pair: { cert: Buffer; key: Buffer };
    try {
      pair = { cert: readFileSync(files.cert), key: readFileSync(files.key) };
      createSecureContext(pair);
    } catch (err) {
      throw new CanopyError(ErrorCode.CONFIG, `cannot load TLS certificate ${files.cert} and key ${files.key}: ${(err as Error).message}`);
    }
    return pair;
  }

  get cert(): Buffer {
    return this.pair.cert;
  }

  get key(): Buffer {
    return this.pair.key;
  }

  /** An HTTPS server presenting this identity, now and after every reload. */
  createServer(handler: RequestListener): Server {
    const server = createServer({ cert: this.pair.cert, key: this.pair.key }, handler);
    this.servers.add(server);
    server.once('close', () => this.servers.delete(server));
    return server;
  }

  /** Re-reads the files; the servers present the new pair to new connections. Throws (keeping the old pair) on a bad pair. */
  reload(): void {
    const pair = TlsIdentity.read(this.files);
    this.pair = pair;
    for (const s of this.servers) s.setSecureContext({ cert: pair.cert, key: pair.key });
    this.safeEmit('reloaded');
  }
}

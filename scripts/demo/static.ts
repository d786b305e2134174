import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';

export interface StaticServerOptions {
  host: string;
  port: number;
  root: string;
  /** Exact request paths (e.g. `/tree.json`) answered with the JSON of the producer's return value. */
  extra?: Record<string, () => unknown>;
  /** Path prefixes served from another directory, e.g. `/vendor/hls.js/` from node_modules/hls.js/dist. */
  mounts?: Record<string, string>;
}

/** The player library the watch page falls back to (hls.js, from npm). */
export const VENDOR_MOUNTS: Record<string, string> = {
  '/vendor/hls.js/': resolve(new URL('../../node_modules/hls.js/dist/', import.meta.url).pathname),
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export async function serveStatic(opts: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(opts.root);
  const extra = opts.extra ?? {};

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy(err instanceof Error ? err : undefined);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    const pathname = decodePath(req.url ?? '/');
    if (pathname === null) {
      send(res, 400, 'text/plain; charset=utf-8', 'bad request\n');
      return;
    }
    const producer = Object.hasOwn(extra, pathname) ? extra[pathname] : undefined;
    if (producer) {
      send(res, 200, CONTENT_TYPES['.json']!, JSON.stringify(producer()), req.method === 'HEAD');
      return;
    }

    const mount = Object.keys(opts.mounts ?? {}).find((m) => pathname.startsWith(m));
    const base = mount ? resolve(opts.mounts![mount]!) : root;
    let file = resolve(base, '.' + (mount ? pathname.slice(mount.length - 1) : pathname));
    if (file !== base && !file.startsWith(base + sep)) {
      send(res, 403, 'text/plain; charset=utf-8', 'forbidden\n');
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = resolve(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.close((err) => (err ? fail(err) : ok()));
        // Browsers hold keep-alive sockets (and the index page polls); don't let them delay close().
        server.closeAllConnections();
      }),
  };
}

/** Returns the decoded pathname, or null when it is malformed or contains a NUL byte. */
function decodePath(url: string): string | null {
  try {
    const pathname = decodeURIComponent(new URL(url, 'http://x').pathname);
    return pathname.includes('\0') ? null : pathname;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(headOnly ? undefined : body);
}

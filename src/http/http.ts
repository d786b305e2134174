import type { IncomingMessage, ServerResponse } from 'node:http';
import { CanopyError, ErrorCode, toCanopyError } from '../errors.js';
import { unmapIpv4 } from '../address.js';

/** Origins allowed to call an endpoint from a browser: any ('*') or a list. */
export type CorsPolicy = '*' | readonly string[];

const CORS_COMMON: Record<string, string> = {
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, If-Match',
  'Access-Control-Expose-Headers': 'Location, ETag, Link, Accept-Post, Accept-Patch, Retry-After, WWW-Authenticate, Canopy-Start, Canopy-Notice',
  'Access-Control-Max-Age': '600',
};

/**
 * CORS: WHIP/WHEP players and publishers are usually served from another origin. With a list,
 * only a listed Origin is echoed back (and caches keyed on it); otherwise no CORS header at
 * all, and the browser keeps the answer from the page.
 */
export function setCors(res: ServerResponse, req?: IncomingMessage, policy: CorsPolicy = '*'): void {
  res.setHeader('Vary', 'Origin');
  let allow: string | null = null;
  if (policy === '*') allow = '*';
  else {
    const origin = req?.headers.origin;
    if (origin && policy.includes(origin)) allow = origin;
  }
  if (allow === null) return;
  res.setHeader('Access-Control-Allow-Origin', allow);
  for (const [k, v] of Object.entries(CORS_COMMON)) res.setHeader(k, v);
}

/** Removes CORS headers set earlier (a route that turned out to be an admin endpoint). */
export function clearCors(res: ServerResponse): void {
  res.removeHeader('Access-Control-Allow-Origin');
  for (const k of Object.keys(CORS_COMMON)) res.removeHeader(k);
}

/** How long to keep reading (and discarding) an oversize body after answering 413. */
const DRAIN_AFTER_413_MS = 2000;
const DRAIN_AFTER_413_BYTES = 1024 * 1024;

/**
 * Reads a request body up to limit bytes. A larger one (declared, or chunked and growing) is a
 * 413: the caller answers it, and the rest of the body is read and discarded for a moment so
 * the client can read that answer before the connection closes (closing a socket with unread
 * data resets it, and the client would see no answer).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    const tooLarge = (): void => {
      req.removeAllListeners('data');
      req.removeAllListeners('end');
      discardRest(req);
      reject(new CanopyError(ErrorCode.PAYLOAD_TOO_LARGE, `body over ${limit} bytes`));
    };
    if (declared > limit) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) return tooLarge();
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Reads and drops what is left of a body, then closes the connection (bounded in bytes and time). */
function discardRest(req: IncomingMessage): void {
  let dropped = 0;
  const done = (): void => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(done, DRAIN_AFTER_413_MS);
  timer.unref();
  req.on('data', (c: Buffer) => {
    dropped += c.length;
    if (dropped > DRAIN_AFTER_413_BYTES) done();
  });
  req.on('end', () => clearTimeout(timer));
  req.resume();
}

/** The one-line reason each error response gave, for the request log (requestLogLevel). */
const reasons = new WeakMap<ServerResponse, string>();

/** The reason an error response (4xx, 5xx) was sent with. */
export function errorReason(res: ServerResponse): string | undefined {
  return reasons.get(res);
}

/**
 * How a client error (4xx) is logged: info, so an operator sees why a publisher or a viewer was
 * turned away (bad token, unknown stream, malformed offer), except what scanners and browsers
 * produce by the thousand: unknown paths outside WHIP/WHEP (favicon.ico, /wp-login.php) and
 * the per-address rate limit (429), at debug.
 */
export function clientErrorLevel(status: number, path: readonly string[]): 'info' | 'debug' {
  if (status === 429) return 'debug';
  if (status === 404 && path[0] !== 'whip' && path[0] !== 'whep') return 'debug';
  return 'info';
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (status >= 400) reasons.set(res, body.trim().slice(0, 200));
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body.endsWith('\n') ? body : `${body}\n`);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * An error that tells the client when to try again, with Retry-After: 503 when the node itself
 * has no room (RFC 9110 §15.6.4), 429 when this one client asked too often (RATE_LIMITED,
 * RFC 6585 §4).
 */
export class RetryLaterError extends CanopyError {
  constructor(
    message: string,
    readonly retryAfterS: number,
    code: typeof ErrorCode.UNAVAILABLE | typeof ErrorCode.RATE_LIMITED = ErrorCode.UNAVAILABLE,
  ) {
    super(code, message);
  }
}

/** Answers an error with its RFC status and a one-line reason. */
export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): void {
  const e = toCanopyError(err);
  const extra = { ...headers };
  if (e.status === 503 || e.status === 429) extra['Retry-After'] ??= String(e instanceof RetryLaterError ? e.retryAfterS : 2);
  // RFC 6750 §3: a 401 names the scheme it wants.
  if (e.status === 401) extra['WWW-Authenticate'] ??= 'Bearer realm="canopy"';
  if (e.code === ErrorCode.PAYLOAD_TOO_LARGE) extra.Connection = 'close';
  sendText(res, e.status, e.message.split('\n')[0]!, extra);
}

export function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m ? m[1]!.trim() : null;
}

/**
 * The credential of a request: the Authorization Bearer token, else the `access_token` query
 * parameter (RFC 6750 §2.3). The parameter is how a token survives a redirect: browsers drop
 * Authorization when they follow one to another origin, so redirects carry it in the URL.
 */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  return bearerToken(req) ?? (url.searchParams.get('access_token') || null);
}

/**
 * A request's path and query for a redirect (307) to another node, with its Bearer token (if
 * any) moved into the URL as access_token: browsers drop Authorization when they follow a
 * redirect to another origin. Every redirect of a viewer must go through here (--workers
 * fronts, relay choice).
 */
export function redirectPath(req: IncomingMessage, url: URL): string {
  const token = bearerToken(req);
  const u = new URL(url.href);
  if (token && !u.searchParams.has('access_token')) u.searchParams.set('access_token', token);
  return `${u.pathname}${u.search}`;
}

/** Content-Type without parameters, lower-cased. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export const STREAM_NAME = /^[A-Za-z0-9._~-]{1,128}$/;

/** The path's segments, percent-decoded; malformed encoding is the client's mistake (400). */
export function pathSegments(url: URL): string[] {
  try {
    return url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new CanopyError(ErrorCode.BAD_REQUEST, 'malformed percent-encoding in the path');
  }
}

/** The request URL, parsed; an unparsable one is a 400. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://x');
  } catch {
    throw new CanopyError(ErrorCode.BAD_REQUEST, 'malformed request target');
  }
}

/** The client's address (the socket's peer; no proxy headers are trusted). */
export function clientIp(req: IncomingMessage): string {
  return unmapIpv4(req.socket.remoteAddress ?? '');
}
